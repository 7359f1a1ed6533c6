import { describe, expect, it } from "vitest";
import { fenHalfUp, formatMicro, formatYuan, microUnits, priceMicro } from "./decimal.ts";

describe("priceMicro", () => {
  it("reads yuan to the micro-yuan, with or without decimals", () => {
    expect(priceMicro("0.0800")).toBe(80_000n);
    expect(priceMicro("12")).toBe(12_000_000n);
    expect(priceMicro("0.000001")).toBe(1n);
    expect(priceMicro("1.5")).toBe(1_500_000n);
  });

  it("refuses what is not a plain non-negative decimal, saying why", () => {
    expect(() => priceMicro("0.0000001")).toThrow(/more than 6 decimal places/);
    for (const bad of ["-0.08", "+0.08", "8e-2", "0,08", " 0.08", "0.", ".5", "", "¥0.08"]) expect(() => priceMicro(bad), bad).toThrow(/not a decimal number of yuan/);
  });
});

describe("microUnits", () => {
  it("converts exactly what Prometheus prints", () => {
    expect(microUnits([2.5])).toBe(2_500_000n);
    expect(microUnits([4294967296], 2 ** 30)).toBe(4_000_000n);
    expect(microUnits([1610612736], 2 ** 30)).toBe(1_500_000n);
    expect(microUnits([0])).toBe(0n);
    expect(microUnits([1.5e21])).toBe(15n * 10n ** 26n);
  });

  it("sums the decimals, not the doubles, before rounding", () => {
    // 0.1 + 0.2 is 0.30000000000000004 in doubles; the decimals sum to 0.3.
    expect(microUnits([0.1, 0.2])).toBe(300_000n);
    // Each rounded alone, 0.0000004 would be 0 twice; summed first it is 0.0000008 → 1 micro-unit.
    expect(microUnits([4e-7, 4e-7])).toBe(1n);
  });

  it("rounds half up at the sixth place", () => {
    expect(microUnits([5e-7])).toBe(1n);
    expect(microUnits([4.99e-7])).toBe(0n);
    expect(microUnits([2.0000015])).toBe(2_000_002n);
    // 10^9 bytes = 0.931322574615478515625 GiB.
    expect(microUnits([1e9], 2 ** 30)).toBe(931_323n);
    // 512 bytes = 0.000000476837158203125 GiB, below half a micro-GiB; 537 bytes is just above.
    expect(microUnits([512], 2 ** 30)).toBe(0n);
    expect(microUnits([537], 2 ** 30)).toBe(1n);
  });

  it("refuses what is not a quantity", () => {
    for (const bad of [NaN, Infinity, -1]) expect(() => microUnits([bad]), String(bad)).toThrow(/not a finite non-negative quantity/);
  });
});

describe("fenHalfUp", () => {
  it("rounds 1e-12 yuan to the fen, exactly half a fen up", () => {
    const halfFen = 5_000_000_000n; // 0.005 yuan
    expect(fenHalfUp(halfFen)).toBe(1n);
    expect(fenHalfUp(halfFen - 1n)).toBe(0n);
    expect(fenHalfUp(2n * 10n ** 10n + halfFen)).toBe(3n); // 2.5 fen → 3, not to even
    expect(fenHalfUp(1_440_000_000n * 80_000n)).toBe(11_520n); // 1440 core-hours at 0.08 = 115.20 yuan
  });
});

describe("formatting", () => {
  it("writes micro-units with six places and fen as yuan with two", () => {
    expect(formatMicro(1_440_000_000n)).toBe("1440.000000");
    expect(formatMicro(1n)).toBe("0.000001");
    expect(formatMicro(0n)).toBe("0.000000");
    expect(formatYuan(123_456)).toBe("1234.56");
    expect(formatYuan(5)).toBe("0.05");
    expect(formatYuan(0)).toBe("0.00");
  });
});
