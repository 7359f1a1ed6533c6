// Phase: the owners' access (a RoleBinding per namespace), granted only once
// quota and isolation are in place, and the check that the owners exist.
import { ROLE_BINDINGS, SERVICE_ACCOUNTS } from "../../api/resources.ts";
import type { KubeClient } from "../../runtime/kube-client.ts";
import type { DesiredNamespace } from "../render.ts";
import { applyChildren, type TenantRun } from "../run.ts";
import type { TenantObservations } from "../status.ts";
import type { Tenant } from "../types.ts";

export function grantOwnerAccess(run: TenantRun, active: DesiredNamespace[]): Promise<void> {
  return applyChildren(
    run,
    active.flatMap((ns) => ns.children.filter((c) => c.kind === ROLE_BINDINGS.kind)),
  );
}

export type OwnerCheck = Pick<TenantObservations, "missingServiceAccounts" | "externalOwners">;

/** Which owner ServiceAccounts do not exist; users and groups cannot be checked (Kubernetes keeps no registry of them). */
export async function verifyOwners(client: KubeClient, tenant: Tenant): Promise<OwnerCheck> {
  const missingServiceAccounts: string[] = [];
  let externalOwners = 0;
  for (const owner of tenant.spec.owners) {
    if (owner.kind !== "ServiceAccount") {
      externalOwners++;
      continue;
    }
    const sa = await client.get(SERVICE_ACCOUNTS, owner.name, owner.namespace);
    if (!sa) missingServiceAccounts.push(`${owner.namespace}/${owner.name}`);
  }
  return { missingServiceAccounts, externalOwners };
}
