// What every cluster carries (the tenants placed on it and their quota
// shares summed), kept up to date tenant by tenant. A Cluster's status is
// written from this after every probe, every few seconds per cluster: working
// it out afresh each time costs every tenant's quota decision and placement
// for every cluster probed, most of which changed nothing. Here a probe
// reads totals, and only the tenants said to be stale since are worked out
// again, each once for every cluster at the same time.
import type { ResourceList } from "../api/quantity.ts";

/** A tenant's share of its quota on each cluster it is placed on; none when it places nothing (gone, or being deleted). */
export type Shares = ReadonlyMap<string, ResourceList> | undefined;

export interface Load {
  tenants: number;
  allocated: ResourceList;
}

/** Per resource, the sum and how many shares name it: a resource nobody names any more leaves the total, as it would from a fresh sum. */
type Total = { tenants: number; allocated: Map<string, { sum: bigint; count: number }> };

export class ClusterLoads {
  private readonly sharesOf: (tenant: string) => Shares;
  private readonly allTenants: () => Iterable<string>;
  private readonly counted = new Map<string, ReadonlyMap<string, ResourceList>>();
  private readonly totals = new Map<string, Total>();
  private readonly stale = new Set<string>();
  /** Until the first read, nothing is counted and every tenant is stale. */
  private started = false;
  private recounts = 0;

  /** `sharesOf` decides one tenant's shares from the caches as they are now; `allTenants` names every tenant there is. */
  constructor(sharesOf: (tenant: string) => Shares, allTenants: () => Iterable<string>) {
    this.sharesOf = sharesOf;
    this.allTenants = allTenants;
  }

  /** The tenant's placement or quota decision may have changed: its shares are worked out again when next read (at first, every tenant is). */
  invalidate(tenant: string): void {
    if (this.started) this.stale.add(tenant);
  }

  /** How many tenants' shares were worked out: what keeping the loads has cost so far. */
  get recomputed(): number {
    return this.recounts;
  }

  /** What `cluster` carries, as of every invalidation so far. */
  of(cluster: string): Load {
    this.refresh();
    const total = this.totals.get(cluster);
    const allocated: ResourceList = {};
    for (const [resource, { sum }] of total?.allocated ?? []) allocated[resource] = sum;
    return { tenants: total?.tenants ?? 0, allocated };
  }

  private refresh(): void {
    if (!this.started) {
      this.started = true;
      for (const tenant of this.allTenants()) this.recount(tenant);
      return;
    }
    for (const tenant of this.stale) this.recount(tenant);
    this.stale.clear();
  }

  private recount(tenant: string): void {
    this.recounts++;
    for (const [cluster, share] of this.counted.get(tenant) ?? []) this.add(cluster, share, -1);
    const shares = this.sharesOf(tenant);
    if (shares) this.counted.set(tenant, shares);
    else this.counted.delete(tenant);
    for (const [cluster, share] of shares ?? []) this.add(cluster, share, 1);
  }

  private add(cluster: string, share: ResourceList, sign: 1 | -1): void {
    let total = this.totals.get(cluster);
    if (!total) this.totals.set(cluster, (total = { tenants: 0, allocated: new Map() }));
    total.tenants += sign;
    for (const [resource, amount] of Object.entries(share)) {
      const entry = total.allocated.get(resource) ?? { sum: 0n, count: 0 };
      entry.sum += sign === 1 ? amount : -amount;
      entry.count += sign;
      if (entry.count === 0) total.allocated.delete(resource);
      else total.allocated.set(resource, entry);
    }
    if (total.tenants === 0) this.totals.delete(cluster);
  }
}
