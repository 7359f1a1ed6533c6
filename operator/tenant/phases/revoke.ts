// Phase: bindings in the tenant's namespaces that name someone the Tenant no
// longer declares (an owner or member removed, or a binding made before the
// yunshu-tenant-grants policy existed) are deleted, on every cluster. Deleted
// rather than edited: removing a subject is an update, and RBAC lets an
// update keep its role only for someone who holds that role's permissions,
// which the operator deliberately does not. The binding's other subjects
// lose that binding too; the Event says so, and an owner recreates it for
// them (the policy admits it).
import type { RoleBinding } from "../../api/core-types.ts";
import { ROLE_BINDINGS, TENANTS } from "../../api/resources.ts";
import { BY_NAMESPACE } from "../caches.ts";
import { describeSubject, strangers, tenantGrantees } from "../grants.ts";
import { MANAGED_BY, MANAGED_BY_LABEL } from "../labels.ts";
import type { DesiredNamespace } from "../render.ts";
import { write, type TenantRun } from "../run.ts";

export async function revokeStrangers(run: TenantRun, active: DesiredNamespace[]): Promise<void> {
  const grantees = tenantGrantees(run.tenant);
  for (const ns of active) {
    for (const binding of run.caches.grants.byIndex(BY_NAMESPACE, ns.name)) {
      // yunshu's own bindings are rendered from the same Tenant: applying them is the owner-access phase's.
      if (binding.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) continue;
      const out = strangers(binding, grantees);
      if (out.length === 0) continue;
      const { name, namespace, uid } = binding.metadata;
      const deleted = await write(run, binding, () => run.client.delete(ROLE_BINDINGS, name, namespace, { uid }).then(() => true));
      if (!deleted) continue;
      const others = ((binding as RoleBinding).subjects ?? []).length - out.length;
      const message =
        `deleted RoleBinding ${namespace}/${name}: it granted ${out.map(describeSubject).join(", ")}, not among tenant ${run.tenant.metadata.name}'s owners and members` +
        (others > 0 ? `; its ${others} other subject(s) lost it too: recreate it for them` : "");
      run.events.record(TENANTS, run.tenant, "Warning", "AccessRevoked", message);
      run.log.info("revoked access", { tenant: run.tenant.metadata.name, namespace, binding: name, subjects: out.map(describeSubject) });
    }
  }
}
