// The operator's metrics as SREs get them: a real Prometheus (yunshu's build
// from its Go module, or PROMETHEUS_BIN_DIR's; tools/toolchain/prometheus.ts)
// scrapes a running `yunshu operator` with the token of a ServiceAccount bound
// to yunshu-metrics-reader, and PromQL answers a tenant's quota used and hard.
// Also: every documented metric is exported, a deleted tenant's series
// disappear, nobody else reads them (no token, a bad token, a department's
// token), and fifty requests from a department add no series.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { fileRequest } from "../../tools/local/requests.ts";
import { installYunshu, restrictedPod, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";
import { KubeClient } from "../../operator/runtime/kube-client.ts";
import { startPrometheus, type TestPrometheus } from "../support/prometheus.ts";

const yunshu = join(import.meta.dirname, "../../bin/yunshu.js");

let plane: ControlPlane;
let operator: ChildProcess;
let operatorPort: number;
let prometheus: TestPrometheus;
let readerToken: string;

const DEPARTMENT = "changsha-clerk";

const get = (path: string, token?: string) => fetch(`http://127.0.0.1:${operatorPort}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

async function scrape(path = "/metrics"): Promise<string> {
  const response = await get(path, readerToken);
  expect(response.status).toBe(200);
  return response.text();
}

/** Series (sample lines) whose name starts with `prefix`. */
const series = (text: string, prefix: string) => text.split("\n").filter((l) => l.startsWith(prefix));

const promql = (query: string) => prometheus.query(query);

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "metrics", users: [{ name: DEPARTMENT, groups: ["departments", "changsha"] }] });
  const kubeconfig = plane.kubeconfigPath(await installYunshu(plane));
  // Prometheus's ServiceAccount, bound to the reader role as the README asks; the department files requests.
  const access = `
apiVersion: v1
kind: Namespace
metadata: { name: monitoring }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: prometheus, namespace: monitoring }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: prometheus-yunshu-metrics }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: yunshu-metrics-reader }
subjects: [{ kind: ServiceAccount, name: prometheus, namespace: monitoring }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: departments }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: yunshu-department }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: departments }]
`;
  const applied = await plane.kubectl(["apply", "-f", "-"], "admin", access);
  expect(applied.code, applied.stderr).toBe(0);
  readerToken = plane.token(await plane.serviceAccountIdentity("monitoring", "prometheus"));
  const logFile = join(plane.dir, "logs", "operator.log");
  const fd = openSync(logFile, "a");
  operator = spawn(process.execPath, [yunshu, "operator", "--kubeconfig", kubeconfig, "--http-bind-address", "127.0.0.1:0"], { stdio: ["ignore", fd, fd] });
  closeSync(fd);
  operatorPort = await eventually("the operator to serve metrics", () => {
    const line = readFileSync(logFile, "utf8").split("\n").find((l) => l.includes("serving /metrics"));
    return line ? (JSON.parse(line) as { port: number }).port : undefined;
  });

  prometheus = await startPrometheus(plane, async (dir) => {
    await writeFile(join(dir, "token"), readerToken, { mode: 0o600 });
    return `global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: yunshu-operator\n    authorization: {credentials_file: ${join(dir, "token")}}\n    static_configs: [{targets: ["127.0.0.1:${operatorPort}"]}]\n  - job_name: yunshu-metering\n    metrics_path: /metrics/metering\n    authorization: {credentials_file: ${join(dir, "token")}}\n    static_configs: [{targets: ["127.0.0.1:${operatorPort}"]}]\n`;
  });
});

afterAll(async () => {
  operator?.kill("SIGKILL");
  await prometheus?.process.stop();
  await plane?.stop();
});

describe("metrics", () => {
  it("export every documented series", async () => {
    await tenantsApi(plane).create(
      tenant("metered", { owners: [{ kind: "Group", name: "changsha" }], quota: { hard: { pods: "10", "requests.memory": "2Gi" } }, securityLevel: 3 }),
    );
    await waitForReady(plane, "metered");
    // The isolation audit runs when the operator starts leading (then every 5 minutes): its series come with its first result.
    const health = await eventually("the first isolation audit's series", async () => {
      const scraped = await scrape();
      return scraped.includes("yunshu_isolation_audit_last_success_timestamp_seconds{") ? scraped : undefined;
    });
    const metering = await scrape("/metrics/metering");
    // Chargeback's series are apart, so that they are scraped less often than the operator's health.
    expect(series(health, "yunshu_namespace_")).toEqual([]);
    expect(series(metering, "controller_runtime_")).toEqual([]);
    const text = `${health}\n${metering}`;
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
      // Chargeback's metering: the namespace's quota with its cluster and tenant, and who the tenant is.
      'yunshu_namespace_quota_hard{cluster="hub",tenant="metered",namespace="metered-prod",resource="pods"} 10',
      'yunshu_namespace_quota_hard{cluster="hub",tenant="metered",namespace="metered-prod",resource="requests.memory"} 2147483648',
      'yunshu_namespace_info{cluster="hub",tenant="metered",namespace="metered-prod"} 1',
      'yunshu_tenant_info{tenant="metered",display_name="测试部门 metered",level="province",parent=""} 1',
      'yunshu_managed_objects{kind="Namespace"} 1',
      'yunshu_managed_objects{kind="NetworkPolicy"} 3',
      'yunshu_isolation_violations{audited_cluster="hub",kind="CrossTenantPath"} 0',
      'yunshu_isolation_violations{audited_cluster="hub",kind="MissingDefaultDeny"} 0',
      'yunshu_isolation_audit_last_success_timestamp_seconds{audited_cluster="hub"}',
      'yunshu_isolation_audit_duration_seconds{audited_cluster="hub"}',
      'yunshu_build_info{version="0.1.0"',
      'yunshu_tenant_requests_pending{action="Create"} 0',
      'yunshu_tenant_requests_oldest_pending_age_seconds{action="Create"} 0',
      'yunshu_metrics_auth_decisions_total{source="reviewed"}',
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
    // Prometheus scrapes every second with one token: after the first, decisions come from memory (60 s).
    const decisions = await eventually(
      "most /metrics decisions to come from memory",
      async () => {
        const d = Object.fromEntries((await promql("yunshu_metrics_auth_decisions_total")).map((r) => [r.metric.source, Number(r.value[1])]));
        const cached = d.cached ?? 0;
        return cached >= 15 ? { ...d, hitRatio: cached / (cached + (d.reviewed ?? 0)) } : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    console.log(`/metrics decisions: ${JSON.stringify(decisions)}`);
    expect(decisions.hitRatio).toBeGreaterThan(0.8);
    const sample = (await scrape()).split("\n").filter((l) => l.startsWith("yunshu_tenant_") || l.startsWith("controller_runtime_reconcile_total"));
    console.log(`sample scrape:\n${sample.join("\n")}`);
  });

  it("drop a deleted tenant's series, but keep metering the namespace it leaves (released, its quota still charged)", async () => {
    await tenantsApi(plane).delete("metered");
    const tenantSeries = (text: string) => text.split("\n").filter((l) => l.startsWith("yunshu_tenant_") && l.includes('tenant="metered"'));
    await eventually("the tenant's series to disappear", async () => tenantSeries(await scrape()).length === 0, { timeoutMs: 30_000 });
    const text = await scrape("/metrics/metering");
    expect(text).toContain('yunshu_namespace_quota_hard{cluster="hub",tenant="metered",namespace="metered-prod",resource="pods"}');
  });

  it("file fifty requests from one department without adding a series", async () => {
    const requestSeries = (text: string) => series(text, "yunshu_tenant_request");
    const before = await scrape();
    const department = new KubeClient(plane.credentials(DEPARTMENT));
    const filed: string[] = [];
    for (let i = 0; i < 50; i++) {
      filed.push((await fileRequest(department, DEPARTMENT, { tenant: `flood-${i}`, action: "Create", reason: "metrics test", displayName: "x", level: "county" })).metadata.name);
    }
    const after = await eventually("the operator to count 50 pending requests", async () => {
      const text = await scrape();
      return text.includes('yunshu_tenant_requests_pending{action="Create"} 50') ? text : undefined;
    });
    const names = (text: string) => new Set(series(text, "").filter((l) => l && !l.startsWith("#")).map((l) => l.replace(/ [^ ]+$/, "")));
    const added = [...names(after)].filter((name) => !names(before).has(name));
    console.log(
      `request series: ${requestSeries(before).length} before, ${requestSeries(after).length} after 50 requests; all series: ${names(before).size} before, ${names(after).size} after; new: ${[...new Set(added.map((a) => a.replace(/\{.*/, "")))].join(", ")}`,
    );
    expect(requestSeries(after).length).toBe(requestSeries(before).length);
    expect(filed.filter((name) => after.includes(name))).toEqual([]);
    expect(Number(/yunshu_tenant_requests_oldest_pending_age_seconds\{action="Create"\} (\S+)/.exec(after)?.[1])).toBeGreaterThan(0);
  });
});

describe("the metrics endpoint", () => {
  it("refuses a scrape without a token, or with an invalid one (401), and lists nothing", async () => {
    for (const path of ["/metrics", "/metrics/metering"]) {
      for (const token of [undefined, "not-a-token", `${readerToken}x`]) {
        const response = await get(path, token);
        expect(response.status).toBe(401);
        expect(await response.text()).not.toContain("yunshu_");
      }
    }
  });

  it("refuses a department's valid token (403), and lists nothing", async () => {
    // The department owns a tenant and filed requests: it is known, yet not entitled to other tenants' series.
    for (const path of ["/metrics", "/metrics/metering"]) {
      const response = await get(path, plane.token(DEPARTMENT));
      expect(response.status).toBe(403);
      const body = await response.text();
      expect(body).not.toContain("yunshu_");
      expect(body).not.toContain("flood-");
    }
  });

  it("answers the metrics reader, and keeps the probes open without a token", async () => {
    const response = await get("/metrics", readerToken);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("yunshu_tenant_requests_pending");
    const metering = await get("/metrics/metering", readerToken);
    expect(metering.status).toBe(200);
    expect(await metering.text()).toContain("yunshu_namespace_info{");
    for (const probe of ["/healthz", "/readyz"]) expect((await get(probe)).status).toBe(200);
  });
});
