// `make run` as a new user runs it: `yunshu operator --as-operator` with the
// hub's admin kubeconfig, impersonating the operator's ServiceAccount on the
// hub, and a member registered by hand as the README says, with a kubeconfig
// holding the member operator's own token. The member must never be sent the
// hub's impersonation (its operator may not impersonate anyone): it becomes
// Ready and a tenant placed there converges on both clusters.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cluster } from "../../operator/api/generated.ts";
import { CLUSTERS, NAMESPACES, RESOURCE_QUOTAS, ROLE_BINDINGS } from "../../operator/api/resources.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { registerHub, registerMember } from "../../tools/local/fleet.ts";
import { installYunshu, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";

const yunshu = join(import.meta.dirname, "../../bin/yunshu.js");

let hub: ControlPlane;
let member: ControlPlane;
let operator: ChildProcess;

beforeAll(async () => {
  [hub, member] = await Promise.all([ControlPlane.start({ name: "run-hub" }), ControlPlane.start({ name: "run-changsha" })]);
  await installYunshu(hub);
  await registerHub(hub, "hunan", { region: "hunan", tier: "province" });
  await registerMember(hub, member, "changsha", { region: "changsha", tier: "city" });
  const log = openSync(join(hub.dir, "logs", "operator-process.log"), "a");
  // What `make run` runs: the admin's kubeconfig, acting as the operator on the hub.
  operator = spawn(process.execPath, [yunshu, "operator", "--as-operator", "--kubeconfig", hub.kubeconfigPath(), "--http-bind-address", "off", "--log-level", "debug"], {
    stdio: ["ignore", log, log],
  });
  closeSync(log);
});

afterAll(async () => {
  operator?.kill("SIGKILL");
  await Promise.all([hub?.stop(), member?.stop()]);
});

describe("make run, then a member registered by hand", () => {
  it("connects the member with the member operator's own credentials", async () => {
    const admin = new KubeClient(hub.credentials());
    const ready = await eventually(
      "Cluster changsha to be Ready",
      async () => {
        const cluster = await admin.get<Cluster & KubeObject>(CLUSTERS, "changsha");
        const condition = cluster?.status?.conditions?.find((c) => c.type === "Ready");
        return condition?.status === "True" ? condition : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(ready.reason).toBe("Reachable");
  });

  it("converges a tenant placed on the hub and the member", async () => {
    await tenantsApi(hub).create(tenant("changsha-health", { placement: { clusters: ["hunan", "changsha"] }, quota: { hard: { pods: "10" } } }));
    const ready = await waitForReady(hub, "changsha-health", 60_000);
    expect(ready.status?.clusters?.map((c) => [c.name, c.ready]).sort()).toEqual([
      ["changsha", true],
      ["hunan", true],
    ]);
    const onMember = new KubeClient(member.credentials());
    expect(await onMember.get(NAMESPACES, "changsha-health-prod")).toBeDefined();
    const quota = await onMember.get<KubeObject & { spec: { hard: Record<string, string> } }>(RESOURCE_QUOTAS, "yunshu-tenant-quota", "changsha-health-prod");
    expect(quota?.spec.hard.pods).toBe("5");
    expect(await onMember.get(ROLE_BINDINGS, "yunshu-tenant-admin", "changsha-health-prod")).toBeDefined();
    // On the hub too, written as the operator: the admission policies let no one else write managed objects.
    expect(await new KubeClient(hub.credentials()).get(ROLE_BINDINGS, "yunshu-tenant-admin", "changsha-health-prod")).toBeDefined();
  });
});
