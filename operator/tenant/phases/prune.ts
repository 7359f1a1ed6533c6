// Phase: managed objects in the tenant's active namespaces that its
// rendering no longer contains (a network policy yunshu stopped rendering,
// a quota for a tenant whose quota names nothing) are deleted. Namespaces
// the tenant no longer declares are release.ts's.
import type { KubeObject, ResourceType } from "../../api/meta.ts";
import type { ResourceList } from "../../api/quantity.ts";
import { NAMESPACED_CHILD_TYPES, RESOURCE_QUOTAS } from "../../api/resources.ts";
import { BY_TENANT, childCache } from "../caches.ts";
import type { DesiredNamespace } from "../render.ts";
import { RESOURCE_QUOTA_NAME } from "../resource-quota.ts";
import { write, type TenantRun } from "../run.ts";

export async function pruneChildren(run: TenantRun, quota: ResourceList, desired: DesiredNamespace[]): Promise<void> {
  const existing = NAMESPACED_CHILD_TYPES.map((type) => ({ type, objects: childCache(run.caches, type).byIndex(BY_TENANT, run.tenant.metadata.name) }));
  for (const { type, obj } of unwantedChildren(existing, desired, quota)) {
    await write(run, obj, () => run.client.delete(type, obj.metadata.name, obj.metadata.namespace, { uid: obj.metadata.uid }));
    if (type === RESOURCE_QUOTAS) run.quotaWrites.forget(obj.metadata.namespace ?? "");
  }
}

/** The tenant's managed objects, inside its desired namespaces, that the rendering (and the quota) no longer call for. */
export function unwantedChildren(
  existing: { type: ResourceType; objects: KubeObject[] }[],
  desired: DesiredNamespace[],
  quota: ResourceList,
): { type: ResourceType; obj: KubeObject }[] {
  const byNamespace = new Map(desired.map((ns) => [ns.name, ns]));
  const hasQuota = Object.keys(quota).length > 0;
  return existing.flatMap(({ type, objects }) =>
    objects
      .filter((obj) => {
        const ns = byNamespace.get(obj.metadata.namespace ?? "");
        if (!ns) return false;
        const rendered = ns.children.some((c) => c.kind === type.kind && c.metadata.name === obj.metadata.name);
        const wanted = rendered || (type === RESOURCE_QUOTAS && hasQuota && obj.metadata.name === RESOURCE_QUOTA_NAME);
        return !wanted;
      })
      .map((obj) => ({ type, obj })),
  );
}
