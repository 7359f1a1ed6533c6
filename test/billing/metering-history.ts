// A month of what yunshu would have exported, as OpenMetrics text that
// promtool turns into TSDB blocks: for each namespace a step function of
// its quota over time, scraped every 15 minutes (at :05, :20, :35, :50),
// with the operator's `up`, except while the operator was down, when
// nothing at all was scraped.

export interface QuotaStep {
  /** From this instant (epoch seconds) on, the namespace holds `value`. */
  from: number;
  value: number;
}

export interface NamespaceHistory {
  cluster: string;
  tenant: string;
  namespace: string;
  resource: string;
  /** Ascending; before the first step the namespace does not exist. */
  steps: QuotaStep[];
  /** The namespace is gone from this instant on (the tenant deleted), if ever. */
  until?: number;
}

export interface MeteringHistory {
  start: number;
  end: number;
  namespaces: NamespaceHistory[];
  tenants: { tenant: string; displayName: string; level: string; parent: string }[];
  clusters: { cluster: string; tier: string; region: string }[];
  /** While the operator was down: [from, to) epoch seconds. */
  outages: [number, number][];
}

const SCRAPE_OFFSETS = [300, 1200, 2100, 3000];
const JOB = { job: "yunshu-operator", instance: "yunshu-operator:8080" };

const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (l: Record<string, string>) => `{${Object.entries({ ...JOB, ...l }).map(([k, v]) => `${k}="${escape(v)}"`).join(",")}}`;

function scrapeTimes(history: MeteringHistory): number[] {
  const times: number[] = [];
  for (let hour = history.start; hour < history.end; hour += 3600) {
    for (const offset of SCRAPE_OFFSETS) {
      const t = hour + offset;
      if (!history.outages.some(([from, to]) => t >= from && t < to)) times.push(t);
    }
  }
  return times;
}

export function valueAt(ns: NamespaceHistory, t: number): number | undefined {
  if (ns.until !== undefined && t >= ns.until) return undefined;
  let value: number | undefined;
  for (const step of ns.steps) if (step.from <= t) value = step.value;
  return value;
}

export function meteringOpenMetrics(history: MeteringHistory): string {
  const times = scrapeTimes(history);
  const out: string[] = [];
  const family = (name: string, series: { labels: Record<string, string>; at: (t: number) => number | undefined }[]) => {
    out.push(`# TYPE ${name} gauge`);
    for (const s of series) {
      const text = labels(s.labels);
      for (const t of times) {
        const v = s.at(t);
        if (v !== undefined) out.push(`${name}${text} ${v} ${t}`);
      }
    }
  };
  family("up", [{ labels: {}, at: () => 1 }]);
  family(
    "yunshu_namespace_quota_hard",
    history.namespaces.map((ns) => ({ labels: { cluster: ns.cluster, tenant: ns.tenant, namespace: ns.namespace, resource: ns.resource }, at: (t: number) => valueAt(ns, t) })),
  );
  const namespaces = new Map(history.namespaces.map((ns) => [`${ns.cluster}/${ns.namespace}`, ns]));
  family(
    "yunshu_namespace_info",
    [...namespaces.values()].map((ns) => ({ labels: { cluster: ns.cluster, tenant: ns.tenant, namespace: ns.namespace }, at: (t: number) => (valueAt(ns, t) === undefined ? undefined : 1) })),
  );
  family(
    "yunshu_tenant_info",
    history.tenants.map((t) => ({ labels: { tenant: t.tenant, display_name: t.displayName, level: t.level, parent: t.parent }, at: () => 1 })),
  );
  family(
    "yunshu_cluster_info",
    history.clusters.map((c) => ({ labels: { cluster: c.cluster, tier: c.tier, region: c.region }, at: () => 1 })),
  );
  out.push("# EOF");
  return out.join("\n") + "\n";
}
