// The isolation audit as an MLPS evaluator and an SRE meet it: on a fleet
// yunshu set up (departments, an accepted Share, a released namespace) it
// finds nothing; violations seeded the way they happen in real life (a
// ClusterRoleBinding to an outsider made as cluster-admin, a policy opened
// with yunshu's admission protection switched off, a released namespace
// reopened) are found by `kubectl yunshu audit` (table and JSON), counted in
// yunshu_isolation_violations, and fire YunshuIsolationViolation (the
// chart's own alerts.yaml) in a real Prometheus; removing them brings the
// count back to zero.
import type { Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NetworkPolicy } from "../../operator/api/core-types.ts";
import type { Share, ShareAction } from "../../operator/api/generated.ts";
import type { KubeObject, ResourceType } from "../../operator/api/meta.ts";
import { CLUSTER_ROLE_BINDINGS, NAMESPACES, NETWORK_POLICIES, PODS, SHARE_ACTIONS, SHARES, TENANTS } from "../../operator/api/resources.ts";
import type { ClusterAudit } from "../../operator/audit/judge.ts";
import { startHttpServer } from "../../operator/metrics/http-server.ts";
import type { Operator } from "../../operator/operator.ts";
import { main } from "../../operator/plugin/index.ts";
import { KubeClient } from "../../operator/runtime/kube-client.ts";
import { createLogger } from "../../operator/runtime/log.ts";
import { isReleased } from "../../operator/tenant/labels.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, startOperator } from "../../tools/local/yunshu.ts";
import { startPrometheus, type TestPrometheus } from "../support/prometheus.ts";
import { labelledPod, setUpDepartments, USERS } from "../support/sharing-fixture.ts";

const ALERTS = join(import.meta.dirname, "../../charts/yunshu/files/alerts.yaml");
const VAP_BINDINGS: ResourceType = { group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingAdmissionPolicyBinding", plural: "validatingadmissionpolicybindings", namespaced: false };

let plane: ControlPlane;
let operator: Operator;
let metricsServer: Server;
let prometheus: TestPrometheus;
let admin: KubeClient;

/** `kubectl yunshu audit …` run in this process, as the platform admin. */
async function audit(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["audit", "--kubeconfig", plane.kubeconfigPath("admin"), ...args], "kubectl yunshu", { out: (t) => void (out += t), err: (t) => void (err += t), now: () => new Date() });
  return { code, out, err };
}

const latest = () => operator.auditor.latest.get("hub")?.audit;
/** The operator's next audit, after `since`. */
const auditAfter = (since: number, accept: (a: ClusterAudit) => boolean) =>
  eventually("the operator's next isolation audit", () => {
    const result = operator.auditor.latest.get("hub");
    return result && result.at > since && accept(result.audit) ? result.audit : undefined;
  }, { timeoutMs: 20_000 });

const promql = (query: string) => prometheus.query(query);

const netpol = (namespace: string, name: string, spec: NetworkPolicy["spec"]): NetworkPolicy & KubeObject => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec });

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "audit", users: USERS });
  operator = await startOperator(plane, await installYunshu(plane), { auditIntervalMs: 1_000 });
  admin = new KubeClient(plane.credentials());
  await setUpDepartments(plane, admin);
  const alice = new KubeClient(plane.credentials("alice"));
  const bob = new KubeClient(plane.credentials("bob"));
  const groups = (u: string) => [...USERS.find((x) => x.name === u)!.groups, "system:authenticated"];
  await alice.create(SHARES, {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Share",
    metadata: { name: "health-records" },
    spec: {
      provider: { tenant: "hunan-health", namespace: "prod", podSelector: { matchLabels: { app: "api" } }, ports: [{ protocol: "TCP", port: 8443 }] },
      consumer: { tenant: "hunan-bigdata", namespaces: ["prod"] },
      offeredBy: { username: "alice", groups: groups("alice") },
      purpose: "政务数据共享目录 HN-0042",
    },
  } as Share & KubeObject);
  await bob.create(SHARE_ACTIONS, { apiVersion: "yunshu.io/v1alpha1", kind: "ShareAction", metadata: { name: "bob-accepts" }, spec: { share: "health-records", action: "Accept", actor: { username: "bob", groups: groups("bob") } } } as ShareAction & KubeObject);
  await eventually("the share's policies", () => admin.get(NETWORK_POLICIES, "yunshu-share-health-records", "hunan-bigdata-prod"));
  // The health commission gives up its dev namespace: released, with its tester pod in it.
  await admin.mergePatch(TENANTS, "hunan-health", { spec: { namespaces: [{ name: "prod" }] } });
  await eventually("hunan-health-dev to be released", async () => {
    const ns = await admin.get<KubeObject>(NAMESPACES, "hunan-health-dev");
    return ns && isReleased(ns);
  });

  metricsServer = (await startHttpServer("127.0.0.1:0", { registry: operator.metrics.registry, isReady: () => operator.isReady, log: createLogger("error"), auth: undefined })).server;
  const metricsPort = (metricsServer.address() as { port: number }).port;
  prometheus = await startPrometheus(
    plane,
    async () =>
      `global: {scrape_interval: 1s, evaluation_interval: 1s}\nrule_files: [${ALERTS}]\n` +
      `scrape_configs:\n  - job_name: yunshu-operator\n    static_configs: [{targets: ["127.0.0.1:${metricsPort}"], labels: {namespace: yunshu-system}}]\n`,
  );
});

afterAll(async () => {
  metricsServer?.close();
  await prometheus?.process.stop();
  await operator?.stop();
  await plane?.stop();
});

describe("the isolation audit", () => {
  it("finds nothing wrong in what yunshu set up: an accepted Share's path is backed, the released namespace is fenced in", async () => {
    const clean = await auditAfter(Date.now(), (a) => a.namespaces.length === 6);
    expect(clean.violations).toEqual([]);
    const health = clean.namespaces.find((n) => n.namespace === "hunan-health-prod")!;
    expect(health.defaultDeny).toBe(true);
    expect(health.ingress).toEqual([{ peer: "hunan-bigdata-prod/client → hunan-health-prod/api", ports: "TCP 8443" }]);
    expect(health.access.map((a) => a.subject)).toContain("Group:health-ops");
    const released = clean.namespaces.find((n) => n.namespace === "hunan-health-dev")!;
    expect(released).toMatchObject({ released: true, defaultDeny: true, ingress: [], egress: [] });
    const cli = await audit();
    expect(cli.code, cli.err).toBe(0);
    expect(cli.out).toContain("Cluster hub: 6 tenant namespace(s), 0 violation(s)");
    expect(cli.out).toContain("No violations");
  });

  it("finds a binding to an outsider, a namespace opened to pods no tenant owns, and a released namespace reopened, with protection off", async () => {
    // Cluster-admin binds someone from another department to `view` everywhere.
    await admin.create(CLUSTER_ROLE_BINDINGS, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "mallory-view" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "mallory" }],
    } as KubeObject);
    // yunshu's admission policy for departments' own policies switched off, then a debugging hole opened.
    const binding = (await admin.get<KubeObject>(VAP_BINDINGS, "yunshu-tenant-network-policies"))!;
    await admin.delete(VAP_BINDINGS, "yunshu-tenant-network-policies");
    const open = netpol("hunan-health-prod", "debug-open", { podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }] }] });
    await eventually("the protection to be off", () => admin.create(NETWORK_POLICIES, open).then(() => true, () => false));
    await admin.create(NETWORK_POLICIES, netpol("hunan-health-dev", "reopen", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { "yunshu.io/tenant": "hunan-health" } } }] }] }));
    await admin.create(PODS, labelledPod("default", "debugger", { app: "debugger" }) as unknown as KubeObject);
    await admin.create(VAP_BINDINGS, { apiVersion: binding.apiVersion, kind: binding.kind, metadata: { name: binding.metadata.name, labels: binding.metadata.labels }, spec: (binding as KubeObject & { spec: unknown }).spec } as KubeObject);

    const found = await auditAfter(Date.now(), (a) => new Set(a.violations.map((v) => v.kind)).size === 3);
    const kinds = (k: string) => found.violations.filter((v) => v.kind === k);
    expect(kinds("OutsideSubject").map((v) => v.namespace).sort()).toEqual(["hunan-bigdata-etl", "hunan-bigdata-prod", "hunan-finance-prod", "hunan-health-prod", "hunan-security-prod"]);
    expect(kinds("OutsideSubject")[0]!.message).toContain("User:mallory can read");
    expect(kinds("CrossTenantPath").map((v) => v.message)).toContain("default/debugger (namespace default, which no tenant owns) reaches hunan-health-prod/api (tenant hunan-health) on all, and no active Share covers it");
    expect(kinds("ReleasedNamespaceOpen").map((v) => v.message)).toContainEqual(expect.stringContaining("released namespace hunan-health-dev still has policies that open it: reopen"));
    expect(kinds("ReleasedNamespaceOpen").map((v) => v.message)).toContainEqual(expect.stringContaining("User:mallory can read"));

    const cli = await audit();
    expect(cli.code).toBe(1);
    expect(cli.err).toMatch(/error: \d+ isolation violation\(s\) found/);
    expect(cli.out).toContain("Violations:");
    expect(cli.out).toMatch(/CrossTenantPath\s+hunan-health\s+hunan-health-prod\s+default\/debugger/);
    const json = await audit("-o", "json");
    const parsed = JSON.parse(json.out) as ClusterAudit[];
    expect(parsed[0]!.violations.length).toBe(found.violations.length);
  });

  it("counts them in yunshu_isolation_violations and fires YunshuIsolationViolation in a real Prometheus", { timeout: 180_000 }, async () => {
    const counted = await eventually("Prometheus to scrape the violations", async () => {
      const rows = await promql('yunshu_isolation_violations{job="yunshu-operator"} > 0');
      return rows.length === 3 ? rows : undefined;
    }, { timeoutMs: 30_000 });
    expect(counted.map((r) => r.metric.kind).sort()).toEqual(["CrossTenantPath", "OutsideSubject", "ReleasedNamespaceOpen"]);
    expect(counted.every((r) => r.metric.audited_cluster === "hub")).toBe(true);
    // The rule waits a minute, so that a namespace between its creation and its policies does not page anyone.
    const firing = await eventually("YunshuIsolationViolation to fire", async () => {
      const rows = await promql('ALERTS{alertname="YunshuIsolationViolation", alertstate="firing"}');
      return rows.length === 3 ? rows : undefined;
    }, { timeoutMs: 150_000, intervalMs: 2_000 });
    expect(firing.map((r) => r.metric.severity)).toEqual(["critical", "critical", "critical"]);
  });

  it("counts zero once they are removed", async () => {
    await admin.delete(CLUSTER_ROLE_BINDINGS, "mallory-view");
    await admin.delete(NETWORK_POLICIES, "debug-open", "hunan-health-prod");
    await admin.delete(NETWORK_POLICIES, "reopen", "hunan-health-dev");
    await admin.delete(PODS, "debugger", "default");
    const clean = await auditAfter(Date.now(), (a) => a.violations.length === 0);
    expect(clean.violations).toEqual([]);
    const scraped = await eventually("Prometheus to scrape zero", async () => {
      const rows = await promql('sum(yunshu_isolation_violations{job="yunshu-operator"})');
      return rows[0]?.value[1] === "0" ? rows : undefined;
    }, { timeoutMs: 30_000 });
    expect(scraped[0]!.value[1]).toBe("0");
    expect(latest()!.violations).toEqual([]);
  });
});
