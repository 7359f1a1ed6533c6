// A statement for the terminal, in the plugin's table style: each tenant's
// lines, its subtotal (and with rollup its total with everything beneath
// it), then the month's total. Pure.
import { renderTable } from "../plugin/table.ts";
import { formatYuan } from "./decimal.ts";
import type { Statement } from "./types.ts";

/** ¥1,234.56 */
const money = (fen: number): string => "¥" + formatYuan(fen).replace(/\B(?=(\d{3})+\.)/g, ",");

const date = (time: string) => time.slice(0, 10);
const clock = (time: string) => time.slice(11, 16);
const dayBefore = (time: string) => new Date(Date.parse(`${date(time)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Whole days read as dates, the last day included (2026-11-01–2026-11-30 is
 * November); anything else as times, the end excluded. Lines are in +08:00,
 * so the wall-clock text is China Standard Time as it stands.
 */
function period(from: string, to: string): string {
  const midnight = (time: string) => time.slice(11, 19) === "00:00:00";
  if (midnight(from) && midnight(to)) return `${date(from)}–${dayBefore(to)}`;
  return `${date(from)} ${clock(from)}–${date(to)} ${clock(to)}`;
}

export function statementTable(statement: Statement): string {
  const rows: string[][] = [];
  for (const t of statement.tenants) {
    const block = t.lines.map((l) => [l.cluster, l.resource, `${l.quantity} ${l.unit}·h`, `¥${l.unitPrice}/${l.unit}·h`, period(l.from, l.to), money(l.amountFen)]);
    block.push(["", "subtotal", "", "", "", money(t.totalFen)]);
    if (t.rolledUpFen !== undefined) block.push(["", "with descendants", "", "", "", money(t.rolledUpFen)]);
    block.forEach((cells, i) => rows.push([i === 0 ? t.tenant : "", i === 0 ? t.displayName : "", ...cells]));
  }
  rows.push(["TOTAL", "", "", "", "", "", "", money(statement.totalFen)]);
  // Right-aligned, so that the yuan line up.
  const width = Math.max(...rows.map((r) => r[7]!.length));
  for (const r of rows) r[7] = r[7]!.padStart(width);
  const table = renderTable(["TENANT", "NAME", "CLUSTER", "RESOURCE", "QUANTITY", "UNIT PRICE", "FROM–TO", "AMOUNT"], rows);
  return statement.unpriced.length === 0 ? table : `${table}Not billed, no rate prices them: ${statement.unpriced.join(", ")}\n`;
}
