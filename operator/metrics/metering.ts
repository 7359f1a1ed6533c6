// What chargeback meters (operator/billing/): for every tenant namespace on
// every cluster, the quota it holds (hard) and what its pods request
// (used), with the tenant and the cluster as labels, plus who each tenant
// is (its parent, for rolling counties up into cities) and each cluster's
// tier (which rate prices it). Prometheus keeps the history; the recording
// rules (charts/yunshu/files/metering-rules.yaml) turn these into hourly
// quantities. Released namespaces are included: their frozen quota stays
// charged to the tenant.
import { Gauge, type Registry } from "prom-client";
import type { Cluster } from "../api/generated.ts";
import { parseQuantity } from "../api/quantity.ts";
import { RESOURCE_QUOTAS } from "../api/resources.ts";
import { childCache, type TenantCaches } from "../tenant/caches.ts";
import { TENANT_LABEL } from "../tenant/labels.ts";
import type { QuotaObject } from "../tenant/quota-writes.ts";
import { RESOURCE_QUOTA_NAME } from "../tenant/resource-quota.ts";
import type { Tenant } from "../tenant/types.ts";

export interface MeteringSources {
  tenants: () => Iterable<Tenant>;
  /** Each cluster's caches, the hub's first; the members' once this replica leads. */
  clusterCaches?: () => Iterable<{ cluster: string; caches: Pick<TenantCaches, "children"> }>;
  clusters?: () => Iterable<Cluster>;
}

/** A quantity in its base unit (cores, bytes, a count) as a float; undefined for one that does not parse. */
function baseUnits(value: string | number): number | undefined {
  try {
    return Number(parseQuantity(value)) / 1000;
  } catch {
    return undefined;
  }
}

/** yunshu's quota in every tenant namespace of every cluster, with its tenant. */
function* tenantQuotas(sources: MeteringSources): Generator<{ cluster: string; tenant: string; namespace: string; quota: QuotaObject }> {
  for (const { cluster, caches } of sources.clusterCaches?.() ?? []) {
    for (const object of childCache(caches, RESOURCE_QUOTAS).list()) {
      const tenant = object.metadata.labels?.[TENANT_LABEL];
      if (object.metadata.name !== RESOURCE_QUOTA_NAME || !tenant || !object.metadata.namespace) continue;
      yield { cluster, tenant, namespace: object.metadata.namespace, quota: object as QuotaObject };
    }
  }
}

export function registerMeteringMetrics(registry: Registry, sources: MeteringSources): void {
  const registers = [registry];
  const LABELS = ["cluster", "tenant", "namespace", "resource"] as const;
  const quotaGauge = (name: string, help: string, field: "hard" | "used") =>
    new Gauge({
      name,
      help,
      labelNames: LABELS,
      registers,
      collect() {
        this.reset();
        for (const { cluster, tenant, namespace, quota } of tenantQuotas(sources)) {
          const list = field === "hard" ? quota.spec?.hard : quota.status?.used;
          for (const [resource, value] of Object.entries(list ?? {})) {
            const amount = baseUnits(value);
            if (amount !== undefined) this.set({ cluster, tenant, namespace, resource }, amount);
          }
        }
      },
    });
  quotaGauge("yunshu_namespace_quota_hard", "What a tenant namespace holds: its ResourceQuota's hard limit, in base units (cores, bytes, a count). Chargeback bills it.", "hard");
  quotaGauge("yunshu_namespace_quota_used", "What a tenant namespace's pods request and hold: its ResourceQuota's used, in base units.", "used");
  new Gauge({
    name: "yunshu_namespace_info",
    help: "Always 1: which tenant a namespace on a cluster belongs to, for joining usage metrics (cAdvisor) to tenants.",
    labelNames: ["cluster", "tenant", "namespace"],
    registers,
    collect() {
      this.reset();
      for (const { cluster, tenant, namespace } of tenantQuotas(sources)) this.set({ cluster, tenant, namespace }, 1);
    },
  });
  new Gauge({
    name: "yunshu_tenant_info",
    help: "Always 1: a tenant's display name, level and parent (empty at the top), so that a month's statement rolls counties up into cities even for tenants gone since.",
    labelNames: ["tenant", "display_name", "level", "parent"],
    registers,
    collect() {
      this.reset();
      for (const t of sources.tenants()) this.set({ tenant: t.metadata.name, display_name: t.spec.displayName, level: t.spec.level, parent: t.spec.parent ?? "" }, 1);
    },
  });
  new Gauge({
    name: "yunshu_cluster_info",
    help: "Always 1: a registered cluster's tier and region, which decide the rate that prices it.",
    labelNames: ["cluster", "tier", "region"],
    registers,
    collect() {
      this.reset();
      for (const c of sources.clusters?.() ?? []) this.set({ cluster: c.metadata.name, tier: c.spec.tier ?? "", region: c.spec.region ?? "" }, 1);
    },
  });
}
