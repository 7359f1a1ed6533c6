// How one tenant-wide quota is enforced across several namespaces.
//
// Kubernetes enforces a ResourceQuota per namespace, atomically: admission
// charges a new pod to the namespace's quota with an optimistic-concurrency
// update of the quota's status, and refuses it if used + requested > hard.
// Nothing in Kubernetes enforces a sum across namespaces, and summing usage
// after the fact (as Capsule does) lets two pods created at the same moment in
// two namespaces both pass and overflow the tenant's limit.
//
// yunshu keeps one invariant instead:
//
//     for every resource r:  Σ over the tenant's namespaces of hard[ns][r]  <=  tenantHard[r]
//
// Each namespace's usage is bounded by its own hard limit, so the tenant's
// usage is bounded by the sum, however pods race. Unused headroom is then
// moved to where it is needed: each namespace gets its current usage plus an
// equal share of the tenant's free headroom (tenantHard - Σ used), in whole
// units (whole pods, whole bytes; millicores for CPU). An equal share, rather
// than all of it to the busiest namespace, because yunshu cannot see demand
// in a namespace that has none left: a refused pod changes no usage.
//
// Admission enforces a quota's status.hard, which kube-controller-manager's
// quota controller copies from spec.hard some time after yunshu writes it. A
// namespace's claim on the tenant is therefore the largest of the limit
// yunshu wrote, the limit still enforced, and its usage: the invariant holds
// for Σ max(spec.hard, status.hard, used).
//
// Moving headroom must not break the invariant in between, so a change is
// applied in two steps:
//   1. shrink: lower every hard limit that goes down, and read back from the
//      API server's answer how much the namespace had already used by then
//      (admission charged before our write is in that status) and which
//      limit is still enforced;
//   2. grow: raise limits only within what is provably free after step 1,
//      tenantHard - Σ max(hard, enforced, used). A lowered limit frees its
//      headroom only once it is enforced, which the next reconcile sees.
//
// Headroom moves only when a namespace runs low: while every namespace has at
// least half of what a fresh split would give it (and the whole tenant limit
// is handed out), its limits stay as they are. Without that, every object a
// count quota covers (a ConfigMap, a Secret, the kube-root-ca.crt ConfigMap
// Kubernetes puts in each new namespace) would rewrite all the tenant's
// quotas twice.
//
// The trade-off: a pod can be refused while the tenant as a whole still has
// headroom, because that headroom sits in another namespace until yunshu moves
// it, which takes one reconcile (a second or so) after the quota controller
// reports the new usage. Controllers (Deployments, Jobs) retry, so workloads
// converge; a person running `kubectl run` may have to retry. We accept a
// short refusal over a silent overflow: a department's budget is a contract.
import type { ResourceList } from "../api/quantity.ts";

export interface NamespaceQuota {
  namespace: string;
  /** The quota's current hard limits; undefined when the ResourceQuota does not exist yet. */
  hard?: ResourceList;
  /** Usage as the quota controller and admission last reported it; undefined before the first report. */
  used?: ResourceList;
  /** The limits admission enforces now (status.hard); they lag behind `hard` until the quota controller copies them. */
  enforced?: ResourceList;
}

export type Allocation = Map<string, ResourceList>;

/** CPU is divisible to the millicore; every other resource is handed out in whole units. */
export function granularity(resource: string): bigint {
  return /(^|\.)cpu$/.test(resource) ? 1n : 1000n;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * The hard limits each namespace should have: its usage plus an equal share
 * of the tenant's free headroom. When usage already exceeds the tenant's limit
 * (the limit was lowered below usage), every namespace is capped at or below
 * its usage, in proportion, so that nothing new starts anywhere.
 */
export function planQuota(tenantHard: ResourceList, namespaces: NamespaceQuota[]): Allocation {
  const ordered = [...namespaces].sort((a, b) => a.namespace.localeCompare(b.namespace));
  const plan: Allocation = new Map(ordered.map((ns) => [ns.namespace, {} as ResourceList]));
  if (ordered.length === 0) return plan;
  for (const [resource, limit] of Object.entries(tenantHard)) {
    const used = ordered.map((ns) => max(0n, ns.used?.[resource] ?? 0n));
    const totalUsed = used.reduce((a, b) => a + b, 0n);
    if (totalUsed >= limit) {
      ordered.forEach((ns, i) => (plan.get(ns.namespace)![resource] = totalUsed === 0n ? 0n : (limit * used[i]!) / totalUsed));
      continue;
    }
    const unit = granularity(resource);
    const freeUnits = (limit - totalUsed) / unit;
    const n = BigInt(ordered.length);
    const share = freeUnits / n;
    if (roomEverywhere(ordered, resource, limit, used, max(1n, share / 2n) * unit)) {
      ordered.forEach((ns) => (plan.get(ns.namespace)![resource] = ns.hard![resource]!));
      continue;
    }
    // Units that do not divide evenly go to the busiest namespaces: that is
    // where the next pod most likely comes, and it means a namespace that
    // keeps asking can always get one more while the tenant has room.
    const byUse = ordered.map((_, i) => i).sort((a, b) => (used[b]! > used[a]! ? 1 : used[b]! < used[a]! ? -1 : a - b));
    const extra = new Set(byUse.slice(0, Number(freeUnits % n)));
    ordered.forEach((ns, i) => {
      plan.get(ns.namespace)![resource] = used[i]! + (share + (extra.has(i) ? 1n : 0n)) * unit;
    });
  }
  return plan;
}

/**
 * Whether the current limits of `resource` can stay: they hand out exactly the
 * tenant's limit, and every namespace has at least `lowWater` left above its usage.
 */
function roomEverywhere(ordered: NamespaceQuota[], resource: string, limit: bigint, used: bigint[], lowWater: bigint): boolean {
  let sum = 0n;
  for (const [i, ns] of ordered.entries()) {
    const hard = ns.hard?.[resource];
    if (hard === undefined || hard - used[i]! < lowWater) return false;
    sum += hard;
  }
  return sum === limit;
}

/**
 * Step 1: each namespace's limits lowered to the plan where the plan is
 * lower, left alone where it is higher. A namespace without a quota yet gets
 * zero for now: it cannot be charged anything before step 2.
 */
export function shrinkStep(current: NamespaceQuota[], plan: Allocation): Allocation {
  const out: Allocation = new Map();
  for (const ns of current) {
    const target = plan.get(ns.namespace) ?? {};
    const next: ResourceList = {};
    for (const [resource, want] of Object.entries(target)) next[resource] = min(ns.hard?.[resource] ?? 0n, want);
    out.set(ns.namespace, next);
  }
  return out;
}

/** What a namespace holds of the tenant's limit: the largest of its written limit, its enforced limit and its usage. */
export function claimOf(ns: NamespaceQuota, resource: string): bigint {
  return max(ns.hard?.[resource] ?? 0n, max(ns.enforced?.[resource] ?? 0n, max(0n, ns.used?.[resource] ?? 0n)));
}

/**
 * Step 2: raise limits towards the plan, but only out of headroom that is
 * free for certain: the tenant's limit minus every namespace's claim after
 * step 1.
 */
export function growStep(tenantHard: ResourceList, afterShrink: NamespaceQuota[], plan: Allocation): Allocation {
  const ordered = [...afterShrink].sort((a, b) => a.namespace.localeCompare(b.namespace));
  const out: Allocation = new Map(ordered.map((ns) => [ns.namespace, { ...(ns.hard ?? {}) }]));
  for (const [resource, limit] of Object.entries(tenantHard)) {
    const claimed = ordered.reduce((sum, ns) => sum + claimOf(ns, resource), 0n);
    let budget = limit - claimed;
    for (const ns of ordered) {
      const have = ns.hard?.[resource] ?? 0n;
      const want = plan.get(ns.namespace)?.[resource] ?? have;
      if (want <= have || budget <= 0n) continue;
      // What a namespace already claims above its written limit (usage, or
      // a higher limit still enforced) is counted once: raising its limit up
      // to that costs nothing.
      const alreadyClaimed = claimOf(ns, resource) - have;
      const grant = min(want - have, budget + alreadyClaimed);
      out.get(ns.namespace)![resource] = have + grant;
      budget -= max(0n, grant - alreadyClaimed);
    }
  }
  return out;
}

/** Σ hard per resource, for status and for checking the invariant. */
export function sumAllocation(allocation: Iterable<ResourceList>): ResourceList {
  const total: ResourceList = {};
  for (const list of allocation) for (const [r, v] of Object.entries(list)) total[r] = (total[r] ?? 0n) + v;
  return total;
}
