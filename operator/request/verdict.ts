// The capacity verdict on a TenantRequest: does the tenant, as the request
// would leave it, fit its parent's quota (a child tenant) or the capacity
// pool (a top-level tenant)? Every row says what is asked, what others hold
// and the limit, so the platform team decides with the numbers in front of it.
import type { CapacityPool, Cluster, SecurityProfile, TenantRequest } from "../api/generated.ts";
import { committed, isTopLevel, poolCapacity } from "../capacity/pool.ts";
import { clusterCapacity, placeTenant } from "../fleet/placement.ts";
import { describeShortfalls, shortfalls, type BudgetHolder, type Shortfall } from "../quota/hierarchy.ts";
import { formatQuantity, parseResourceList, type ResourceList } from "../api/quantity.ts";
import { budgetHolder, budgetOf, retainedHolders, type TenantDirectory } from "../tenant/quota-decision.ts";
import { decideEgress, profileName } from "../tenant/profile.ts";
import type { Tenant } from "../tenant/types.ts";
import { addedNamespaces, changesQuota, isProblem, securityLevelOf, tenantAfter } from "./change.ts";

export type CapacityRow = NonNullable<NonNullable<TenantRequest["status"]>["capacity"]>[number];

export interface Verdict {
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  rows: CapacityRow[];
  /** The Tenant as approval would leave it; absent when the request cannot apply. */
  after?: Tenant;
}

export interface RequestWorld {
  tenants: TenantDirectory;
  /** Every tenant, for the pool's sum over top-level ones. */
  allTenants: () => Iterable<Tenant>;
  pool?: CapacityPool;
  /**
   * Namespaces the request would create that exist already and are not
   * this tenant's (read from the hub just before judging): a tenant never
   * takes over a namespace it does not own, so such a request cannot apply.
   */
  taken?: ReadonlySet<string>;
  /** A SecurityProfile by name: a level change is judged against the one it brings. */
  profile?: (name: string) => SecurityProfile | undefined;
  /** What deleted top-level tenants' retained namespaces hold on a cluster (retained.ts). */
  retainedOn?: (cluster: string) => ResourceList;
  /** The registered member clusters; a top-level tenant placed on clusters that declare capacity is judged per cluster. */
  clusters?: () => Cluster[];
}

function rows(budget: string, limits: ResourceList, allocated: ResourceList, asked: ResourceList): { rows: CapacityRow[]; short: Shortfall[] } {
  const short = shortfalls(limits, allocated, asked);
  const shortNames = new Set(short.map((s) => s.resource));
  return {
    short,
    rows: Object.entries(limits).map(([resource, limit]) => ({
      budget,
      resource,
      requested: asked[resource] === undefined ? "unlimited" : formatQuantity(asked[resource]!, resource),
      allocated: formatQuantity(allocated[resource] ?? 0n, resource),
      limit: formatQuantity(limit, resource),
      fits: !shortNames.has(resource),
    })),
  };
}

/** What the budget's other holders hold: enforced quota, or nothing for one still waiting. */
function heldBy(holders: Iterable<BudgetHolder>, limits: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const h of holders) {
    const held = h.enforced ?? {};
    for (const r of Object.keys(limits)) out[r] = (out[r] ?? 0n) + (held[r] ?? 0n);
  }
  return out;
}

/**
 * A level change moves no quota; what the approver weighs is its direction.
 * Lowering gives the tenant's namespaces a weaker profile the moment it is
 * applied, which MLPS allows only once the system has been re-classified, so
 * the verdict says so in words the approver cannot miss.
 */
function securityLevelVerdict(before: Tenant, after: Tenant, world: RequestWorld): Verdict {
  const name = after.metadata.name;
  const from = securityLevelOf(before);
  const to = securityLevelOf(after);
  // What the new profile would refuse of the Tenant itself makes the change fail when applied: say so now.
  const profile = world.profile?.(profileName(to));
  if (world.profile && !profile) {
    return { status: "False", reason: "SecurityProfileNotFound", message: `SecurityProfile ${profileName(to)} does not exist: tenant ${name} cannot move to MLPS level ${to} until the platform restores it`, rows: [] };
  }
  const tooWide = profile ? decideEgress(after.spec.network?.egressCIDRs ?? [], profile).refused : [];
  if (tooWide.length > 0) {
    const cidrs = tooWide.map((r) => r.cidr).join(", ");
    const message = `tenant ${name}'s egress to ${cidrs} is wider than ${profileName(to)} allows (network.minEgressPrefix): the platform narrows spec.network.egressCIDRs first, then this can be approved`;
    return { status: "False", reason: "EgressWiderThanProfile", message, rows: [] };
  }
  if (to < from) {
    return {
      status: "True",
      reason: "LowersSecurityLevel",
      message:
        `lowers tenant ${name} from MLPS level ${from} to ${to}: on approval its namespaces move at once to the weaker SecurityProfile mlps-${to}; ` +
        `approve only with the system's re-classification (定级备案) at level ${to} on record`,
      rows: [],
      after,
    };
  }
  return {
    status: "True",
    reason: "RaisesSecurityLevel",
    message:
      `raises tenant ${name} from MLPS level ${from} to ${to}: on approval its namespaces move to the stricter SecurityProfile mlps-${to}; ` +
      `existing pods that mlps-${to} would refuse keep running until they are replaced, and a replacement must pass mlps-${to}`,
    rows: [],
    after,
  };
}

/** An offboarding deletes everything of the tenant: one with child tenants would leave them without a parent. */
function offboardVerdict(current: Tenant, after: Tenant, world: RequestWorld): Verdict {
  const name = current.metadata.name;
  const children = world.tenants.childrenOf(name).map((t) => t.metadata.name);
  if (children.length > 0) {
    return { status: "False", reason: "HasChildren", message: `tenant ${name} has child tenant(s) ${children.join(", ")}: offboard them, or give them another parent, first`, rows: [] };
  }
  const returnsTo = current.spec.parent ? `tenant ${current.spec.parent}` : "the capacity pool";
  return {
    status: "True",
    reason: "Offboards",
    message:
      `offboards tenant ${name}: on approval it is suspended at once (its people keep reading, to export their data); when the grace period ends, ` +
      `every namespace of it on every cluster is deleted with its persistent volumes, whatever its deletionPolicy, and its quota returns to ${returnsTo}`,
    rows: [],
    after,
  };
}

export function computeVerdict(request: TenantRequest, world: RequestWorld): Verdict {
  const name = request.spec.tenant;
  const current = world.tenants.get(name);
  const after = tenantAfter(request, current);
  if (isProblem(after)) return { status: "False", reason: after.reason, message: after.message, rows: [] };
  // A suspended tenant's requests are held: judged again, and approvable, once the suspension is lifted.
  const suspension = current?.spec.suspension;
  if (suspension) {
    const message = `tenant ${name} is suspended (${suspension.reason}); its requests are held until the platform lifts the suspension`;
    return { status: "False", reason: "TenantSuspended", message, rows: [] };
  }
  const taken = addedNamespaces(request, current).filter((ns) => world.taken?.has(ns));
  if (taken.length > 0) {
    const message = `namespace ${taken.join(", ")} exists already and is not yunshu's: a tenant never takes over a namespace it does not own; ask for another name, or have the platform team move what is in it`;
    return { status: "False", reason: "NamespaceTaken", message, rows: [] };
  }
  // tenantAfter found the tenant, or it would have said so.
  if (request.spec.action === "ChangeSecurityLevel") return securityLevelVerdict(current!, after, world);
  if (request.spec.action === "Offboard") return offboardVerdict(current!, after, world);
  if (!changesQuota(request)) return { status: "True", reason: "NoQuotaChange", message: "the request does not change any quota", rows: [], after };
  const asked = parseResourceList(after.spec.quota?.hard);
  const parentName = after.spec.parent;
  if (parentName) {
    const parent = world.tenants.get(parentName);
    if (!parent) return { status: "False", reason: "ParentNotFound", message: `parent tenant ${parentName} does not exist`, rows: [] };
    const limits = budgetOf(parent);
    const others = world.tenants.childrenOf(parentName).filter((t) => t.metadata.name !== name && !t.metadata.deletionTimestamp);
    const budget = `tenant/${parentName}`;
    const result = rows(budget, limits, heldBy([...others.map(budgetHolder), ...retainedHolders(world.tenants, parentName)], limits), asked);
    return finish(result, `tenant ${parentName}`, after);
  }
  const clusters = world.clusters?.() ?? [];
  const perCluster = clusterVerdicts(after, clusters, [...world.allTenants()].filter((t) => isTopLevel(t) && t.metadata.name !== name), world.retainedOn);
  if (perCluster) return perCluster;
  if (!world.pool) {
    return {
      status: "Unknown",
      reason: "NoCapacityPool",
      message: "no CapacityPool named default declares the cloud's capacity, so yunshu cannot tell whether this fits",
      rows: [],
      after,
    };
  }
  const capacity = poolCapacity(world.pool);
  const others = [...world.allTenants()].filter((t) => isTopLevel(t) && t.metadata.name !== name);
  const result = rows(`pool/${world.pool.metadata.name}`, capacity, committed(capacity, [...others.map(budgetOf), ...retainedHolders(world.tenants, "").map((h) => h.declared)]), asked);
  return finish(result, `capacity pool ${world.pool.metadata.name}`, after);
}

/** A tenant's share of `hard` on each cluster it is placed on, as the operator would apply it. */
const shares = (tenant: Tenant, hard: ResourceList, clusters: Cluster[]) => placeTenant(tenant, hard, clusters).perCluster;

/**
 * The verdict cluster by cluster, for a top-level tenant placed on clusters
 * that declare their capacity: its share there against what the other
 * top-level tenants' shares there leave. Undefined when none of its
 * clusters declares capacity (the capacity pool then judges).
 */
function clusterVerdicts(after: Tenant, clusters: Cluster[], others: Tenant[], retainedOn: (cluster: string) => ResourceList = () => ({})): Verdict | undefined {
  const mine = shares(after, parseResourceList(after.spec.quota?.hard), clusters);
  const judged = clusters.filter((c) => mine.has(c.metadata.name) && c.spec.capacity).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  if (judged.length === 0) return undefined;
  const othersShares = others.map((t) => shares(t, budgetOf(t), clusters));
  const all = { rows: [] as CapacityRow[], short: [] as { cluster: string; short: Shortfall[] }[] };
  for (const cluster of judged) {
    const name = cluster.metadata.name;
    const limits = clusterCapacity(cluster);
    const held: ResourceList = {};
    for (const share of [...othersShares.map((s) => s.get(name)), retainedOn(name)]) for (const r of Object.keys(limits)) held[r] = (held[r] ?? 0n) + (share?.[r] ?? 0n);
    const result = rows(`cluster/${name}`, limits, held, mine.get(name)!);
    all.rows.push(...result.rows);
    if (result.short.length > 0) all.short.push({ cluster: name, short: result.short });
  }
  const where = judged.map((c) => `cluster ${c.metadata.name}`).join(", ");
  if (all.short.length > 0) {
    const detail = all.short.map((s) => `cluster ${s.cluster}: ${describeShortfalls(s.short, `cluster ${s.cluster}`)}`).join("; ");
    return { status: "False", reason: "ExceedsCapacity", message: `does not fit ${detail}`, rows: all.rows, after };
  }
  const left = all.rows.map((r) => `${r.budget.replace("cluster/", "")} ${r.resource} ${r.requested} of ${r.limit} (others hold ${r.allocated})`).join(", ");
  return { status: "True", reason: "Fits", message: `fits ${where}: ${left}`, rows: all.rows, after };
}

function finish(result: { rows: CapacityRow[]; short: Shortfall[] }, budget: string, after: Tenant): Verdict {
  if (result.short.length > 0) {
    return { status: "False", reason: "ExceedsCapacity", message: `does not fit ${budget}: ${describeShortfalls(result.short, budget)}`, rows: result.rows, after };
  }
  const left = result.rows.map((r) => `${r.resource} ${r.requested} of ${r.limit} (others hold ${r.allocated})`).join(", ");
  return { status: "True", reason: "Fits", message: `fits ${budget}${left ? `: ${left}` : ""}`, rows: result.rows, after };
}
