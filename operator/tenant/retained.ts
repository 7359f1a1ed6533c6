// A tenant deleted under deletionPolicy Retain leaves its namespaces behind,
// released, running and frozen at what they use. What they hold stays
// charged to the budget the tenant's quota came from: its parent's, or the
// capacity pool's for a top-level tenant, until they are deleted. Releasing
// marks each such namespace with that budget (RETAINED_FOR_ANNOTATION); the
// ledger sums, across every cluster yunshu reaches, what those namespaces'
// quotas hold, and the quota hierarchy and request verdicts count it as a
// holder beside the parent's children.
import type { KubeObject } from "../api/meta.ts";
import { RESOURCE_QUOTAS } from "../api/resources.ts";
import { sumAllocation } from "../quota/allocate.ts";
import type { BudgetHolder } from "../quota/hierarchy.ts";
import { childCache, type TenantCaches } from "./caches.ts";
import { TENANT_LABEL } from "./labels.ts";
import { heldByReleased, type QuotaFigures } from "./released-quota.ts";
import { RESOURCE_QUOTA_NAME } from "./resource-quota.ts";

/** On a namespace its deleted tenant left behind: the parent tenant charged with it, or "" for the capacity pool. */
export const RETAINED_FOR_ANNOTATION = "yunshu.io/retained-for";
/** Index name, on the namespace informers, of namespaces by the budget charged with them. */
export const BY_RETAINED_FOR = "retained-for";

export const retainedFor = (ns: KubeObject): string[] => {
  const budget = ns.metadata.annotations?.[RETAINED_FOR_ANNOTATION];
  return budget === undefined ? [] : [budget];
};

export interface RetainedLedger {
  /** One holder per deleted tenant whose namespaces are charged to `budget` (a parent's name, or "" for the pool). */
  under(budget: string): BudgetHolder[];
}

/** The ledger over the caches of every cluster (the hub's, and each member's that is connected). */
export function retainedLedger(clusters: () => Pick<TenantCaches, "namespaces" | "children">[]): RetainedLedger {
  return {
    under(budget) {
      const byTenant = new Map<string, BudgetHolder["declared"][]>();
      for (const caches of clusters()) {
        const quotas = childCache(caches as TenantCaches, RESOURCE_QUOTAS);
        for (const ns of caches.namespaces.byIndex(BY_RETAINED_FOR, budget)) {
          const tenant = ns.metadata.labels?.[TENANT_LABEL] ?? ns.metadata.name;
          const quota = quotas.get(RESOURCE_QUOTA_NAME, ns.metadata.name) as { spec?: QuotaFigures; status?: QuotaFigures } | undefined;
          const held = heldByReleased({ hard: quota?.spec?.hard, used: quota?.status?.used });
          byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), held]);
        }
      }
      // Held already: first in line, before any tenant asking for room.
      return [...byTenant].map(([tenant, held]) => {
        const total = sumAllocation(held);
        return { name: `${tenant} (deleted; its retained namespaces)`, created: "", declared: total, enforced: total };
      });
    },
  };
}

/** A ledger that knows of nothing retained: for tools that judge without the clusters' caches. */
export const NO_RETAINED: RetainedLedger = { under: () => [] };
