import { describe, expect, it } from "vitest";
import { priceFor, validatePriceSheet } from "./price-sheet.ts";
import type { PriceSheetSpec, Rate } from "./types.ts";

const sheet = (...rates: Rate[]): PriceSheetSpec => ({ currency: "CNY", billedQuantity: "Allocated", rates });
const at = (time: string) => Date.parse(time) / 1000;

describe("priceFor", () => {
  const spec = sheet(
    { validFrom: "2026-01-01T00:00:00+08:00", prices: { "requests.cpu": "0.0800", "requests.memory": "0.0100" } },
    { validFrom: "2026-11-16T00:00:00+08:00", prices: { "requests.cpu": "0.0600" } },
    { validFrom: "2026-11-10T00:00:00+08:00", tier: "gold", prices: { "requests.cpu": "0.1000" } },
    { validFrom: "2026-01-01T00:00:00+08:00", cluster: "changde", prices: { "requests.cpu": "0.1200" } },
  );

  it("takes the latest rate for all clusters in force at the hour, to the second", () => {
    expect(priceFor(spec, "hunan", undefined, "requests.cpu", at("2026-11-15T23:00:00+08:00"))).toEqual({ price: "0.0800", validFrom: "2026-01-01T00:00:00+08:00" });
    expect(priceFor(spec, "hunan", undefined, "requests.cpu", at("2026-11-16T00:00:00+08:00"))).toEqual({ price: "0.0600", validFrom: "2026-11-16T00:00:00+08:00" });
    expect(priceFor(spec, "hunan", "standard", "requests.cpu", at("2026-11-16T00:00:00+08:00"))?.price).toBe("0.0600");
  });

  it("lets a cluster's rate beat its tier's, and a tier's beat the default, whatever their dates", () => {
    expect(priceFor(spec, "changde", "gold", "requests.cpu", at("2026-11-20T00:00:00+08:00"))?.price).toBe("0.1200");
    expect(priceFor(spec, "yueyang", "gold", "requests.cpu", at("2026-11-20T00:00:00+08:00"))?.price).toBe("0.1000");
    // Before the gold rate takes effect, the default applies to gold clusters too.
    expect(priceFor(spec, "yueyang", "gold", "requests.cpu", at("2026-11-09T23:00:00+08:00"))).toEqual({ price: "0.0800", validFrom: "2026-01-01T00:00:00+08:00" });
  });

  it("leaves a resource a specific rate does not name to the rates that do", () => {
    expect(priceFor(spec, "changde", "gold", "requests.memory", at("2026-11-20T00:00:00+08:00"))?.price).toBe("0.0100");
  });

  it("has no price for an unnamed resource or before any rate", () => {
    expect(priceFor(spec, "hunan", undefined, "requests.nvidia.com/gpu", at("2026-11-20T00:00:00+08:00"))).toBeUndefined();
    expect(priceFor(spec, "hunan", undefined, "requests.cpu", at("2025-12-31T23:00:00+08:00"))).toBeUndefined();
    expect(priceFor(spec, "hunan", undefined, "constructor", at("2026-11-20T00:00:00+08:00"))).toBeUndefined();
  });

  it("compares instants, not strings, across offsets", () => {
    const utc = sheet(
      { validFrom: "2026-11-01T00:00:00+08:00", prices: { pods: "1" } },
      // 2026-10-31T20:00:00Z is 2026-11-01T04:00:00+08:00: later, though it sorts earlier as text.
      { validFrom: "2026-10-31T20:00:00Z", prices: { pods: "2" } },
    );
    expect(priceFor(utc, "hunan", undefined, "pods", at("2026-11-01T03:00:00+08:00"))?.price).toBe("1");
    expect(priceFor(utc, "hunan", undefined, "pods", at("2026-11-01T04:00:00+08:00"))?.price).toBe("2");
  });
});

describe("validatePriceSheet", () => {
  it("finds nothing wrong with a good sheet", () => {
    expect(
      validatePriceSheet(
        sheet(
          { validFrom: "2026-01-01T00:00:00+08:00", prices: { "requests.cpu": "0.0800" } },
          { validFrom: "2026-01-01T00:00:00+08:00", tier: "gold", prices: { "requests.cpu": "0.1" } },
          { validFrom: "2026-01-01T00:00:00Z", cluster: "changde", prices: { "requests.cpu": "0.12" } },
        ),
      ),
    ).toEqual([]);
  });

  it("refuses times that are not RFC 3339 with an offset", () => {
    for (const bad of ["2026-11-16T00:00:00", "2026-11-16", "2026-11-16 00:00:00+08:00", "2026-02-30T00:00:00+08:00", "2026-11-16T24:00:00+08:00", "tomorrow"]) {
      expect(validatePriceSheet(sheet({ validFrom: bad, prices: {} })), bad).toEqual([
        `rates[0].validFrom "${bad}" is not an RFC 3339 time with an offset, such as 2026-11-16T00:00:00+08:00`,
      ]);
    }
  });

  it("names bad prices, including numbers a YAML file left unquoted", () => {
    const spec = sheet({ validFrom: "2026-01-01T00:00:00+08:00", prices: { "requests.cpu": "0.00000001", pods: "-1", "requests.memory": 0.08 as unknown as string } });
    expect(validatePriceSheet(spec)).toEqual([
      'rates[0].prices["requests.cpu"]: price "0.00000001" has more than 6 decimal places; prices go to the micro-yuan (0.000001)',
      'rates[0].prices["pods"]: price "-1" is not a decimal number of yuan such as 0.0800 (no sign, no exponent)',
      'rates[0].prices["requests.memory"] is 0.08, not a string; quote it, as in "0.0800"',
    ]);
  });

  it("refuses a rate for both a cluster and a tier", () => {
    expect(validatePriceSheet(sheet({ validFrom: "2026-01-01T00:00:00+08:00", cluster: "changde", tier: "gold", prices: {} }))).toEqual([
      'rates[0] names both cluster "changde" and tier "gold"; a rate is for one cluster, one tier, or (neither) all clusters',
    ]);
  });

  it("refuses two rates for the same clusters from the same instant, however written", () => {
    const spec = sheet(
      { validFrom: "2026-11-16T00:00:00+08:00", prices: { pods: "1" } },
      { validFrom: "2026-11-15T16:00:00Z", prices: { pods: "2" } },
      { validFrom: "2026-11-16T00:00:00+08:00", tier: "gold", prices: { pods: "3" } },
      { validFrom: "2026-11-16T00:00:00+08:00", tier: "gold", prices: { pods: "4" } },
    );
    expect(validatePriceSheet(spec)).toEqual([
      "rates[0] and rates[1] both price all clusters from 2026-11-15T16:00:00Z; which applies would be arbitrary",
      'rates[2] and rates[3] both price tier "gold" from 2026-11-16T00:00:00+08:00; which applies would be arbitrary',
    ]);
  });

  it("refuses another currency or billing basis", () => {
    const spec = { currency: "USD", billedQuantity: "Used", rates: [] } as unknown as PriceSheetSpec;
    expect(validatePriceSheet(spec)).toEqual(['currency is "USD"; yunshu bills in CNY', 'billedQuantity is "Used"; it must be Allocated or LargerOfAllocatedAndUsed']);
  });
});
