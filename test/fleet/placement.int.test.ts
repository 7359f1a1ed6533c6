// Tenants placed across a hub and two city members, three real control
// planes on loopback: placement by name and by region, the quota split,
// moving a tenant, a member's API server killed while tenants change (the
// other member keeps converging; the killed one catches up when it is back,
// without an operator restart), a department's isolation on a member, and
// a removed member's access revoked there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { SECURITY_PROFILE_RESOURCE, type Cluster, type SecurityProfile, type Share, type ShareAction } from "../../operator/api/generated.ts";
import { CRDS_DIR, shippedProfile } from "../../operator/api/manifests.ts";
import type { Operator } from "../../operator/operator.ts";
import type { ApiError} from "../../operator/runtime/kube-client.ts";
import { KubeClient, type KubeObject, type ResourceType } from "../../operator/runtime/kube-client.ts";
import { CLUSTERS, NAMESPACES, NETWORK_POLICIES, RESOURCE_QUOTAS, ROLE_BINDINGS, SECRETS, SHARE_ACTIONS, SHARES, TENANTS } from "../../operator/api/resources.ts";
import { RESOURCE_QUOTA_NAME } from "../../operator/tenant/resource-quota.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { kubeconfigSecret, registerHub, registerMember } from "../../tools/local/fleet.ts";
import { fileRequest, requestCondition, waitForRequestCondition } from "../../tools/local/requests.ts";
import { refusal, untilAdmissionRefuses } from "../support/api-errors.ts";
import { installYunshu, restrictedPod, OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";

let hub: ControlPlane;
const members: Record<string, ControlPlane> = {};
const on: Record<string, KubeClient> = {};
let operator: Operator;

const CONFIG_MAPS: ResourceType = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };

type Quota = KubeObject & { spec?: { hard?: Record<string, string> } };

const quotaOf = async (cluster: string, namespace: string) => (await on[cluster]!.get<Quota>(RESOURCE_QUOTAS, RESOURCE_QUOTA_NAME, namespace))?.spec?.hard;
const namespaceOn = (cluster: string, name: string) => on[cluster]!.get(NAMESPACES, name);

beforeAll(async () => {
  const owner = { name: "liu", groups: ["changsha-finance-ops"] };
  const [h, changsha, zhuzhou] = await Promise.all([
    ControlPlane.start({ name: "placement-hub" }),
    ControlPlane.start({ name: "placement-changsha", users: [owner] }),
    ControlPlane.start({ name: "placement-zhuzhou", users: [owner, { name: "wu", groups: [] }] }),
  ]);
  hub = h;
  Object.assign(members, { changsha, zhuzhou });
  // The hub first: registering a member writes its kubeconfig Secret into the hub's yunshu-clusters.
  const identity = await installYunshu(hub);
  await Promise.all([
    registerMember(hub, changsha, "changsha", { region: "changsha", tier: "city" }),
    registerMember(hub, zhuzhou, "zhuzhou", { region: "zhuzhou", tier: "city" }),
  ]);
  await registerHub(hub, "hunan", { region: "hunan", tier: "province" });
  on.hunan = new KubeClient(hub.credentials());
  on.changsha = new KubeClient(changsha.credentials());
  on.zhuzhou = new KubeClient(zhuzhou.credentials());
  operator = await startOperator(hub, identity, { clusterProbeIntervalMs: 1_000 });
  await eventually("both members connected", () => operator.fleet?.runtimes.size === 2 && [...operator.fleet.runtimes.values()].every((r) => r.synced));
});

afterAll(async () => {
  await operator?.stop();
  await Promise.all([hub?.stop(), ...Object.values(members).map((m) => m.stop())]);
});

describe("placement", () => {
  it("puts a tenant placed by name on that member only, with its whole quota", async () => {
    await tenantsApi(hub).create(tenant("finance", { placement: { clusters: ["changsha"] }, owners: [{ kind: "User", name: "liu" }], quota: { hard: { pods: "10" } } }));
    const ready = await waitForReady(hub, "finance");
    expect(ready.status?.clusters).toEqual([expect.objectContaining({ name: "changsha", ready: true, namespaces: 1, quota: expect.objectContaining({ hard: expect.objectContaining({ pods: "10", configmaps: "100" }) }) })]);
    expect((await quotaOf("changsha", "finance-prod"))?.pods).toBe("10");
    expect(await namespaceOn("zhuzhou", "finance-prod")).toBeUndefined();
    expect(await namespaceOn("hunan", "finance-prod")).toBeUndefined();
  });

  it("splits the quota evenly over the clusters a region selector and a name select", async () => {
    await tenantsApi(hub).create(tenant("transport", { placement: { clusters: ["hunan"], regions: ["changsha", "zhuzhou"] }, quota: { hard: { pods: "10" } } }));
    const ready = await waitForReady(hub, "transport");
    expect(ready.status?.clusters?.map((c) => c.name).sort()).toEqual(["changsha", "hunan", "zhuzhou"]);
    // kubectl get tenants counts its namespaces across the fleet.
    expect(ready.status?.namespaceCount).toBe(3);
    // 10 pods over three clusters: the remainder goes to the first by name.
    expect((await quotaOf("changsha", "transport-prod"))?.pods).toBe("4");
    expect((await quotaOf("hunan", "transport-prod"))?.pods).toBe("3");
    expect((await quotaOf("zhuzhou", "transport-prod"))?.pods).toBe("3");
    // The level's profile limits are split the same way: together they are the tenant's.
    const configmaps = await Promise.all(["changsha", "hunan", "zhuzhou"].map(async (c) => Number((await quotaOf(c, "transport-prod"))?.configmaps)));
    expect(configmaps.reduce((a, b) => a + b)).toBe(Number(shippedProfile(3).spec.quota.hard.configmaps));
  });

  it("moves a tenant: the new member gets its namespaces, the old one releases them (deletionPolicy Retain)", async () => {
    await tenantsApi(hub).update("finance", (spec) => ({ ...spec, placement: { clusters: ["zhuzhou"] } }));
    await waitForReady(hub, "finance");
    expect((await quotaOf("zhuzhou", "finance-prod"))?.pods).toBe("10");
    const released = await eventually("finance-prod released on changsha", async () => {
      const ns = await namespaceOn("changsha", "finance-prod");
      return ns?.metadata.labels?.["yunshu.io/released"] === "true" ? ns : undefined;
    });
    expect(released.metadata.deletionTimestamp).toBeUndefined();
    // changsha's entry goes with the placement; the released namespace stays there, unlisted.
    await eventually("finance's status to list zhuzhou only", async () => {
      const t = await tenantsApi(hub).get("finance");
      return t.status?.clusters?.map((c) => c.name).join() === "zhuzhou";
    });
  });
});

describe("a Share across the fleet", () => {
  const policy = (cluster: string, namespace: string) => on[cluster]!.get(NETWORK_POLICIES, "yunshu-share-transport-feed", namespace);

  it("opens on the clusters where both tenants are placed, is rendered by each member, and closes there when revoked", async () => {
    // The platform admin acts as an owner of both sides here (the hub has no department users).
    for (const name of ["transport", "finance"]) {
      await tenantsApi(hub).update(name, (spec) => ({ ...spec, owners: [...spec.owners, { kind: "User", name: "admin" }] }));
    }
    await on.hunan!.create(SHARES, {
      apiVersion: "yunshu.io/v1alpha1",
      kind: "Share",
      metadata: { name: "transport-feed" },
      spec: { provider: { tenant: "transport", namespace: "prod", podSelector: {}, ports: [{ port: 443 }] }, consumer: { tenant: "finance" }, offeredBy: { username: "admin" }, purpose: "交通数据共享" },
    } as Share & KubeObject);
    await on.hunan!.create(SHARE_ACTIONS, { apiVersion: "yunshu.io/v1alpha1", kind: "ShareAction", metadata: { name: "finance-accepts" }, spec: { share: "transport-feed", action: "Accept", actor: { username: "admin" } } } as ShareAction & KubeObject);
    // transport is on all three clusters, finance (moved) on zhuzhou only: the share is open there alone.
    const active = await eventually("the share to be active", async () => {
      const share = await on.hunan!.get<Share & KubeObject>(SHARES, "transport-feed");
      return share?.status?.phase === "Active" ? share : undefined;
    });
    expect(active.status!.clusters).toEqual(["zhuzhou"]);
    await eventually("both sides' policies on zhuzhou", async () => (await policy("zhuzhou", "transport-prod")) && (await policy("zhuzhou", "finance-prod")));
    // Elsewhere the provider's side exists but names a namespace that is not there: it opens nothing.
    expect(await namespaceOn("changsha", "finance-prod").then((ns) => ns?.metadata.labels?.["yunshu.io/released"])).toBe("true");
    await on.hunan!.create(SHARE_ACTIONS, { apiVersion: "yunshu.io/v1alpha1", kind: "ShareAction", metadata: { name: "transport-revokes" }, spec: { share: "transport-feed", action: "Revoke", actor: { username: "admin" } } } as ShareAction & KubeObject);
    await eventually("the share's policies to go on every cluster", async () => {
      const left = await Promise.all(["hunan", "changsha", "zhuzhou"].flatMap((c) => ["transport-prod", "finance-prod"].map((ns) => policy(c, ns))));
      return left.every((p) => p === undefined);
    });
  });
});

describe("the fleet overview", () => {
  it("shows what each cluster carries: tenants, namespaces and their quota shares", async () => {
    const load = async (name: string) => {
      const c = await on.hunan!.get<Cluster & KubeObject>(CLUSTERS, name);
      return { tenants: c?.status?.tenants, namespaces: c?.status?.namespaces, allocated: c?.status?.allocated };
    };
    // finance moved to zhuzhou (10 pods); transport is on all three (4, 3, 3); the released finance-prod stays on changsha.
    const expected = {
      hunan: { tenants: 1, namespaces: 1, allocated: { pods: "3" } },
      changsha: { tenants: 1, namespaces: 2, allocated: { pods: "4" } },
      zhuzhou: { tenants: 2, namespaces: 2, allocated: { pods: "13" } },
    };
    await eventually("every Cluster to report its load", async () => {
      for (const [name, want] of Object.entries(expected)) if (JSON.stringify(await load(name)) !== JSON.stringify(want)) return false;
      return true;
    });
    const table = await hub.kubectl(["get", "clusters.yunshu.io"]);
    expect(table.stdout).toMatch(/^zhuzhou\s+.*zhuzhou\s+city\s+True\s+v1\.37\.2\s+2\s/m);
  });
});

describe("capacity verdicts per cluster", () => {
  it("judges a request for a tenant placed on members against each member's capacity", async () => {
    await on.hunan!.mergePatch(CLUSTERS, "changsha", { spec: { capacity: { allocatable: { pods: "30" } } } });
    await on.hunan!.mergePatch(CLUSTERS, "zhuzhou", { spec: { capacity: { allocatable: { pods: "100" } } } });
    const ask = async (pods: string) => {
      const filed = await fileRequest(on.hunan!, "admin", {
        tenant: `health-${pods}`,
        action: "Create",
        reason: "a new bureau in both cities",
        displayName: "卫健委",
        level: "city",
        placement: { regions: ["changsha", "zhuzhou"] },
        quota: { hard: { pods } },
      });
      return waitForRequestCondition(on.hunan!, filed.metadata.name, "Fits");
    };
    // changsha carries transport's 4 pods: 26 of its 30 are left, so 50 pods (25 there) fit and 60 (30 there) do not.
    expect(requestCondition(await ask("50"), "Fits")).toMatchObject({ status: "True", reason: "Fits" });
    const over = await ask("60");
    expect(requestCondition(over, "Fits")).toMatchObject({ status: "False", reason: "ExceedsCapacity" });
    expect(over.status?.capacity).toContainEqual({ budget: "cluster/changsha", resource: "pods", requested: "30", allocated: "4", limit: "30", fits: false });
    expect(over.status?.capacity).toContainEqual({ budget: "cluster/zhuzhou", resource: "pods", requested: "30", allocated: "13", limit: "100", fits: true });
  });
});

describe("a member that goes away", () => {
  it("does not hold up the other member; it catches up when it is back, without a restart", async () => {
    await members.zhuzhou!.stopApiServer();
    await eventually("zhuzhou to be marked unreachable", async () => {
      const c = await on.hunan!.get<Cluster & KubeObject>(CLUSTERS, "zhuzhou");
      return c?.status?.conditions?.some((x) => x.type === "Ready" && x.status === "False");
    });
    const started = Date.now();
    await tenantsApi(hub).update("transport", (spec) => ({ ...spec, namespaces: [{ name: "prod" }, { name: "dev" }] }));
    await eventually("transport-dev on changsha while zhuzhou is down", () => namespaceOn("changsha", "transport-dev"));
    const changshaSeconds = (Date.now() - started) / 1000;
    expect(changshaSeconds).toBeLessThan(15);
    const waiting = await eventually("transport to say zhuzhou is not ready", async () => {
      const t = await tenantsApi(hub).get("transport");
      const ready = t.status?.conditions?.find((c) => c.type === "Ready");
      return ready?.reason === "ClusterNotReady" ? ready : undefined;
    });
    expect(waiting.message).toContain("zhuzhou: the cluster is not ready (Unreachable");
    await members.zhuzhou!.startApiServer();
    await waitForReady(hub, "transport", 60_000);
    expect(await namespaceOn("zhuzhou", "transport-dev")).toBeDefined();
  });
});

describe("a member that refuses yunshu's writes", () => {
  it("is reported with its reason while the other member keeps converging, and converges once it accepts them again", async () => {
    // The member's admin takes the operator's rights away there.
    expect((await members.zhuzhou!.kubectl(["delete", "clusterrolebinding", "yunshu-operator"])).code).toBe(0);
    await tenantsApi(hub).update("transport", (spec) => ({ ...spec, namespaces: [...(spec.namespaces ?? []), { name: "audit" }] }));
    await eventually("transport-audit on changsha", () => namespaceOn("changsha", "transport-audit"));
    const refused = await eventually("transport to say zhuzhou refuses", async () => {
      const ready = (await tenantsApi(hub).get("transport")).status?.conditions?.find((c) => c.type === "Ready");
      // "zhuzhou: not reconciled yet" comes first, until the member's own entry says why.
      return ready?.reason === "ClusterNotReady" && /zhuzhou: .*(forbidden|Forbidden|Unauthorized)/.test(ready.message) ? ready : undefined;
    });
    expect(refused.message).toMatch(/zhuzhou: .*(forbidden|Forbidden|Unauthorized)/);
    expect(await namespaceOn("zhuzhou", "transport-audit")).toBeUndefined();
    expect((await members.zhuzhou!.kubectl(["apply", "--server-side", "-f", join(CRDS_DIR, "operator-identity.yaml")])).code).toBe(0);
    // Within the member queue's longest back-off (30 s), and sooner when the probe sees the rights come back.
    await waitForReady(hub, "transport", 60_000);
    expect(await namespaceOn("zhuzhou", "transport-audit")).toBeDefined();
  });
});

describe("rotated member credentials", () => {
  it("are picked up without a restart: the member's runtime starts over with them and keeps converging", async () => {
    const before = operator.fleet!.runtimes.get("changsha");
    const identity = await members.changsha!.serviceAccountIdentity(OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT);
    await on.hunan!.apply(SECRETS, kubeconfigSecret("cluster-changsha", members.changsha!.renderKubeconfig(identity)), "test");
    await eventually("changsha's runtime to reconnect", () => {
      const now = operator.fleet!.runtimes.get("changsha");
      return now !== undefined && now !== before && now.synced;
    });
    await tenantsApi(hub).update("transport", (spec) => ({ ...spec, namespaces: [...(spec.namespaces ?? []), { name: "ops" }] }));
    await eventually("transport-ops on changsha", () => namespaceOn("changsha", "transport-ops"));
    await waitForReady(hub, "transport");
  });
});

describe("a department on a member cluster", () => {
  it("works in its own namespace, and cannot touch another tenant's or loosen its quota", async () => {
    const liu = new KubeClient(members.zhuzhou!.credentials("liu"));
    const configMap = (namespace: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "hello", namespace }, data: { a: "b" } }) as KubeObject;
    await liu.create(CONFIG_MAPS, configMap("finance-prod"));
    const other = await liu.create(CONFIG_MAPS, configMap("transport-prod")).then(() => undefined, (e: unknown) => e);
    expect((other as ApiError).status).toBe(403);
    const loosen = await liu.mergePatch(RESOURCE_QUOTAS, RESOURCE_QUOTA_NAME, { spec: { hard: { pods: "1000" } } }, "finance-prod").then(() => undefined, (e: unknown) => e);
    expect((loosen as ApiError).status).toBe(403);
    // Even the member's cluster-admin meets the admission policy yunshu installed there.
    const admin = await on.zhuzhou!.mergePatch(RESOURCE_QUOTAS, RESOURCE_QUOTA_NAME, { spec: { hard: { pods: "1000" } } }, "finance-prod").then(() => undefined, (e: unknown) => e);
    expect((admin as ApiError).message).toContain("is managed by yunshu for tenant finance");
    expect((await quotaOf("zhuzhou", "finance-prod"))?.pods).toBe("10");
  });
});

describe("a member's security profiles", () => {
  const SERVICES: ResourceType = { group: "", version: "v1", kind: "Service", plural: "services", namespaced: true };
  const profileOn = async (cluster: string) => (await on[cluster]!.get<SecurityProfile & KubeObject>(SECURITY_PROFILE_RESOURCE, "mlps-3"))?.spec;

  it("are the hub's: copied there, a hand edit on the member put back, a tuned hub profile followed, and enforced by the member's admission", async () => {
    const hubSpec = await profileOn("hunan");
    await eventually("zhuzhou's copy of mlps-3", async () => JSON.stringify(await profileOn("zhuzhou")) === JSON.stringify(hubSpec));
    await on.zhuzhou!.mergePatch(SECURITY_PROFILE_RESOURCE, "mlps-3", { spec: { services: { allowedTypes: ["ClusterIP", "NodePort"] } } });
    await eventually("the hand edit on zhuzhou to be put back", async () => (await profileOn("zhuzhou"))?.services.allowedTypes.join() === "ClusterIP");
    const nodePort = { apiVersion: "v1", kind: "Service", metadata: { name: "exposed", namespace: "finance-prod" }, spec: { type: "NodePort", ports: [{ port: 80 }] } } as KubeObject;
    const liu = new KubeClient(members.zhuzhou!.credentials("liu"));
    try {
      // The member's API server reads policy parameters from its own cache: a dry run tells when it has the restored copy.
      await untilAdmissionRefuses("zhuzhou's admission to read the restored profile", () => liu.create(SERVICES, nodePort, undefined, { dryRun: true }), "does not allow type NodePort");
      expect((await refusal(liu.create(SERVICES, nodePort))).message).toContain("MLPS profile mlps-3 (services.allowedTypes) does not allow type NodePort");
      expect(await on.zhuzhou!.get(SERVICES, "exposed", "finance-prod")).toBeUndefined();
      await on.hunan!.mergePatch(SECURITY_PROFILE_RESOURCE, "mlps-3", { spec: { quota: { hard: { configmaps: "80" } } } });
      await eventually("finance's quota on zhuzhou to follow the hub's profile", async () => (await quotaOf("zhuzhou", "finance-prod"))?.configmaps === "80");
      expect((await profileOn("zhuzhou"))?.quota.hard.configmaps).toBe("80");
    } finally {
      await on.hunan!.mergePatch(SECURITY_PROFILE_RESOURCE, "mlps-3", { spec: { quota: { hard: { configmaps: String(shippedProfile(3).spec.quota.hard.configmaps) } } } });
      await liu.close();
    }
  });
});

describe("a suspended tenant on a member", () => {
  it("refuses new pods there with the reason, and admits them again once lifted", async () => {
    const PODS: ResourceType = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };
    const pod = (name: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "finance-prod" }, spec: restrictedPod(name).spec }) as KubeObject;
    const liu = new KubeClient(members.zhuzhou!.credentials("liu"));
    try {
      await tenantsApi(hub).update("finance", (s) => ({ ...s, suspension: { reason: "合同到期，待续签" } }));
      await eventually("finance-prod on zhuzhou to be suspended", async () => (await namespaceOn("zhuzhou", "finance-prod"))?.metadata.labels?.["yunshu.io/suspended"] === "true");
      // The policy selects the namespace by its label, as the member's API server has cached it.
      await untilAdmissionRefuses("zhuzhou's admission to see the label", () => liu.create(PODS, pod("while-suspended"), undefined, { dryRun: true }), "is suspended");
      expect((await refusal(liu.create(PODS, pod("while-suspended")))).message).toContain("tenant finance is suspended (合同到期，待续签)");
      expect(await on.zhuzhou!.get(PODS, "while-suspended", "finance-prod")).toBeUndefined();
      await tenantsApi(hub).update("finance", (s) => ({ ...s, suspension: undefined }));
      await eventually("pods to be admitted on zhuzhou again", () =>
        liu.create(PODS, pod("after-lifting")).then(
          () => true,
          () => false,
        ),
      );
    } finally {
      await tenantsApi(hub).update("finance", (s) => ({ ...s, suspension: undefined }));
      await liu.close();
    }
  });
});

describe("a member removed from a placed tenant", () => {
  it("loses every binding on the member cluster within seconds, the owner's own included", async () => {
    const wu = new KubeClient(members.zhuzhou!.credentials("wu"));
    const liu = new KubeClient(members.zhuzhou!.credentials("liu"));
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "wu-was-here", namespace: "finance-prod" }, data: { a: "b" } } as KubeObject;
    await tenantsApi(hub).update("finance", (spec) => ({ ...spec, members: [{ kind: "User", name: "wu", role: "developer" }] }));
    await eventually("wu to work in finance-prod on zhuzhou", () => wu.create(CONFIG_MAPS, configMap).then(() => true, () => undefined));
    const extra = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "wu-viewer", namespace: "finance-prod" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "yunshu-tenant-viewer" },
      subjects: [{ kind: "User", name: "wu", apiGroup: "rbac.authorization.k8s.io" }],
    } as KubeObject;
    await liu.create(ROLE_BINDINGS, extra);
    const naming = async () => (await on.zhuzhou!.list<KubeObject & { subjects?: { name: string }[] }>(ROLE_BINDINGS, { namespace: "finance-prod" })).items.filter((b) => b.subjects?.some((x) => x.name === "wu"));
    expect((await naming()).map((b) => b.metadata.name).sort()).toEqual(["wu-viewer", "yunshu-tenant-developer"]);
    const started = Date.now();
    await tenantsApi(hub).update("finance", (spec) => ({ ...spec, members: [] }));
    await eventually("no binding on zhuzhou to name wu", async () => ((await naming()).length === 0 ? true : undefined), { timeoutMs: 15_000 });
    console.log(`member removed on the hub: every binding to them on member zhuzhou gone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const refused = await wu.list(CONFIG_MAPS, { namespace: "finance-prod" }).then(() => undefined, (e: unknown) => e);
    expect((refused as ApiError).status).toBe(403);
  });
});

describe("a namespace released on a member when its tenant moved away", () => {
  it("keeps no department access there, its ServiceAccounts renewed, and its quota frozen at what it uses", async () => {
    // finance moved from changsha to zhuzhou in the first test: changsha's finance-prod was released then.
    const ns = await namespaceOn("changsha", "finance-prod");
    expect(ns?.metadata.labels?.["yunshu.io/released"]).toBe("true");
    const revoked = JSON.parse(ns?.metadata.annotations?.["yunshu.io/revoked-access"] ?? "{}") as { serviceAccounts?: string[]; roleBindings?: string[] };
    expect(revoked.serviceAccounts).toContain("default");
    expect(revoked.roleBindings?.length).toBeGreaterThan(0);
    expect((await on.changsha!.list(ROLE_BINDINGS, { namespace: "finance-prod" })).items).toEqual([]);
    await eventually("changsha's finance-prod quota frozen at its usage, no pods", async () => (await quotaOf("changsha", "finance-prod"))?.pods === "0");
    const liu = new KubeClient(members.changsha!.credentials("liu"));
    try {
      const refused = await liu.list(CONFIG_MAPS, { namespace: "finance-prod" }).then(() => undefined, (e: unknown) => e);
      expect((refused as ApiError).status).toBe(403);
    } finally {
      await liu.close();
    }
  });
});

describe("deleting a placed tenant", () => {
  it("follows deletionPolicy on every member before the Tenant goes", async () => {
    await tenantsApi(hub).update("transport", (spec) => ({ ...spec, deletionPolicy: "Delete" }));
    await waitForReady(hub, "transport");
    await tenantsApi(hub).delete("transport");
    await eventually("the Tenant to be gone", async () => !(await on.hunan!.get<Tenant & KubeObject>(TENANTS, "transport")), { timeoutMs: 60_000 });
    for (const cluster of ["hunan", "changsha", "zhuzhou"]) {
      const ns = await namespaceOn(cluster, "transport-prod");
      expect(ns === undefined || ns.metadata.deletionTimestamp !== undefined, `transport-prod on ${cluster} is deleted`).toBe(true);
    }
  });
});
