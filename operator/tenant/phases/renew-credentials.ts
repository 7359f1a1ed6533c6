// Phase: when someone leaves the tenant (an owner or member removed), the
// bindings that name them go (revoke.ts), but a token they minted for one
// of the tenant's ServiceAccounts, or read from a pod they could create,
// would still let them in as that ServiceAccount until it expires. So the
// tenant's ServiceAccounts in every namespace where they had access are made
// again under new UIDs, which voids every token issued before. Who had
// access is read from the grant annotations yunshu wrote on the namespace
// last time; this runs before the namespace phase writes the new ones, so
// an operator stopped in between renews again rather than never.
import { TENANTS } from "../../api/resources.ts";
import { GRANT_GROUPS_ANNOTATION, GRANT_USERS_ANNOTATION, type Grantees } from "../grants.ts";
import { isReleased } from "../labels.ts";
import type { DesiredNamespace } from "../render.ts";
import type { TenantRun } from "../run.ts";
import { renewNamespaceServiceAccounts } from "./revoke-released.ts";

/** The people a namespace's grant annotations list that `grantees` no longer does. Pure. */
export function departedPeople(annotations: Record<string, string> | undefined, grantees: Pick<Grantees, "users" | "groups">): string[] {
  const listed = (key: string) => (annotations?.[key] ?? "").split("\n").filter((n) => n !== "");
  return [
    ...listed(GRANT_USERS_ANNOTATION).filter((u) => !grantees.users.includes(u)).map((u) => `User ${u}`),
    ...listed(GRANT_GROUPS_ANNOTATION).filter((g) => !grantees.groups.includes(g)).map((g) => `Group ${g}`),
  ];
}

export async function renewAfterDeparture(run: TenantRun, desired: DesiredNamespace[], grantees: Grantees): Promise<void> {
  for (const ns of desired) {
    const cached = run.caches.namespaces.get(ns.name);
    if (!cached || isReleased(cached)) continue;
    const departed = departedPeople(cached.metadata.annotations, grantees);
    if (departed.length === 0) continue;
    const renewed = await renewNamespaceServiceAccounts(run, ns.name);
    const message = `renewed ServiceAccount(s) ${renewed.join(", ")} in ${ns.name} because ${departed.join(", ")} left the tenant: every token issued for them before is invalid`;
    run.events.record(TENANTS, run.tenant, "Normal", "CredentialsRenewed", message);
    run.log.info("renewed ServiceAccounts after a departure", { namespace: ns.name, departed, renewed });
  }
}
