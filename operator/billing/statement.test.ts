import { describe, expect, it } from "vitest";
import { MonthError } from "./month.ts";
import { buildStatement, type StatementInput } from "./statement.ts";
import type { HourlySample, PriceSheetSpec, TenantRecord } from "./types.ts";

const at = (time: string) => Date.parse(time) / 1000;

/** A sample for every hour ending in (from, to]. */
function hourly(sample: Omit<HourlySample, "hourEnd">, from: string, to: string): HourlySample[] {
  const out: HourlySample[] = [];
  for (let end = at(from) + 3600; end <= at(to); end += 3600) out.push({ ...sample, hourEnd: end });
  return out;
}

const cpu = (tenant: string, cluster: string, allocated: number | undefined, from: string, to: string, extra: Partial<HourlySample> = {}) =>
  hourly({ tenant, cluster, namespace: `${tenant}-prod`, resource: "requests.cpu", ...(allocated !== undefined ? { allocated } : {}), ...extra }, from, to);

const NOV = "2026-11-01T00:00:00+08:00";
const NOV16 = "2026-11-16T00:00:00+08:00";
const DEC = "2026-12-01T00:00:00+08:00";

const sheet: PriceSheetSpec = {
  currency: "CNY",
  billedQuantity: "Allocated",
  rates: [
    { validFrom: "2026-01-01T00:00:00+08:00", prices: { "requests.cpu": "0.0800", "requests.memory": "0.0100", pods: "0.0005" } },
    { validFrom: NOV16, prices: { "requests.cpu": "0.0600" } },
    { validFrom: "2026-11-10T00:00:00+08:00", tier: "gold", prices: { "requests.cpu": "0.1000" } },
    { validFrom: "2026-01-01T00:00:00+08:00", cluster: "changde", prices: { "requests.cpu": "0.1200" } },
  ],
};

const records: TenantRecord[] = [
  { name: "hunan-gov", displayName: "湖南省人民政府" },
  { name: "changsha", displayName: "长沙市人民政府", parent: "hunan-gov" },
  { name: "changsha-yuelu", displayName: "岳麓区人民政府", parent: "changsha" },
  { name: "zhuzhou", displayName: "株洲市人民政府", parent: "hunan-gov" },
];

const statement = (samples: HourlySample[], more: Partial<StatementInput> = {}) =>
  buildStatement({ month: "2026-11", samples, sheet, tiers: new Map([["yueyang", "gold"], ["changde", "gold"], ["hunan", "standard"]]), tenants: records, rollup: false, ...more });

const summary = (s: ReturnType<typeof statement>) => s.tenants.flatMap((t) => t.lines.map((l) => [l.cluster, l.unitPrice, l.quantity, l.from, l.to, l.amountFen]));

describe("buildStatement", () => {
  it("splits a month at a price change: 360 h × 2 cores at 0.08, then at 0.06; the hours outside the month are not billed", () => {
    const s = statement([
      ...cpu("changsha", "hunan", 2, NOV, DEC),
      // October's last hour, and December's first.
      ...cpu("changsha", "hunan", 100, "2026-10-31T23:00:00+08:00", NOV),
      ...cpu("changsha", "hunan", 100, DEC, "2026-12-01T01:00:00+08:00"),
    ]);
    expect(s.tenants).toEqual([
      {
        tenant: "changsha",
        displayName: "长沙市人民政府",
        parent: "hunan-gov",
        lines: [
          { tenant: "changsha", cluster: "hunan", resource: "requests.cpu", unit: "核", quantity: "720.000000", unitPrice: "0.0800", from: NOV, to: NOV16, amountFen: 5760 },
          { tenant: "changsha", cluster: "hunan", resource: "requests.cpu", unit: "核", quantity: "720.000000", unitPrice: "0.0600", from: NOV16, to: DEC, amountFen: 4320 },
        ],
        totalFen: 10080,
      },
    ]);
    expect(s).toMatchObject({ month: "2026-11", currency: "CNY", billedQuantity: "Allocated", totalFen: 10080, unpriced: [] });
  });

  it("bills the quota held each hour when it is raised mid-month", () => {
    const s = statement([...cpu("changsha", "hunan", 2, NOV, "2026-11-10T12:00:00+08:00"), ...cpu("changsha", "hunan", 3, "2026-11-10T12:00:00+08:00", DEC)]);
    // 228 h × 2 + 132 h × 3 = 852 core-hours at 0.08 = 68.16; then 360 h × 3 = 1080 at 0.06 = 64.80.
    expect(summary(s)).toEqual([
      ["hunan", "0.0800", "852.000000", NOV, NOV16, 6816],
      ["hunan", "0.0600", "1080.000000", NOV16, DEC, 6480],
    ]);
  });

  it("prices a cluster's own rate over its tier's, and a tier's (from the 10th) over the default", () => {
    const s = statement(["changde", "hunan", "yueyang"].flatMap((c) => cpu("yueyang-gov", c, 1, NOV, DEC)));
    expect(summary(s)).toEqual([
      ["changde", "0.1200", "720.000000", NOV, DEC, 8640],
      ["hunan", "0.0800", "360.000000", NOV, NOV16, 2880],
      ["hunan", "0.0600", "360.000000", NOV16, DEC, 2160],
      ["yueyang", "0.0800", "216.000000", NOV, "2026-11-10T00:00:00+08:00", 1728],
      ["yueyang", "0.1000", "504.000000", "2026-11-10T00:00:00+08:00", DEC, 5040],
    ]);
    expect(s.totalFen).toBe(8640 + 2880 + 2160 + 1728 + 5040);
  });

  it("bills a tenant created mid-month for its hours only, its namespaces' memory summed and in GiB", () => {
    const created = "2026-11-20T08:00:00+08:00";
    const memory = (namespace: string, bytes: number) => hourly({ tenant: "zhuzhou", cluster: "hunan", namespace, resource: "requests.memory", allocated: bytes }, created, DEC);
    const s = statement([...memory("zhuzhou-prod", 3 * 2 ** 30), ...memory("zhuzhou-test", 2 ** 30)]);
    // 256 h × 4 GiB = 1024 GiB-hours at 0.01 = 10.24.
    expect(s.tenants[0]!.lines).toEqual([
      { tenant: "zhuzhou", cluster: "hunan", resource: "requests.memory", unit: "GiB", quantity: "1024.000000", unitPrice: "0.0100", from: created, to: DEC, amountFen: 1024 },
    ]);
  });

  it("bills the larger of quota and use, hour by hour and namespace by namespace, when the sheet says so", () => {
    const day = "2026-11-02T00:00:00+08:00";
    const samples = [
      ...cpu("xiangtan", "hunan", 2, day, "2026-11-02T14:00:00+08:00", { used: 1 }),
      ...cpu("xiangtan", "hunan", 2, "2026-11-02T14:00:00+08:00", "2026-11-03T00:00:00+08:00", { used: 2.5 }),
      // A namespace without quota, used for an hour; and an hour with neither number.
      { tenant: "xiangtan", cluster: "hunan", namespace: "xiangtan-dev", resource: "requests.cpu", hourEnd: at("2026-11-02T05:00:00+08:00"), used: 0.5 },
      { tenant: "xiangtan", cluster: "hunan", namespace: "xiangtan-dev", resource: "requests.cpu", hourEnd: at("2026-11-05T00:00:00+08:00") },
    ];
    // 14 h × 2 + 10 h × 2.5 + 0.5 = 53.5 core-hours at 0.08 = 4.28.
    expect(summary(statement(samples, { sheet: { ...sheet, billedQuantity: "LargerOfAllocatedAndUsed" } }))).toEqual([["hunan", "0.0800", "53.500000", day, "2026-11-03T00:00:00+08:00", 428]]);
    // The quota alone: 24 h × 2 = 48 at 0.08 = 3.84.
    expect(summary(statement(samples))).toEqual([["hunan", "0.0800", "48.000000", day, "2026-11-03T00:00:00+08:00", 384]]);
  });

  it("rounds each line once, half up: ten pod-hours at 0.0005 make half a fen, billed as one", () => {
    const pods = (cluster: string, to: string) => hourly({ tenant: "changsha", cluster, namespace: "changsha-prod", resource: "pods", allocated: 1 }, NOV, to);
    const s = statement([...pods("hunan", "2026-11-01T10:00:00+08:00"), ...pods("yueyang", "2026-11-01T09:00:00+08:00")]);
    expect(s.tenants[0]!.lines.map((l) => [l.cluster, l.unit, l.quantity, l.amountFen])).toEqual([
      ["hunan", "个", "10.000000", 1],
      ["yueyang", "个", "9.000000", 0],
    ]);
    const half = statement(cpu("changsha", "hunan", 1, NOV, "2026-11-01T01:00:00+08:00"), { sheet: { ...sheet, rates: [{ validFrom: NOV, prices: { "requests.cpu": "0.025" } }] } });
    expect(half.totalFen).toBe(3); // 2.5 fen, up rather than to even
  });

  it("names what no rate prices, and bills only the hours a rate covers", () => {
    const s = statement(
      [
        ...cpu("changsha", "hunan", 1, "2026-11-04T22:00:00+08:00", "2026-11-05T02:00:00+08:00"),
        ...hourly({ tenant: "changsha", cluster: "hunan", namespace: "changsha-ai", resource: "requests.nvidia.com/gpu", allocated: 2 }, NOV, DEC),
      ],
      { sheet: { ...sheet, rates: [{ validFrom: "2026-11-05T00:00:00+08:00", prices: { "requests.cpu": "0.08" } }] } },
    );
    expect(summary(s)).toEqual([["hunan", "0.08", "2.000000", "2026-11-05T00:00:00+08:00", "2026-11-05T02:00:00+08:00", 16]]);
    expect(s.unpriced).toEqual(["requests.cpu", "requests.nvidia.com/gpu"]);
  });

  describe("tenants and rollup", () => {
    const before = "2026-11-01T10:00:00+08:00";
    const samples = [
      ...cpu("hunan-gov", "hunan", 1, NOV, before), // 10 core-hours: 80 fen
      ...cpu("changsha-yuelu", "hunan", 2, NOV, before), // 160 fen
      ...cpu("zhuzhou", "hunan", 1, NOV, "2026-11-01T05:00:00+08:00"), // 40 fen
    ];
    const totals = (s: ReturnType<typeof statement>) => s.tenants.map((t) => [t.tenant, t.displayName, t.parent, t.lines.length, t.totalFen, t.rolledUpFen]);

    it("without rollup lists the tenants with lines, each with its own total", () => {
      const s = statement(samples);
      expect(totals(s)).toEqual([
        ["changsha-yuelu", "岳麓区人民政府", "changsha", 1, 160, undefined],
        ["hunan-gov", "湖南省人民政府", undefined, 1, 80, undefined],
        ["zhuzhou", "株洲市人民政府", "hunan-gov", 1, 40, undefined],
      ]);
      // Absent, not undefined: the statement is also written as JSON.
      expect(s.tenants.map((t) => Object.keys(t).sort().join())).toEqual(["displayName,lines,parent,tenant,totalFen", "displayName,lines,tenant,totalFen", "displayName,lines,parent,tenant,totalFen"]);
      expect(s.totalFen).toBe(280);
    });

    it("rolls a county into its city into the province, showing the city without lines of its own, and counts each fen once in the total", () => {
      const s = statement(samples, { rollup: true });
      expect(totals(s)).toEqual([
        ["changsha", "长沙市人民政府", "hunan-gov", 0, 0, 160],
        ["changsha-yuelu", "岳麓区人民政府", "changsha", 1, 160, 160],
        ["hunan-gov", "湖南省人民政府", undefined, 1, 80, 280],
        ["zhuzhou", "株洲市人民政府", "hunan-gov", 1, 40, 40],
      ]);
      expect(s.totalFen).toBe(280);
    });

    it("keeps only the tenant asked for, and with rollup what is beneath it", () => {
      expect(totals(statement(samples, { rollup: true, tenant: "changsha" }))).toEqual([
        ["changsha", "长沙市人民政府", "hunan-gov", 0, 0, 160],
        ["changsha-yuelu", "岳麓区人民政府", "changsha", 1, 160, 160],
      ]);
      expect(statement(samples, { rollup: true, tenant: "changsha" }).totalFen).toBe(160);
      expect(statement(samples, { tenant: "changsha" })).toMatchObject({ tenants: [], totalFen: 0 });
      expect(totals(statement(samples, { tenant: "hunan-gov" }))).toEqual([["hunan-gov", "湖南省人民政府", undefined, 1, 80, undefined]]);
      const province = statement(samples, { rollup: true, tenant: "hunan-gov" });
      expect([province.tenants.length, province.totalFen, province.tenants.find((t) => t.tenant === "hunan-gov")?.rolledUpFen]).toEqual([4, 280, 280]);
    });

    it("names a tenant it has no record of by its name, and survives a loop of parents", () => {
      const s = statement([...cpu("a", "hunan", 1, NOV, before), ...cpu("b", "hunan", 2, NOV, before), ...cpu("orphan", "hunan", 1, NOV, before)], {
        rollup: true,
        tenants: [
          { name: "a", displayName: "甲", parent: "b" },
          { name: "b", displayName: "乙", parent: "a" },
        ],
      });
      expect(totals(s)).toEqual([
        ["a", "甲", "b", 1, 80, 240],
        ["b", "乙", "a", 1, 160, 240],
        ["orphan", "orphan", undefined, 1, 80, 80],
      ]);
      expect(s.totalFen).toBe(320);
    });
  });

  it("runs a month from its first midnight in China Standard Time to the next month's", () => {
    const s = buildStatement({
      month: "2026-12",
      samples: cpu("changsha", "hunan", 1, "2026-11-30T23:00:00+08:00", "2027-01-01T01:00:00+08:00"),
      sheet,
      tiers: new Map(),
      tenants: records,
      rollup: false,
    });
    expect(summary(s)).toEqual([["hunan", "0.0600", "744.000000", DEC, "2027-01-01T00:00:00+08:00", 4464]]);
  });

  it("refuses a bad month, a value that is not a quantity, and a namespace metered twice in an hour", () => {
    expect(() => statement([], { month: "2026-13" })).toThrow(MonthError);
    expect(() => statement(cpu("changsha", "hunan", NaN, NOV, "2026-11-01T01:00:00+08:00"))).toThrow("metering says NaN of hunan/changsha-prod requests.cpu for the hour ending 2026-11-01T01:00:00+08:00");
    expect(() => statement([...cpu("changsha", "hunan", 1, NOV, "2026-11-01T01:00:00+08:00"), ...cpu("changsha", "hunan", 1, NOV, "2026-11-01T01:00:00+08:00")])).toThrow(
      "metering has two samples of hunan/changsha-prod requests.cpu for the hour ending 2026-11-01T01:00:00+08:00",
    );
  });
});
