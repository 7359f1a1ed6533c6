// What each cluster's reconciler writes into a Tenant's status, computed
// from its observations. Pure. The hub writes the top-level status (and its
// own entry in status.clusters when the tenant has a placement); each member
// writes only its own entry, under its own field manager, so that the entries
// never overwrite one another.
import { formatResourceList } from "../api/quantity.ts";
import { FIELD_MANAGER } from "../api/names.ts";
import { sameStatus } from "../runtime/status.ts";
import { computeStatus, readyCondition, type ClusterObservations, type TenantObservations } from "./status.ts";
import type { OffboardingClock } from "./offboarding.ts";
import type { Tenant, TenantStatus } from "./types.ts";

export type ClusterEntry = NonNullable<TenantStatus["clusters"]>[number];

/** The field manager of a cluster's entry in status.clusters. */
export const clusterFieldManager = (cluster: string) => `${FIELD_MANAGER}-cluster-${cluster}`;

/** A cluster's report on the tenant: whether it is ready there, and with how many namespaces and what quota. */
export function clusterEntry(tenant: Tenant, obs: ClusterObservations, cluster: string): ClusterEntry {
  const ready = readyCondition(obs);
  return {
    name: cluster,
    ready: ready.status === "True",
    observedGeneration: tenant.metadata.generation ?? 0,
    namespaces: obs.namespaces.filter((n) => n.state === "Active").length,
    ...(ready.status === "True" ? {} : { message: ready.message }),
    quota: { hard: formatResourceList(obs.quotaHard), used: formatResourceList(obs.quotaUsed) },
  };
}

/**
 * The hub's status for the tenant, or undefined when what is written already
 * says the same. With a placement, the hub's own entry goes into
 * status.clusters (when the hub is among the placed clusters) and the
 * printer column counts namespaces across the fleet as members report them;
 * the members' entries are theirs and are not part of the hub's write.
 */
export function hubStatus(tenant: Tenant, obs: TenantObservations, placed: string[], hub: string, now: Date, offboarding?: OffboardingClock): TenantStatus | undefined {
  const status = computeStatus(tenant, obs, now);
  if (offboarding) status.offboarding = offboarding;
  if (tenant.spec.placement) {
    status.clusters = placed.includes(hub) ? [clusterEntry(tenant, obs, hub)] : [];
    const members = (tenant.status?.clusters ?? []).filter((c) => c.name !== hub && placed.includes(c.name));
    status.namespaceCount = (status.namespaceCount ?? 0) + members.reduce((sum, c) => sum + (c.namespaces ?? 0), 0);
  }
  const mine = tenant.status ? { ...tenant.status, clusters: tenant.status.clusters?.filter((c) => c.name === hub) } : undefined;
  return sameStatus(status, tenant.spec.placement ? mine : { ...mine, clusters: undefined }) ? undefined : status;
}
