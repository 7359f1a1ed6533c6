import { describe, expect, it } from "vitest";
import { leastSquares } from "./fit.ts";

describe("leastSquares", () => {
  it("finds the line through points on it, and the best one through points off it", () => {
    const exact = leastSquares([[2, 5], [7, 15], [14, 29]])!;
    expect(exact.slope).toBeCloseTo(2);
    expect(exact.intercept).toBeCloseTo(1);
    const line = leastSquares([[0, 0], [1, 1], [2, 1], [3, 2]])!;
    expect(line.slope).toBeCloseTo(0.6);
    expect(line.intercept).toBeCloseTo(0.1);
  });

  it("has no line without two distinct sizes", () => {
    expect(leastSquares([[14, 3]])).toBeUndefined();
    expect(leastSquares([[14, 3], [14, 4]])).toBeUndefined();
  });
});
