// Which price applies to a resource on a cluster at an hour, and what is
// wrong with a PriceSheet read from a file (the CRD checks much of this at
// admission; a file has no admission). Pure.
import { priceMicro } from "./decimal.ts";
import type { PriceSheetSpec, Rate } from "./types.ts";

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * Epoch seconds of an RFC 3339 time with an offset, or undefined. Date.parse
 * alone would take a time without offset as the machine's local time, and
 * 2026-02-30 as March 2nd.
 */
function rfc3339Seconds(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  type Fields = [number, number, number, number, number, number, number, number];
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match.slice(1, 9).map((n) => Number(n ?? 0)) as Fields;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return Date.parse(text) / 1000;
}

/** How specifically a rate picks this cluster (2 by name, 1 by tier, 0 all), or undefined when it does not. */
function specificity(rate: Rate, cluster: string, tier: string | undefined): number | undefined {
  if (rate.cluster && rate.cluster !== cluster) return undefined;
  if (rate.tier && rate.tier !== tier) return undefined;
  return rate.cluster ? 2 : rate.tier ? 1 : 0;
}

/**
 * The price of `resource` on `cluster` (of `tier`) at `at` (epoch seconds):
 * of the rates in force then that price the resource and select the
 * cluster, the most specific (cluster, then tier, then all), and of those the
 * latest. A rate that does not name the resource leaves it to the others.
 */
export function priceFor(spec: PriceSheetSpec, cluster: string, tier: string | undefined, resource: string, at: number): { price: string; validFrom: string } | undefined {
  let best: { price: string; validFrom: string; rank: number; from: number } | undefined;
  for (const rate of spec.rates) {
    if (!Object.hasOwn(rate.prices, resource)) continue;
    const from = rfc3339Seconds(rate.validFrom);
    const rank = specificity(rate, cluster, tier);
    if (from === undefined || from > at || rank === undefined) continue;
    if (!best || rank > best.rank || (rank === best.rank && from > best.from)) best = { price: rate.prices[resource]!, validFrom: rate.validFrom, rank, from };
  }
  return best && { price: best.price, validFrom: best.validFrom };
}

const describeClusters = (r: Rate) => (r.cluster ? `cluster "${r.cluster}"` : r.tier ? `tier "${r.tier}"` : "all clusters");

/** What is wrong with a sheet, one sentence a problem; empty when nothing is. */
export function validatePriceSheet(spec: PriceSheetSpec): string[] {
  const problems: string[] = [];
  if (spec.currency !== "CNY") problems.push(`currency is "${String(spec.currency)}"; yunshu bills in CNY`);
  if (spec.billedQuantity !== "Allocated" && spec.billedQuantity !== "LargerOfAllocatedAndUsed") {
    problems.push(`billedQuantity is "${String(spec.billedQuantity)}"; it must be Allocated or LargerOfAllocatedAndUsed`);
  }
  const first = new Map<string, number>();
  spec.rates.forEach((rate, i) => {
    const from = rfc3339Seconds(rate.validFrom);
    if (from === undefined) problems.push(`rates[${i}].validFrom "${rate.validFrom}" is not an RFC 3339 time with an offset, such as 2026-11-16T00:00:00+08:00`);
    const { cluster, tier } = rate;
    if (cluster && tier) problems.push(`rates[${i}] names both cluster "${cluster}" and tier "${tier}"; a rate is for one cluster, one tier, or (neither) all clusters`);
    for (const [resource, price] of Object.entries(rate.prices)) {
      // YAML reads an unquoted 0.0800 as the number 0.08, which loses the price as written.
      if (typeof price !== "string") problems.push(`rates[${i}].prices["${resource}"] is ${String(price)}, not a string; quote it, as in "0.0800"`);
      else {
        try {
          priceMicro(price);
        } catch (e) {
          problems.push(`rates[${i}].prices["${resource}"]: ${(e as Error).message}`);
        }
      }
    }
    if (from === undefined) return;
    // Same instant however written: 2026-11-16T00:00:00+08:00 is 2026-11-15T16:00:00Z.
    const key = JSON.stringify([cluster || "", tier || "", from]);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else problems.push(`rates[${earlier}] and rates[${i}] both price ${describeClusters(rate)} from ${rate.validFrom}; which applies would be arbitrary`);
  });
  return problems;
}
