// The operator's ClusterRole (crds/operator-clusterrole.yaml, which the Helm
// chart installs as is) is sufficient and minimal: with it, a scenario that
// walks every write path of the tenant reconcile succeeds as the operator's
// ServiceAccount; without any one of its rules, the same scenario fails. So
// no rule is excess, and none is missing. Its one Role beyond it, reading
// member kubeconfig Secrets, is held to the same: needed, and only where they live.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api, RbacAuthorizationV1Api, type V1ClusterRole } from "@kubernetes/client-node";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRDS_DIR, loadManifests } from "../../operator/api/manifests.ts";
import { CLUSTER_CREDENTIALS_NAMESPACE, OPERATOR_NAMESPACE, OPERATOR_USERNAME } from "../../operator/api/names.ts";
import { startHttpServer } from "../../operator/metrics/http-server.ts";
import { MetricsAuthorizer } from "../../operator/metrics/metrics-auth.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient } from "../../operator/runtime/kube-client.ts";
import { createLogger } from "../../operator/runtime/log.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { installYunshu, startOperator, tenant, tenantsApi } from "../../tools/local/yunshu.ts";
import { sleep } from "../../operator/runtime/sleep.ts";

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

let plane: ControlPlane;
let identity: string;
let rules: Rule[];
let core: CoreV1Api;

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "rbac", users: [{ name: "approver", groups: ["system:masters"] }] });
  identity = await installYunshu(plane);
  const pool = "apiVersion: yunshu.io/v1alpha1\nkind: CapacityPool\nmetadata: { name: default }\nspec: { allocatable: { pods: '1000' } }\n";
  expect((await plane.kubectl(["create", "-f", "-"], "admin", pool)).code).toBe(0);
  rules = (parse(await readFile(join(CRDS_DIR, "operator-clusterrole.yaml"), "utf8")) as { rules: Rule[] }).rules;
  core = plane.kubeConfig().makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await plane?.stop();
});

async function setRules(ruleSet: Rule[]): Promise<void> {
  const rbac = plane.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
  const role = await rbac.readClusterRole({ name: "yunshu-operator" });
  await rbac.replaceClusterRole({ name: "yunshu-operator", body: { ...role, rules: ruleSet } as V1ClusterRole });
  // RBAC changes reach the authorizer through its informer: give it a moment.
  await sleep(500);
}

/** Polls `check` until it holds or `ms` pass; false on timeout. */
async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(250);
  }
  return false;
}

/**
 * Every write path: create namespaces, quotas, limits, policies and bindings
 * (with an owner ServiceAccount to check), record events, write status,
 * judge a TenantRequest and the capacity pool, carry out an approved
 * request, audit the cluster's isolation, judge a Share, probe a Cluster, release a namespace (deletionPolicy Retain), offboard the
 * tenant (its namespaces and volume deleted, the final check, the record); and answer an authorized /metrics scrape,
 * which the operator decides with a TokenReview and a SubjectAccessReview.
 * Returns the first step that did not happen.
 */
async function scenario(name: string): Promise<string | undefined> {
  let operator: Operator;
  try {
    operator = await startOperator(plane, identity, { workers: 2, syncTimeoutMs: 5_000, offboardingGracePeriodMs: 1_000, auditIntervalMs: 1_000 });
  } catch {
    return "operator caches synced";
  }
  const tenants = tenantsApi(plane);
  const auth = new MetricsAuthorizer(new KubeClient(plane.credentials(identity)));
  const { server, port } = await startHttpServer("127.0.0.1:0", { registry: operator.metrics.registry, isReady: () => operator.isReady, log: createLogger("error"), auth });
  try {
    const scraped = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${plane.token("admin")}` } });
    if (scraped.status !== 200) return `/metrics served to an authorized scraper (${scraped.status} ${await scraped.text()})`;
    await tenants.create(
      tenant(name, {
        owners: [
          { kind: "ServiceAccount", name: "default", namespace: "default" },
          { kind: "User", name: "admin" },
        ],
        namespaces: [{ name: "a" }, { name: "b" }],
        quota: { hard: { pods: "4" } },
        limits: { default: { cpu: "200m" } },
        securityLevel: 2,
      }),
    );
    const ready = await within(8_000, async () => {
      const t = await tenants.get(name);
      return t.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True" && c.observedGeneration === t.metadata.generation) === true &&
        // Unknown: the User owner (who files the Offboard request) cannot be checked; the ServiceAccount is, and exists.
        t.status?.conditions?.some((c) => c.type === "OwnersVerified" && c.reason === "ExternalIdentities") === true;
    });
    if (!ready) {
      const t = await tenants.get(name).catch(() => undefined);
      return `tenant Ready with owners verified (status: ${JSON.stringify(t?.status?.conditions?.map((c) => [c.type, c.status, c.message]))})`;
    }
    const evented = await within(3_000, async () =>
      (await core.listNamespacedEvent({ namespace: "default", fieldSelector: `involvedObject.name=${name}` })).items.some((e) => e.reason === "NamespacesCreated"),
    );
    if (!evented) return "NamespacesCreated event";
    const selfService = await requestScenario(name);
    if (selfService) return selfService;
    const audited = await within(10_000, async () => [...operator.auditor.latest.values()].some((r) => r.audit.namespaces.some((n) => n.tenant === name)));
    if (!audited) return "isolation audit of the hub";
    const share = JSON.stringify({
      apiVersion: "yunshu.io/v1alpha1",
      kind: "Share",
      metadata: { name: `${name}-share` },
      spec: {
        provider: { tenant: name, namespace: "a", podSelector: {}, ports: [{ port: 443 }] },
        consumer: { tenant: `${name}-req` },
        offeredBy: { username: "admin" },
        purpose: "rbac test",
      },
    });
    if ((await plane.kubectl(["create", "-f", "-"], "admin", share)).code !== 0) return "Share offered";
    const judged = await within(5_000, async () => (await plane.kubectl(["get", "shares.yunshu.io", `${name}-share`, "-o", "jsonpath={.status.phase}"])).stdout === "Offered");
    if (!judged) return "Share judged (status.phase Offered)";
    const cluster = JSON.stringify({ apiVersion: "yunshu.io/v1alpha1", kind: "Cluster", metadata: { name: `${name}-hub` }, spec: { region: "hunan", tier: "province" } });
    if ((await plane.kubectl(["create", "-f", "-"], "admin", cluster)).code !== 0) return "Cluster created";
    const probed = await within(5_000, async () => (await plane.kubectl(["get", "clusters.yunshu.io", `${name}-hub`, "-o", 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).stdout === "True");
    if (!probed) return "hub Cluster probed Ready";
    await tenants.update(name, (spec) => ({ ...spec, namespaces: [{ name: "a" }] }));
    const released = await within(8_000, async () => (await core.readNamespace({ name: `${name}-b` })).metadata?.labels?.["yunshu.io/released"] === "true");
    if (!released) return "namespace released";
    // Offboarding: the grace period over, everything of the tenant goes, the volume bound to its claim too, and is recorded.
    const volume = JSON.stringify({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: `${name}-data` },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], storageClassName: "", hostPath: { path: "/tmp/x" }, claimRef: { namespace: `${name}-a`, name: "data" } },
    });
    if ((await plane.kubectl(["create", "-f", "-"], "admin", volume)).code !== 0) return "PersistentVolume created";
    const offboard = await approvedRequest(`${name}-off`, { tenant: name, action: "Offboard", reason: "rbac test" });
    if (offboard) return offboard;
    const finalized = await within(20_000, async () => {
      const gone = await tenants.get(name).then(() => false, () => true);
      const volumeGone = (await plane.kubectl(["get", "pv", `${name}-data`])).code !== 0;
      const recorded = (await plane.kubectl(["get", "offboardingrecord", `${name}-off`])).code === 0;
      return gone && volumeGone && recorded;
    });
    if (!finalized) return "offboarded tenant deleted, its volume too, and recorded";
    return undefined;
  } finally {
    server.close();
    await operator.stop();
  }
}

/** A department's request for a new tenant, judged, approved by another user, and carried out. */
async function requestScenario(name: string): Promise<string | undefined> {
  const poolCounted = await within(5_000, async () => (await plane.kubectl(["get", "capacitypool", "default", "-o", "jsonpath={.status.tenants}"])).stdout !== "");
  if (!poolCounted) return "capacity pool status";
  return approvedRequest(`${name}-req`, { tenant: `${name}-req`, action: "Create", reason: "rbac test", displayName: "x", level: "county", quota: { hard: { pods: "1" } } });
}

/** A request filed by admin, judged, approved by another user, and carried out. */
async function approvedRequest(requestName: string, spec: Record<string, unknown>): Promise<string | undefined> {
  const request = JSON.stringify({ apiVersion: "yunshu.io/v1alpha1", kind: "TenantRequest", metadata: { name: requestName }, spec: { ...spec, requester: { username: "admin" } } });
  if ((await plane.kubectl(["create", "-f", "-"], "admin", request)).code !== 0) return `request ${requestName} filed`;
  const get = async (path: string) => (await plane.kubectl(["get", "tenantrequest", requestName, "-o", `jsonpath=${path}`])).stdout;
  if (!(await within(5_000, async () => (await get('{.status.conditions[?(@.type=="Fits")].status}')) === "True"))) return `request ${requestName} judged (Fits)`;
  const decision = JSON.stringify({
    status: { decidedBy: "approver", conditions: [{ type: "Approved", status: "True", reason: "Approved", message: "ok", lastTransitionTime: "2026-01-01T00:00:00Z" }] },
  });
  const approved = await plane.kubectl(["patch", "tenantrequest", requestName, "--subresource", "status", "--type", "merge", "-p", decision], "approver");
  if (approved.code !== 0) return `request ${requestName} approved (${approved.stderr})`;
  if (!(await within(5_000, async () => (await get('{.status.conditions[?(@.type=="Applied")].status}')) === "True"))) {
    return `approved request ${requestName} applied (${await get('{.status.conditions[?(@.type=="Applied")].message}')})`;
  }
  return undefined;
}

describe("the operator's ClusterRole", () => {
  it("is sufficient: every write path works as the operator's ServiceAccount", async () => {
    await setRules(rules);
    expect(await scenario("rbac-full")).toBeUndefined();
  });

  it("is minimal: without any one of its rules, something the operator must do fails", async () => {
    const failures: string[] = [];
    for (const [i, rule] of rules.entries()) {
      await setRules(rules.filter((_, j) => j !== i));
      const failedAt = await scenario(`rbac-without-${i}`);
      failures.push(`${rule.resources.join(",")} [${rule.verbs.join(",")}] -> ${failedAt ?? "NOTHING FAILED"}`);
    }
    await setRules(rules);
    console.log(`rules and the first step that fails without each:\n${failures.join("\n")}`);
    expect(failures.filter((f) => f.endsWith("NOTHING FAILED"))).toEqual([]);
    // One scenario per rule, each walking every write path through an offboarding.
  }, 600_000);
});

describe("the operator's access to Secrets", () => {
  it("is reading them in yunshu-clusters, needed there and had nowhere else", async () => {
    const binding = (await loadManifests()).find((m) => m.kind === "RoleBinding" && m.metadata.name === "yunshu-operator-cluster-credentials");
    expect(binding?.metadata.namespace).toBe(CLUSTER_CREDENTIALS_NAMESPACE);
    const canI = async (verb: string, namespace: string) => (await plane.kubectl(["auth", "can-i", verb, "secrets", "-n", namespace, "--as", OPERATOR_USERNAME])).stdout.trim();
    expect(await canI("list", CLUSTER_CREDENTIALS_NAMESPACE)).toBe("yes");
    for (const namespace of [OPERATOR_NAMESPACE, "default"]) expect(await canI("get", namespace), namespace).toBe("no");
    expect(await canI("create", CLUSTER_CREDENTIALS_NAMESPACE)).toBe("no");

    const removed = await plane.kubectl(["delete", "rolebinding", "-n", CLUSTER_CREDENTIALS_NAMESPACE, "yunshu-operator-cluster-credentials"]);
    expect(removed.code, removed.stderr).toBe(0);
    await sleep(500);
    try {
      expect(await scenario("rbac-no-credentials")).toBe("operator caches synced");
    } finally {
      await installYunshu(plane);
    }
  });
});
