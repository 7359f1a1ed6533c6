// Where a tenant lives in the fleet and how much of its tenant-wide quota
// each of those clusters gets: pure functions of the Tenant and the Cluster
// objects, so that reconciling, status and capacity verdicts all agree and
// can be tested without a cluster.
import type { Cluster, Tenant } from "../api/generated.ts";
import { overcommitted } from "../capacity/pool.ts";
import { formatQuantity, parseResourceList, type ResourceList } from "../api/quantity.ts";

/**
 * The hub's name when no Cluster object describes it: an installation that
 * has registered no clusters still keeps its tenants on the hub, and a
 * placement may name the hub before anyone registers it.
 */
export const HUB = "hub";

/**
 * The Cluster reached without a kubeconfig is the hub. Should several leave
 * the Secret out, the first by name is taken, so that every caller agrees.
 */
export function hubName(clusters: readonly Cluster[]): string {
  const hubs = clusters.filter((c) => !c.spec.kubeconfigSecretRef).map((c) => c.metadata.name);
  return hubs.sort()[0] ?? HUB;
}

export interface Selection {
  /** The clusters the tenant is placed on, by name, sorted. */
  placed: string[];
  /** Names in spec.placement.clusters that no Cluster (nor the hub) answers to, sorted. */
  unknown: string[];
}

/** An absent or empty selector does not narrow the selection. */
const admits = <T>(selector: readonly T[] | undefined, value: T) => !selector?.length || selector.includes(value);

/** Whether the placement's regions and tiers select `cluster`; a placement that names neither selects by name only. */
function selectedBySpec(placement: NonNullable<Tenant["spec"]["placement"]>, cluster: Cluster): boolean {
  const { regions, tiers } = placement;
  return Boolean(regions?.length || tiers?.length) && admits(regions, cluster.spec.region) && admits(tiers, cluster.spec.tier);
}

export function selectClusters(tenant: Tenant, clusters: readonly Cluster[]): Selection {
  const hub = hubName(clusters);
  const placement = tenant.spec.placement;
  if (!placement) return { placed: [hub], unknown: [] };
  const known = new Set([hub, ...clusters.map((c) => c.metadata.name)]);
  const named = placement.clusters ?? [];
  const selected = clusters.filter((c) => selectedBySpec(placement, c)).map((c) => c.metadata.name);
  const placed = new Set([...named.filter((name) => known.has(name)), ...selected]);
  return { placed: [...placed].sort(), unknown: named.filter((name) => !known.has(name)).sort() };
}

/** Whether the tenant is placed on `cluster` while `hub` is the hub: selectClusters's answer for that one cluster. */
export function placedOn(tenant: Tenant, cluster: Cluster, hub: string): boolean {
  const placement = tenant.spec.placement;
  if (!placement) return cluster.metadata.name === hub;
  return (placement.clusters ?? []).includes(cluster.metadata.name) || selectedBySpec(placement, cluster);
}

/**
 * The tenants a change of one Cluster (`before` → `after`, either absent
 * when it comes or goes; `clusters` as they are after it) concerns: those
 * placed on it before or after, since their placed set, every cluster's
 * share of their quota and their readiness depend on it, and nobody else's
 * do; or every tenant when the change makes another cluster the hub, where
 * tenants without a placement live.
 */
export function tenantsOnChangedCluster(tenants: readonly Tenant[], clusters: readonly Cluster[], before: Cluster | undefined, after: Cluster | undefined): string[] {
  const name = (after ?? before)?.metadata.name;
  const others = clusters.filter((c) => c.metadata.name !== name);
  const hubBefore = hubName(before ? [...others, before] : others);
  const hubAfter = hubName(after ? [...others, after] : others);
  const concerned = (t: Tenant) => hubBefore !== hubAfter || (before !== undefined && placedOn(t, before, hubBefore)) || (after !== undefined && placedOn(t, after, hubAfter));
  return tenants.filter(concerned).map((t) => t.metadata.name);
}

export interface QuotaSplit {
  /** Every placed cluster's share, naming every resource of the tenant-wide quota. */
  perCluster: Map<string, ResourceList>;
  /** What is wrong with the explicit shares, for the tenant's status; empty when nothing is. */
  problems: string[];
}

/**
 * Splits the tenant-wide `hard` over the `placed` clusters. For each
 * resource, a cluster with an explicit amount gets it; the others share the
 * remainder evenly, so that no placed cluster is ever left without a limit.
 * Shares are whole units (milli-units for CPU, which people do split that
 * finely) and what does not divide evenly goes one unit each to the first
 * clusters by name, so that the shares add up to exactly the remainder.
 *
 * When explicit amounts add up to more than `hard`, the others get zero and
 * the split promises more than the tenant has; the problem says so, and such
 * a split must not be applied. Entries for clusters that are not placed, and
 * resources that `hard` does not name, are ignored and reported.
 */
export function splitQuota(hard: ResourceList, placed: readonly string[], explicit: Readonly<Record<string, ResourceList>>): QuotaSplit {
  const clusters = [...new Set(placed)].sort();
  const problems: string[] = [];
  for (const cluster of Object.keys(explicit).sort()) {
    if (!clusters.includes(cluster)) {
      problems.push(`placement.quotas has an entry for ${cluster}, which the tenant is not placed on; it is ignored`);
      continue;
    }
    for (const resource of Object.keys(explicit[cluster]!).sort()) {
      if (!Object.hasOwn(hard, resource)) {
        problems.push(`placement.quotas gives ${cluster} ${resource}, which the tenant's quota does not name; it is ignored`);
      }
    }
  }

  const perCluster = new Map(clusters.map((cluster): [string, ResourceList] => [cluster, {}]));
  for (const resource of Object.keys(hard).sort()) {
    const whole = hard[resource]!;
    const amountFor = (cluster: string) => (Object.hasOwn(explicit, cluster) ? explicit[cluster]![resource] : undefined);
    let given = 0n;
    const sharing: string[] = [];
    for (const cluster of clusters) {
      const amount = amountFor(cluster);
      if (amount === undefined) {
        sharing.push(cluster);
      } else {
        perCluster.get(cluster)![resource] = amount;
        given += amount;
      }
    }
    if (given > whole) {
      problems.push(
        `${resource}: the per-cluster quotas add up to ${formatQuantity(given, resource)}, more than the tenant's ${formatQuantity(whole, resource)}`,
      );
    }
    const shares = evenShares(given < whole ? whole - given : 0n, sharing.length, resource.includes("cpu") ? 1n : 1000n);
    sharing.forEach((cluster, i) => (perCluster.get(cluster)![resource] = shares[i]!));
  }
  return { perCluster, problems };
}

/** `total` milli-units in `count` shares of whole `unit`s that add up to exactly `total`. */
function evenShares(total: bigint, count: number, unit: bigint): bigint[] {
  if (count === 0) return [];
  const n = BigInt(count);
  const units = total / unit;
  const base = (units / n) * unit;
  const oneMore = units % n;
  // Finer than a unit only when the inputs were (half a pod, say): it still belongs to someone.
  const crumbs = total % unit;
  return Array.from({ length: count }, (_, i) => base + (BigInt(i) < oneMore ? unit : 0n) + (i === 0 ? crumbs : 0n));
}

/** allocatable × overcommit, by resource; a Cluster that declares no capacity limits nothing. */
export function clusterCapacity(cluster: Cluster): ResourceList {
  return cluster.spec.capacity ? overcommitted(cluster.spec.capacity) : {};
}

/**
 * Where the tenant is placed and each cluster's share of `hard`, as yunshu
 * applies it: an explicit split that does not add up is not applied, every
 * placed cluster gets an even share until it is fixed, and the problems
 * (with unknown cluster names) are reported.
 */
export function placeTenant(tenant: Tenant, hard: ResourceList, clusters: readonly Cluster[]): { placed: string[]; perCluster: Map<string, ResourceList>; problems: string[] } {
  const selection = selectClusters(tenant, clusters);
  const problems = selection.unknown.map((c) => `spec.placement.clusters names ${c}, which is not a registered Cluster (kubectl get clusters.yunshu.io)`);
  const explicit = Object.fromEntries((tenant.spec.placement?.quotas ?? []).map((q) => [q.cluster, parseResourceList(q.hard)]));
  let split = splitQuota(hard, selection.placed, explicit);
  if (split.problems.length > 0) {
    problems.push(...split.problems.map((p) => `${p}; every placed cluster gets an even share until this is fixed`));
    split = splitQuota(hard, selection.placed, {});
  }
  return { placed: selection.placed, perCluster: split.perCluster, problems };
}
