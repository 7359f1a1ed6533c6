// The Multi-Tenancy Benchmark's level-1 checks (kubernetes-sigs/multi-tenancy
// "MTB"), for a level-3 tenant, run as its owner. Each behavioural check is
// a pod (or Service) that breaks exactly one rule, next to the compliant pod
// it was made from, which is admitted: a refusal proves that rule, not
// another one the pod happened to break too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResourceQuota } from "../../operator/api/core-types.ts";
import type { ResourceType } from "../../operator/api/meta.ts";
import { RESOURCE_QUOTAS } from "../../operator/api/resources.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { installYunshu, restrictedPod, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";
import { refusal } from "../support/api-errors.ts";

const PODS: ResourceType = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };
const SERVICES: ResourceType = { group: "", version: "v1", kind: "Service", plural: "services", namespaced: true };
const NS = "mtb-prod";

let plane: ControlPlane;
let operator: Operator;
let admin: KubeClient;
let owner: KubeClient;

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "mtb", users: [{ name: "mtb-owner", groups: [] }] });
  operator = await startOperator(plane, await installYunshu(plane));
  await tenantsApi(plane).create(tenant("mtb", { securityLevel: 3, owners: [{ kind: "User", name: "mtb-owner" }], quota: { hard: { pods: "10" } } }));
  await waitForReady(plane, "mtb");
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

/** MTB level-1 behavioural checks: each breaks one rule of the compliant pod. */
const CHECKS: { check: string; breaks: (spec: PodSpec, container: Container) => void; refusedBy: string }[] = [
  // The API itself refuses privileged without privilege escalation, so this one must break both.
  {
    check: "MTB-PL1-BC-CPI-5 block privileged containers",
    breaks: (_s, c) => Object.assign(c.securityContext, { privileged: true, allowPrivilegeEscalation: true }),
    refusedBy: 'privileged (container "app" must not set securityContext.privileged=true)',
  },
  { check: "MTB-PL1-BC-HI-1 block host PID", breaks: (s) => Object.assign(s, { hostPID: true }), refusedBy: "hostPID" },
  { check: "MTB-PL1-BC-HI-1 block host IPC", breaks: (s) => Object.assign(s, { hostIPC: true }), refusedBy: "hostIPC" },
  { check: "MTB-PL1-BC-HI-1 block host network", breaks: (s) => Object.assign(s, { hostNetwork: true }), refusedBy: "hostNetwork" },
  { check: "MTB-PL1-BC-HI-1 block host ports", breaks: (_s, c) => Object.assign(c, { ports: [{ containerPort: 80, hostPort: 80 }] }), refusedBy: "hostPort" },
  {
    check: "MTB-PL1-BC-HI-1 block hostPath volumes",
    breaks: (s) => Object.assign(s, { volumes: [{ name: "root", hostPath: { path: "/" } }] }),
    refusedBy: "hostPath",
  },
  { check: "MTB-PL1-BC-CPI-6 block added capabilities", breaks: (_s, c) => Object.assign(c.securityContext, { capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] } }), refusedBy: "NET_ADMIN" },
  { check: "MTB-PL1-BC-CPI-8 require run as non-root", breaks: (s) => Object.assign(s.securityContext, { runAsNonRoot: false, runAsUser: 0 }), refusedBy: "runAsNonRoot" },
  { check: "MTB-PL1-BC-CPI-4 block privilege escalation", breaks: (_s, c) => Object.assign(c.securityContext, { allowPrivilegeEscalation: true }), refusedBy: "allowPrivilegeEscalation" },
  { check: "MTB-PL1-CC-TI-2 image pull policy Always", breaks: (_s, c) => Object.assign(c, { imagePullPolicy: "IfNotPresent" }), refusedBy: "imagePullPolicy: Always" },
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

  it("MTB-PL1-BC-HI-1 block NodePort Services: refused, where a ClusterIP Service is admitted", async () => {
    const service = (name: string, type: string) => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: NS }, spec: { type, ports: [{ port: 80 }] } }) as KubeObject;
    await owner.create(SERVICES, service("internal", "ClusterIP"));
    expect((await refusal(owner.create(SERVICES, service("exposed", "NodePort")))).message).toContain("does not allow type NodePort");
    expect(await admin.get(SERVICES, "exposed", NS)).toBeUndefined();
  });

  it("MTB-PL1-CC-FNS-1 / CC-RQ: object counts are limited by quota, and the owner cannot change it", async () => {
    const quota = (await admin.get<ResourceQuota>(RESOURCE_QUOTAS, "yunshu-tenant-quota", NS))!;
    for (const resource of ["pods", "configmaps", "secrets", "services", "persistentvolumeclaims", "requests.storage"]) expect(quota.spec.hard, resource).toHaveProperty([resource]);
    const err = await refusal(owner.mergePatch(RESOURCE_QUOTAS, "yunshu-tenant-quota", { spec: { hard: { configmaps: "100000" } } }, NS));
    expect(err.status).toBe(403);
    expect((await admin.get<ResourceQuota>(RESOURCE_QUOTAS, "yunshu-tenant-quota", NS))!.metadata.resourceVersion).toBe(quota.metadata.resourceVersion);
  });
});
