import { describe, expect, it } from "vitest";
import type { KubeObject } from "./kube-client.ts";
import { needsApply } from "./needs-apply.ts";

const quota = (hard: Record<string, string>, labels: Record<string, string> = { "yunshu.io/tenant": "t" }) =>
  ({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q", namespace: "n", labels }, spec: { hard } }) as KubeObject;

describe("needsApply", () => {
  it("is false when the live object carries everything desired, plus what the server added", () => {
    const live = { ...quota({ pods: "10", "requests.memory": "1Gi" }), status: { used: { pods: "1" } } } as KubeObject;
    (live.metadata as { uid?: string }).uid = "123";
    expect(needsApply(quota({ pods: "10", "requests.memory": "1Gi" }), live)).toBe(false);
  });

  it("compares quantities by amount", () => {
    expect(needsApply(quota({ "requests.cpu": "0.5", "requests.memory": "1073741824" }), quota({ "requests.cpu": "500m", "requests.memory": "1Gi" }))).toBe(false);
    expect(needsApply(quota({ "requests.cpu": "1" }), quota({ "requests.cpu": "500m" }))).toBe(true);
  });

  it("treats a quota limit someone added as drift", () => {
    expect(needsApply(quota({ pods: "10" }), quota({ pods: "10", services: "100" }))).toBe(true);
  });

  it("wants yunshu's own labels exactly, but tolerates other labels", () => {
    expect(needsApply(quota({ pods: "1" }), quota({ pods: "1" }, { "yunshu.io/tenant": "t", team: "x" }))).toBe(false);
    expect(needsApply(quota({ pods: "1" }), quota({ pods: "1" }, { "yunshu.io/tenant": "t", "yunshu.io/released": "true" }))).toBe(true);
    expect(needsApply(quota({ pods: "1" }), quota({ pods: "1" }, { "yunshu.io/tenant": "other" }))).toBe(true);
  });

  it("sees a changed list element", () => {
    const policy = (cidr: string) =>
      ({ kind: "NetworkPolicy", metadata: { name: "p", namespace: "n" }, spec: { egress: [{ to: [{ ipBlock: { cidr } }] }] } }) as KubeObject;
    expect(needsApply(policy("10.0.0.0/8"), policy("10.0.0.0/8"))).toBe(false);
    expect(needsApply(policy("10.0.0.0/8"), policy("0.0.0.0/0"))).toBe(true);
  });

  it("is true when there is no live object", () => {
    expect(needsApply(quota({ pods: "1" }), undefined)).toBe(true);
  });
});
