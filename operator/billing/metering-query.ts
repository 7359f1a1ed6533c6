// A month of metering, read from Prometheus: each namespace's hourly
// allocated and used quantities, each cluster's tier, and who each tenant
// was, as yunshu exported them during the month (a tenant gone since is
// still rolled up into its parent).
//
// The hourly quantities are the metering rules' own expressions
// (charts/yunshu/files/metering-rules.yaml), evaluated at each clock hour's
// end. The recorded series would be cheaper to read, but Prometheus records
// them at an offset into the hour that differs between installs, so an
// hour's sample there straddles two clock hours: a quota raised at midnight,
// a price change at midnight, or the month's first hour would be billed by
// the minute the rule happened to run. Evaluated at the hour, every hour is
// the clock's, whoever asks and whenever the rules were installed.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { HourlySample, TenantRecord } from "./types.ts";
import { monthBounds } from "./month.ts";
import type { InstantSample, PrometheusApi, Series } from "./prometheus-api.ts";
import { repositoryPath } from "../repository.ts";

export const ALLOCATED_RECORD = "yunshu:namespace_allocated:avg1h";
export const USED_RECORD = "yunshu:namespace_used:avg1h";
const RULES_FILE = repositoryPath("charts", "yunshu", "files", "metering-rules.yaml");
/** The quota series the allocated rule reads; the statement asks it only for the resources it prices. */
const QUOTA_SELECTOR = 'yunshu_namespace_quota_hard{job="yunshu-operator"}';
const HOUR = 3600;
/** Hours per query: Prometheus refuses a query that touches too many samples (50 million by default). */
const HOURS_PER_QUERY = 24;

export interface MeteringRule {
  expr: string;
  labels: Record<string, string>;
}

export interface MeteredMonth {
  samples: HourlySample[];
  /** Cluster → tier. */
  tiers: Record<string, string>;
  tenants: TenantRecord[];
  /** Every resource a quota held during the month, priced or not. */
  resources: string[];
}

/** The rules recording `record`, from the metering rule file. */
export function meteringRules(record: string, file: URL | string = RULES_FILE): MeteringRule[] {
  const parsed = parse(readFileSync(file, "utf8")) as { groups: { rules: { record?: string; expr: string; labels?: Record<string, string> }[] }[] };
  const rules = parsed.groups.flatMap((g) => g.rules).filter((r) => r.record === record);
  if (rules.length === 0) throw new Error(`${String(file)} records no ${record}`);
  return rules.map((r) => ({ expr: r.expr, labels: r.labels ?? {} }));
}

/** The allocated rule, narrowed to the resources a statement prices (the quota names many more). */
export function allocatedExpr(rule: MeteringRule, resources: readonly string[]): string {
  if (!rule.expr.includes(QUOTA_SELECTOR)) throw new Error(`the allocated rule no longer reads ${QUOTA_SELECTOR}; update metering-query.ts with it`);
  const pattern = resources.map((r) => r.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&")).join("|");
  return rule.expr.replaceAll(QUOTA_SELECTOR, `yunshu_namespace_quota_hard{job="yunshu-operator", resource=~"${pattern}"}`);
}

const key = (m: Record<string, string>, t: number) => `${m.cluster}\u0000${m.tenant}\u0000${m.namespace}\u0000${m.resource}\u0000${t}`;

/** Allocated and used series, hour by hour, as one sample per namespace, resource and hour. */
export function hourlySamples(allocated: readonly Series[], used: readonly Series[]): HourlySample[] {
  const byKey = new Map<string, HourlySample>();
  const add = (series: readonly Series[], field: "allocated" | "used") => {
    for (const { metric, values } of series) {
      if (!metric.cluster || !metric.tenant || !metric.namespace || !metric.resource) continue;
      for (const [t, v] of values) {
        const value = Number(v);
        if (!Number.isFinite(value)) continue;
        const k = key(metric, t);
        const sample = byKey.get(k) ?? { cluster: metric.cluster, tenant: metric.tenant, namespace: metric.namespace, resource: metric.resource, hourEnd: t };
        sample[field] = value;
        byKey.set(k, sample);
      }
    }
  };
  add(allocated, "allocated");
  add(used, "used");
  return [...byKey.values()];
}

/** Each tenant's last record in the month: display name and parent. */
export function tenantRecords(info: readonly InstantSample[]): TenantRecord[] {
  const byName = new Map<string, TenantRecord>();
  for (const { metric } of info) {
    if (!metric.tenant) continue;
    byName.set(metric.tenant, { name: metric.tenant, displayName: metric.display_name || metric.tenant, ...(metric.parent ? { parent: metric.parent } : {}) });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** `expr` at every hour's end of [start, end], a day of hours per query, with the rule's own labels added. */
async function everyHour(prometheus: PrometheusApi, rule: { expr: string; labels: Record<string, string> }, start: number, end: number): Promise<Series[]> {
  const series: Series[] = [];
  for (let from = start + HOUR; from <= end; from += HOURS_PER_QUERY * HOUR) {
    const to = Math.min(end, from + (HOURS_PER_QUERY - 1) * HOUR);
    for (const s of await prometheus.queryRange(rule.expr, from, to, HOUR)) series.push({ metric: { ...s.metric, ...rule.labels }, values: s.values });
  }
  return series;
}

export async function readMeteredMonth(prometheus: PrometheusApi, month: string, pricedResources: readonly string[]): Promise<MeteredMonth> {
  const { start, end } = monthBounds(month);
  const [allocatedRule] = meteringRules(ALLOCATED_RECORD);
  const lookback = `${(end - start) / HOUR}h`;
  const [allocated, used, clusters, tenants, resources] = await Promise.all([
    pricedResources.length === 0 ? [] : everyHour(prometheus, { expr: allocatedExpr(allocatedRule!, pricedResources), labels: allocatedRule!.labels }, start, end),
    Promise.all(meteringRules(USED_RECORD).map((rule) => everyHour(prometheus, rule, start, end))).then((all) => all.flat()),
    prometheus.query(`max by (cluster, tier) (last_over_time(yunshu_cluster_info[${lookback}]))`, end),
    prometheus.query(`max by (tenant, display_name, parent) (last_over_time(yunshu_tenant_info[${lookback}]))`, end),
    prometheus.query(`count by (resource) (last_over_time(${QUOTA_SELECTOR}[${lookback}]))`, end),
  ]);
  const tiers = Object.fromEntries(clusters.filter((c) => c.metric.cluster && c.metric.tier).map((c) => [c.metric.cluster!, c.metric.tier!]));
  return {
    samples: hourlySamples(allocated, used),
    tiers,
    tenants: tenantRecords(tenants),
    resources: resources.map((r) => r.metric.resource).filter((r): r is string => r !== undefined).sort(),
  };
}
