// The operator's metrics as SREs get them: a real Prometheus (yunshu's build
// from its Go module, or PROMETHEUS_BIN_DIR's; tools/toolchain/prometheus.ts)
// scrapes a running `yunshu operator`, and PromQL answers a tenant's quota
// used and hard. Also: every documented metric is exported, and a deleted
// tenant's series disappear.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlane, freePort } from "../../tools/controlplane/controlplane.ts";
import { startSupervised, type Supervised } from "../../tools/controlplane/processes.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, restrictedPod, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";
import { ensurePrometheus } from "../../tools/toolchain/prometheus.ts";

const yunshu = join(import.meta.dirname, "../../bin/yunshu.js");

let plane: ControlPlane;
let operator: ChildProcess;
let operatorPort: number;
let prometheus: Supervised;
let prometheusPort: number;

const scrape = async () => (await fetch(`http://127.0.0.1:${operatorPort}/metrics`)).text();

async function promql(query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`http://127.0.0.1:${prometheusPort}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data.result;
}

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "metrics" });
  const kubeconfig = plane.kubeconfigPath(await installYunshu(plane));
  const logFile = join(plane.dir, "logs", "operator.log");
  const fd = openSync(logFile, "a");
  operator = spawn(process.execPath, [yunshu, "operator", "--kubeconfig", kubeconfig, "--http-bind-address", "127.0.0.1:0"], { stdio: ["ignore", fd, fd] });
  closeSync(fd);
  operatorPort = await eventually("the operator to serve metrics", () => {
    const line = readFileSync(logFile, "utf8").split("\n").find((l) => l.includes("serving /metrics"));
    return line ? (JSON.parse(line) as { port: number }).port : undefined;
  });

  const dir = join(plane.dir, "prometheus");
  await mkdir(dir);
  await writeFile(
    join(dir, "prometheus.yml"),
    `global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: yunshu-operator\n    static_configs: [{targets: ["127.0.0.1:${operatorPort}"]}]\n`,
  );
  prometheusPort = await freePort();
  prometheus = startSupervised(
    "prometheus",
    (await ensurePrometheus()).prometheus,
    [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${prometheusPort}`],
    join(plane.dir, "logs", "prometheus.log"),
  );
});

afterAll(async () => {
  operator?.kill("SIGKILL");
  await prometheus?.stop();
  await plane?.stop();
});

describe("metrics", () => {
  it("export every documented series", async () => {
    await tenantsApi(plane).create(tenant("metered", { quota: { hard: { pods: "10", "requests.memory": "2Gi" } }, securityLevel: 3 }));
    await waitForReady(plane, "metered");
    const text = await scrape();
    for (const name of [
      'controller_runtime_reconcile_total{controller="tenant",result="success"}',
      'controller_runtime_reconcile_errors_total{controller="tenant"}',
      'controller_runtime_reconcile_time_seconds_bucket{le="0.005",controller="tenant"}',
      'controller_runtime_active_workers{controller="tenant"}',
      'controller_runtime_max_concurrent_reconciles{controller="tenant"} 4',
      'workqueue_depth{name="tenant"}',
      'workqueue_adds_total{name="tenant"}',
      'workqueue_retries_total{name="tenant"}',
      'workqueue_queue_duration_seconds_count{name="tenant"}',
      'workqueue_work_duration_seconds_count{name="tenant"}',
      'leader_election_master_status{name="yunshu-operator"} 1',
      'yunshu_watch_relists_total{resource="tenants"} 1',
      'yunshu_watch_expired_total{resource="namespaces"} 0',
      'yunshu_watch_reconnects_total{resource="resourcequotas"} 0',
      'yunshu_watch_last_event_age_seconds{resource="tenants"}',
      'yunshu_tenant_quota_hard{tenant="metered",resource="pods"} 10',
      'yunshu_tenant_quota_hard{tenant="metered",resource="requests.memory"} 2147483648',
      'yunshu_tenant_condition{tenant="metered",type="Ready",status="True"} 1',
      'yunshu_tenant_condition{tenant="metered",type="Ready",status="False"} 0',
      'yunshu_tenant_namespaces{tenant="metered"} 1',
      'yunshu_managed_objects{kind="Namespace"} 1',
      'yunshu_managed_objects{kind="NetworkPolicy"} 2',
      'yunshu_build_info{version="0.1.0"',
    ]) {
      expect(text).toContain(name);
    }
  });

  it("reach a real Prometheus, where PromQL answers a tenant's quota used and hard", async () => {
    const core = plane.kubeConfig().makeApiClient(CoreV1Api);
    await eventually("quota usage to be known", async () =>
      (await core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: "metered-prod" })).status?.used?.pods === "0",
    );
    await core.createNamespacedPod({ namespace: "metered-prod", body: restrictedPod("p1") });
    await core.createNamespacedPod({ namespace: "metered-prod", body: restrictedPod("p2") });
    const used = await eventually(
      "Prometheus to see 2 pods used",
      async () => {
        const r = await promql('yunshu_tenant_quota_used{tenant="metered",resource="pods"}');
        return r[0]?.value[1] === "2" ? r[0] : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(used.metric).toMatchObject({ job: "yunshu-operator", tenant: "metered", resource: "pods" });
    const ratio = await promql('yunshu_tenant_quota_used{tenant="metered",resource="pods"} / yunshu_tenant_quota_hard{tenant="metered",resource="pods"}');
    expect(Number(ratio[0]?.value[1])).toBeCloseTo(0.2);
    const up = await promql('up{job="yunshu-operator"}');
    expect(up[0]?.value[1]).toBe("1");
    const sample = (await scrape()).split("\n").filter((l) => l.startsWith("yunshu_tenant_") || l.startsWith("controller_runtime_reconcile_total"));
    console.log(`sample scrape:\n${sample.join("\n")}`);
  });

  it("drop a deleted tenant's series", async () => {
    await tenantsApi(plane).delete("metered");
    await eventually("the tenant's series to disappear", async () => ((await scrape()).includes('tenant="metered"') ? undefined : true), { timeoutMs: 30_000 });
  });
});
