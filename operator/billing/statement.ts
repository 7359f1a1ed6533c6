// A month's statement: the hourly metering priced by the PriceSheet, one
// line per tenant, cluster, resource and price in force, with totals per
// tenant and, for --rollup, per tenant with everything beneath it. Pure.
import { fenHalfUp, formatMicro, microUnits, priceMicro } from "./decimal.ts";
import { chinaTime, monthBounds } from "./month.ts";
import { priceFor } from "./price-sheet.ts";
import type { BilledQuantity, HourlySample, PriceSheetSpec, Statement, StatementLine, TenantRecord, TenantStatement } from "./types.ts";
import { billingUnit } from "./units.ts";

const HOUR = 3600;

export interface StatementInput {
  /** YYYY-MM, in China Standard Time. */
  month: string;
  samples: readonly HourlySample[];
  sheet: PriceSheetSpec;
  /** Cluster → tier, for rates that select a tier. */
  tiers: ReadonlyMap<string, string>;
  tenants: readonly TenantRecord[];
  rollup: boolean;
  /** Only this tenant (with rollup, and everything beneath it). */
  tenant?: string;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What the sheet bills of a sample, in base units; undefined when metering has no number for it. */
function billed(sample: HourlySample, how: BilledQuantity): number | undefined {
  if (how === "Allocated" || sample.used === undefined) return sample.allocated;
  return Math.max(sample.allocated ?? 0, sample.used);
}

/** A tenant, its parent, its parent's parent, …: up to `top` when given, and never round a loop twice. */
function lineage(name: string, parents: ReadonlyMap<string, string | undefined>, top?: string): string[] {
  const line: string[] = [];
  for (let at: string | undefined = name; at !== undefined && !line.includes(at); at = parents.get(at)) {
    line.push(at);
    if (at === top) break;
  }
  return line;
}

interface Hours {
  tenant: string;
  cluster: string;
  resource: string;
  /** hourEnd → the billed quantity of each of the tenant's namespaces, in base units. */
  values: Map<number, number[]>;
}

export function buildStatement(input: StatementInput): Statement {
  const { start, end } = monthBounds(input.month);
  const { sheet, tenant: only, rollup } = input;
  const parents = new Map(input.tenants.map((t) => [t.name, t.parent]));
  const kept = (tenant: string) => only === undefined || (rollup ? lineage(tenant, parents).includes(only) : tenant === only);

  const groups = new Map<string, Hours>();
  const seen = new Set<string>();
  for (const sample of input.samples) {
    if (sample.hourEnd <= start || sample.hourEnd > end || !kept(sample.tenant)) continue;
    const value = billed(sample, sheet.billedQuantity);
    if (value === undefined) continue;
    const where = () => `${sample.cluster}/${sample.namespace} ${sample.resource} for the hour ending ${chinaTime(sample.hourEnd)}`;
    if (!(value >= 0 && Number.isFinite(value))) throw new Error(`metering says ${value} of ${where()}`);
    const id = JSON.stringify([sample.cluster, sample.namespace, sample.resource, sample.hourEnd]);
    // Two series for one namespace and hour would bill it twice.
    if (seen.has(id)) throw new Error(`metering has two samples of ${where()}`);
    seen.add(id);
    const key = JSON.stringify([sample.tenant, sample.cluster, sample.resource]);
    const group = groups.get(key) ?? { tenant: sample.tenant, cluster: sample.cluster, resource: sample.resource, values: new Map() };
    groups.set(key, group);
    group.values.set(sample.hourEnd, [...(group.values.get(sample.hourEnd) ?? []), value]);
  }

  // The price depends on the cluster, the resource and the hour, not on the tenant.
  const prices = new Map<string, ReturnType<typeof priceFor>>();
  const priceAt = (cluster: string, resource: string, at: number) => {
    const key = JSON.stringify([cluster, resource, at]);
    if (!prices.has(key)) prices.set(key, priceFor(sheet, cluster, input.tiers.get(cluster), resource, at));
    return prices.get(key);
  };

  const lines = new Map<string, StatementLine[]>();
  const unpriced = new Set<string>();
  for (const { tenant, cluster, resource, values } of groups.values()) {
    const { unit, divisor } = billingUnit(resource);
    const runs = new Map<string, { price: string; from: number; to: number; micro: bigint }>();
    for (const hourEnd of [...values.keys()].sort((a, b) => a - b)) {
      const price = priceAt(cluster, resource, hourEnd - HOUR);
      if (!price) {
        unpriced.add(resource);
        continue;
      }
      const key = JSON.stringify([price.price, price.validFrom]);
      const run = runs.get(key) ?? { price: price.price, from: hourEnd - HOUR, to: hourEnd, micro: 0n };
      runs.set(key, run);
      run.to = hourEnd;
      run.micro += microUnits(values.get(hourEnd)!, divisor);
    }
    const own = lines.get(tenant) ?? [];
    lines.set(tenant, own);
    for (const run of runs.values()) {
      own.push({
        tenant,
        cluster,
        resource,
        unit,
        quantity: formatMicro(run.micro),
        unitPrice: run.price,
        from: chinaTime(run.from),
        to: chinaTime(run.to),
        // Once per line, on the exact sum: rounding each hour would lose up to half a fen an hour.
        amountFen: Number(fenHalfUp(run.micro * priceMicro(run.price))),
      });
    }
  }

  const owns = new Map<string, number>();
  for (const [tenant, own] of lines) if (own.length > 0) owns.set(tenant, own.reduce((sum, l) => sum + l.amountFen, 0));
  const rolled = new Map<string, number>();
  if (rollup) for (const [tenant, fen] of owns) for (const above of lineage(tenant, parents, only)) rolled.set(above, (rolled.get(above) ?? 0) + fen);

  const records = new Map(input.tenants.map((t) => [t.name, t]));
  const tenants: TenantStatement[] = [...(rollup ? rolled : owns).keys()].sort(byText).map((name) => {
    const record = records.get(name);
    return {
      tenant: name,
      displayName: record?.displayName || name,
      ...(record?.parent ? { parent: record.parent } : {}),
      lines: (lines.get(name) ?? []).sort((a, b) => byText(a.cluster, b.cluster) || byText(a.resource, b.resource) || byText(a.from, b.from)),
      totalFen: owns.get(name) ?? 0,
      ...(rollup ? { rolledUpFen: rolled.get(name)! } : {}),
    };
  });

  return {
    month: input.month,
    currency: sheet.currency,
    billedQuantity: sheet.billedQuantity,
    tenants,
    totalFen: tenants.reduce((sum, t) => sum + t.totalFen, 0),
    unpriced: [...unpriced].sort(byText),
  };
}
