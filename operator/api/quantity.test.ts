import { describe, expect, it } from "vitest";
import { formatQuantity, parseQuantity, QuantityError, sameResourceList } from "./quantity.ts";

describe("parseQuantity", () => {
  it.each([
    ["500m", 500n],
    ["2", 2000n],
    ["1.5", 1500n],
    [".5", 500n],
    ["16Gi", 16n * 2n ** 30n * 1000n],
    ["128Mi", 128n * 2n ** 20n * 1000n],
    ["1k", 1_000_000n],
    ["1e3", 1_000_000n],
    ["1E-3", 1n],
    ["100n", 1n],
    [8, 8000n],
    ["-1", -1000n],
  ])("%s is %s milli-units", (text, milli) => {
    expect(parseQuantity(text)).toBe(milli);
  });

  it("keeps petabytes of memory exact", () => {
    expect(parseQuantity("3Ei")).toBe(3n * 2n ** 60n * 1000n);
  });

  it.each(["", "abc", "1.2.3", "5Gb", "1 Gi"])("refuses %j", (text) => {
    expect(() => parseQuantity(text)).toThrow(QuantityError);
  });
});

describe("formatQuantity", () => {
  it("writes bytes in binary units and the rest plainly", () => {
    expect(formatQuantity(parseQuantity("16Gi"), "requests.memory")).toBe("16Gi");
    expect(formatQuantity(parseQuantity("1536Mi"), "limits.memory")).toBe("1536Mi");
    expect(formatQuantity(1500n, "requests.cpu")).toBe("1500m");
    expect(formatQuantity(8000n, "limits.cpu")).toBe("8");
    expect(formatQuantity(100_000n, "pods")).toBe("100");
    expect(formatQuantity(0n, "memory")).toBe("0");
  });

  it("round-trips", () => {
    for (const q of ["16Gi", "1500m", "3", "1Ki", "7"]) expect(parseQuantity(formatQuantity(parseQuantity(q), "memory"))).toBe(parseQuantity(q));
  });
});

describe("sameResourceList", () => {
  it("compares amounts, not spellings", () => {
    expect(sameResourceList({ cpu: "1", memory: "1Gi" }, { cpu: "1000m", memory: "1073741824" })).toBe(true);
    expect(sameResourceList({ cpu: "1" }, { cpu: "2" })).toBe(false);
    expect(sameResourceList({ cpu: "1" }, { cpu: "1", pods: "2" })).toBe(false);
    expect(sameResourceList(undefined, {})).toBe(true);
  });
});
