// Proves the local control plane is a real Kubernetes: namespaces finalize,
// quota is computed and enforced, RBAC denies and then allows, admission
// policies run CEL, and nothing outlives stop().
import { AdmissionregistrationV1Api, CoreV1Api, RbacAuthorizationV1Api, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { isAlive } from "../../tools/controlplane/processes.ts";
import { apiFailure } from "../support/api-errors.ts";
import { eventually } from "../../tools/local/eventually.ts";

function pod(name: string): V1Pod {
  return {
    metadata: { name },
    spec: { containers: [{ name: "app", image: "registry.invalid/app:1", resources: { requests: { cpu: "10m" }, limits: { cpu: "10m" } } }] },
  };
}

describe("local control plane", () => {
  let plane: ControlPlane;
  let core: CoreV1Api;

  beforeAll(async () => {
    plane = await ControlPlane.start({ name: "proof", users: [{ name: "dora", groups: ["dept-a"] }] });
    core = plane.kubeConfig().makeApiClient(CoreV1Api);
  });

  afterAll(async () => {
    await plane?.stop();
  });

  async function namespaceWithServiceAccount(name: string): Promise<void> {
    await core.createNamespace({ body: { metadata: { name } } });
    // Pods need the namespace's default ServiceAccount, which the
    // controller manager creates.
    await eventually(`default ServiceAccount in ${name}`, () =>
      core.readNamespacedServiceAccount({ name: "default", namespace: name }).then(() => true),
    );
  }

  it("reports the pinned Kubernetes version", async () => {
    const version = JSON.parse((await plane.get("/version")).body) as { gitVersion: string };
    expect(version.gitVersion).toMatch(/^v1\.(3[5-9]|[4-9]\d)\.\d+$/);
  });

  it("creates a namespace and finishes deleting it, contents included", async () => {
    await core.createNamespace({ body: { metadata: { name: "proof-ns" } } });
    await core.createNamespacedConfigMap({ namespace: "proof-ns", body: { metadata: { name: "cm" }, data: { a: "b" } } });
    await core.deleteNamespace({ name: "proof-ns" });
    // Deletion completes only when the namespace controller has emptied it
    // and removed the `kubernetes` finalizer.
    const gone = await eventually("namespace proof-ns to be gone", async () => {
      const failure = await apiFailure(core.readNamespace({ name: "proof-ns" })).catch(() => undefined);
      return failure?.code === 404 ? failure : undefined;
    });
    expect(gone.code).toBe(404);
  });

  it("computes ResourceQuota usage from pods and refuses a pod over quota", async () => {
    await namespaceWithServiceAccount("quota");
    await core.createNamespacedResourceQuota({ namespace: "quota", body: { metadata: { name: "q" }, spec: { hard: { pods: "1" } } } });
    // The quota admission plugin refuses pods until the controller has
    // computed the quota's first usage.
    await eventually("quota usage to be computed", async () => {
      const q = await core.readNamespacedResourceQuota({ name: "q", namespace: "quota" });
      return q.status?.used?.pods === "0";
    });
    await core.createNamespacedPod({ namespace: "quota", body: pod("first") });
    const used = await eventually("quota to count the pod", async () => {
      const q = await core.readNamespacedResourceQuota({ name: "q", namespace: "quota" });
      return q.status?.used?.pods === "1" ? q.status.used : undefined;
    });
    expect(used.pods).toBe("1");

    const refused = await apiFailure(core.createNamespacedPod({ namespace: "quota", body: pod("second") }));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain("exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1");
  });

  it("denies a user without permissions (403) and allows it after a RoleBinding", async () => {
    await core.createNamespace({ body: { metadata: { name: "rbac" } } });
    const asDora = plane.kubeConfig("dora").makeApiClient(CoreV1Api);
    const denied = await apiFailure(asDora.listNamespacedPod({ namespace: "rbac" }));
    expect(denied.code).toBe(403);
    expect(denied.message).toContain('User "dora" cannot list resource "pods"');

    await plane.kubeConfig().makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
      namespace: "rbac",
      body: {
        metadata: { name: "dept-a-view" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
        subjects: [{ kind: "Group", name: "dept-a", apiGroup: "rbac.authorization.k8s.io" }],
      },
    });
    const pods = await eventually("dora to be allowed", () => asDora.listNamespacedPod({ namespace: "rbac" }));
    expect(pods.items).toEqual([]);
    // Still scoped: the binding is for one namespace only.
    expect((await apiFailure(asDora.listNamespacedPod({ namespace: "default" }))).code).toBe(403);
  });

  it("runs a ValidatingAdmissionPolicy's CEL rule against a labelled object", async () => {
    const admission = plane.kubeConfig().makeApiClient(AdmissionregistrationV1Api);
    await admission.createValidatingAdmissionPolicy({
      body: {
        metadata: { name: "locked-configmaps" },
        spec: {
          failurePolicy: "Fail",
          matchConstraints: {
            resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["UPDATE", "DELETE"], resources: ["configmaps"] }],
            objectSelector: { matchLabels: { "proof.yunshu.io/locked": "true" } },
          },
          validations: [{ expression: "request.operation != 'UPDATE' && request.operation != 'DELETE'", message: "this ConfigMap is locked", reason: "Forbidden" }],
        },
      },
    });
    await admission.createValidatingAdmissionPolicyBinding({
      body: { metadata: { name: "locked-configmaps" }, spec: { policyName: "locked-configmaps", validationActions: ["Deny"] } },
    });
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "locked", labels: { "proof.yunshu.io/locked": "true" } }, data: { v: "1" } },
    });
    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "free" }, data: { v: "1" } } });

    // Policies take effect once the API server has loaded them; probe with
    // no-op updates (admission sees them too) so that the probe changes nothing.
    await eventually("the policy to be loaded", async () => {
      const cm = await core.readNamespacedConfigMap({ name: "locked", namespace: "default" });
      const failure = await apiFailure(core.replaceNamespacedConfigMap({ name: "locked", namespace: "default", body: cm })).catch(() => undefined);
      return failure !== undefined;
    });
    const cm = await core.readNamespacedConfigMap({ name: "locked", namespace: "default" });
    const refused = await apiFailure(
      core.replaceNamespacedConfigMap({ name: "locked", namespace: "default", body: { ...cm, data: { v: "2" } } }),
    );
    expect(refused.code).toBe(403);
    expect(refused.message).toContain("this ConfigMap is locked");
    expect((await core.readNamespacedConfigMap({ name: "locked", namespace: "default" })).data).toEqual({ v: "1" });

    const free = await core.readNamespacedConfigMap({ name: "free", namespace: "default" });
    const updated = await core.replaceNamespacedConfigMap({ name: "free", namespace: "default", body: { ...free, data: { v: "2" } } });
    expect(updated.data).toEqual({ v: "2" });
  });

  it("hands out kubeconfigs that the bundled kubectl can use", async () => {
    const whoami = await plane.kubectl(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"], "dora");
    expect(whoami).toMatchObject({ code: 0, stdout: "dora" });
  });
});

describe("several control planes", () => {
  it("run side by side, isolated, and leave no process or file behind when stopped", async () => {
    const [hub, member] = await Promise.all([ControlPlane.start({ name: "hub" }), ControlPlane.start({ name: "member" })]);
    try {
      expect(hub.server).not.toBe(member.server);
      await hub.kubeConfig().makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "only-in-hub" } } });
      const memberCore = member.kubeConfig().makeApiClient(CoreV1Api);
      expect((await apiFailure(memberCore.readNamespace({ name: "only-in-hub" }))).code).toBe(404);
      // Each plane trusts only its own CA: the hub's token means nothing to the member.
      expect(hub.token("admin")).not.toBe(member.token("admin"));
    } finally {
      await Promise.all([hub.stop(), member.stop()]);
    }
    for (const plane of [hub, member]) {
      expect(plane.pids.filter(isAlive)).toEqual([]);
      expect(existsSync(plane.dir)).toBe(false);
    }
  });

  it("can be light: sharing one etcd under prefixes of their own, without a controller manager, still isolated", async () => {
    const owner = await ControlPlane.start({ name: "light-owner", controllers: [] });
    const light = await ControlPlane.start({ name: "light", etcdOf: owner, controllers: [] });
    try {
      expect(light.etcdServers).toBe(owner.etcdServers);
      expect([owner.pids.length, light.pids.length]).toEqual([2, 1]);
      await owner.kubeConfig().makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "only-in-owner" } } });
      const lightCore = light.kubeConfig().makeApiClient(CoreV1Api);
      expect((await apiFailure(lightCore.readNamespace({ name: "only-in-owner" }))).code).toBe(404);
      // A member's outage: its API server goes and comes back with its data, the shared etcd untouched.
      await lightCore.createNamespace({ body: { metadata: { name: "only-in-light" } } });
      await light.stopApiServer();
      await light.startApiServer();
      expect((await lightCore.readNamespace({ name: "only-in-light" })).metadata?.name).toBe("only-in-light");
      await expect(light.stopControllerManager()).rejects.toThrow(/runs no kube-controller-manager/);
    } finally {
      await light.stop();
      await owner.stop();
    }
    expect([...owner.pids, ...light.pids].filter(isAlive)).toEqual([]);
  });
});
