// Offboarding, end to end on a hub and a member with a grace period of
// seconds: a department asks (TenantRequest action Offboard), a platform
// admin approves; the tenant is suspended on both clusters while its people
// keep reading; when the grace period ends, every namespace of it on both
// clusters goes with the volume bound to its claim, an OffboardingRecord
// lists what went where on whose decision with the final check, and the
// parent's budget is free again. The record is evidence: nobody but the
// operator writes one, and nobody changes or deletes one. An operator
// stopped halfway finishes on restart, with one record.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OffboardingRecord } from "../../operator/api/generated.ts";
import type { ResourceType } from "../../operator/api/meta.ts";
import { NAMESPACES, OFFBOARDING_RECORDS, PERSISTENT_VOLUMES, TENANTS } from "../../operator/api/resources.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { registerHub, registerMember } from "../../tools/local/fleet.ts";
import { bindRequestGroups, decide, fileRequest, requestCondition, waitForRequestCondition } from "../../tools/local/requests.ts";
import { installYunshu, restrictedPod, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";
import { anonymousStatus } from "../support/anonymous.ts";
import { refusal, untilAdmissionRefuses } from "../support/api-errors.ts";

const PODS: ResourceType = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };
const CONFIG_MAPS: ResourceType = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };
const CLAIMS: ResourceType = { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true };
const GRACE_MS = 8_000;
type Record = OffboardingRecord & KubeObject;

let hub: ControlPlane;
let changsha: ControlPlane;
let identity: string;
let operator: Operator;
const on: { [cluster: string]: KubeClient } = {};
const as: { [user: string]: KubeClient } = {};

const namespacesOf = async (cluster: string, name: string) => (await on[cluster]!.list(NAMESPACES, { labelSelector: `yunshu.io/tenant=${name}` })).items.map((n) => n.metadata.name);
const volume = (name: string, namespace: string) =>
  ({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name },
    spec: {
      capacity: { storage: "1Gi" },
      accessModes: ["ReadWriteOnce"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "",
      hostPath: { path: `/tmp/${name}` },
      claimRef: { namespace, name: "data" },
    },
  }) as KubeObject;
const claim = (namespace: string) =>
  ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "", resources: { requests: { storage: "1Gi" } } } }) as KubeObject;

/** Files an Offboard request as `owner`, has platform-li approve it, and waits until it is applied. */
async function offboard(owner: string, name: string): Promise<string> {
  const filed = await fileRequest(as[owner]!, owner, { tenant: name, action: "Offboard", reason: "购买服务合同终止，数据已导出" });
  await waitForRequestCondition(on.hunan!, filed.metadata.name, "Fits", "True");
  await decide(as["platform-li"]!, "platform-li", filed.metadata.name, true, "同意注销");
  await waitForRequestCondition(on.hunan!, filed.metadata.name, "Applied", "True");
  return filed.metadata.name;
}

beforeAll(async () => {
  const users = [
    { name: "liu", groups: ["departments"] },
    { name: "wu", groups: ["departments"] },
    { name: "zhao", groups: ["departments"] },
    { name: "platform-li", groups: ["platform-team"] },
  ];
  [hub, changsha] = await Promise.all([ControlPlane.start({ name: "offboarding-hub", users }), ControlPlane.start({ name: "offboarding-changsha", users })]);
  identity = await installYunshu(hub);
  await registerMember(hub, changsha, "changsha", { region: "changsha", tier: "city" });
  await registerHub(hub, "hunan", { region: "hunan", tier: "province" });
  await bindRequestGroups(hub);
  on.hunan = new KubeClient(hub.credentials());
  on.changsha = new KubeClient(changsha.credentials());
  for (const u of users) as[u.name] = new KubeClient(hub.credentials(u.name));
  as["liu@changsha"] = new KubeClient(changsha.credentials("liu"));
  operator = await startOperator(hub, identity, { clusterProbeIntervalMs: 1_000, offboardingGracePeriodMs: GRACE_MS });
  await eventually("changsha connected", () => operator.fleet?.runtimes.get("changsha")?.synced);
  await tenantsApi(hub).create(tenant("province-data", { level: "province", quota: { hard: { pods: "20" } }, owners: [{ kind: "User", name: "wu" }] }));
  await waitForReady(hub, "province-data");
});

afterAll(async () => {
  await Promise.all(Object.values(as).map((c) => c.close()));
  await operator?.stop();
  await Promise.all([hub?.stop(), changsha?.stop()]);
});

describe("offboarding a tenant", () => {
  const NAME = "county-x";
  const NS = "county-x-prod";
  let request: string;

  beforeAll(async () => {
    await tenantsApi(hub).create(
      tenant(NAME, { level: "county", parent: "province-data", quota: { hard: { pods: "16" } }, placement: { clusters: ["hunan", "changsha"] }, owners: [{ kind: "User", name: "liu" }] }),
    );
    await waitForReady(hub, NAME, 60_000);
    await as["liu@changsha"]!.create(CLAIMS, claim(NS));
    await on.changsha!.create(PERSISTENT_VOLUMES, volume("county-x-data", NS));
    await as.liu!.create(CONFIG_MAPS, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "export-me", namespace: NS }, data: { rows: "42" } } as KubeObject);
  });

  it("is refused to another department and for a tenant with children; the tenant is unchanged", async () => {
    const other = await fileRequest(as.zhao!, "zhao", { tenant: NAME, action: "Offboard", reason: "不是我的" });
    const authorized = await waitForRequestCondition(on.hunan!, other.metadata.name, "Authorized", "False");
    expect(requestCondition(authorized, "Authorized")?.reason).toBe("NotOwner");
    const parent = await fileRequest(as.wu!, "wu", { tenant: "province-data", action: "Offboard", reason: "省级撤并" });
    const fits = await waitForRequestCondition(on.hunan!, parent.metadata.name, "Fits", "False");
    expect(requestCondition(fits, "Fits")?.reason).toBe("HasChildren");
    expect(requestCondition(fits, "Fits")?.message).toContain("county-x");
    const anonymous = { apiVersion: "yunshu.io/v1alpha1", kind: "TenantRequest", metadata: { generateName: `${NAME}-` }, spec: { tenant: NAME, action: "Offboard", reason: "匿名", requester: { username: "system:anonymous" } } };
    expect(await anonymousStatus(hub, "POST", "/apis/yunshu.io/v1alpha1/tenantrequests", anonymous)).toBe(403);
    for (const name of [NAME, "province-data"]) expect((await tenantsApi(hub).get(name)).spec.offboarding).toBeUndefined();
  });

  it("suspends the tenant on every cluster at once, with the clock recorded, while its people keep reading", async () => {
    request = await offboard("liu", NAME);
    const t = await tenantsApi(hub).get(NAME);
    expect(t.spec.offboarding).toEqual({ request, requestedBy: "liu", approvedBy: "platform-li", reason: "购买服务合同终止，数据已导出" });
    const clock = await eventually("the offboarding clock", async () => (await tenantsApi(hub).get(NAME)).status?.offboarding);
    expect(Date.parse(clock.deleteAfter!) - Date.parse(clock.startedAt!)).toBe(GRACE_MS);
    for (const [cluster, client] of [["hunan", as.liu!], ["changsha", as["liu@changsha"]!]] as const) {
      await untilAdmissionRefuses(`${cluster}'s admission to see the suspension`, () => client.create(PODS, { apiVersion: "v1", kind: "Pod", metadata: { name: "new", namespace: NS }, spec: restrictedPod("new").spec } as KubeObject, undefined, { dryRun: true }), "offboarding");
      expect((await refusal(client.create(PODS, { apiVersion: "v1", kind: "Pod", metadata: { name: "new", namespace: NS }, spec: restrictedPod("new").spec } as KubeObject))).message).toContain(`offboarding (request ${request})`);
      expect(await on[cluster]!.get(PODS, "new", NS)).toBeUndefined();
      // The grace period is for reading: the department exports what it has.
      expect((await client.list(CONFIG_MAPS, { namespace: NS })).items.length).toBeGreaterThan(0);
    }
    expect((await as.liu!.get<KubeObject & { data?: object }>(CONFIG_MAPS, "export-me", NS))?.data).toEqual({ rows: "42" });
  });

  it("then deletes everything of it on both clusters, its volume included, and records it once nothing is left", async () => {
    await eventually("the Tenant to go", async () => (await on.hunan!.get(TENANTS, NAME)) === undefined, { timeoutMs: 90_000 });
    expect(await namespacesOf("hunan", NAME)).toEqual([]);
    expect(await namespacesOf("changsha", NAME)).toEqual([]);
    expect(await on.changsha!.get(PERSISTENT_VOLUMES, "county-x-data")).toBeUndefined();
    const record = (await on.hunan!.get<Record>(OFFBOARDING_RECORDS, request))!;
    expect(record.spec).toMatchObject({ tenant: NAME, parent: "province-data", request, requestedBy: "liu", approvedBy: "platform-li", quota: { pods: "16" } });
    expect(record.spec.clusters).toEqual(
      expect.arrayContaining([
        { name: "hunan", namespaces: [NS], persistentVolumes: [] },
        { name: "changsha", namespaces: [NS], persistentVolumes: ["county-x-data"] },
      ]),
    );
    expect(record.spec.finalCheck).toMatchObject({ passed: true, clusters: ["changsha", "hunan"] });
    expect(Date.parse(record.spec.deletionStartedAt) - Date.parse(record.spec.startedAt)).toBeGreaterThanOrEqual(GRACE_MS);
  });

  it("gives its budget back to the parent: a new child that needs all of it fits", async () => {
    await tenantsApi(hub).create(tenant("county-y", { level: "county", parent: "province-data", quota: { hard: { pods: "20" } }, owners: [{ kind: "User", name: "wu" }] }));
    await waitForReady(hub, "county-y");
    const allocated = (await tenantsApi(hub).get("county-y")).status?.conditions?.find((c) => c.type === "QuotaAllocated");
    expect(allocated?.status).toBe("True");
    await on.hunan!.delete(TENANTS, "county-y");
  });

  it("leaves a record that nobody can fake, change or delete; the platform team reads it", async () => {
    // Complete and well-formed, so that it is the admission policy, not the schema, that refuses it.
    const genuine = (await on.hunan!.get<Record>(OFFBOARDING_RECORDS, request))!;
    const fake = { apiVersion: "yunshu.io/v1alpha1", kind: "OffboardingRecord", metadata: { name: "forged" }, spec: { ...genuine.spec, tenant: "province-data" } } as KubeObject;
    expect((await refusal(on.hunan!.create(OFFBOARDING_RECORDS, fake))).message).toContain("only the yunshu operator writes an OffboardingRecord");
    expect((await refusal(as.liu!.create(OFFBOARDING_RECORDS, fake))).status).toBe(403);
    expect(await on.hunan!.get(OFFBOARDING_RECORDS, "forged")).toBeUndefined();
    const before = (await on.hunan!.get<Record>(OFFBOARDING_RECORDS, request))!;
    // The schema refuses a changed spec before admission is asked; the policy refuses any other change.
    expect((await refusal(on.hunan!.mergePatch(OFFBOARDING_RECORDS, request, { spec: { approvedBy: "someone-else" } }))).message).toContain("is evidence and is never changed");
    expect((await refusal(on.hunan!.mergePatch(OFFBOARDING_RECORDS, request, { metadata: { labels: { tampered: "yes" } } }))).message).toContain("cannot be changed or deleted");
    expect((await refusal(on.hunan!.delete(OFFBOARDING_RECORDS, request))).message).toContain("cannot be changed or deleted");
    // An anonymous client reads no record, forges none, deletes none.
    expect(await anonymousStatus(hub, "GET", "/apis/yunshu.io/v1alpha1/offboardingrecords")).toBe(403);
    expect(await anonymousStatus(hub, "POST", "/apis/yunshu.io/v1alpha1/offboardingrecords", fake)).toBe(403);
    expect(await anonymousStatus(hub, "DELETE", `/apis/yunshu.io/v1alpha1/offboardingrecords/${request}`)).toBe(403);
    expect(await on.hunan!.get(OFFBOARDING_RECORDS, "forged")).toBeUndefined();
    const after = (await on.hunan!.get<Record>(OFFBOARDING_RECORDS, request))!;
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect((await as["platform-li"]!.list<Record>(OFFBOARDING_RECORDS)).items.map((r) => r.metadata.name)).toContain(request);
    expect((await refusal(as.wu!.list(OFFBOARDING_RECORDS))).status).toBe(403);
  });
});

describe("an operator stopped in the middle of an offboarding", () => {
  const NAME = "county-z";
  const NS = "county-z-prod";

  it("finishes it after a restart, exactly once", async () => {
    await tenantsApi(hub).create(tenant(NAME, { level: "county", parent: "province-data", quota: { hard: { pods: "4" } }, placement: { clusters: ["changsha"] }, owners: [{ kind: "User", name: "liu" }] }));
    await waitForReady(hub, NAME, 60_000);
    // A finalizer of someone else's holds the volume: the final check waits on it.
    await on.changsha!.create(PERSISTENT_VOLUMES, { ...volume("county-z-data", NS), metadata: { name: "county-z-data", finalizers: ["example.com/backup"] } } as KubeObject);
    const request = await offboard("liu", NAME);
    await eventually("deletion to begin and county-z-prod to go", async () => (await on.hunan!.get<Tenant & KubeObject>(TENANTS, NAME))?.metadata.deletionTimestamp !== undefined && (await namespacesOf("changsha", NAME)).length === 0, { timeoutMs: 60_000 });
    const held = await eventually("the volume to be deleted, and held by its finalizer", async () => (await on.changsha!.get(PERSISTENT_VOLUMES, "county-z-data"))?.metadata.deletionTimestamp);
    expect(held).toBeDefined();
    await operator.stop();
    expect(await on.hunan!.get(OFFBOARDING_RECORDS, request)).toBeUndefined();
    expect(await on.hunan!.get(TENANTS, NAME)).toBeDefined();
    await on.changsha!.mergePatch(PERSISTENT_VOLUMES, "county-z-data", { metadata: { finalizers: null } });
    operator = await startOperator(hub, identity, { clusterProbeIntervalMs: 1_000, offboardingGracePeriodMs: GRACE_MS });
    await eventually("the Tenant to go after the restart", async () => (await on.hunan!.get(TENANTS, NAME)) === undefined, { timeoutMs: 60_000 });
    const records = (await on.hunan!.list<Record>(OFFBOARDING_RECORDS)).items.filter((r) => r.spec.tenant === NAME);
    expect(records.map((r) => r.metadata.name)).toEqual([request]);
    expect(records[0]!.spec.clusters).toEqual([{ name: "changsha", namespaces: [NS], persistentVolumes: ["county-z-data"] }]);
    expect(records[0]!.spec.finalCheck.passed).toBe(true);
  });
});
