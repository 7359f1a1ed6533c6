// A hub with yunshu, its department view and the console, as `make demo`
// runs them: two departments (chen owns 长沙市卫生健康委员会 and its county
// bureau; alice owns 湖南省数据局, where dev-wu is a developer) and two
// approvers of the platform team. Users sign in to the console with the
// control plane's tokens for them.
import type { Server } from "node:http";
import { join } from "node:path";
import type { RunningConsole } from "../../console/server/server.ts";
import type { SessionLimits } from "../../console/server/sessions.ts";
import { PODS, TENANTS } from "../../operator/api/resources.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { serveDepartmentView, startLocalConsole } from "../../tools/local/console.ts";
import { registerHub } from "../../tools/local/fleet.ts";
import { installYunshu, restrictedPod, startOperator, tenant, waitForReady } from "../../tools/local/yunshu.ts";

export const CONSOLE_USERS = [
  { name: "chen", groups: ["departments"] },
  { name: "alice", groups: ["departments"] },
  { name: "dev-wu", groups: ["departments"] },
  { name: "platform-wang", groups: ["platform-team"] },
  { name: "platform-li", groups: ["platform-team"] },
];

export interface ConsoleFixture {
  plane: ControlPlane;
  operator: Operator;
  admin: KubeClient;
  console: RunningConsole;
  viewUrl: string;
  stop(): Promise<void>;
}

export async function startConsoleFixture(name: string, sessionLimits?: Partial<SessionLimits>): Promise<ConsoleFixture> {
  const plane = await ControlPlane.start({ name, users: CONSOLE_USERS });
  let operator: Operator | undefined;
  let view: Server | undefined;
  let running: RunningConsole | undefined;
  const stop = async () => {
    await running?.close();
    view?.close();
    await operator?.stop();
    await plane.stop();
  };
  try {
    operator = await startOperator(plane, await installYunshu(plane));
    // The capacity pool and the groups' bindings, as the demo applies them.
    const applied = await plane.kubectl(["apply", "-f", join(import.meta.dirname, "..", "..", "crds", "samples", "self-service.yaml")]);
    if (applied.code !== 0) throw new Error(`applying the self-service sample failed: ${applied.stderr}`);
    const admin = new KubeClient(plane.credentials());
    // The hub, registered as the Cluster hunan, as the demo's fleet has it.
    await registerHub(plane, "hunan", { displayName: "湖南省政务云", region: "hunan", tier: "province", capacity: { allocatable: { "requests.cpu": "64", "requests.memory": "256Gi", pods: "2000" } } });
    const tenants = [
      tenant("changsha-health", { displayName: "长沙市卫生健康委员会", level: "city", owners: [{ kind: "User", name: "chen" }], namespaces: [{ name: "prod" }, { name: "dev" }], quota: { hard: { "requests.cpu": "6", "requests.memory": "12Gi", pods: "60" } } }),
      tenant("changsha-kaifu-health", { displayName: "开福区卫生健康局", level: "county", parent: "changsha-health", owners: [{ kind: "User", name: "kaifu-clerk" }], quota: { hard: { "requests.cpu": "1", "requests.memory": "2Gi", pods: "10" } } }),
      tenant("hunan-data-bureau", { displayName: "湖南省数据局", level: "province", owners: [{ kind: "User", name: "alice" }], members: [{ kind: "User", name: "dev-wu", role: "developer" }], quota: { hard: { "requests.cpu": "8", pods: "40" } } }),
    ];
    for (const t of tenants) await admin.create(TENANTS, t as Tenant & KubeObject);
    await Promise.all(
      tenants.map((t) =>
        waitForReady(plane, t.metadata.name, 60_000).catch(async (err: unknown) => {
          const seen = await admin.get<Tenant & KubeObject>(TENANTS, t.metadata.name);
          throw new Error(`${(err as Error).message}; its conditions: ${JSON.stringify(seen?.status?.conditions)}`);
        }),
      ),
    );
    // Something running, so that the quota charts show use (no kubelet runs them: they stay Pending, and count).
    for (const [namespace, pods] of [["changsha-health-prod", 4], ["changsha-health-dev", 2], ["hunan-data-bureau-prod", 3]] as const) {
      for (let i = 0; i < pods; i++) await admin.create(PODS, { ...restrictedPod(`app-${i}`, "500m"), apiVersion: "v1", kind: "Pod", metadata: { name: `app-${i}`, namespace } } as KubeObject);
    }
    const served = await serveDepartmentView(plane, operator);
    view = served.server;
    running = await startLocalConsole(plane, served.url, sessionLimits);
    return { plane, operator, admin, console: running, viewUrl: served.url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
