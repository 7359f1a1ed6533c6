// The cloud's capacity as the platform declares it in a CapacityPool, and
// what top-level tenants have been promised of it. A child tenant's quota is
// carved from its parent's, so only top-level tenants count.
import type { CapacityPool } from "../api/generated.ts";
import { formatResourceList, parseResourceList, type ResourceList } from "../api/quantity.ts";
import { budgetOf } from "../tenant/quota-decision.ts";
import type { Tenant } from "../tenant/types.ts";

export const DEFAULT_POOL = "default";

type PoolStatus = NonNullable<CapacityPool["status"]>;

/** Overcommit ratios are decimals with up to three places ("1.5"), so milli-units keep them exact. */
function ratioMilli(ratio: string | undefined): bigint {
  if (ratio === undefined) return 1000n;
  const [whole = "0", fraction = ""] = ratio.split(".");
  return BigInt(whole) * 1000n + BigInt((fraction + "000").slice(0, 3));
}

/** What a CapacityPool or a Cluster declares it can give: both have the same shape and rules. */
export type DeclaredCapacity = CapacityPool["spec"];

/** allocatable × overcommit, by resource. */
export function overcommitted(declared: DeclaredCapacity): ResourceList {
  const allocatable = parseResourceList(declared.allocatable);
  return Object.fromEntries(Object.entries(allocatable).map(([r, v]) => [r, (v * ratioMilli(declared.overcommit?.[r])) / 1000n]));
}

export const poolCapacity = (pool: CapacityPool): ResourceList => overcommitted(pool.spec);

export const isTopLevel = (t: Tenant) => !t.spec.parent && !t.metadata.deletionTimestamp;

/** What the given top-level tenants hold, for the resources `capacity` names. */
/** What `held` (each a top-level tenant's budget, or a deleted one's retained namespaces) takes of `capacity`. */
export function committed(capacity: ResourceList, holdings: Iterable<ResourceList>): ResourceList {
  const out: ResourceList = Object.fromEntries(Object.keys(capacity).map((r) => [r, 0n]));
  for (const held of holdings) {
    for (const r of Object.keys(capacity)) out[r]! += held[r] ?? 0n;
  }
  return out;
}

export function poolStatus(pool: CapacityPool, tenants: Iterable<Tenant>, retained: readonly ResourceList[] = []): PoolStatus {
  const roots = [...tenants].filter(isTopLevel);
  const capacity = poolCapacity(pool);
  return { capacity: formatResourceList(capacity), committed: formatResourceList(committed(capacity, [...roots.map(budgetOf), ...retained])), tenants: roots.length };
}
