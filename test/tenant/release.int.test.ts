// Release revokes: a namespace released under deletionPolicy Retain (removed
// from the spec, or its Tenant deleted) keeps its workloads and data, but no
// department identity keeps any way in: not the owners, not the members,
// not a token the department minted for its own ServiceAccount, not a
// binding or Role it made there. Its quota is frozen at what it uses and
// stays charged to the tenant, so the active namespaces share only the rest.
// Reclaiming it restores access. An owner removed from the Tenant loses the
// tokens they minted too. Each refusal sits next to what is still admitted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResourceType } from "../../operator/api/meta.ts";
import { CAPACITY_POOLS, CLUSTERS, NAMESPACES, RESOURCE_QUOTAS, ROLE_BINDINGS, ROLES, SERVICE_ACCOUNTS, TENANTS } from "../../operator/api/resources.ts";
import type { Operator } from "../../operator/operator.ts";
import { ApiError, KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { RESOURCE_QUOTA_NAME } from "../../operator/tenant/resource-quota.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { sleep } from "../../operator/runtime/sleep.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { registerHub } from "../../tools/local/fleet.ts";
import { installYunshu, restrictedPod, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";
import { anonymousStatus } from "../support/anonymous.ts";
import { refusal, untilAdmissionRefuses } from "../support/api-errors.ts";

const PODS: ResourceType = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };
const CONFIG_MAPS: ResourceType = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };
type Quota = KubeObject & { spec?: { hard?: Record<string, string> }; status?: { used?: Record<string, string> } };

let plane: ControlPlane;
let operator: Operator;
let admin: KubeClient;
const people: Record<string, KubeClient> = {};

const pod = (name: string, namespace: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace }, spec: restrictedPod(name).spec }) as KubeObject;
const configMap = (name: string, namespace: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data: { k: "v" } }) as KubeObject;
const quotaIn = (namespace: string) => admin.get<Quota>(RESOURCE_QUOTAS, RESOURCE_QUOTA_NAME, namespace);
const statusOf = async (code: Promise<unknown>) =>
  code.then(
    () => 200,
    (e: unknown) => (e instanceof ApiError ? e.status : -1),
  );

/** As `owner`: a ServiceAccount, a Role and a binding of its own in `namespace`, and a token minted for the ServiceAccount. */
async function mintServiceAccount(owner: KubeClient, namespace: string, name: string, role: { kind: "Role" | "ClusterRole"; name: string }): Promise<{ client: KubeClient; uid: string }> {
  const sa = await owner.create(SERVICE_ACCOUNTS, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } } as KubeObject);
  if (role.kind === "Role") {
    await owner.create(ROLES, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: role.name, namespace },
      rules: [{ apiGroups: [""], resources: ["pods", "configmaps"], verbs: ["get", "list", "create"] }],
    } as KubeObject);
  }
  await owner.create(ROLE_BINDINGS, {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: `${name}-access`, namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: role.kind, name: role.name },
    subjects: [{ kind: "ServiceAccount", name, namespace }],
  } as KubeObject);
  const tokens: ResourceType = { ...SERVICE_ACCOUNTS, plural: `serviceaccounts/${name}/token` };
  const request = { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", metadata: { name, namespace }, spec: { expirationSeconds: 3600 } } as unknown as KubeObject;
  const minted = (await owner.create(tokens, request)) as unknown as { status: { token: string } };
  const base = plane.credentials();
  const client = new KubeClient({ server: base.server, caPem: base.caPem, bearerToken: minted.status.token, insecureSkipTlsVerify: false });
  // The positive control: the minted token works, through the department's own binding.
  await eventually(`${name}'s token to be let in`, async () => (await statusOf(client.list(PODS, { namespace }))) === 200);
  return { client, uid: sa.metadata.uid! };
}

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "release", users: [{ name: "dora", groups: [] }, { name: "erin", groups: [] }, { name: "frank", groups: [] }] });
  // Cluster status (what a cluster has allocated) is refreshed at each probe.
  operator = await startOperator(plane, await installYunshu(plane), { clusterProbeIntervalMs: 1_000 });
  admin = new KubeClient(plane.credentials());
  for (const name of ["dora", "erin", "frank"]) people[name] = new KubeClient(plane.credentials(name));
});

afterAll(async () => {
  await Promise.all([admin, ...Object.values(people)].map((c) => c?.close()));
  await operator?.stop();
  await plane?.stop();
});

describe("a namespace released under Retain", () => {
  const OLD = "archive-old";
  const LIVE = "archive-live";
  let bot: { client: KubeClient; uid: string };

  beforeAll(async () => {
    await tenantsApi(plane).create(
      tenant("archive", {
        owners: [{ kind: "User", name: "dora" }],
        members: [{ kind: "User", name: "erin", role: "developer" }],
        namespaces: [{ name: "live" }, { name: "old" }],
        quota: { hard: { pods: "10" } },
        deletionPolicy: "Retain",
      }),
    );
    await waitForReady(plane, "archive");
    bot = await mintServiceAccount(people.dora!, OLD, "bot", { kind: "Role", name: "reader" });
    for (const name of ["a", "b", "c"]) await people.erin!.create(PODS, pod(name, OLD));
    await eventually("the quota controller to count 3 pods in archive-old", async () => (await quotaIn(OLD))?.status?.used?.pods === "3");
    await tenantsApi(plane).update("archive", (s) => ({ ...s, namespaces: [{ name: "live" }] }));
    await eventually("archive-old to be released", async () => (await admin.get(NAMESPACES, OLD))?.metadata.labels?.["yunshu.io/released"] === "true");
  });

  it("keeps no department identity: owner, member, a token it minted, its own bindings and Roles are all gone; the workloads stay", async () => {
    await eventually("dora to be refused in archive-old", async () => (await statusOf(people.dora!.list(PODS, { namespace: OLD }))) === 403);
    expect((await refusal(people.dora!.create(CONFIG_MAPS, configMap("after-release", OLD)))).status).toBe(403);
    expect(await admin.get(CONFIG_MAPS, "after-release", OLD)).toBeUndefined();
    expect(await statusOf(people.erin!.list(PODS, { namespace: OLD }))).toBe(403);
    expect((await refusal(people.erin!.create(PODS, pod("sneaky", OLD)))).status).toBe(403);
    // The minted token names a ServiceAccount UID that no longer exists.
    // (The API server caches a token's authentication for a few seconds.)
    await eventually("the minted token to be refused as unknown", async () => (await statusOf(bot.client.list(PODS, { namespace: OLD }))) === 401);
    expect(await statusOf(bot.client.create(CONFIG_MAPS, configMap("by-bot", OLD)))).toBe(401);
    expect(await admin.get(CONFIG_MAPS, "by-bot", OLD)).toBeUndefined();
    // Nor an anonymous client.
    expect(await anonymousStatus(plane, "GET", `/api/v1/namespaces/${OLD}/pods`)).toBe(403);
    expect(await anonymousStatus(plane, "POST", `/api/v1/namespaces/${OLD}/configmaps`, configMap("by-anonymous", OLD))).toBe(403);
    expect(await admin.get(CONFIG_MAPS, "by-anonymous", OLD)).toBeUndefined();
    // The ServiceAccount is there again, under a new UID, so workloads naming it still start.
    const renewed = await admin.get(SERVICE_ACCOUNTS, "bot", OLD);
    expect(renewed?.metadata.uid).toBeDefined();
    expect(renewed?.metadata.uid).not.toBe(bot.uid);
    expect((await admin.list(ROLE_BINDINGS, { namespace: OLD })).items.map((b) => b.metadata.name)).toEqual([]);
    expect((await admin.list(ROLES, { namespace: OLD })).items.map((r) => r.metadata.name)).toEqual([]);
    expect((await admin.list(PODS, { namespace: OLD })).items.map((p) => p.metadata.name).sort()).toEqual(["a", "b", "c"]);
    // The positive control: the tenant's active namespace is still the owner's.
    await people.dora!.create(CONFIG_MAPS, configMap("still-mine", LIVE));
  });

  it("records what it revoked on the namespace and in an Event, and closes the namespace to new grants, for a cluster admin too", async () => {
    const ns = await admin.get(NAMESPACES, OLD);
    const revoked = JSON.parse(ns?.metadata.annotations?.["yunshu.io/revoked-access"] ?? "{}") as Record<string, string[]>;
    expect(revoked.roleBindings).toContain("bot-access");
    expect(revoked.roleBindings?.some((b) => b.startsWith("yunshu-"))).toBe(true);
    expect(revoked.roles).toEqual(["reader"]);
    expect(revoked.serviceAccounts).toEqual(expect.arrayContaining(["bot", "default"]));
    expect(Date.parse(ns?.metadata.annotations?.["yunshu.io/released-at"] ?? "")).toBeGreaterThan(0);
    expect(ns?.metadata.annotations?.["yunshu.io/grant-users"]).toBeUndefined();
    const events = await plane.kubectl(["get", "events", "--field-selector", "involvedObject.kind=Tenant,involvedObject.name=archive,reason=NamespaceReleased", "-o", "json"]);
    expect(events.stdout).toContain("renewed ServiceAccount(s)");
    const grant = (namespace: string) =>
      ({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "dora-again", namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "yunshu-tenant-viewer" },
        subjects: [{ kind: "User", name: "dora" }],
      }) as KubeObject;
    await untilAdmissionRefuses("admission to see archive-old's closed grants", () => admin.create(ROLE_BINDINGS, grant(OLD), undefined, { dryRun: true }), "not one of tenant archive's people");
    expect((await refusal(admin.create(ROLE_BINDINGS, grant(OLD)))).message).toContain("not one of tenant archive's people");
    expect(await admin.get(ROLE_BINDINGS, "dora-again", OLD)).toBeUndefined();
    await admin.create(ROLE_BINDINGS, grant(LIVE));
    await admin.delete(ROLE_BINDINGS, "dora-again", LIVE);
  });

  it("freezes the quota at what it uses and keeps it charged to the tenant: the active namespace gets only the rest", async () => {
    await eventually("archive-old's quota frozen at 3 pods", async () => (await quotaIn(OLD))?.spec?.hard?.pods === "3");
    await eventually("archive-live to get 10 - 3 pods", async () => (await quotaIn(LIVE))?.spec?.hard?.pods === "7");
    const status = await eventually("the tenant's usage to count the released pods", async () => {
      const t = await tenantsApi(plane).get("archive");
      return t.status?.quota?.used?.pods === "3" ? t : undefined;
    });
    expect(status.status?.quota?.hard?.pods).toBe("10");
    // Frozen: not even a cluster admin adds a pod there; the active namespace still takes them.
    expect((await refusal(admin.create(PODS, pod("d", OLD)))).message).toContain("exceeded quota");
    expect(await admin.get(PODS, "d", OLD)).toBeUndefined();
    await admin.create(PODS, pod("first", LIVE));
  });

  it("follows its usage down, never up", async () => {
    await admin.delete(PODS, "c", OLD);
    await eventually("archive-old's quota to follow its usage down to 2", async () => (await quotaIn(OLD))?.spec?.hard?.pods === "2");
    await eventually("archive-live to get the pod back", async () => (await quotaIn(LIVE))?.spec?.hard?.pods === "8");
  });

  it("is the tenant's again once declared again: access restored, the record removed, the quota shared within the tenant's", async () => {
    await tenantsApi(plane).update("archive", (s) => ({ ...s, namespaces: [{ name: "live" }, { name: "old" }] }));
    await eventually("dora to be let into archive-old again", () =>
      people.dora!.create(CONFIG_MAPS, configMap("reclaimed", OLD)).then(
        () => true,
        () => false,
      ),
    );
    const ns = await admin.get(NAMESPACES, OLD);
    expect(ns?.metadata.labels?.["yunshu.io/released"]).toBeUndefined();
    expect(ns?.metadata.annotations?.["yunshu.io/revoked-access"]).toBeUndefined();
    expect(ns?.metadata.annotations?.["yunshu.io/grant-users"]).toContain("dora");
    await waitForReady(plane, "archive");
    const old = Number((await quotaIn(OLD))?.spec?.hard?.pods);
    const live = Number((await quotaIn(LIVE))?.spec?.hard?.pods);
    expect(old).toBeGreaterThanOrEqual(2);
    expect(old + live).toBeLessThanOrEqual(10);
  });

  it("deleting the Tenant under Retain takes every way in, from every namespace", async () => {
    const live = await mintServiceAccount(people.dora!, LIVE, "exporter", { kind: "ClusterRole", name: "yunshu-tenant-viewer" });
    await admin.delete(TENANTS, "archive");
    await eventually("the Tenant to go", async () => (await admin.get(TENANTS, "archive")) === undefined);
    for (const namespace of [LIVE, OLD]) {
      await eventually(`dora to be refused in ${namespace}`, async () => (await statusOf(people.dora!.list(PODS, { namespace }))) === 403);
      expect((await admin.get(NAMESPACES, namespace))?.metadata.labels?.["yunshu.io/released"]).toBe("true");
    }
    await eventually("the token minted in archive-live to be refused as unknown", async () => (await statusOf(live.client.list(PODS, { namespace: LIVE }))) === 401);
    expect((await admin.list(PODS, { namespace: LIVE })).items.map((p) => p.metadata.name)).toEqual(["first"]);
  });
});

describe("an owner removed from the Tenant", () => {
  const NS = "keeper-prod";

  it("loses the tokens they minted: the tenant's ServiceAccounts are renewed, while the remaining owner keeps access", async () => {
    await tenantsApi(plane).create(tenant("keeper", { owners: [{ kind: "User", name: "dora" }, { kind: "User", name: "frank" }], quota: { hard: { pods: "4" } } }));
    await waitForReady(plane, "keeper");
    const helper = await mintServiceAccount(people.frank!, NS, "helper", { kind: "ClusterRole", name: "yunshu-tenant-admin" });
    await tenantsApi(plane).update("keeper", (s) => ({ ...s, owners: [{ kind: "User", name: "dora" }] }));
    await eventually("frank to be refused in keeper-prod", async () => (await statusOf(people.frank!.list(PODS, { namespace: NS }))) === 403);
    await eventually("frank's minted token to be refused", async () => (await statusOf(helper.client.list(PODS, { namespace: NS }))) === 401);
    expect(await statusOf(helper.client.create(CONFIG_MAPS, configMap("by-helper", NS)))).toBe(401);
    expect(await admin.get(CONFIG_MAPS, "by-helper", NS)).toBeUndefined();
    expect((await admin.get(SERVICE_ACCOUNTS, "helper", NS))?.metadata.uid).not.toBe(helper.uid);
    // The department's own binding for its ServiceAccount stays: the account is the tenant's, only its old tokens are void.
    expect(await admin.get(ROLE_BINDINGS, "helper-access", NS)).toBeDefined();
    await people.dora!.create(CONFIG_MAPS, configMap("dora-stays", NS));
    const events = await plane.kubectl(["get", "events", "--field-selector", "involvedObject.kind=Tenant,involvedObject.name=keeper,reason=CredentialsRenewed", "-o", "json"]);
    expect(events.stdout).toContain("User frank left the tenant");
  });

  it("adding an owner renews nothing", async () => {
    const before = (await admin.get(SERVICE_ACCOUNTS, "helper", NS))?.metadata.uid;
    await tenantsApi(plane).update("keeper", (s) => ({ ...s, owners: [{ kind: "User", name: "dora" }, { kind: "User", name: "erin" }] }));
    await eventually("erin to be let in", async () => (await statusOf(people.erin!.list(PODS, { namespace: NS }))) === 200);
    expect((await admin.get(SERVICE_ACCOUNTS, "helper", NS))?.metadata.uid).toBe(before);
  });
});

describe("a tenant deleted under Retain", () => {
  it("keeps what its retained namespaces hold charged to its parent, until they are deleted", async () => {
    await tenantsApi(plane).create(tenant("bureau", { owners: [{ kind: "User", name: "erin" }], quota: { hard: { pods: "10" } } }));
    await tenantsApi(plane).create(tenant("unit", { parent: "bureau", owners: [{ kind: "User", name: "dora" }], quota: { hard: { pods: "6" } }, deletionPolicy: "Retain" }));
    await Promise.all([waitForReady(plane, "bureau"), waitForReady(plane, "unit")]);
    await eventually("bureau-prod to get 10 - 6 pods", async () => (await quotaIn("bureau-prod"))?.spec?.hard?.pods === "4");
    for (const name of ["a", "b", "c", "d"]) await admin.create(PODS, pod(name, "unit-prod"));
    await eventually("the quota controller to count 4 pods in unit-prod", async () => (await quotaIn("unit-prod"))?.status?.used?.pods === "4");
    await admin.delete(TENANTS, "unit");
    await eventually("unit to go", async () => (await admin.get(TENANTS, "unit")) === undefined);
    const ns = await admin.get(NAMESPACES, "unit-prod");
    expect(ns?.metadata.annotations?.["yunshu.io/retained-for"]).toBe("bureau");
    await eventually("unit-prod's quota frozen at its 4 pods", async () => (await quotaIn("unit-prod"))?.spec?.hard?.pods === "4");
    // The parent's own namespaces get its quota minus what the retained namespace holds, not all of it back.
    await eventually("bureau-prod to get 10 - 4 pods", async () => (await quotaIn("bureau-prod"))?.spec?.hard?.pods === "6");
    expect((await quotaIn("bureau-prod"))?.spec?.hard?.pods).toBe("6");
    // Nor can a new child take what the retained namespace holds.
    await tenantsApi(plane).create(tenant("unit-too-big", { parent: "bureau", quota: { hard: { pods: "7" } } }));
    const allocated = await eventually("unit-too-big's verdict", async () => (await tenantsApi(plane).get("unit-too-big")).status?.conditions?.find((c) => c.type === "QuotaAllocated"));
    expect(allocated).toMatchObject({ status: "False", reason: "ExceedsParentQuota" });
    expect(await admin.get(NAMESPACES, "unit-too-big-prod")).toBeUndefined();
    await admin.delete(TENANTS, "unit-too-big");
    // Deleted at last: the parent has all of it again.
    await admin.delete(NAMESPACES, "unit-prod");
    await eventually("bureau-prod to get all 10 pods back", async () => (await quotaIn("bureau-prod"))?.spec?.hard?.pods === "10", { timeoutMs: 60_000 });
  });
});

describe("a top-level tenant deleted under Retain", () => {
  it("keeps what its retained namespace holds counted on its cluster and in the capacity pool, until it is deleted", async () => {
    await registerHub(plane, "hunan", { region: "hunan", tier: "province" });
    await admin.apply(CAPACITY_POOLS, { apiVersion: "yunshu.io/v1alpha1", kind: "CapacityPool", metadata: { name: "default" }, spec: { allocatable: { pods: "1000" } } } as KubeObject, "test");
    await tenantsApi(plane).create(tenant("solo", { owners: [{ kind: "User", name: "dora" }], quota: { hard: { pods: "5" } }, deletionPolicy: "Retain" }));
    await waitForReady(plane, "solo");
    for (const name of ["a", "b"]) await admin.create(PODS, pod(name, "solo-prod"));
    await eventually("the quota controller to count 2 pods in solo-prod", async () => (await quotaIn("solo-prod"))?.status?.used?.pods === "2");
    const figures = async () => {
      const cluster = await admin.get<KubeObject & { status?: { allocated?: Record<string, string> } }>(CLUSTERS, "hunan");
      const pool = await admin.get<KubeObject & { status?: { committed?: Record<string, string> } }>(CAPACITY_POOLS, "default");
      // Nothing allocated on a cluster is no allocated map at all.
      return { cluster: Number(cluster?.status?.allocated?.pods ?? 0), pool: Number(pool?.status?.committed?.pods ?? NaN) };
    };
    // Settled: two reads a few probes apart agree (the file's other tenants hold some of the cluster and the pool too).
    const before = await eventually("the cluster and the pool to count solo's 5 pods, settled", async () => {
      const first = await figures();
      await sleep(2_500);
      const f = await figures();
      return f.cluster >= 5 && f.pool >= 5 && f.cluster === first.cluster && f.pool === first.pool ? f : undefined;
    });
    await admin.delete(TENANTS, "solo");
    await eventually("solo to go", async () => (await admin.get(TENANTS, "solo")) === undefined);
    expect((await admin.get(NAMESPACES, "solo-prod"))?.metadata.annotations?.["yunshu.io/retained-for"]).toBe("");
    // 5 held before; 2 (its frozen usage) held after, on the cluster and in the pool.
    const counted = (less: number) => async () => {
      const f = await figures();
      if (f.cluster === before.cluster - less && f.pool === before.pool - less) return f;
      throw new Error(`before ${JSON.stringify(before)}, now ${JSON.stringify(f)}`);
    };
    await eventually("the cluster and the pool to count the 2 retained pods", counted(3));
    await admin.delete(NAMESPACES, "solo-prod");
    await eventually("the cluster and the pool to count none of it", counted(5), { timeoutMs: 60_000 });
  });
});
