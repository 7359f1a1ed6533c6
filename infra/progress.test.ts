import type { EngineEvent, OpType } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { StackProgress } from "./progress.ts";

const T0 = 1_767_225_600; // engine timestamps are in seconds
const DEPLOYMENT = "urn:pulumi:prod.hunan::yunshu-infra::yunshu:infra:ClusterBootstrap$kubernetes:helm.sh/v4:Chart$kubernetes:apps/v1:Deployment::yunshu-system/yunshu-operator";
const SERVICE = "urn:pulumi:prod.hunan::yunshu-infra::yunshu:infra:ClusterBootstrap$kubernetes:helm.sh/v4:Chart$kubernetes:core/v1:Service::yunshu-system/yunshu-operator";
const STACK = "urn:pulumi:prod.hunan::yunshu-infra::pulumi:pulumi:Stack::yunshu-infra-prod.hunan";
const CHART = "urn:pulumi:prod.hunan::yunshu-infra::yunshu:infra:ClusterBootstrap$kubernetes:helm.sh/v4:Chart::yunshu";
const NAMESPACE = "urn:pulumi:prod.hunan::yunshu-infra::yunshu:infra:ClusterBootstrap$kubernetes:core/v1:Namespace::yunshu-system";

let sequence = 0;
const typeOf = (urn: string) => urn.split("::")[2]!.split("$").pop()!;
const metadata = (urn: string, op: OpType = "create") => ({ op, urn, type: typeOf(urn), provider: "" });
const at = (second: number, event: Partial<EngineEvent>): EngineEvent => ({ sequence: sequence++, timestamp: T0 + second, ...event });
const pre = (second: number, urn: string, op?: OpType) => at(second, { resourcePreEvent: { metadata: metadata(urn, op) } });
const outputs = (second: number, urn: string) => at(second, { resOutputsEvent: { metadata: metadata(urn) } });
const failed = (second: number, urn: string) => at(second, { resOpFailedEvent: { metadata: metadata(urn), status: 1, steps: 1 } });
const status = (second: number, urn: string, message: string, ephemeral = true) =>
  at(second, { diagnosticEvent: { urn, message, color: "never", severity: "info", ephemeral } });

function progressAfter(events: EngineEvent[]): StackProgress {
  const progress = new StackProgress();
  for (const e of events) progress.observe(e);
  return progress;
}

const describeAt = (progress: StackProgress, second: number) => progress.describe("prod.hunan", (T0 - 2) * 1000, (T0 + second) * 1000);

describe("what a long stack is waiting for", () => {
  it("names the steps under way, oldest first, with how long and the provider's latest word", () => {
    const progress = progressAfter([
      pre(0, STACK),
      pre(1, NAMESPACE),
      pre(2, CHART),
      outputs(2, NAMESPACE),
      pre(3, DEPLOYMENT),
      pre(4, SERVICE),
      status(5, DEPLOYMENT, "[1/2] Waiting for app ReplicaSet to be available (0/1 Pods available)\n"),
      status(9, SERVICE, "Finding Pods to direct traffic to"),
      status(20, DEPLOYMENT, "[1/2] Waiting for app ReplicaSet to be available (0/2 Pods available)"),
    ]);
    expect(describeAt(progress, 93)).toBe(
      "still waiting for prod.hunan after 95s: " +
        "creating kubernetes:apps/v1:Deployment yunshu-system/yunshu-operator for 90s ([1/2] Waiting for app ReplicaSet to be available (0/2 Pods available)); " +
        "creating kubernetes:core/v1:Service yunshu-system/yunshu-operator for 89s (Finding Pods to direct traffic to)",
    );
  });

  it("forgets a step once it succeeded or failed, and says when none is under way", () => {
    expect(describeAt(progressAfter([pre(0, STACK)]), 30)).toBe("still waiting for prod.hunan after 32s: no resource under way yet");
    const progress = progressAfter([pre(1, DEPLOYMENT, "update"), pre(1, SERVICE, "same"), outputs(2, SERVICE), failed(300, DEPLOYMENT)]);
    expect(describeAt(progress, 301)).toBe("still waiting for prod.hunan after 5m3s: no resource under way, 2 done");
  });

  it("names three steps and counts the rest", () => {
    const urns = Array.from({ length: 5 }, (_, i) => NAMESPACE.replace(/yunshu-system$/, `ns-${i}`));
    const line = describeAt(progressAfter(urns.map((u, i) => pre(i, u, "delete"))), 40);
    expect(line).toBe(
      "still waiting for prod.hunan after 42s: deleting kubernetes:core/v1:Namespace ns-0 for 40s; deleting kubernetes:core/v1:Namespace ns-1 for 39s; " +
        "deleting kubernetes:core/v1:Namespace ns-2 for 38s; and 2 more",
    );
  });

  it("ignores words about resources that are not under way", () => {
    const progress = progressAfter([pre(1, DEPLOYMENT), outputs(2, DEPLOYMENT), status(3, DEPLOYMENT, "late"), at(4, { diagnosticEvent: { message: "warning: no urn", color: "never", severity: "warning" } })]);
    expect(describeAt(progress, 40)).toBe("still waiting for prod.hunan after 42s: no resource under way, 1 done");
  });
});

describe("components", () => {
  it("are named only while nothing in them is under way", () => {
    const progress = progressAfter([pre(0, STACK), pre(1, CHART), pre(2, DEPLOYMENT)]);
    expect(describeAt(progress, 30)).toBe("still waiting for prod.hunan after 32s: creating kubernetes:apps/v1:Deployment yunshu-system/yunshu-operator for 28s");
    progress.observe(outputs(31, DEPLOYMENT));
    expect(describeAt(progress, 32)).toBe("still waiting for prod.hunan after 34s: creating kubernetes:helm.sh/v4:Chart yunshu for 31s");
  });
});
