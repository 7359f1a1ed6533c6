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

  it("charges a limit just frozen at its old value while admission still enforces that", () => {
    // Frozen at its usage (1 configmap), the old 100 still in status.hard until the quota controller copies the new one.
    expect(heldByReleased({ hard: { configmaps: "1", pods: "3" }, used: { configmaps: "1", pods: "0" }, enforced: { configmaps: "100", pods: "3" } })).toEqual({ configmaps: 100_000n, pods: 3000n });
    expect(heldByReleased({ hard: { configmaps: "1" }, used: { configmaps: "1" }, enforced: { configmaps: "1" } })).toEqual({ configmaps: 1000n });
  });
});
