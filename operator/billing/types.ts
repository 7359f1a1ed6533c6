// Showback and chargeback (购买服务): what each department held and used on
// each cluster, hour by hour, priced by the platform's PriceSheet. These
// are the shapes the parts share: the metering read from Prometheus
// (metering-query.ts), the pricing (price-sheet.ts), the statement
// (statement.ts) and its outputs (statement-csv.ts, statement-table.ts).

/** Which quantity a PriceSheet bills: the quota held, or the larger of that and what was used. */
export type BilledQuantity = "Allocated" | "LargerOfAllocatedAndUsed";

/**
 * Prices in yuan per unit-hour (a decimal string such as "0.0800"), by
 * resource name, from `validFrom` on, for one cluster, a tier of clusters,
 * or (neither, or both empty as the CRD defaults them) all.
 */
export interface Rate {
  /** RFC 3339 with offset, such as 2026-11-16T00:00:00+08:00. */
  validFrom: string;
  cluster?: string;
  tier?: string;
  prices: Record<string, string>;
}

export interface PriceSheetSpec {
  currency: "CNY";
  billedQuantity: BilledQuantity;
  rates: Rate[];
}

/**
 * What one namespace held and used of one resource during one hour, in the
 * resource's base unit (cores for CPU, bytes for memory and storage, a count
 * otherwise): the hourly recorded series yunshu:namespace_allocated:avg1h
 * and yunshu:namespace_used:avg1h, read at the hour's end.
 */
export interface HourlySample {
  cluster: string;
  tenant: string;
  namespace: string;
  resource: string;
  /** The hour's end, epoch seconds; the hour is (end − 3600, end]. */
  hourEnd: number;
  allocated?: number;
  used?: number;
}

/** A tenant as the month's metering last saw it (yunshu_tenant_info). */
export interface TenantRecord {
  name: string;
  displayName: string;
  parent?: string;
}

/** How a resource is billed: its unit (核, GiB, 个) and how many base units make one. */
export interface BillingUnit {
  /** Shown in statements: 核 (core), GiB, 个 (each). */
  unit: string;
  /** Base units per billing unit: 1 for cores and counts, 2^30 for bytes → GiB. */
  divisor: number;
}

/**
 * One line of a statement: a tenant's use of one resource on one cluster at
 * one unit price (a price change mid-month splits the month into lines).
 */
export interface StatementLine {
  tenant: string;
  cluster: string;
  resource: string;
  unit: string;
  /** Unit-hours, as a decimal string with 6 places, e.g. "1440.000000" core-hours. */
  quantity: string;
  /** Yuan per unit-hour, as the PriceSheet says it, e.g. "0.0800". */
  unitPrice: string;
  /** When this price applied in the month: [from, to), RFC 3339 in +08:00. */
  from: string;
  to: string;
  /** The amount in fen (分), rounded half up from the exact product. */
  amountFen: number;
}

export interface TenantStatement {
  tenant: string;
  displayName: string;
  parent?: string;
  lines: StatementLine[];
  /** Sum of this tenant's own lines, in fen. */
  totalFen: number;
  /** With --rollup: its own total plus every descendant's, in fen. */
  rolledUpFen?: number;
}

export interface Statement {
  /** The month, YYYY-MM, in China Standard Time (+08:00). */
  month: string;
  currency: "CNY";
  billedQuantity: BilledQuantity;
  tenants: TenantStatement[];
  totalFen: number;
  /** Resources metered but priced by no rate: named here, billed nothing. */
  unpriced: string[];
}
