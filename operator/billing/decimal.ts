// Exact money arithmetic. A statement's amounts must equal what finance
// computes by hand to the fen, so quantities are integers of micro-units
// (1e-6), prices integers of micro-yuan, and their products integers of
// 1e-12 yuan, rounded once, half up, to the fen. Doubles never carry money.

const MICRO = 1_000_000n;
const PRICE = /^(\d+)(?:\.(\d{1,6}))?$/;

/** "0.0800" yuan → 80000 micro-yuan. Refuses signs, exponents and more than 6 decimal places. */
export function priceMicro(text: string): bigint {
  const match = PRICE.exec(text);
  if (!match) {
    throw new Error(
      /^\d+\.\d{7,}$/.test(text)
        ? `price "${text}" has more than 6 decimal places; prices go to the micro-yuan (0.000001)`
        : `price "${text}" is not a decimal number of yuan such as 0.0800 (no sign, no exponent)`,
    );
  }
  const [, whole = "", fraction = ""] = match;
  return BigInt(whole + fraction.padEnd(6, "0"));
}

/**
 * A value as the decimal it prints as: Prometheus sends values as the
 * shortest decimal that reads back as the double, and that decimal (not the
 * double's binary expansion) is what a person checking the bill sees.
 */
function decimalOf(value: number): { digits: bigint; places: number } {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new Error(`${value} is not a finite non-negative quantity`);
  const [, whole = "", fraction = "", exponent = "0"] = match;
  const places = fraction.length - Number(exponent);
  const digits = BigInt(whole + fraction);
  return places >= 0 ? { digits, places } : { digits: digits * 10n ** BigInt(-places), places: 0 };
}

/** n / d rounded half up, for n ≥ 0 and d > 0. */
const divideHalfUp = (n: bigint, d: bigint): bigint => (2n * n + d) / (2n * d);

/** Σ values / divisor in micro-units, summed exactly and rounded half up once. */
export function microUnits(values: readonly number[], divisor = 1): bigint {
  const decimals = values.map(decimalOf);
  const places = Math.max(0, ...decimals.map((d) => d.places));
  const sum = decimals.reduce((total, d) => total + d.digits * 10n ** BigInt(places - d.places), 0n);
  return divideHalfUp(sum * MICRO, 10n ** BigInt(places) * BigInt(divisor));
}

/** A product of micro-units and micro-yuan (1e-12 yuan) to the fen, half up. */
export const fenHalfUp = (microMicroYuan: bigint): bigint => divideHalfUp(microMicroYuan, 10n ** 10n);

/** A non-negative integer of 10^-places as a decimal string with all its places. */
function fixed(value: bigint, places: number): string {
  const digits = value.toString().padStart(places + 1, "0");
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/** 1440000000n micro-units → "1440.000000". */
export const formatMicro = (micro: bigint): string => fixed(micro, 6);

/** 123456 fen → "1234.56" yuan. */
export const formatYuan = (fen: number): string => fixed(BigInt(fen), 2);
