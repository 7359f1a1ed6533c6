// A tenant deleted under deletionPolicy Retain leaves its namespaces behind,
// released, running and frozen at what they use. What they hold stays
// charged to the budget the tenant's quota came from: its parent's, or the
// capacity pool's for a top-level tenant, until they are deleted. Releasing
// marks each such namespace with that budget (labels.ts's RETAINED_FOR_ANNOTATION); the
// ledger sums, across every cluster yunshu reaches, what those namespaces'
// quotas hold, and the quota hierarchy and request verdicts count it as a
// holder beside the parent's children.
import type { ResourceList } from "../api/quantity.ts";
import { sumAllocation } from "../quota/allocate.ts";
import type { BudgetHolder } from "../quota/hierarchy.ts";
import { BY_RETAINED, BY_RETAINED_FOR, cachedTenantQuota, retainedFor, type TenantCaches } from "./caches.ts";
import { TENANT_LABEL } from "./labels.ts";
import { heldByReleased } from "./released-quota.ts";

export interface RetainedLedger {
  /** One holder per deleted tenant whose namespaces are charged to `budget` (a parent's name, or "" for the pool). */
  under(budget: string): BudgetHolder[];
  /** What retained namespaces hold on `cluster`: those charged to `budget`, or all of them. */
  heldOn(cluster: string, budget?: string): ResourceList;
}

/** One cluster's caches, by the Cluster's name. */
export interface ClusterCachesOf {
  cluster: string;
  caches: Pick<TenantCaches, "namespaces" | "children">;
}

interface Retained {
  tenant: string;
  budget: string;
  held: ResourceList;
}

/** The ledger over the caches of every cluster (the hub's, and each member's that is connected). */
export function retainedLedger(clusters: () => ClusterCachesOf[]): RetainedLedger {
  /** Retained namespaces charged to `budget` (all of them when undefined), on cluster `on` (every cluster when undefined). */
  const retained = (budget?: string, on?: string): Retained[] =>
    clusters()
      .filter(({ cluster }) => on === undefined || cluster === on)
      .flatMap(({ caches }) => {
        const namespaces = budget === undefined ? caches.namespaces.byIndex(BY_RETAINED, BY_RETAINED) : caches.namespaces.byIndex(BY_RETAINED_FOR, budget);
        return namespaces.map((ns) => {
          const quota = cachedTenantQuota(caches, ns.metadata.name);
          return {
            tenant: ns.metadata.labels?.[TENANT_LABEL] ?? ns.metadata.name,
            budget: retainedFor(ns)[0]!,
            held: heldByReleased({ hard: quota?.spec?.hard, used: quota?.status?.used, enforced: quota?.status?.hard }),
          };
        });
      });
  return {
    under(budget) {
      const byTenant = new Map<string, ResourceList[]>();
      for (const r of retained(budget)) byTenant.set(r.tenant, [...(byTenant.get(r.tenant) ?? []), r.held]);
      // Held already: first in line, before any tenant asking for room.
      return [...byTenant].map(([tenant, held]) => {
        const total = sumAllocation(held);
        return { name: `${tenant} (deleted; its retained namespaces)`, created: "", declared: total, enforced: total };
      });
    },
    heldOn(cluster, budget) {
      return sumAllocation(retained(budget, cluster).map((r) => r.held));
    },
  };
}

/** A ledger that knows of nothing retained: for tools that judge without the clusters' caches. */
export const NO_RETAINED: RetainedLedger = { under: () => [], heldOn: () => ({}) };
