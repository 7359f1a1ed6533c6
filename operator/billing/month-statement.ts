// A statement from a month's metering and a PriceSheet: the pricing itself
// (statement.ts), plus the resources the quotas held that no rate prices
// at all, which were never read hour by hour.
import type { MeteredMonth } from "./metering-query.ts";
import { buildStatement } from "./statement.ts";
import type { PriceSheetSpec, Statement } from "./types.ts";

/** Every resource some rate of the sheet prices. */
export function pricedResources(sheet: PriceSheetSpec): string[] {
  return [...new Set(sheet.rates.flatMap((r) => Object.keys(r.prices)))].sort();
}

export function monthStatement(metered: MeteredMonth, sheet: PriceSheetSpec, opts: { month: string; rollup: boolean; tenant?: string }): Statement {
  const statement = buildStatement({ ...opts, samples: metered.samples, sheet, tiers: new Map(Object.entries(metered.tiers)), tenants: metered.tenants });
  const priced = new Set(pricedResources(sheet));
  const neverPriced = metered.resources.filter((r) => !priced.has(r));
  return { ...statement, unpriced: [...new Set([...statement.unpriced, ...neverPriced])].sort() };
}
