// Sets of ports as sorted, merged lists of ranges: the one form in which the
// reachability engine adds up and intersects what rules allow, compares with
// other tools and prints.
import type { Protocol } from "../api/core-types.ts";

export interface PortRange {
  protocol: Protocol;
  from: number;
  to: number;
}

/** In the order ranges are sorted: by name, as other tools sort them. */
export const PROTOCOLS: readonly Protocol[] = ["SCTP", "TCP", "UDP"];
const MIN_PORT = 1;
const MAX_PORT = 65535;

const rank = (protocol: Protocol) => PROTOCOLS.indexOf(protocol);
const compare = (a: PortRange, b: PortRange) => rank(a.protocol) - rank(b.protocol) || a.from - b.from;

/** Every port of one protocol. */
export const allPortsOf = (protocol: Protocol): PortRange => ({ protocol, from: MIN_PORT, to: MAX_PORT });

/** Every port of every protocol a NetworkPolicy can name. */
export const ALL_PORTS: readonly PortRange[] = PROTOCOLS.map(allPortsOf);

/** Sorted by protocol then first port, overlapping or adjacent ranges merged, ranges clipped to 1-65535 and empty ones dropped. */
export function normalise(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges
    .map((r) => ({ protocol: r.protocol, from: Math.max(r.from, MIN_PORT), to: Math.min(r.to, MAX_PORT) }))
    .filter((r) => r.from <= r.to)
    .sort(compare);
  const merged: PortRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && last.protocol === range.protocol && range.from <= last.to + 1) last.to = Math.max(last.to, range.to);
    else merged.push(range);
  }
  return merged;
}

export function union(...sets: (readonly PortRange[])[]): PortRange[] {
  return normalise(sets.flat());
}

/** Both arguments normalised; so is the result. */
export function intersect(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const result: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x.protocol !== y.protocol) {
      if (rank(x.protocol) < rank(y.protocol)) i++;
      else j++;
      continue;
    }
    const from = Math.max(x.from, y.from);
    const to = Math.min(x.to, y.to);
    if (from <= to) result.push({ protocol: x.protocol, from, to });
    // The range that ends first cannot overlap anything further in the other list.
    if (x.to < y.to) i++;
    else j++;
  }
  return result;
}

export function isAllPorts(ranges: readonly PortRange[]): boolean {
  return ranges.length === ALL_PORTS.length && ranges.every((r, i) => compare(r, ALL_PORTS[i]!) === 0 && r.to === MAX_PORT);
}

/** "all", "none", or e.g. "TCP 80" and "TCP 8000-8080, UDP 53"; `ranges` normalised. */
export function formatPorts(ranges: readonly PortRange[]): string {
  if (isAllPorts(ranges)) return "all";
  if (ranges.length === 0) return "none";
  return ranges.map((r) => `${r.protocol} ${r.from === r.to ? r.from : `${r.from}-${r.to}`}`).join(", ");
}
