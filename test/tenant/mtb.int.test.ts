// The Multi-Tenancy Benchmark's profile-level-1 checks (kubernetes-sigs/
// multi-tenancy, benchmarks/README.md, named as it names them), for a
// level-3 tenant, run as its owner. Each behavioural check is a pod (or
// Service) that breaks exactly one rule, next to the compliant pod it was
// made from, which is admitted: a refusal proves that rule, not another one
// the pod happened to break too. The "pending" checks of the benchmark
// (image pull always, CAP_DROP_ALL, run as non-root) are here too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResourceQuota } from "../../operator/api/core-types.ts";
import type { ResourceType } from "../../operator/api/meta.ts";
import { NAMESPACES, NETWORK_POLICIES, RESOURCE_QUOTAS } from "../../operator/api/resources.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { installYunshu, restrictedPod, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";
import { refusal } from "../support/api-errors.ts";

const PODS: ResourceType = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };
const SERVICES: ResourceType = { group: "", version: "v1", kind: "Service", plural: "services", namespaced: true };
const CONFIG_MAPS: ResourceType = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };
const SECRETS: ResourceType = { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true };
const NS = "mtb-prod";

let plane: ControlPlane;
let operator: Operator;
let admin: KubeClient;
let owner: KubeClient;

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "mtb", users: [{ name: "mtb-owner", groups: [] }] });
  operator = await startOperator(plane, await installYunshu(plane));
  const quota = { hard: { pods: "10", "requests.cpu": "2", "requests.memory": "4Gi", "limits.cpu": "4", "limits.memory": "8Gi" } };
  await tenantsApi(plane).create(tenant("mtb", { securityLevel: 3, owners: [{ kind: "User", name: "mtb-owner" }], quota }));
  await tenantsApi(plane).create(tenant("neighbour", { securityLevel: 3, owners: [{ kind: "User", name: "someone-else" }] }));
  await Promise.all([waitForReady(plane, "mtb"), waitForReady(plane, "neighbour")]);
  admin = new KubeClient(plane.credentials());
  owner = new KubeClient(plane.credentials("mtb-owner"));
});

afterAll(async () => {
  await Promise.all([admin, owner].map((c) => c?.close()));
  await operator?.stop();
  await plane?.stop();
});

type PodSpec = ReturnType<typeof restrictedPod>["spec"] & Record<string, unknown>;
type Container = PodSpec["containers"][number] & Record<string, unknown>;

function pod(name: string, change: (spec: PodSpec, container: Container) => void = () => {}): KubeObject {
  const spec = restrictedPod(name).spec as PodSpec;
  change(spec, spec.containers[0] as Container);
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: NS }, spec } as KubeObject;
}

/** The benchmark's pod checks: each breaks one rule of the compliant pod. */
const CHECKS: { check: string; breaks: (spec: PodSpec, container: Container) => void; refusedBy: string }[] = [
  // The API itself refuses privileged without privilege escalation, so this one must break both.
  {
    check: "Block privileged containers",
    breaks: (_s, c) => Object.assign(c.securityContext, { privileged: true, allowPrivilegeEscalation: true }),
    refusedBy: 'privileged (container "app" must not set securityContext.privileged=true)',
  },
  { check: "Block privilege escalation", breaks: (_s, c) => Object.assign(c.securityContext, { allowPrivilegeEscalation: true }), refusedBy: "allowPrivilegeEscalation != false" },
  { check: "Block add capabilities", breaks: (_s, c) => Object.assign(c.securityContext, { capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] } }), refusedBy: "NET_ADMIN" },
  { check: "Require CAP_DROP_ALL", breaks: (_s, c) => Object.assign(c.securityContext, { capabilities: {} }), refusedBy: 'must set securityContext.capabilities.drop=["ALL"]' },
  { check: "Require run as non-root user", breaks: (s) => Object.assign(s.securityContext, { runAsNonRoot: false, runAsUser: 0 }), refusedBy: "runAsNonRoot" },
  { check: "Block use of host PID", breaks: (s) => Object.assign(s, { hostPID: true }), refusedBy: "hostPID" },
  { check: "Block use of host IPC", breaks: (s) => Object.assign(s, { hostIPC: true }), refusedBy: "hostIPC" },
  { check: "Block use of host networking and ports (network)", breaks: (s) => Object.assign(s, { hostNetwork: true }), refusedBy: "hostNetwork" },
  { check: "Block use of host networking and ports (port)", breaks: (_s, c) => Object.assign(c, { ports: [{ containerPort: 80, hostPort: 80 }] }), refusedBy: "hostPort" },
  { check: "Block use of host path volumes", breaks: (s) => Object.assign(s, { volumes: [{ name: "root", hostPath: { path: "/" } }] }), refusedBy: "hostPath" },
  { check: "Require image pull always", breaks: (_s, c) => Object.assign(c, { imagePullPolicy: "IfNotPresent" }), refusedBy: "imagePullPolicy: Always" },
];

const CLUSTER_SCOPED: ResourceType[] = [
  { group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false },
  { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false },
  { group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false },
  { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false },
  { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false },
  { group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", namespaced: false },
];

describe("Multi-Tenancy Benchmark level 1, level-3 tenant", () => {
  it("admits the compliant pod every check starts from", async () => {
    await owner.create(PODS, pod("compliant"));
    expect(await admin.get(PODS, "compliant", NS)).toBeDefined();
  });

  it.each(CHECKS)("$check: a pod breaking only that rule is refused", async ({ check, breaks, refusedBy }) => {
    const name = check.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 60).replace(/-$/, "");
    const err = await refusal(owner.create(PODS, pod(name, breaks)));
    expect(err.status).toBe(403);
    expect(err.message).toContain(refusedBy);
    expect(await admin.get(PODS, name, NS)).toBeUndefined();
  });

  it("Block use of NodePort services: refused, where a ClusterIP Service is admitted", async () => {
    const service = (name: string, type: string) => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: NS }, spec: { type, ports: [{ port: 80 }] } }) as KubeObject;
    await owner.create(SERVICES, service("internal", "ClusterIP"));
    expect((await refusal(owner.create(SERVICES, service("exposed", "NodePort")))).message).toContain("does not allow type NodePort");
    expect(await admin.get(SERVICES, "exposed", NS)).toBeUndefined();
  });

  it("Configure namespace resource quotas and object limits: compute, storage and object counts are all limited", async () => {
    const hard = (await admin.get<ResourceQuota>(RESOURCE_QUOTAS, "yunshu-tenant-quota", NS))!.spec.hard;
    for (const resource of ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "requests.storage", "pods", "configmaps", "secrets", "services", "persistentvolumeclaims"]) {
      expect(hard, resource).toHaveProperty([resource]);
    }
  });

  it("Block modification of resource quotas, and of the tenant's other multitenant resources (limits, network policies, namespace)", async () => {
    const quota = (await admin.get<ResourceQuota>(RESOURCE_QUOTAS, "yunshu-tenant-quota", NS))!;
    expect((await refusal(owner.mergePatch(RESOURCE_QUOTAS, "yunshu-tenant-quota", { spec: { hard: { configmaps: "100000" } } }, NS))).status).toBe(403);
    expect((await refusal(owner.delete(RESOURCE_QUOTAS, "yunshu-tenant-quota", NS))).status).toBe(403);
    expect((await admin.get<ResourceQuota>(RESOURCE_QUOTAS, "yunshu-tenant-quota", NS))!.metadata.resourceVersion).toBe(quota.metadata.resourceVersion);
    const policy = (await admin.get(NETWORK_POLICIES, "yunshu-default-deny", NS))!;
    expect((await refusal(owner.delete(NETWORK_POLICIES, "yunshu-default-deny", NS))).status).toBe(403);
    expect((await admin.get(NETWORK_POLICIES, "yunshu-default-deny", NS))!.metadata.resourceVersion).toBe(policy.metadata.resourceVersion);
    expect((await refusal(owner.mergePatch(NAMESPACES, NS, { metadata: { labels: { "pod-security.kubernetes.io/enforce": "privileged" } } }))).status).toBe(403);
  });

  it("Block access to cluster resources: the owner lists and creates nothing cluster-wide", async () => {
    for (const type of CLUSTER_SCOPED) expect((await refusal(owner.list(type))).status, type.plural).toBe(403);
    const binding = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "mtb-owner-admin" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "User", name: "mtb-owner", apiGroup: "rbac.authorization.k8s.io" }] } as KubeObject;
    expect((await refusal(owner.create(CLUSTER_SCOPED[4]!, binding))).status).toBe(403);
    expect(await admin.get(CLUSTER_SCOPED[4]!, "mtb-owner-admin")).toBeUndefined();
  });

  it("Block access to other tenant resources: nothing of the neighbour's is readable or writable", async () => {
    for (const type of [PODS, SERVICES, CONFIG_MAPS, SECRETS]) expect((await refusal(owner.list(type, { namespace: "neighbour-prod" }))).status).toBe(403);
    const planted = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "planted", namespace: "neighbour-prod" }, data: { a: "b" } } as KubeObject;
    expect((await refusal(owner.create(CONFIG_MAPS, planted))).status).toBe(403);
    expect(await admin.get(CONFIG_MAPS, "planted", "neighbour-prod")).toBeUndefined();
  });
});
