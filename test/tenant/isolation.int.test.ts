// A department's isolation, tested as the department: real token identities
// for two tenants' owners. Every negative test names the object it tries to
// change, expects 403 on that very object, and checks it is unchanged after.
import {
  AppsV1Api,
  CoreV1Api,
  NetworkingV1Api,
  RbacAuthorizationV1Api,
  type V1LimitRange,
  type V1NetworkPolicy,
  type V1ResourceQuota,
  type V1RoleBinding,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Operator } from "../../operator/operator.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { apiFailure } from "../support/api-errors.ts";
import { installYunshu, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";

let plane: ControlPlane;
let operator: Operator;
let admin: { core: CoreV1Api; net: NetworkingV1Api; rbac: RbacAuthorizationV1Api };
let alice: { core: CoreV1Api; net: NetworkingV1Api; rbac: RbacAuthorizationV1Api; apps: AppsV1Api };
const own = "finance-prod";
const other = "health-prod";

beforeAll(async () => {
  plane = await ControlPlane.start({
    name: "isolation",
    users: [
      { name: "alice", groups: ["finance-ops"] },
      { name: "bob", groups: ["health-ops"] },
    ],
  });
  operator = await startOperator(plane, await installYunshu(plane));
  const tenants = tenantsApi(plane);
  await tenants.create(tenant("finance", { displayName: "湖南省财政厅", owners: [{ kind: "Group", name: "finance-ops" }], quota: { hard: { pods: "10" } }, limits: { defaultRequest: { cpu: "100m" }, default: { cpu: "200m" } } }));
  await tenants.create(tenant("health", { displayName: "湖南省卫生健康委员会", owners: [{ kind: "User", name: "bob" }], quota: { hard: { pods: "10" } } }));
  await Promise.all([waitForReady(plane, "finance"), waitForReady(plane, "health")]);
  const a = plane.kubeConfig();
  admin = { core: a.makeApiClient(CoreV1Api), net: a.makeApiClient(NetworkingV1Api), rbac: a.makeApiClient(RbacAuthorizationV1Api) };
  const kc = plane.kubeConfig("alice");
  alice = { core: kc.makeApiClient(CoreV1Api), net: kc.makeApiClient(NetworkingV1Api), rbac: kc.makeApiClient(RbacAuthorizationV1Api), apps: kc.makeApiClient(AppsV1Api) };
});

afterAll(async () => {
  await operator?.stop();
  await plane?.stop();
});

describe("a tenant owner", () => {
  it("runs applications in its own namespace: a Deployment, a ConfigMap and a Role", async () => {
    const deployment = await alice.apps.createNamespacedDeployment({
      namespace: own,
      body: {
        metadata: { name: "ledger" },
        spec: {
          selector: { matchLabels: { app: "ledger" } },
          template: { metadata: { labels: { app: "ledger" } }, spec: { containers: [{ name: "ledger", image: "registry.invalid/ledger:1" }] } },
        },
      },
    });
    expect(deployment.metadata?.uid).toBeTruthy();
    await alice.core.createNamespacedConfigMap({ namespace: own, body: { metadata: { name: "settings" }, data: { currency: "CNY" } } });
    await alice.rbac.createNamespacedRole({
      namespace: own,
      body: { metadata: { name: "reader" }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }] },
    });
    expect((await alice.core.listNamespacedConfigMap({ namespace: own })).items.map((c) => c.metadata?.name)).toContain("settings");
  });

  it("cannot read anything in another tenant's namespace", async () => {
    for (const call of [
      () => alice.core.listNamespacedPod({ namespace: other }),
      () => alice.core.listNamespacedConfigMap({ namespace: other }),
      () => alice.core.listNamespacedSecret({ namespace: other }),
      () => alice.core.readNamespace({ name: other }),
      () => alice.core.listNamespace(),
    ]) {
      expect((await apiFailure(call())).code).toBe(403);
    }
  });

  it("cannot delete or edit its ResourceQuota", async () => {
    const before = await admin.core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: own });
    const loosened: V1ResourceQuota = { ...before, spec: { hard: { pods: "1000" } } };
    expect((await apiFailure(alice.core.replaceNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: own, body: loosened }))).code).toBe(403);
    expect((await apiFailure(alice.core.deleteNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: own }))).code).toBe(403);
    const after = await admin.core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: own });
    expect(after.spec?.hard).toEqual(before.spec?.hard);
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it("cannot delete or edit its LimitRange, nor add one", async () => {
    const before = await admin.core.readNamespacedLimitRange({ name: "yunshu-container-defaults", namespace: own });
    const raised: V1LimitRange = { ...before, spec: { limits: [{ type: "Container", _default: { cpu: "64" } }] } };
    expect((await apiFailure(alice.core.replaceNamespacedLimitRange({ name: "yunshu-container-defaults", namespace: own, body: raised }))).code).toBe(403);
    expect((await apiFailure(alice.core.deleteNamespacedLimitRange({ name: "yunshu-container-defaults", namespace: own }))).code).toBe(403);
    const extra: V1LimitRange = { metadata: { name: "mine" }, spec: { limits: [{ type: "Container", max: { cpu: "64" } }] } };
    expect((await apiFailure(alice.core.createNamespacedLimitRange({ namespace: own, body: extra }))).code).toBe(403);
    const after = await admin.core.readNamespacedLimitRange({ name: "yunshu-container-defaults", namespace: own });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(after.spec?.limits[0]?._default).toEqual({ cpu: "200m" });
  });

  it("cannot delete or edit yunshu's NetworkPolicies, nor add one that opens to everyone", async () => {
    const before = await admin.net.readNamespacedNetworkPolicy({ name: "yunshu-default-deny", namespace: own });
    const opened: V1NetworkPolicy = { ...before, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] } };
    expect((await apiFailure(alice.net.replaceNamespacedNetworkPolicy({ name: "yunshu-default-deny", namespace: own, body: opened }))).code).toBe(403);
    expect((await apiFailure(alice.net.deleteNamespacedNetworkPolicy({ name: "yunshu-default-deny", namespace: own }))).code).toBe(403);
    // Departments write policies of their own, but none that opens to everyone (test/share/shares.int.test.ts has the rest).
    const allowAll: V1NetworkPolicy = { metadata: { name: "allow-all" }, spec: { podSelector: {}, ingress: [{}] } };
    const refused = await apiFailure(alice.net.createNamespacedNetworkPolicy({ namespace: own, body: allowAll }));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain("spec.ingress[0] names no peers");
    const after = await admin.net.readNamespacedNetworkPolicy({ name: "yunshu-default-deny", namespace: own });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect((await admin.net.listNamespacedNetworkPolicy({ namespace: own })).items.map((p) => p.metadata?.name).sort()).toEqual([
      "yunshu-baseline",
      "yunshu-default-deny",
      "yunshu-same-tenant",
    ]);
  });

  it("cannot delete or edit yunshu's RoleBinding", async () => {
    const before = await admin.rbac.readNamespacedRoleBinding({ name: "yunshu-tenant-admin", namespace: own });
    // A subject the tenant may grant (its own ServiceAccount), so that the refusal is this policy's, not yunshu-tenant-grants'.
    const widened: V1RoleBinding = { ...before, subjects: [...(before.subjects ?? []), { kind: "ServiceAccount", name: "default", namespace: own }] };
    const edit = await apiFailure(alice.rbac.replaceNamespacedRoleBinding({ name: "yunshu-tenant-admin", namespace: own, body: widened }));
    expect(edit.code).toBe(403);
    expect(edit.message).toContain("managed by yunshu for tenant finance");
    expect((await apiFailure(alice.rbac.deleteNamespacedRoleBinding({ name: "yunshu-tenant-admin", namespace: own }))).code).toBe(403);
    const after = await admin.rbac.readNamespacedRoleBinding({ name: "yunshu-tenant-admin", namespace: own });
    expect(after.subjects).toEqual(before.subjects);
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it("cannot relabel its namespace into another tenant", async () => {
    const before = await admin.core.readNamespace({ name: own });
    const relabelled = { ...before, metadata: { ...before.metadata, labels: { ...before.metadata?.labels, "yunshu.io/tenant": "health" } } };
    expect((await apiFailure(alice.core.replaceNamespace({ name: own, body: relabelled }))).code).toBe(403);
    expect((await admin.core.readNamespace({ name: own })).metadata?.labels?.["yunshu.io/tenant"]).toBe("finance");
  });

  it("cannot bind itself to cluster-admin", async () => {
    const escalate: V1RoleBinding = {
      metadata: { name: "escalate" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ kind: "User", name: "alice", apiGroup: "rbac.authorization.k8s.io" }],
    };
    const refused = await apiFailure(alice.rbac.createNamespacedRoleBinding({ namespace: own, body: escalate }));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain("attempting to grant RBAC permissions not currently held");
    expect((await apiFailure(admin.rbac.readNamespacedRoleBinding({ name: "escalate", namespace: own }))).code).toBe(404);
  });
});

describe("the admission policies", () => {
  it("hold even against a cluster admin: managed objects change only through the Tenant", async () => {
    const before = await admin.core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: other });
    const refused = await apiFailure(admin.core.deleteNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: other }));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain("ResourceQuota yunshu-tenant-quota is managed by yunshu for tenant health");
    expect(refused.message).toContain("kubectl edit tenant health");
    const after = await admin.core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace: other });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it("keep anyone but the operator from labelling a namespace into a tenant", async () => {
    const refused = await apiFailure(
      admin.core.createNamespace({ body: { metadata: { name: "trojan", labels: { "yunshu.io/tenant": "finance" } } } }),
    );
    expect(refused.code).toBe(403);
    expect(refused.message).toContain("set by the yunshu operator only");
    expect((await apiFailure(admin.core.readNamespace({ name: "trojan" }))).code).toBe(404);
  });

  it("keep a department's Pod Security labels as its MLPS level sets them, even against a cluster admin", async () => {
    const before = await admin.core.readNamespace({ name: own });
    expect(before.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const loosened = { ...before, metadata: { ...before.metadata, labels: { ...before.metadata?.labels, "pod-security.kubernetes.io/enforce": "privileged" } } };
    const refused = await apiFailure(admin.core.replaceNamespace({ name: own, body: loosened }));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain(`namespace ${own} belongs to tenant finance: its Pod Security labels (pod-security.kubernetes.io/*) follow the tenant's MLPS level`);
    const { "pod-security.kubernetes.io/warn": _warn, ...withoutWarn } = before.metadata?.labels ?? {};
    const removed = await apiFailure(admin.core.replaceNamespace({ name: own, body: { ...before, metadata: { ...before.metadata, labels: withoutWarn } } }));
    expect(removed.code).toBe(403);
    const after = await admin.core.readNamespace({ name: own });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    // The positive control: a label of the platform's own is still the admin's to set.
    const labelled = await admin.core.replaceNamespace({ name: own, body: { ...after, metadata: { ...after.metadata, labels: { ...after.metadata?.labels, "example.com/cost-centre": "42" } } } });
    expect(labelled.metadata?.labels?.["example.com/cost-centre"]).toBe("42");
    expect(labelled.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("refuse deleting a department's namespace by hand", async () => {
    const refused = await apiFailure(admin.core.deleteNamespace({ name: other }));
    expect(refused.code).toBe(403);
    expect((await admin.core.readNamespace({ name: other })).metadata?.deletionTimestamp).toBeUndefined();
  });
});
