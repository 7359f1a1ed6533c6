// A released namespace keeps running what it runs, but its quota is frozen:
// it can shrink as its usage falls, never grow. What it holds stays charged
// to the tenant in the cluster, so releasing a namespace never makes
// capacity out of nothing: the tenant's active namespaces there share what
// the released ones do not hold. Pure.
import { parseResourceList, type ResourceList } from "../api/quantity.ts";

export interface QuotaFigures {
  hard?: Record<string, string>;
  used?: Record<string, string>;
  /** What admission still enforces (status.hard): a limit just lowered is enforced at its old value until the quota controller copies it. */
  enforced?: Record<string, string>;
}

/**
 * The limits a released namespace's quota is held to: each no higher than
 * what the namespace uses. Where the quota controller has not counted a
 * resource yet, its limit stays as it is.
 */
export function frozenLimits({ hard, used }: QuotaFigures): ResourceList {
  const limits = parseResourceList(hard);
  const counted = parseResourceList(used);
  return Object.fromEntries(Object.entries(limits).map(([r, limit]) => [r, counted[r] !== undefined && counted[r] < limit ? counted[r] : limit]));
}

/**
 * What a released namespace is charged with: the largest of its limit, the
 * limit admission still enforces, and its usage. Usage above the limit is
 * possible when the limit was lowered under running pods; a frozen limit
 * lowered a moment ago is still enforced at its old value, and charging
 * only the new one would let the active namespaces grow into room the
 * released one still holds (the fault battery found this).
 */
export function heldByReleased({ hard, used, enforced }: QuotaFigures): ResourceList {
  const limits = parseResourceList(hard);
  const counted = parseResourceList(used);
  const inForce = parseResourceList(enforced);
  return Object.fromEntries(Object.entries(limits).map(([r, limit]) => [r, [limit, counted[r] ?? 0n, inForce[r] ?? 0n].reduce((a, b) => (b > a ? b : a))]));
}
