// The cluster's own parts going away in the middle of a convergence: the
// API server restarted, then etcd restarted (same data, same ports), while
// one `yunshu operator` process keeps running throughout. It must recover
// by itself (same pid, never exited, nothing on stderr), reach exactly the
// specs, and never hand out more than a tenant-wide quota, outage included.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TENANTS } from "../../operator/api/resources.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { inParallel } from "../../operator/runtime/in-parallel.ts";
import { sleep } from "../../operator/runtime/sleep.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, tenantsApi } from "../../tools/local/yunshu.ts";
import { differencesFromSpec } from "./invariants.ts";
import { OperatorProcess } from "../../tools/local/operator-process.ts";
import { QuotaMonitor } from "./quota-monitor.ts";
import { faultRun, keepLogs, say } from "./seed.ts";
import { faultTenant, randomChange } from "./workload.ts";

const run = faultRun("test/faults/control-plane.int.test.ts");
const TENANTS_PER_BATCH = run.size === "full" ? 30 : 8;

let plane: ControlPlane;
let admin: KubeClient;
let monitor: QuotaMonitor;
let operator: OperatorProcess;
let pid: number;
const random = run.random("control-plane");
const removed = new Set<string>();
let created = 0;
let changes = 0;

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "faults-control-plane" });
  const kubeconfig = plane.kubeconfigPath(await installYunshu(plane));
  admin = new KubeClient(plane.credentials());
  monitor = new QuotaMonitor("", admin, admin);
  await monitor.start();
  operator = new OperatorProcess({ logDir: `${plane.dir}/logs`, name: "operator", kubeconfig, args: ["--workers", "4"] });
  pid = operator.pid;
});

afterAll(async () => {
  await operator?.kill();
  await monitor?.stop();
  await plane?.stop();
});

/** A batch of new tenants and changes to old ones: convergence in progress when the fault strikes. */
async function startConvergence(): Promise<void> {
  const batch = Array.from({ length: TENANTS_PER_BATCH }, () => faultTenant(random, created++));
  // Just after a restart the API server may not serve the CRD yet (503): retried, as any client would.
  await inParallel(batch, 8, (t) => eventually(`creating ${t.metadata.name}`, () => admin.create(TENANTS, t as Tenant & KubeObject), { timeoutMs: 60_000, intervalMs: 500 }));
  await changeSome(Math.ceil(created / 4));
}

async function changeSome(count: number): Promise<void> {
  const names = random.sample(Array.from({ length: created }, (_, i) => `fault-${String(i).padStart(3, "0")}`), count);
  await inParallel(names, 4, async (name) => {
    const change = randomChange(random, name, removed);
    await eventually(`changing ${name}`, () => tenantsApi(plane).update(name, change.apply), { timeoutMs: 60_000, intervalMs: 500 });
    changes++;
  });
}

async function converged(what: string, started: number): Promise<void> {
  let differences: string[] = [];
  await eventually(
    `every tenant to be its spec after ${what}`,
    async () => {
      differences = await differencesFromSpec(admin);
      return differences.length === 0;
    },
    { timeoutMs: 90_000, intervalMs: 1_000 },
  ).catch(() => undefined);
  const violations = await monitor.violations();
  say(`${what} | tenants=${created} changes=${changes} seconds=${((performance.now() - started) / 1000).toFixed(1)} differences=${differences.length} violations=${violations.length} operator-pid=${operator.pid}`);
  if (differences.length + violations.length > 0) say(`  logs kept in ${keepLogs(plane, "control-plane")}`);
  for (const line of [...differences.slice(0, 30), ...violations.slice(0, 10).map((v) => JSON.stringify(v))]) say(`  ${line}`);
  expect(differences, `differences from spec after ${what}`).toEqual([]);
  expect(violations, `tenant-wide quota exceeded during ${what}`).toEqual([]);
  expect(operator.pid).toBe(pid);
  expect(operator.exit, operator.logTail()).toBeUndefined();
  expect(operator.crashes()).toEqual([]);
}

describe(`the control plane restarted under a running operator (seed ${run.seed}, size ${run.size})`, () => {
  it("recovers from an API server restart mid-convergence without a restart of its own", async () => {
    const started = performance.now();
    await startConvergence();
    await sleep(random.int(200, 1_500));
    await plane.stopApiServer();
    const down = random.int(2_000, 6_000);
    await sleep(down);
    await plane.startApiServer();
    say(`kube-apiserver was down ${down}ms`);
    await changeSome(3);
    await converged("an API server restart", started);
  });

  it("recovers from an etcd restart mid-convergence without a restart of its own", async () => {
    const started = performance.now();
    await startConvergence();
    await sleep(random.int(200, 1_500));
    await plane.stopEtcd();
    const down = random.int(2_000, 6_000);
    await sleep(down);
    await plane.startEtcd();
    say(`etcd was down ${down}ms`);
    // Writes are accepted again once the API server has reconnected to etcd.
    await eventually("the API server to accept writes again", async () => {
      await changeSome(1);
      return true;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    await changeSome(3);
    await converged("an etcd restart", started);
  });
});
