import { describe, expect, it } from "vitest";
import { parseStatementCsv, statementCsv } from "./statement-csv.ts";
import type { Statement, StatementLine } from "./types.ts";

const line = (tenant: string, more: Partial<StatementLine>): StatementLine => ({
  tenant,
  cluster: "hunan",
  resource: "requests.cpu",
  unit: "核",
  quantity: "720.000000",
  unitPrice: "0.0800",
  from: "2026-11-01T00:00:00+08:00",
  to: "2026-11-16T00:00:00+08:00",
  amountFen: 5760,
  ...more,
});

const statement: Statement = {
  month: "2026-11",
  currency: "CNY",
  billedQuantity: "Allocated",
  tenants: [
    { tenant: "changsha", displayName: "长沙市人民政府", parent: "hunan-gov", lines: [], totalFen: 0, rolledUpFen: 6785 },
    {
      tenant: "changsha-yuelu",
      displayName: '岳麓区"数字政府",办公室',
      parent: "changsha",
      lines: [
        line("changsha-yuelu", {}),
        line("changsha-yuelu", { resource: "requests.memory", unit: "GiB", quantity: "1024.500000", unitPrice: "0.0100", to: "2026-12-01T00:00:00+08:00", amountFen: 1025 }),
      ],
      totalFen: 6785,
      rolledUpFen: 6785,
    },
    { tenant: "hunan-gov", displayName: "=HYPERLINK(\"http://x\")", lines: [line("hunan-gov", { quantity: "0.625000", amountFen: 5 })], totalFen: 5, rolledUpFen: 6790 },
  ],
  totalFen: 6790,
  unpriced: [],
};

describe("statementCsv", () => {
  const csv = statementCsv(statement);

  it("starts with a BOM and ends every row with CRLF, so that Excel and WPS read UTF-8", () => {
    expect(csv.startsWith("\uFEFF月份,部门,租户,")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
  });

  it("writes the Chinese header, the lines, each tenant's subtotal and total with descendants, and the total", () => {
    expect(csv.slice(1).split("\r\n")).toEqual([
      "月份,部门,租户,上级租户,集群,资源,单位,数量,单价（元/单位·小时）,金额（元）,计费起,计费止",
      "2026-11,长沙市人民政府,changsha,hunan-gov,,小计,,,,0.00,,",
      "2026-11,长沙市人民政府,changsha,hunan-gov,,含下级合计,,,,67.85,,",
      '2026-11,"岳麓区""数字政府"",办公室",changsha-yuelu,changsha,hunan,requests.cpu,核,720.000000,0.0800,57.60,2026-11-01T00:00:00+08:00,2026-11-16T00:00:00+08:00',
      '2026-11,"岳麓区""数字政府"",办公室",changsha-yuelu,changsha,hunan,requests.memory,GiB,1024.500000,0.0100,10.25,2026-11-01T00:00:00+08:00,2026-12-01T00:00:00+08:00',
      '2026-11,"岳麓区""数字政府"",办公室",changsha-yuelu,changsha,,小计,,,,67.85,,',
      '2026-11,"岳麓区""数字政府"",办公室",changsha-yuelu,changsha,,含下级合计,,,,67.85,,',
      '2026-11,"\'=HYPERLINK(""http://x"")",hunan-gov,,hunan,requests.cpu,核,0.625000,0.0800,0.05,2026-11-01T00:00:00+08:00,2026-11-16T00:00:00+08:00',
      "2026-11,\"'=HYPERLINK(\"\"http://x\"\")\",hunan-gov,,,小计,,,,0.05,,",
      "2026-11,\"'=HYPERLINK(\"\"http://x\"\")\",hunan-gov,,,含下级合计,,,,67.90,,",
      "2026-11,,,,,合计,,,,67.90,,",
      "",
    ]);
  });

  it("has no rows with descendants without rollup", () => {
    const plain = { ...statement, tenants: statement.tenants.map(({ rolledUpFen: _, ...t }) => t) };
    expect(statementCsv(plain)).not.toContain("含下级合计");
  });

  it("reads back with the same fields, and its amounts add up to the total", () => {
    const { header, rows } = parseStatementCsv(csv);
    expect(header).toEqual(["月份", "部门", "租户", "上级租户", "集群", "资源", "单位", "数量", "单价（元/单位·小时）", "金额（元）", "计费起", "计费止"]);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    const lines = rows.filter((r) => r[4] !== "");
    expect(lines.map((r) => [r[1], r[2], r[5], r[7], r[9]])).toEqual([
      ['岳麓区"数字政府",办公室', "changsha-yuelu", "requests.cpu", "720.000000", "57.60"],
      ['岳麓区"数字政府",办公室', "changsha-yuelu", "requests.memory", "1024.500000", "10.25"],
      ["'=HYPERLINK(\"http://x\")", "hunan-gov", "requests.cpu", "0.625000", "0.05"],
    ]);
    const fen = (yuan: string) => Number(yuan.replace(".", ""));
    expect(lines.map((r) => fen(r[9]!))).toEqual(statement.tenants.flatMap((t) => t.lines.map((l) => l.amountFen)));
    const sum = lines.reduce((s, r) => s + fen(r[9]!), 0);
    expect(sum).toBe(statement.totalFen);
    expect(fen(rows.at(-1)![9]!)).toBe(sum);
    expect(rows.filter((r) => r[5] === "小计").reduce((s, r) => s + fen(r[9]!), 0)).toBe(sum);
  });
});

describe("parseStatementCsv", () => {
  it("reads quoted commas, quotes and line breaks, and LF line ends", () => {
    expect(parseStatementCsv('a,b\n"x,1","say ""hi""\r\nnext",\n')).toEqual({ header: ["a", "b"], rows: [["x,1", 'say "hi"\r\nnext', ""]] });
    expect(parseStatementCsv("a\r\nlast")).toEqual({ header: ["a"], rows: [["last"]] });
  });

  it("refuses a quote that never closes", () => {
    expect(() => parseStatementCsv('a\r\n"open')).toThrow("the CSV ends inside a quoted field");
  });
});
