// What chargeback meters (operator/billing/): for every tenant namespace on
// every cluster, the quota it holds (hard) and what its pods request
// (used), with the tenant and the cluster as labels, plus who each tenant
// is (its parent, for rolling counties up into cities) and each cluster's
// tier (which rate prices it). Prometheus keeps the history; the recording
// rules (charts/yunshu/files/metering-rules.yaml) turn these into hourly
// quantities. Released namespaces are included: their frozen quota stays
// charged to the tenant.
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

/** A label value as the exposition format needs it quoted. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

type Sample = [labels: Record<string, string>, value: number];

/** Writes one metric family: its HELP and TYPE lines, then one line per sample. */
function writeFamily(out: string[], name: string, help: string, samples: Iterable<Sample>): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
  for (const [labels, value] of samples) {
    const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
    out.push(`${name}{${pairs.join(",")}} ${value}`);
  }
}

function* quotaSamples(sources: MeteringSources, field: "hard" | "used"): Generator<Sample> {
  for (const { cluster, tenant, namespace, quota } of tenantQuotas(sources)) {
    const list = field === "hard" ? quota.spec?.hard : quota.status?.used;
    for (const [resource, value] of Object.entries(list ?? {})) {
      const amount = baseUnits(value);
      if (amount !== undefined) yield [{ cluster, tenant, namespace, resource }, amount];
    }
  }
}

function* namespaceSamples(sources: MeteringSources): Generator<Sample> {
  for (const { cluster, tenant, namespace } of tenantQuotas(sources)) yield [{ cluster, tenant, namespace }, 1];
}

function* tenantSamples(sources: MeteringSources): Generator<Sample> {
  for (const t of sources.tenants()) yield [{ tenant: t.metadata.name, display_name: t.spec.displayName, level: t.spec.level, parent: t.spec.parent ?? "" }, 1];
}

function* clusterSamples(sources: MeteringSources): Generator<Sample> {
  for (const c of sources.clusters?.() ?? []) yield [{ cluster: c.metadata.name, tier: c.spec.tier ?? "", region: c.spec.region ?? "" }, 1];
}

/**
 * The metering series, in Prometheus' text format, written from the caches
 * at each scrape. They are served apart from /metrics (/metrics/metering),
 * scraped less often, and never held between scrapes: at 6,000 namespaces
 * they are tens of thousands of series, which prom-client's gauges kept in
 * memory and rebuilt at every scrape of the operator's own health metrics.
 */
export function meteringText(sources: MeteringSources): string {
  const out: string[] = [];
  writeFamily(out, "yunshu_namespace_quota_hard", "What a tenant namespace holds: its ResourceQuota's hard limit, in base units (cores, bytes, a count). Chargeback bills it.", quotaSamples(sources, "hard"));
  writeFamily(out, "yunshu_namespace_quota_used", "What a tenant namespace's pods request and hold: its ResourceQuota's used, in base units.", quotaSamples(sources, "used"));
  writeFamily(out, "yunshu_namespace_info", "Always 1: which tenant a namespace on a cluster belongs to, for joining usage metrics (cAdvisor) to tenants.", namespaceSamples(sources));
  writeFamily(
    out,
    "yunshu_tenant_info",
    "Always 1: a tenant's display name, level and parent (empty at the top), so that a month's statement rolls counties up into cities even for tenants gone since.",
    tenantSamples(sources),
  );
  writeFamily(out, "yunshu_cluster_info", "Always 1: a registered cluster's tier and region, which decide the rate that prices it.", clusterSamples(sources));
  return out.join("\n") + "\n";
}
