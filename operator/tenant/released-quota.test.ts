import { describe, expect, it } from "vitest";
import { frozenLimits, heldByReleased } from "./released-quota.ts";

describe("a released namespace's quota", () => {
  it("is frozen at what it uses, never above its limit", () => {
    expect(frozenLimits({ hard: { pods: "5", "requests.cpu": "2" }, used: { pods: "3", "requests.cpu": "2500m" } })).toEqual({ pods: 3000n, "requests.cpu": 2000n });
  });

  it("keeps a limit the quota controller has not counted yet", () => {
    expect(frozenLimits({ hard: { pods: "5", secrets: "10" }, used: { pods: "1" } })).toEqual({ pods: 1000n, secrets: 10000n });
  });

  it("charges the larger of limit and usage", () => {
    expect(heldByReleased({ hard: { pods: "2", secrets: "10" }, used: { pods: "4", secrets: "1" } })).toEqual({ pods: 4000n, secrets: 10000n });
  });
});
