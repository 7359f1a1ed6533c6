// The platform team's pages as data: the tenant tree (province → city →
// county) and the fleet. Pure: built from what the API server returned to
// the platform admin's own token.
import type { ClusterView, TreeNode } from "../api-types.ts";
import type { Cluster, Tenant } from "../../operator/api/generated.ts";
import { conditionViews, quotaRows } from "../../operator/request/mine.ts";
import { tenantTree } from "../../operator/plugin/tree-view.ts";

/** Every tenant once, parents before children, with its depth in the hierarchy. */
export function treeNodes(tenants: readonly Tenant[]): TreeNode[] {
  const depthOf = new Map<string, number>();
  return tenantTree(tenants).map(({ tenant, note }) => {
    const parent = tenant.spec.parent;
    // tenantTree puts a missing parent's or a loop's tenant at the top, with a note.
    const depth = parent && !note ? (depthOf.get(parent) ?? -1) + 1 : 0;
    depthOf.set(tenant.metadata.name, depth);
    return {
      name: tenant.metadata.name,
      displayName: tenant.spec.displayName,
      level: tenant.spec.level,
      ...(parent ? { parent } : {}),
      depth,
      ...(note ? { note } : {}),
      namespaces: tenant.status?.namespaceCount ?? tenant.status?.namespaces?.length ?? 0,
      ready: tenant.status?.conditions?.find((c) => c.type === "Ready")?.status === "True",
      quota: quotaRows(tenant.status?.quota?.hard ?? tenant.spec.quota?.hard, tenant.status?.quota?.used, tenant.status?.quota?.children),
    };
  });
}

export function clusterViews(clusters: readonly Cluster[]): ClusterView[] {
  return [...clusters]
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .map((c) => {
      const conditions = conditionViews(c.status?.conditions);
      return {
        name: c.metadata.name,
        ...(c.spec?.displayName ? { displayName: c.spec.displayName } : {}),
        ...(c.spec?.region ? { region: c.spec.region } : {}),
        ...(c.spec?.tier ? { tier: c.spec.tier } : {}),
        ...(c.status?.kubernetesVersion ? { kubernetesVersion: c.status.kubernetesVersion } : {}),
        conditions,
        ready: conditions.find((x) => x.type === "Ready")?.status === "True",
        tenants: c.status?.tenants ?? 0,
        namespaces: c.status?.namespaces ?? 0,
        capacity: quotaRows(c.status?.capacity, c.status?.allocated).map((r) => ({
          resource: r.resource,
          ...(r.hard !== undefined ? { capacity: r.hard } : {}),
          ...(r.used !== undefined ? { allocated: r.used } : {}),
          ...(r.fraction !== undefined ? { fraction: r.fraction } : {}),
        })),
      };
    });
}
