// Self-service end to end, as the people involved: departments file
// TenantRequests with their own tokens, platform admins decide them, the
// operator judges capacity and applies what was approved. Negative tests
// name the refusal they expect and check that nothing changed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CapacityPool } from "../../operator/api/generated.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { CAPACITY_POOLS, NAMESPACES, RESOURCE_QUOTAS, TENANT_REQUESTS, TENANTS } from "../../operator/api/resources.ts";
import { RESOURCE_QUOTA_NAME } from "../../operator/tenant/resource-quota.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { bindRequestGroups, decide, fileRequest, requestCondition, type Request, type RequestSpec, waitForRequestCondition } from "../../tools/local/requests.ts";
import { installYunshu, startOperator, tenant, waitForReady } from "../../tools/local/yunshu.ts";
import { refusal } from "../support/api-errors.ts";

/** Small, so that the flood below is quick; zhuzhou-clerk keeps at most four requests pending before it. */
const MAX_PENDING = 5;

let plane: ControlPlane;
let operator: Operator;
const as: Record<string, KubeClient> = {};

const fileAs = (user: string, spec: RequestSpec, requester = user) => fileRequest(as[user]!, requester, spec);
const decideAs = (user: string, name: string, approve: boolean, reason: string) => decide(as[user]!, user, name, approve, reason);
const cond = requestCondition;
const waitForCondition = (name: string, type: "Authorized" | "Fits" | "Approved" | "Applied", status?: string) => waitForRequestCondition(as.admin!, name, type, status);

beforeAll(async () => {
  plane = await ControlPlane.start({
    name: "self-service",
    users: [
      { name: "changsha-clerk", groups: ["departments", "changsha"] },
      { name: "zhuzhou-clerk", groups: ["departments", "zhuzhou"] },
      { name: "platform-li", groups: ["platform-team"] },
      { name: "platform-wang", groups: ["platform-team"] },
      { name: "flood-clerk", groups: ["departments"] },
    ],
  });
  operator = await startOperator(plane, await installYunshu(plane), { maxPendingRequests: MAX_PENDING });
  for (const user of ["admin", "changsha-clerk", "zhuzhou-clerk", "platform-li", "platform-wang", "flood-clerk"]) as[user] = new KubeClient(plane.credentials(user));
  await bindRequestGroups(plane);
  const pool: CapacityPool = {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "CapacityPool",
    metadata: { name: "default" },
    spec: { allocatable: { "requests.cpu": "100", "requests.memory": "200Gi" }, overcommit: { "requests.cpu": "1.5" } },
  };
  await as["platform-li"]!.create(CAPACITY_POOLS, pool as CapacityPool & KubeObject);
  // The city the county bureaus are carved from, made directly by the platform team.
  // The city's staff own it as a group: changsha-clerk asks for its counties through that group.
  const city = tenant("changsha", { level: "city", owners: [{ kind: "Group", name: "changsha" }], quota: { hard: { "requests.cpu": "10", "requests.memory": "20Gi" } } });
  await as["platform-li"]!.create(TENANTS, city as Tenant & KubeObject);
  await waitForReady(plane, "changsha");
});

afterAll(async () => {
  await operator?.stop();
  await plane?.stop();
});

describe("a department", () => {
  let filed: Request;

  it("files a request in its own name and gets verdicts on its authority and on capacity, with the numbers", async () => {
    filed = await fileAs("changsha-clerk", {
      tenant: "changsha-yuelu",
      action: "Create",
      reason: "岳麓区数据局 needs a place for its permit system",
      displayName: "岳麓区数据局",
      level: "county",
      parent: "changsha",
      namespaces: ["prod"],
      quota: { hard: { "requests.cpu": "6", "requests.memory": "8Gi" } },
    });
    expect(filed.spec.requester).toEqual({ username: "changsha-clerk", groups: ["departments", "changsha", "system:authenticated"] });
    const judged = await waitForCondition(filed.metadata.name, "Fits");
    expect(cond(judged, "Authorized")).toMatchObject({
      status: "True",
      reason: "Owner",
      message: "changsha-clerk owns tenant changsha through group changsha, and so may ask to carve tenant changsha-yuelu from changsha's quota",
    });
    expect(cond(judged, "Fits")).toMatchObject({ status: "True", reason: "Fits" });
    expect(judged.status?.capacity).toContainEqual({ budget: "tenant/changsha", resource: "requests.cpu", requested: "6", allocated: "0", limit: "10", fits: true });
  });

  it("cannot file a request as someone else", async () => {
    const err = await refusal(fileAs("changsha-clerk", { tenant: "changsha-x", action: "AddNamespaces", reason: "x", namespaces: ["dev"] }, "zhuzhou-clerk"));
    expect(err.status).toBe(403);
    expect(err.message).toContain('spec.requester.username is "zhuzhou-clerk" but you are "changsha-clerk"');
  });

  it("reads no request from the API server, not even its own (yunshu's department view serves those)", async () => {
    expect((await refusal(as["changsha-clerk"]!.get<Request>(TENANT_REQUESTS, filed.metadata.name))).status).toBe(403);
    expect((await refusal(as["changsha-clerk"]!.list(TENANT_REQUESTS))).status).toBe(403);
  });

  it("cannot approve a request, nor edit another department's", async () => {
    const approve = await refusal(decideAs("changsha-clerk", filed.metadata.name, true, "I approve myself"));
    expect(approve.status).toBe(403);
    const edit = await refusal(as["zhuzhou-clerk"]!.mergePatch(TENANT_REQUESTS, filed.metadata.name, { spec: { reason: "hijacked" } }));
    expect(edit.status).toBe(403);
    const after = await as.admin!.get<Request>(TENANT_REQUESTS, filed.metadata.name);
    expect(after?.spec.reason).toBe(filed.spec.reason);
    expect(cond(after!, "Approved")).toBeUndefined();
  });

  it("shows up as a pending request in the metrics", async () => {
    const text = await operator.metrics.registry.metrics();
    expect(text).toMatch(/yunshu_tenant_requests_pending\{action="Create"\} 1/);
    expect(text).toMatch(/yunshu_tenant_requests_oldest_pending_age_seconds\{action="Create"\} \d/);
    // A series per request would grow with every request filed, and name it: the name is what keeps a request private.
    expect(text).not.toContain(filed.metadata.name);
  });

  it("is approved by the platform: the tenant appears with its namespaces, and the decision is on record", async () => {
    await decideAs("platform-li", filed.metadata.name, true, "budgeted in the city's 2027 plan");
    const started = Date.now();
    const done = await waitForCondition(filed.metadata.name, "Applied", "True");
    const created = await waitForReady(plane, "changsha-yuelu");
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(30);
    expect(done.status?.decidedBy).toBe("platform-li");
    expect(cond(done, "Approved")).toMatchObject({ status: "True", reason: "Approved", message: "budgeted in the city's 2027 plan" });
    expect(created.spec).toMatchObject({ parent: "changsha", level: "county", owners: [{ kind: "User", name: "changsha-clerk" }] });
    expect(created.metadata.annotations?.["yunshu.io/last-request"]).toBe(filed.metadata.name);
    expect(created.status?.namespaces).toEqual([{ name: "changsha-yuelu-prod", state: "Active" }]);
    const text = await operator.metrics.registry.metrics();
    expect(text).toMatch(/yunshu_tenant_requests_pending\{action="Create"\} 0/);
  });

  it("the city's own namespaces now get what the county does not hold", async () => {
    await eventually("changsha's own quota to shrink to 10 - 6 cpu", async () => {
      const q = await as.admin!.get<KubeObject & { spec?: { hard?: Record<string, string> } }>(RESOURCE_QUOTAS, RESOURCE_QUOTA_NAME, "changsha-prod");
      return q?.spec?.hard?.["requests.cpu"] === "4" ? q : undefined;
    });
    const city = await as.admin!.get<Tenant & KubeObject>(TENANTS, "changsha");
    expect(city?.status?.quota).toMatchObject({ hard: { "requests.cpu": "10", "requests.memory": "20Gi" }, children: { "requests.cpu": "6", "requests.memory": "8Gi" } });
  });

  it("a decided request is final and kept", async () => {
    const change = await refusal(decideAs("platform-wang", filed.metadata.name, false, "changed my mind"));
    expect(change.message).toContain("was already decided by platform-li");
    const del = await refusal(as["platform-wang"]!.delete(TENANT_REQUESTS, filed.metadata.name));
    expect(del.message).toContain("kept as the audit trail");
    // Not even cluster-admin rewrites what was asked.
    const spec = await refusal(as.admin!.mergePatch(TENANT_REQUESTS, filed.metadata.name, { spec: { reason: "rewritten" } }));
    expect(spec.message).toContain("cannot be changed once filed");
  });
});

describe("the platform team", () => {
  it("cannot approve its own request", async () => {
    const own = await fileAs("platform-li", { tenant: "platform-tools", action: "Create", reason: "the platform's own tools", displayName: "平台工具", level: "province", quota: { hard: { "requests.cpu": "0", "requests.memory": "0" } } });
    await waitForCondition(own.metadata.name, "Fits", "True");
    const err = await refusal(decideAs("platform-li", own.metadata.name, true, "fine by me"));
    expect(err.message).toContain("platform-li filed TenantRequest");
    await decideAs("platform-wang", own.metadata.name, true, "four eyes");
    await waitForCondition(own.metadata.name, "Applied", "True");
    const t = await waitForReady(plane, "platform-tools");
    expect(t.spec.owners).toEqual([{ kind: "User", name: "platform-li" }]);
  });

  it("approves what an owner asks of its own tenant", async () => {
    const ask = await fileAs("changsha-clerk", { tenant: "changsha-yuelu", action: "AddNamespaces", reason: "a test namespace", namespaces: ["test"] });
    expect(cond(await waitForCondition(ask.metadata.name, "Authorized", "True"), "Authorized")?.message).toBe(
      "changsha-clerk owns tenant changsha-yuelu, and so may ask to add namespaces to changsha-yuelu",
    );
    await waitForCondition(ask.metadata.name, "Fits", "True");
    await decideAs("platform-wang", ask.metadata.name, true, "four eyes");
    await waitForCondition(ask.metadata.name, "Applied", "True");
    const t = await waitForReady(plane, "changsha-yuelu");
    expect(t.spec.namespaces?.map((n) => n.name)).toEqual(["prod", "test"]);
  });

  it("sees a quota increase beyond the parent's remaining budget marked as not fitting, with the numbers, and cannot approve it", async () => {
    const more = await fileAs("changsha-clerk", {
      tenant: "changsha-furong",
      action: "Create",
      reason: "芙蓉区 wants 6 cores too",
      displayName: "芙蓉区数据局",
      level: "county",
      parent: "changsha",
      quota: { hard: { "requests.cpu": "6", "requests.memory": "4Gi" } },
    });
    const judged = await waitForCondition(more.metadata.name, "Fits", "False");
    expect(cond(judged, "Fits")!.message).toContain("requests.cpu: 6 asked, 6 held by others, limit 10 (4 left)");
    expect(judged.status?.capacity).toContainEqual({ budget: "tenant/changsha", resource: "requests.cpu", requested: "6", allocated: "6", limit: "10", fits: false });
    const err = await refusal(decideAs("platform-wang", more.metadata.name, true, "squeeze it in"));
    expect(err.message).toContain("does not fit, so it cannot be approved");
    expect(await as.admin!.get(TENANTS, "changsha-furong")).toBeUndefined();
  });

  it("denies a request: nothing changes", async () => {
    const ask = await fileAs("changsha-clerk", { tenant: "changsha-yuelu", action: "ChangeQuota", reason: "more memory", quota: { hard: { "requests.memory": "9Gi" } } });
    await waitForCondition(ask.metadata.name, "Fits", "True");
    const before = await as.admin!.get<Tenant & KubeObject>(TENANTS, "changsha-yuelu");
    const denied = await decideAs("platform-wang", ask.metadata.name, false, "not in this year's budget");
    expect(cond(denied, "Approved")).toMatchObject({ status: "False", reason: "Denied" });
    // Give the operator the time it took to apply an approval, then check it did nothing.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = await as.admin!.get<Tenant & KubeObject>(TENANTS, "changsha-yuelu");
    expect(after?.spec.quota).toEqual(before?.spec.quota);
    expect(after?.metadata.generation).toBe(before?.metadata.generation);
    expect(cond((await as.admin!.get<Request>(TENANT_REQUESTS, ask.metadata.name))!, "Applied")).toBeUndefined();
  });

  it("a pool that is full marks a new top-level tenant as not fitting", async () => {
    const big = await fileAs("zhuzhou-clerk", {
      tenant: "zhuzhou",
      action: "Create",
      reason: "株洲 moves to the provincial cloud",
      displayName: "株洲市",
      level: "city",
      quota: { hard: { "requests.cpu": "145", "requests.memory": "10Gi" } },
    });
    const judged = await waitForCondition(big.metadata.name, "Fits", "False");
    // 100 cores × 1.5 overcommit, of which changsha holds 10 (platform-tools holds nothing).
    expect(cond(judged, "Fits")!.message).toContain("requests.cpu: 145 asked, 10 held by others, limit 150 (140 left)");
    const pool = await eventually("the pool's committed figures", async () => {
      const p = await as.admin!.get<CapacityPool & KubeObject>(CAPACITY_POOLS, "default");
      return p?.status?.committed ? p : undefined;
    });
    expect(pool.status).toMatchObject({ capacity: { "requests.cpu": "150", "requests.memory": "200Gi" }, committed: { "requests.cpu": "10", "requests.memory": "20Gi" }, tenants: 2 });
  });
});

describe("a department acting on another's tenant", () => {
  // Each is filed (a department may ask anything), judged not authorized,
  // refused at approval by the decision policy, and leaves the tenant as it was.
  const attacks: [string, RequestSpec][] = [
    ["remove another department's namespaces", { tenant: "changsha-yuelu", action: "RemoveNamespaces", reason: "tidy up", namespaces: ["prod"] }],
    ["starve another department's tenant to zero", { tenant: "changsha", action: "ChangeQuota", reason: "we need it more", quota: { hard: { "requests.cpu": "0" } } }],
    ["add namespaces to another department's tenant", { tenant: "changsha-yuelu", action: "AddNamespaces", reason: "room for us", namespaces: ["zhuzhou"] }],
    [
      "carve a child from another department's quota",
      { tenant: "changsha-tianxin", action: "Create", reason: "ours now", displayName: "天心", level: "county", parent: "changsha", quota: { hard: { "requests.cpu": "1" } } },
    ],
  ];
  for (const [what, spec] of attacks) {
    it(`cannot ${what}: not authorized, cannot be approved, nothing changes`, async () => {
      const target = spec.action === "Create" ? spec.parent! : spec.tenant;
      const before = await as.admin!.get<Tenant & KubeObject>(TENANTS, target);
      const filed = await fileAs("zhuzhou-clerk", spec);
      const judged = await waitForCondition(filed.metadata.name, "Authorized", "False");
      expect(cond(judged, "Authorized")).toMatchObject({ reason: "NotOwner" });
      expect(cond(judged, "Authorized")!.message).toContain(`zhuzhou-clerk (groups: departments, zhuzhou, system:authenticated) owns neither tenant ${target} nor a tenant above it`);
      const err = await refusal(decideAs("platform-wang", filed.metadata.name, true, "looks fine"));
      expect(err.status).toBe(403);
      expect(err.message).toContain(`TenantRequest ${filed.metadata.name} cannot be approved: zhuzhou-clerk`);
      const after = await as.admin!.get<Request>(TENANT_REQUESTS, filed.metadata.name);
      expect(cond(after!, "Approved")).toBeUndefined();
      expect((await as.admin!.get<Tenant & KubeObject>(TENANTS, target))?.metadata.generation).toBe(before?.metadata.generation);
      if (spec.action === "Create") expect(await as.admin!.get(TENANTS, spec.tenant)).toBeUndefined();
    });
  }

  it("cannot borrow an owner's group: groups other than its own are refused at filing", async () => {
    const body = { apiVersion: "yunshu.io/v1alpha1", kind: "TenantRequest", metadata: { generateName: "changsha-" }, spec: { ...attacks[1]![1], requester: { username: "zhuzhou-clerk", groups: ["changsha"] } } };
    const err = await refusal(as["zhuzhou-clerk"]!.create(TENANT_REQUESTS, body as unknown as Request));
    expect(err.status).toBe(403);
    expect(err.message).toContain("spec.requester.groups must be exactly the groups you are authenticated with");
  });

  it("the platform cannot approve a request before yunshu has judged its authority", async () => {
    await operator.stop();
    try {
      const filed = await fileAs("changsha-clerk", { tenant: "changsha-yuelu", action: "ChangeQuota", reason: "before the verdict", quota: { hard: { "requests.memory": "7Gi" } } });
      const err = await refusal(decideAs("platform-wang", filed.metadata.name, true, "quick, before yunshu looks"));
      expect(err.message).toContain("yunshu has not yet judged whether its requester may ask it");
      await decideAs("platform-wang", filed.metadata.name, false, "withdrawn: filed for the test");
    } finally {
      operator = await startOperator(plane, await plane.serviceAccountIdentity("yunshu-system", "yunshu-operator"), { maxPendingRequests: MAX_PENDING });
    }
  });
});

describe("a namespace that exists already", () => {
  it("cannot be asked for: the request does not fit, cannot be approved, and the namespace is left alone", async () => {
    await as.admin!.create(NAMESPACES, { apiVersion: "v1", kind: "Namespace", metadata: { name: "changsha-yuelu-archive", labels: { team: "someone-else" } } });
    const ask = await fileAs("changsha-clerk", { tenant: "changsha-yuelu", action: "AddNamespaces", reason: "an archive", namespaces: ["archive"] });
    const judged = await waitForCondition(ask.metadata.name, "Fits", "False");
    expect(cond(judged, "Authorized")?.status).toBe("True");
    expect(cond(judged, "Fits")).toMatchObject({ reason: "NamespaceTaken", message: expect.stringContaining("namespace changsha-yuelu-archive exists already and is not yunshu's") });
    const err = await refusal(decideAs("platform-wang", ask.metadata.name, true, "sure"));
    expect(err.message).toContain("does not fit, so it cannot be approved");
    const ns = await as.admin!.get<KubeObject>(NAMESPACES, "changsha-yuelu-archive");
    expect(ns?.metadata.labels).toEqual({ team: "someone-else", "kubernetes.io/metadata.name": "changsha-yuelu-archive" });
    await decideAs("platform-wang", ask.metadata.name, false, "the name is taken");
  });
});

describe("a flood of requests from one department", () => {
  const flood: string[] = [];
  const get = async (name: string) => (await as.admin!.get<Request>(TENANT_REQUESTS, name))!;

  it(`is judged ${MAX_PENDING} at a time; the rest wait, not approvable`, async () => {
    for (let i = 0; i < MAX_PENDING + 4; i++) {
      const spec: RequestSpec = { tenant: `flood-${i}`, action: "Create", reason: "a flood", displayName: "洪水", level: "province", quota: { hard: { "requests.cpu": "1", "requests.memory": "1Gi" } } };
      flood.push((await fileAs("flood-clerk", spec)).metadata.name);
    }
    const judged = await Promise.all(flood.map((name) => waitForCondition(name, "Authorized")));
    expect(judged.map((r) => cond(r, "Authorized")!.reason)).toEqual([...Array(MAX_PENDING).fill("AnyDepartment"), ...Array(4).fill("TooManyPending")]);
    // Only the first ones carry a capacity verdict: the rest cost nothing to judge again.
    expect(judged.map((r) => cond(r, "Fits")?.status ?? "-")).toEqual([...Array(MAX_PENDING).fill("True"), ...Array(4).fill("-")]);
    expect(cond(judged[MAX_PENDING]!, "Authorized")!.message).toBe(
      `flood-clerk has more than ${MAX_PENDING} requests waiting for a decision and only ${MAX_PENDING} are judged at a time; this one is judged once earlier ones are decided or withdrawn`,
    );
    const err = await refusal(decideAs("platform-wang", flood[MAX_PENDING]!, true, "approve the backlog"));
    expect(err.message).toContain(`only ${MAX_PENDING} are judged at a time`);
    expect(cond(await get(flood[MAX_PENDING]!), "Approved")).toBeUndefined();
  });

  it("a capacity change rewrites only the judged ones", async () => {
    const before = await Promise.all(flood.map(async (name) => (await get(name)).metadata.resourceVersion));
    const pool = await as.admin!.get<CapacityPool & KubeObject>(CAPACITY_POOLS, "default");
    await as["platform-li"]!.mergePatch(CAPACITY_POOLS, "default", { spec: { allocatable: { ...pool!.spec.allocatable, "requests.cpu": "101" } } });
    await eventually("the judged requests to see the new limit", async () => {
      const rows = await Promise.all(flood.slice(0, MAX_PENDING).map(async (name) => (await get(name)).status?.capacity?.find((c) => c.resource === "requests.cpu")?.limit));
      return rows.every((limit) => limit !== undefined && limit !== "150") ? rows : undefined;
    });
    // Give the operator time to write anything else it would, then count.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await Promise.all(flood.map(async (name) => (await get(name)).metadata.resourceVersion));
    const rewritten = flood.filter((_, i) => after[i] !== before[i]).length;
    console.log(`one capacity change with ${flood.length} pending requests from one department: ${rewritten} status writes`);
    expect(rewritten).toBe(MAX_PENDING);
  });

  it("deciding one lets the next be judged", async () => {
    await decideAs("platform-wang", flood[0]!, false, "one at a time");
    const next = await waitForCondition(flood[MAX_PENDING]!, "Fits", "True");
    expect(cond(next, "Authorized")).toMatchObject({ status: "True", reason: "AnyDepartment" });
    expect(cond(await get(flood[MAX_PENDING + 1]!), "Authorized")?.reason).toBe("TooManyPending");
  });
});

describe("the hierarchy, edited directly", () => {
  it("refuses to apply a child's quota that breaks the parent's budget, and says why", async () => {
    await as["platform-li"]!.create(
      TENANTS,
      tenant("changsha-kaifu", { level: "county", parent: "changsha", quota: { hard: { "requests.cpu": "5", "requests.memory": "1Gi" } } }) as Tenant & KubeObject,
    );
    const waiting = await eventually("changsha-kaifu to report its quota does not fit", async () => {
      const t = await as.admin!.get<Tenant & KubeObject>(TENANTS, "changsha-kaifu");
      return t?.status?.conditions?.find((c) => c.type === "QuotaAllocated" && c.status === "False") ? t : undefined;
    });
    const allocated = waiting.status!.conditions!.find((c) => c.type === "QuotaAllocated")!;
    expect(allocated.reason).toBe("ExceedsParentQuota");
    expect(allocated.message).toContain("requests.cpu: 5 asked, 6 held by others, limit 10 (4 left)");
    expect(waiting.status?.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "QuotaNotAllocated" });
    // A new tenant that does not fit gets nothing yet.
    expect(await as.admin!.get(NAMESPACES, "changsha-kaifu-prod")).toBeUndefined();
  });

  it("applies it once the parent makes room", async () => {
    const city = await as.admin!.get<Tenant & KubeObject>(TENANTS, "changsha");
    await as["platform-li"]!.mergePatch(TENANTS, "changsha", { metadata: { resourceVersion: city!.metadata.resourceVersion }, spec: { quota: { hard: { "requests.cpu": "12" } } } });
    const kaifu = await waitForReady(plane, "changsha-kaifu");
    expect(kaifu.status?.quota?.hard).toEqual({ "requests.cpu": "5", "requests.memory": "1Gi" });
    await eventually("changsha's own share to be 12 - 6 - 5 = 1 cpu", async () => {
      const q = await as.admin!.get<KubeObject & { spec?: { hard?: Record<string, string> } }>(RESOURCE_QUOTAS, RESOURCE_QUOTA_NAME, "changsha-prod");
      return q?.spec?.hard?.["requests.cpu"] === "1" ? q : undefined;
    });
  });

  it("keeps enforcing a parent's old quota when a new one is below what its children hold", async () => {
    await as["platform-li"]!.mergePatch(TENANTS, "changsha", { spec: { quota: { hard: { "requests.cpu": "8" } } } });
    const city = await eventually("changsha to refuse the lower quota", async () => {
      const t = await as.admin!.get<Tenant & KubeObject>(TENANTS, "changsha");
      const c = t?.status?.conditions?.find((c) => c.type === "QuotaAllocated");
      return c?.reason === "BelowChildren" && t?.status?.observedGeneration === t?.metadata.generation ? t : undefined;
    });
    expect(city.status!.conditions!.find((c) => c.type === "QuotaAllocated")!.message).toContain("requests.cpu: 8 declared, but the children hold 11");
    expect(city.status?.quota?.hard?.["requests.cpu"]).toBe("12");
    const kaifu = await as.admin!.get<Tenant & KubeObject>(TENANTS, "changsha-kaifu");
    expect(kaifu?.status?.conditions?.find((c) => c.type === "QuotaAllocated")?.status).toBe("True");
  });
});
