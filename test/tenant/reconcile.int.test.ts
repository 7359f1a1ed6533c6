// What a Tenant becomes, end to end: the operator (as its own ServiceAccount)
// turns a Tenant into namespaces, quota, limits, network policies and owner
// access; restores drift; follows deletionPolicy; and reports bad input in
// conditions without taking anything over.
import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  NetworkingV1Api,
  RbacAuthorizationV1Api,
  type V1ValidatingAdmissionPolicyBinding,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Operator } from "../../operator/operator.ts";
import { shippedProfile } from "../../operator/api/manifests.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { apiFailure } from "../support/api-errors.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, restrictedPod, startOperator, tenant, tenantsApi, waitForReady, waitForReason } from "../../tools/local/yunshu.ts";

let plane: ControlPlane;
let operator: Operator;
let core: CoreV1Api;
let net: NetworkingV1Api;
let rbac: RbacAuthorizationV1Api;
let tenants: ReturnType<typeof tenantsApi>;

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "reconcile" });
  operator = await startOperator(plane, await installYunshu(plane));
  const kc = plane.kubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  net = kc.makeApiClient(NetworkingV1Api);
  rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  tenants = tenantsApi(plane);
});

afterAll(async () => {
  await operator?.stop();
  await plane?.stop();
});

const gone = (call: Promise<unknown>) => apiFailure(call).then((f) => f.code === 404, () => false);

describe("a Tenant becomes", () => {
  it("its namespaces, quota, limits, network policies and owner access, and reports Ready", async () => {
    await tenants.create(
      tenant("hunan-data-bureau", {
        displayName: "湖南省数据局",
        owners: [
          { kind: "User", name: "alice" },
          { kind: "Group", name: "data-bureau-ops" },
        ],
        namespaces: [{ name: "prod" }, { name: "test" }],
        quota: { hard: { "requests.cpu": "8", "requests.memory": "16Gi", pods: "100" } },
        limits: { defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" } },
        securityLevel: 3,
      }),
    );
    const ready = await waitForReady(plane, "hunan-data-bureau");
    expect(ready.status?.namespaceCount).toBe(2);
    expect(ready.status?.namespaces?.map((n) => [n.name, n.state])).toEqual([
      ["hunan-data-bureau-prod", "Active"],
      ["hunan-data-bureau-test", "Active"],
    ]);
    expect(ready.status?.quota?.hard).toEqual({ pods: "100", "requests.cpu": "8", "requests.memory": "16Gi" });
    expect(ready.metadata.finalizers).toContain("yunshu.io/namespaces");

    const ns = await core.readNamespace({ name: "hunan-data-bureau-prod" });
    expect(ns.metadata?.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "yunshu",
      "yunshu.io/tenant": "hunan-data-bureau",
      "yunshu.io/namespace": "prod",
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "v1.35",
    });
    expect(ns.metadata?.annotations?.["yunshu.io/display-name"]).toBe("湖南省数据局");

    // The tenant-wide quota is split so that the namespaces' limits add up to it.
    const quotas = await Promise.all(
      ["prod", "test"].map((n) => core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: `hunan-data-bureau-${n}` })),
    );
    expect(quotas.map((q) => q.spec?.hard?.pods)).toEqual(["50", "50"]);
    expect(quotas.map((q) => q.spec?.hard?.["requests.cpu"])).toEqual(["4", "4"]);

    const limits = await core.readNamespacedLimitRange({ name: "yunshu-container-defaults", namespace: "hunan-data-bureau-prod" });
    expect(limits.spec?.limits[0]).toMatchObject({ type: "Container", _default: { cpu: "500m", memory: "512Mi" } });

    const policies = await net.listNamespacedNetworkPolicy({ namespace: "hunan-data-bureau-test" });
    expect(policies.items.map((p) => p.metadata?.name).sort()).toEqual(["yunshu-baseline", "yunshu-default-deny", "yunshu-same-tenant"]);

    const binding = await rbac.readNamespacedRoleBinding({ name: "yunshu-tenant-admin", namespace: "hunan-data-bureau-prod" });
    expect(binding.roleRef.name).toBe("yunshu-tenant-admin");
    expect(binding.subjects?.map((s) => `${s.kind}:${s.name}`)).toEqual(["User:alice", "Group:data-bureau-ops"]);

    const printed = await plane.kubectl(["get", "tenants"]);
    expect(printed.stdout).toMatch(/hunan-data-bureau\s+湖南省数据局\s+province\s+2\s+True/);
  });

  it("costs no writes once converged", async () => {
    await waitForReady(plane, "hunan-data-bureau");
    // Let trailing watch events (quota status from the controller manager) settle.
    await new Promise((r) => setTimeout(r, 2_000));
    const before = operator.hub.client.writeCount;
    for (let i = 0; i < 5; i++) operator.queue.add("hunan-data-bureau");
    await eventually("the resync to be processed", () => operator.queue.length === 0);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(operator.hub.client.writeCount - before).toBe(0);
  });
});

describe("changes to a Tenant", () => {
  it("drop a resource from every ResourceQuota when the tenant's quota no longer names it, then settle", async () => {
    await tenants.update("hunan-data-bureau", (spec) => ({ ...spec, quota: { hard: { "requests.cpu": "8", pods: "100" } } }));
    const hard = await eventually("requests.memory to leave the quotas", async () => {
      const q = await core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: "hunan-data-bureau-test" });
      return q.spec?.hard?.["requests.memory"] === undefined ? q.spec?.hard : undefined;
    });
    // What the tenant names, split over its two namespaces, and the level's profile limits beside it.
    expect(hard).toMatchObject({ "requests.cpu": "4", pods: "50" });
    expect(Object.keys(hard!).sort()).toEqual(["pods", "requests.cpu", ...Object.keys(shippedProfile(3).spec.quota.hard)].sort());
    await waitForReady(plane, "hunan-data-bureau");
    await new Promise((r) => setTimeout(r, 1_500));
    const before = operator.hub.client.writeCount;
    operator.queue.add("hunan-data-bureau");
    await eventually("the resync to be processed", () => operator.queue.length === 0);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(operator.hub.client.writeCount - before).toBe(0);
  });
});

describe("drift", () => {
  it("is undone within seconds, whoever made it, once the admission policy is out of the way", async () => {
    // The admission policies refuse these edits even to cluster-admin; an
    // admin who removes their bindings (an audited act) can make them, and
    // yunshu puts everything back.
    const admission = plane.kubeConfig().makeApiClient(AdmissionregistrationV1Api);
    const policies = ["yunshu-managed-objects", "yunshu-tenant-grants"];
    const bindings = await Promise.all(policies.map((name) => admission.readValidatingAdmissionPolicyBinding({ name })));
    for (const name of policies) await admission.deleteValidatingAdmissionPolicyBinding({ name });
    try {
      const namespace = "hunan-data-bureau-prod";
      await eventually("the policy binding to be gone", () =>
        core.deleteNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace }).then(() => true, () => false),
      );
      await net.deleteNamespacedNetworkPolicy({ name: "yunshu-default-deny", namespace });
      // Each binding leaves the API server's admission cache on its own time (and the operator may write meanwhile): retry.
      await eventually("mallory to be added by hand", async () => {
        const rb = await rbac.readNamespacedRoleBinding({ name: "yunshu-tenant-admin", namespace });
        const body = { ...rb, subjects: [...(rb.subjects ?? []), { kind: "User", name: "mallory", apiGroup: "rbac.authorization.k8s.io" }] };
        return rbac.replaceNamespacedRoleBinding({ name: "yunshu-tenant-admin", namespace, body }).then(() => true, () => false);
      });

      await eventually("the quota to come back", () => core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace }));
      await eventually("the default-deny policy to come back", () => net.readNamespacedNetworkPolicy({ name: "yunshu-default-deny", namespace }));
      const restored = await eventually("mallory to lose access", async () => {
        const b = await rbac.readNamespacedRoleBinding({ name: "yunshu-tenant-admin", namespace });
        return b.subjects?.length === 2 ? b : undefined;
      });
      expect(restored.subjects?.map((s) => s.name)).toEqual(["alice", "data-bureau-ops"]);
    } finally {
      for (const { metadata, spec } of bindings as V1ValidatingAdmissionPolicyBinding[]) {
        await admission.createValidatingAdmissionPolicyBinding({ body: { metadata: { name: metadata?.name, labels: metadata?.labels }, spec } });
      }
    }
  });
});

describe("deletion", () => {
  it("Retain: a namespace removed from the spec keeps its workloads and isolation, loses owner access, and is labelled released", async () => {
    await tenants.create(tenant("retained", { namespaces: [{ name: "prod" }, { name: "old" }], securityLevel: 2 }));
    await waitForReady(plane, "retained");
    await core.createNamespacedConfigMap({ namespace: "retained-old", body: { metadata: { name: "department-data" }, data: { k: "v" } } });

    await tenants.update("retained", (spec) => ({ ...spec, namespaces: [{ name: "prod" }] }));
    const status = await eventually("the namespace to be released", async () => {
      const t = await tenants.get("retained");
      return t.status?.namespaces?.find((n) => n.name === "retained-old")?.state === "Released" ? t : undefined;
    });
    expect(status.status?.namespaceCount).toBe(1);
    const ns = await core.readNamespace({ name: "retained-old" });
    expect(ns.status?.phase).toBe("Active");
    expect(ns.metadata?.labels?.["yunshu.io/released"]).toBe("true");
    expect((await core.readNamespacedConfigMap({ name: "department-data", namespace: "retained-old" })).data).toEqual({ k: "v" });
    expect(await gone(rbac.readNamespacedRoleBinding({ name: "yunshu-tenant-admin", namespace: "retained-old" }))).toBe(true);
    await net.readNamespacedNetworkPolicy({ name: "yunshu-default-deny", namespace: "retained-old" });

    const events = await core.listNamespacedEvent({ namespace: "default", fieldSelector: "involvedObject.name=retained" });
    expect(events.items.map((e) => e.reason)).toContain("NamespaceReleased");

    // Declared again, the namespace is the tenant's again, data intact.
    await tenants.update("retained", (spec) => ({ ...spec, namespaces: [{ name: "prod" }, { name: "old" }] }));
    await eventually("owner access to return", () => rbac.readNamespacedRoleBinding({ name: "yunshu-tenant-admin", namespace: "retained-old" }));
    const back = await core.readNamespace({ name: "retained-old" });
    expect(back.metadata?.labels?.["yunshu.io/released"]).toBeUndefined();
    expect((await core.readNamespacedConfigMap({ name: "department-data", namespace: "retained-old" })).data).toEqual({ k: "v" });
  });

  it("Retain: deleting the Tenant keeps every namespace", async () => {
    await tenants.delete("retained");
    await eventually("the tenant to be gone", () => gone(tenants.get("retained")));
    for (const name of ["retained-prod", "retained-old"]) {
      const ns = await core.readNamespace({ name });
      expect(ns.metadata?.labels?.["yunshu.io/released"]).toBe("true");
      expect(ns.metadata?.deletionTimestamp).toBeUndefined();
    }
  });

  it("Delete: removed namespaces and a deleted Tenant's namespaces are deleted", async () => {
    await tenants.create(tenant("ephemeral", { namespaces: [{ name: "a" }, { name: "b" }], deletionPolicy: "Delete", securityLevel: 2 }));
    await waitForReady(plane, "ephemeral");
    await core.createNamespacedConfigMap({ namespace: "ephemeral-b", body: { metadata: { name: "scratch" } } });
    await tenants.update("ephemeral", (spec) => ({ ...spec, namespaces: [{ name: "a" }] }));
    await eventually("ephemeral-b to be deleted", () => gone(core.readNamespace({ name: "ephemeral-b" })), { timeoutMs: 60_000 });
    await tenants.delete("ephemeral");
    await eventually("ephemeral-a to be deleted", () => gone(core.readNamespace({ name: "ephemeral-a" })), { timeoutMs: 60_000 });
    await eventually("the tenant to be gone", () => gone(tenants.get("ephemeral")));
  });
});

describe("bad input that passes admission", () => {
  it("a namespace that someone else owns is reported, never taken over, and the other namespaces go ahead", async () => {
    await core.createNamespace({ body: { metadata: { name: "squatter-prod", labels: { team: "someone-else" } } } });
    await tenants.create(tenant("squatter", { namespaces: [{ name: "prod" }, { name: "dev" }], securityLevel: 2 }));
    const t = await waitForReason(plane, "squatter", "NamespaceConflict");
    // Which namespace, that it exists and is not yunshu's, and what to do.
    const conflict =
      "namespace squatter-prod already exists and is not managed by yunshu; rename the namespace in the Tenant, or have the platform team move or remove the existing one";
    const ready = t.status?.conditions?.find((c) => c.type === "Ready");
    expect(ready?.status).toBe("False");
    expect(ready?.message).toBe(conflict);
    expect(t.status?.namespaces?.find((n) => n.name === "squatter-prod")).toEqual({ name: "squatter-prod", state: "Conflict", message: conflict });
    await eventually("the other namespace to be created", () => core.readNamespace({ name: "squatter-dev" }));
    const untouched = await core.readNamespace({ name: "squatter-prod" });
    expect(untouched.metadata?.labels).toEqual({ team: "someone-else", "kubernetes.io/metadata.name": "squatter-prod" });
    expect(await gone(core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: "squatter-prod" }))).toBe(true);
    const events = await core.listNamespacedEvent({ namespace: "default", fieldSelector: "involvedObject.name=squatter" });
    expect(events.items.some((e) => e.type === "Warning" && e.reason === "NamespaceConflict" && e.message === conflict)).toBe(true);
  });

  it("a quota lowered below current usage is reported with the numbers, and nothing new starts", async () => {
    await tenants.create(tenant("shrinking", { namespaces: [{ name: "prod" }], quota: { hard: { pods: "3" } }, securityLevel: 3 }));
    await waitForReady(plane, "shrinking");
    await eventually("quota usage to be known", async () =>
      (await core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: "shrinking-prod" })).status?.used?.pods === "0",
    );
    for (const name of ["p1", "p2"]) await core.createNamespacedPod({ namespace: "shrinking-prod", body: restrictedPod(name) });
    await eventually("usage of 2 pods to be reported", async () => (await tenants.get("shrinking")).status?.quota?.used?.pods === "2");
    await tenants.update("shrinking", (spec) => ({ ...spec, quota: { hard: { pods: "1" } } }));
    const t = await waitForReason(plane, "shrinking", "QuotaBelowUsage");
    expect(t.status?.conditions?.find((c) => c.type === "Ready")?.message).toContain("pods: 2 used > 1 hard");
    const refused = await apiFailure(core.createNamespacedPod({ namespace: "shrinking-prod", body: restrictedPod("p3") }));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain("exceeded quota");
    // Nothing of the department's was removed to make room.
    expect((await core.listNamespacedPod({ namespace: "shrinking-prod" })).items).toHaveLength(2);
  });

  it("an owner service account that does not exist is reported", async () => {
    await tenants.create(
      tenant("robots", { owners: [{ kind: "ServiceAccount", name: "deployer", namespace: "ci" }], namespaces: [{ name: "prod" }], securityLevel: 2 }),
    );
    const t = await eventually("OwnersVerified to be False", async () => {
      const x = await tenants.get("robots");
      return x.status?.conditions?.find((c) => c.type === "OwnersVerified" && c.status === "False") ? x : undefined;
    });
    expect(t.status?.conditions?.find((c) => c.type === "OwnersVerified")?.message).toContain("ci/deployer");
    // The tenant itself is still usable.
    expect(t.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
  });
});
