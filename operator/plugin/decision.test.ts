import { describe, expect, it } from "vitest";
import type { TenantRequest } from "../api/generated.ts";
import { decisionApply, decisionOf } from "./decision.ts";

const request = (status?: TenantRequest["status"]): TenantRequest => ({
  apiVersion: "yunshu.io/v1alpha1",
  kind: "TenantRequest",
  metadata: { name: "yuelu-data-x7k2p", resourceVersion: "4711", generation: 1 },
  spec: { tenant: "yuelu-data", action: "AddNamespaces", reason: "r", namespaces: ["staging"], requester: { username: "dept" } },
  ...(status ? { status } : {}),
});

const now = new Date("2025-11-27T08:30:15.123Z");

describe("decisionApply", () => {
  it("approves: Approved True/Approved with the reason, the decider, the time to the second, and the resourceVersion read", () => {
    expect(decisionApply(request(), "approve", "platform-li", "符合配额，同意", now)).toEqual({
      apiVersion: "yunshu.io/v1alpha1",
      kind: "TenantRequest",
      metadata: { name: "yuelu-data-x7k2p", resourceVersion: "4711" },
      status: {
        decidedBy: "platform-li",
        conditions: [
          { type: "Approved", status: "True", reason: "Approved", message: "符合配额，同意", lastTransitionTime: "2025-11-27T08:30:15Z", observedGeneration: 1 },
        ],
      },
    });
  });

  it("denies: Approved False/Denied, and touches no other condition", () => {
    const body = decisionApply(request({ conditions: [{ type: "Fits", status: "True", reason: "Fits", message: "ok", lastTransitionTime: "x" }] }), "deny", "platform-li", "not now", now);
    expect(body.status.conditions).toEqual([
      { type: "Approved", status: "False", reason: "Denied", message: "not now", lastTransitionTime: "2025-11-27T08:30:15Z", observedGeneration: 1 },
    ]);
    expect(Object.keys(body.status)).toEqual(["decidedBy", "conditions"]);
  });
});

describe("decisionOf", () => {
  it("is undefined while pending, and reads a decision back", () => {
    expect(decisionOf(request())).toBeUndefined();
    const decided = request({
      decidedBy: "platform-li",
      conditions: [{ type: "Approved", status: "False", reason: "Denied", message: "not now", lastTransitionTime: "2025-11-27T08:30:15Z" }],
    });
    expect(decisionOf(decided)).toEqual({ approved: false, decidedBy: "platform-li", reason: "not now", at: "2025-11-27T08:30:15Z" });
  });
});
