// Kubernetes resource quantities ("500m", "16Gi", "1e3") as exact integers of
// milli-units, so that quota arithmetic never rounds: memory in bytes times
// a thousand still fits a bigint where it would not fit a double.

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

export class QuantityError extends Error {
  override name = "QuantityError";
}

/** Parses a quantity into milli-units, rounding up what is finer than a milli-unit. */
export function parseQuantity(value: string | number): bigint {
  const text = String(value).trim();
  const match = QUANTITY.exec(text);
  if (!match) throw new QuantityError(`"${text}" is not a quantity (examples: 500m, 2, 16Gi, 1e3)`);
  const [, sign = "", number = "", suffix, exponent] = match;
  const [whole = "", fraction = ""] = number.split(".");
  let numerator = BigInt((whole || "0") + fraction) * 1000n;
  let denominator = 10n ** BigInt(fraction.length);
  if (suffix !== undefined && suffix in BINARY_SUFFIX) {
    numerator *= 2n ** BigInt(BINARY_SUFFIX[suffix]!);
  } else {
    const power = exponent !== undefined ? Number(exponent) : DECIMAL_SUFFIX[suffix ?? ""]!;
    if (power >= 0) numerator *= 10n ** BigInt(power);
    else denominator *= 10n ** BigInt(-power);
  }
  const milli = (numerator + denominator - 1n) / denominator;
  return sign === "-" ? -milli : milli;
}

const BINARY_UNITS: [string, bigint][] = [
  ["Ei", 2n ** 60n],
  ["Pi", 2n ** 50n],
  ["Ti", 2n ** 40n],
  ["Gi", 2n ** 30n],
  ["Mi", 2n ** 20n],
  ["Ki", 2n ** 10n],
];

/** Byte-counted resources read best in binary units. */
function isBytes(resource: string): boolean {
  return /(^|\.)(memory|storage|ephemeral-storage)$/.test(resource);
}

/** Formats milli-units the way a person would write them for `resource`. */
export function formatQuantity(milli: bigint, resource = ""): string {
  if (milli % 1000n !== 0n) return `${milli}m`;
  const whole = milli / 1000n;
  if (isBytes(resource) && whole !== 0n) {
    for (const [suffix, size] of BINARY_UNITS) if (whole % size === 0n) return `${whole / size}${suffix}`;
  }
  return String(whole);
}

export type ResourceList = Record<string, bigint>;

export function parseResourceList(list: Record<string, string | number> | undefined): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(list ?? {})) out[k] = parseQuantity(v);
  return out;
}

export function formatResourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(list).sort()) out[k] = formatQuantity(list[k]!, k);
  return out;
}

/** True when both lists name the same resources with equal amounts, however written. */
export function sameResourceList(a: Record<string, string | number> | undefined, b: Record<string, string | number> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  try {
    return ka.every((k) => b?.[k] !== undefined && parseQuantity(a![k]!) === parseQuantity(b[k]));
  } catch {
    return false;
  }
}
