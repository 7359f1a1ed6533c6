// Tables and label/value blocks in kubectl's style: upper-case headers,
// left-aligned columns three spaces apart, no trailing blanks. Widths count
// terminal columns, so Chinese department names keep the columns straight.
import { displayWidth, padEnd } from "./format.ts";

const GAP = "   ";

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : padEnd(cell, widths[i]!)))
      .join(GAP)
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n") + "\n";
}

export type Field = readonly [label: string, value: string];

/** The column where values start for these labels, so that blocks rendered apart can line up. */
export function fieldsWidth(fields: readonly Field[]): number {
  return Math.max(...fields.map(([label]) => displayWidth(label) + 1)) + 2;
}

/** `Label:  value` lines with the values aligned, like kubectl describe; a multi-line value continues under its first line. */
export function renderFields(fields: readonly Field[], width = fieldsWidth(fields)): string {
  return fields
    .map(([label, value]) => {
      const [first = "", ...rest] = value.split("\n");
      return [padEnd(`${label}:`, width) + first, ...rest.map((l) => " ".repeat(width) + l)].map((l) => l.trimEnd()).join("\n");
    })
    .join("\n") + "\n";
}

/** Indents every non-empty line of `text`. */
export function indent(text: string, by = "  "): string {
  return text
    .split("\n")
    .map((l) => (l ? by + l : l))
    .join("\n");
}
