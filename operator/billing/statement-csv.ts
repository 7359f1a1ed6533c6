// A statement as CSV for finance, who open it in Excel or WPS on Chinese
// Windows: without a BOM both read UTF-8 as GBK and garble every name, and
// they expect CRLF line ends. Quoting follows RFC 4180.
import { formatYuan } from "./decimal.ts";
import type { Statement } from "./types.ts";

const CSV_HEADER = ["月份", "部门", "租户", "上级租户", "集群", "资源", "单位", "数量", "单价（元/单位·小时）", "金额（元）", "计费起", "计费止"] as const;

function field(value: string): string {
  // A department's name beginning with = + - @ would run as a formula when opened; a leading ' keeps it text.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One row per line, each tenant's subtotal (and with rollup its total with descendants) after its lines, then the total. */
export function statementCsv(statement: Statement): string {
  const { month } = statement;
  const total = (who: readonly string[], label: string, fen: number) => [...who, "", label, "", "", "", formatYuan(fen), "", ""];
  const rows: string[][] = [[...CSV_HEADER]];
  for (const t of statement.tenants) {
    const who = [month, t.displayName, t.tenant, t.parent ?? ""];
    for (const l of t.lines) rows.push([...who, l.cluster, l.resource, l.unit, l.quantity, l.unitPrice, formatYuan(l.amountFen), l.from, l.to]);
    rows.push(total(who, "小计", t.totalFen));
    if (t.rolledUpFen !== undefined) rows.push(total(who, "含下级合计", t.rolledUpFen));
  }
  rows.push(total([month, "", "", ""], "合计", statement.totalFen));
  return "\uFEFF" + rows.map((r) => r.map(field).join(",") + "\r\n").join("");
}

/** Reads a CSV back: a leading BOM, CRLF or LF, quoted fields with doubled quotes. */
export function parseStatementCsv(text: string): { header: string[]; rows: string[][] } {
  const records: string[][] = [];
  let record: string[] = [];
  let value = "";
  let quoted = false;
  for (let i = text.startsWith("\uFEFF") ? 1 : 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') value += c;
      else if (text[i + 1] === '"') value += text[++i];
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(value);
      value = "";
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      records.push([...record, value]);
      record = [];
      value = "";
    } else value += c;
  }
  if (quoted) throw new Error("the CSV ends inside a quoted field");
  if (value !== "" || record.length > 0) records.push([...record, value]);
  const [header = [], ...rows] = records;
  return { header, rows };
}
