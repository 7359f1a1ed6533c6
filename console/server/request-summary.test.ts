import { describe, expect, it } from "vitest";
import type { TenantRequest } from "../../operator/api/generated.ts";
import { byUrgency, summarizeRequest } from "./request-summary.ts";

type Condition = NonNullable<NonNullable<TenantRequest["status"]>["conditions"]>[number];
const cond = (type: string, status: "True" | "False", reason: string, message: string, at: string): Condition => ({ type, status, reason, message, lastTransitionTime: at });

function request(conditions: Condition[], extra: Partial<NonNullable<TenantRequest["status"]>> = {}, name = "r1", filed = "2026-11-30T08:00:00Z"): TenantRequest {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "TenantRequest",
    metadata: { name, creationTimestamp: filed, resourceVersion: "7" },
    spec: { tenant: "changsha", action: "ChangeQuota", reason: "流感季", requester: { username: "chen", groups: ["departments"] }, quota: { hard: { pods: "80" } } },
    status: { conditions, ...extra },
  };
}

const authorized = cond("Authorized", "True", "Owner", "chen owns tenant changsha", "2026-11-30T08:00:01Z");
const fits = cond("Fits", "True", "Fits", "pods: 80 of 100", "2026-11-30T08:00:02Z");

describe("summarizeRequest", () => {
  it("shows a filed, unjudged request as pending with its later steps waiting", () => {
    const s = summarizeRequest(request([]), "chen");
    expect(s.phase).toBe("Pending");
    expect(s.filedByMe).toBe(true);
    expect(s.timeline.map((t) => [t.step, t.state])).toEqual([
      ["filed", "done"],
      ["judged", "waiting"],
      ["decided", "waiting"],
      ["applied", "waiting"],
    ]);
    expect(s.timeline[0]).toMatchObject({ by: "chen", message: "流感季", at: "2026-11-30T08:00:00Z" });
  });

  it("carries the verdicts' numbers, the decider and the reason, then the outcome", () => {
    const approved = cond("Approved", "True", "Approved", "符合市级配额", "2026-11-30T09:00:00Z");
    const applied = cond("Applied", "True", "Applied", "tenant changsha changed", "2026-11-30T09:00:03Z");
    const capacity = [{ budget: "pool/hub", resource: "pods", requested: "80", allocated: "10", limit: "100", fits: true }];
    const s = summarizeRequest(request([authorized, fits, approved, applied], { decidedBy: "platform-wang", capacity }), "platform-wang");
    expect(s.phase).toBe("Applied");
    expect(s.filedByMe).toBe(false);
    expect(s.capacity).toEqual(capacity);
    expect(s.timeline).toEqual([
      expect.objectContaining({ step: "filed", state: "done" }),
      { step: "judged", state: "done", at: "2026-11-30T08:00:02Z", message: "chen owns tenant changsha\npods: 80 of 100" },
      { step: "decided", state: "done", at: "2026-11-30T09:00:00Z", by: "platform-wang", message: "符合市级配额" },
      { step: "applied", state: "done", at: "2026-11-30T09:00:03Z", message: "tenant changsha changed" },
    ]);
  });

  it("ends a denied request's timeline at the decision, and fails the judgement of a request that does not fit", () => {
    const denied = summarizeRequest(request([authorized, fits, cond("Approved", "False", "Denied", "先释放测试环境", "2026-11-30T09:00:00Z")], { decidedBy: "platform-li" }), "x");
    expect(denied.phase).toBe("Denied");
    expect(denied.timeline.map((t) => [t.step, t.state])).toEqual([
      ["filed", "done"],
      ["judged", "done"],
      ["decided", "failed"],
    ]);
    const tooBig = summarizeRequest(request([authorized, cond("Fits", "False", "ExceedsParentQuota", "pods: 200 of 100", "2026-11-30T08:00:02Z")]), "x");
    expect(tooBig.phase).toBe("DoesNotFit");
    expect(tooBig.timeline[1]).toMatchObject({ step: "judged", state: "failed" });
    const notOwner = summarizeRequest(request([cond("Authorized", "False", "NotOwner", "zhao owns neither", "2026-11-30T08:00:01Z")]), "x");
    expect(notOwner.phase).toBe("NotAuthorized");
    expect(notOwner.timeline[1]).toMatchObject({ state: "failed", message: "zhao owns neither" });
  });

  it("puts requests waiting for a decision first, newest first", () => {
    const old = summarizeRequest(request([], {}, "old", "2026-11-29T08:00:00Z"), "x");
    const young = summarizeRequest(request([], {}, "young", "2026-11-30T08:00:00Z"), "x");
    const done = summarizeRequest(request([authorized, fits, cond("Applied", "True", "Applied", "ok", "2026-11-30T09:00:00Z")], {}, "done", "2026-11-30T10:00:00Z"), "x");
    expect([done, old, young].sort(byUrgency).map((s) => s.name)).toEqual(["young", "old", "done"]);
  });
});
