// A tenant's MLPS (等保) level changes only through a TenantRequest: the
// owning department files ChangeSecurityLevel with its own token, yunshu says
// which way it goes (a lower level is flagged: its weaker profile applies at
// once), a platform admin decides, and the operator moves the namespaces to
// the new profile. Nobody else's department can have its level changed, and
// malformed requests are refused at admission with their message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { NAMESPACES, TENANT_REQUESTS, TENANTS } from "../../operator/api/resources.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { bindRequestGroups, decide, fileRequest, requestCondition as cond, type Request, type RequestSpec, waitForRequestCondition } from "../../tools/local/requests.ts";
import { installYunshu, startOperator, tenant, waitForReady } from "../../tools/local/yunshu.ts";
import { refusal } from "../support/api-errors.ts";

const ENFORCE = "pod-security.kubernetes.io/enforce";

let plane: ControlPlane;
let operator: Operator;
const as: Record<string, KubeClient> = {};

const fileAs = (user: string, spec: RequestSpec) => fileRequest(as[user]!, user, spec);
const decideAs = (user: string, name: string, approve: boolean, reason: string) => decide(as[user]!, user, name, approve, reason);
const waitForCondition = (name: string, type: "Authorized" | "Fits" | "Approved" | "Applied", status?: string) => waitForRequestCondition(as.admin!, name, type, status);
const getTenant = (name: string) => as.admin!.get<Tenant & KubeObject>(TENANTS, name);

/** The Pod Security level enforced on each of the namespaces, once all of them show `level`. */
function namespacesEnforce(names: string[], level: string) {
  return eventually(`${names.join(", ")} to enforce Pod Security ${level}`, async () => {
    const labels = await Promise.all(names.map(async (n) => (await as.admin!.get<KubeObject>(NAMESPACES, n))?.metadata.labels?.[ENFORCE]));
    return labels.every((l) => l === level) ? labels : undefined;
  });
}

beforeAll(async () => {
  plane = await ControlPlane.start({
    name: "security-level",
    users: [
      { name: "changsha-clerk", groups: ["departments", "changsha"] },
      { name: "zhuzhou-clerk", groups: ["departments", "zhuzhou"] },
      { name: "platform-li", groups: ["platform-team"] },
      { name: "platform-wang", groups: ["platform-team"] },
    ],
  });
  operator = await startOperator(plane, await installYunshu(plane));
  for (const user of ["admin", "changsha-clerk", "zhuzhou-clerk", "platform-li", "platform-wang"]) as[user] = new KubeClient(plane.credentials(user));
  await bindRequestGroups(plane);
  // Both at the CRD's default level, 3; changsha's staff own theirs as a group, nobody here owns xiangtan.
  const quota = { hard: { "requests.cpu": "4", pods: "20" } };
  await as["platform-li"]!.create(TENANTS, tenant("changsha", { level: "city", owners: [{ kind: "Group", name: "changsha" }], namespaces: [{ name: "prod" }, { name: "test" }], quota }) as Tenant & KubeObject);
  await as["platform-li"]!.create(TENANTS, tenant("xiangtan", { level: "city", owners: [{ kind: "Group", name: "xiangtan" }], quota }) as Tenant & KubeObject);
  await Promise.all([waitForReady(plane, "changsha"), waitForReady(plane, "xiangtan")]);
});

afterAll(async () => {
  await operator?.stop();
  await plane?.stop();
});

describe("the owner of a tenant", () => {
  const namespaces = ["changsha-prod", "changsha-test"];

  it("cannot change the level on the Tenant itself: departments ask", async () => {
    const err = await refusal(as["changsha-clerk"]!.mergePatch(TENANTS, "changsha", { spec: { securityLevel: 2 } }));
    expect(err.status).toBe(403);
    expect((await getTenant("changsha"))?.spec.securityLevel).toBe(3);
  });

  it("asks to lower it from 3 to 2 and the request is flagged: the weaker profile applies at once, approve only with the re-classification", async () => {
    const filed = await fileAs("changsha-clerk", { tenant: "changsha", action: "ChangeSecurityLevel", securityLevel: 2, reason: "政务公开系统已重新定级为第二级并备案" });
    const judged = await waitForCondition(filed.metadata.name, "Fits");
    expect(cond(judged, "Authorized")).toMatchObject({ status: "True", reason: "Owner", message: "changsha-clerk owns tenant changsha through group changsha, and so may ask to change changsha's MLPS level" });
    expect(cond(judged, "Fits")).toMatchObject({
      status: "True",
      reason: "LowersSecurityLevel",
      message:
        "lowers tenant changsha from MLPS level 3 to 2: on approval its namespaces move at once to the weaker SecurityProfile mlps-2; approve only with the system's re-classification (定级备案) at level 2 on record",
    });
    expect(judged.status?.capacity).toEqual([]);
    expect(await operator.metrics.registry.metrics()).toMatch(/yunshu_tenant_requests_pending\{action="ChangeSecurityLevel"\} 1/);

    // Until it is approved, nothing moves.
    await namespacesEnforce(namespaces, "restricted");
    await decideAs("platform-li", filed.metadata.name, true, "定级备案 on file: 湘公网安备 2026-0142");
    const done = await waitForCondition(filed.metadata.name, "Applied", "True");
    expect(cond(done, "Applied")?.message).toBe("moved tenant changsha to MLPS level 2 (SecurityProfile mlps-2)");
    expect(done.status?.decidedBy).toBe("platform-li");
    const changed = await getTenant("changsha");
    expect(changed?.spec.securityLevel).toBe(2);
    expect(changed?.metadata.annotations?.["yunshu.io/last-request"]).toBe(filed.metadata.name);
    expect(await namespacesEnforce(namespaces, "baseline")).toEqual(["baseline", "baseline"]);
  });

  it("asks to raise it from 2 back to 3, told that running pods stay until replaced; approved, the namespaces enforce restricted again", async () => {
    const filed = await fileAs("changsha-clerk", { tenant: "changsha", action: "ChangeSecurityLevel", securityLevel: 3, reason: "新系统按第三级建设" });
    const judged = await waitForCondition(filed.metadata.name, "Fits", "True");
    expect(cond(judged, "Fits")).toMatchObject({
      reason: "RaisesSecurityLevel",
      message:
        "raises tenant changsha from MLPS level 2 to 3: on approval its namespaces move to the stricter SecurityProfile mlps-3; existing pods that mlps-3 would refuse keep running until they are replaced, and a replacement must pass mlps-3",
    });
    await decideAs("platform-wang", filed.metadata.name, true, "stricter is fine");
    await waitForCondition(filed.metadata.name, "Applied", "True");
    expect((await getTenant("changsha"))?.spec.securityLevel).toBe(3);
    expect(await namespacesEnforce(namespaces, "restricted")).toEqual(["restricted", "restricted"]);
  });

  it("asking for the level the tenant has is a problem, not a change: it does not fit and cannot be approved", async () => {
    const before = await getTenant("changsha");
    const filed = await fileAs("changsha-clerk", { tenant: "changsha", action: "ChangeSecurityLevel", securityLevel: 3, reason: "same again" });
    const judged = await waitForCondition(filed.metadata.name, "Fits", "False");
    expect(cond(judged, "Fits")).toMatchObject({
      reason: "SameSecurityLevel",
      message: "tenant changsha is at MLPS level 3 already (SecurityProfile mlps-3), so this request would change nothing; file one for another level if that was meant",
    });
    const err = await refusal(decideAs("platform-li", filed.metadata.name, true, "sure"));
    expect(err.message).toContain(`TenantRequest ${filed.metadata.name} does not fit, so it cannot be approved: tenant changsha is at MLPS level 3 already`);
    expect((await getTenant("changsha"))?.metadata.generation).toBe(before?.metadata.generation);
  });

  it("asking for a level whose profile the Tenant breaks (egress too wide) does not fit, names the fix, and cannot be approved", async () => {
    await as["platform-li"]!.mergePatch(TENANTS, "changsha", { spec: { network: { egressCIDRs: ["10.20.0.0/16"] } } });
    const before = await getTenant("changsha");
    const filed = await fileAs("changsha-clerk", { tenant: "changsha", action: "ChangeSecurityLevel", securityLevel: 4, reason: "核心业务升为第四级" });
    const judged = await waitForCondition(filed.metadata.name, "Fits", "False");
    expect(cond(judged, "Fits")).toMatchObject({
      reason: "EgressWiderThanProfile",
      message: "tenant changsha's egress to 10.20.0.0/16 is wider than mlps-4 allows (network.minEgressPrefix): the platform narrows spec.network.egressCIDRs first, then this can be approved",
    });
    expect((await refusal(decideAs("platform-li", filed.metadata.name, true, "sure"))).message).toContain("does not fit, so it cannot be approved");
    expect((await getTenant("changsha"))?.metadata.generation).toBe(before?.metadata.generation);
  });

  it("asks for a new tenant at a level of its choosing, which the new Tenant carries", async () => {
    const filed = await fileAs("changsha-clerk", {
      tenant: "changsha-kaifu",
      action: "Create",
      reason: "开福区 runs a level-4 system",
      displayName: "开福区数据局",
      level: "county",
      parent: "changsha",
      securityLevel: 4,
      quota: { hard: { "requests.cpu": "1", pods: "5" } },
    });
    expect(cond(await waitForCondition(filed.metadata.name, "Fits"), "Fits")).toMatchObject({ status: "True", reason: "Fits" });
    await decideAs("platform-li", filed.metadata.name, true, "within changsha's quota");
    await waitForCondition(filed.metadata.name, "Applied", "True");
    expect((await waitForReady(plane, "changsha-kaifu")).spec.securityLevel).toBe(4);
  });
});

describe("another department", () => {
  it("cannot have a tenant it does not own lowered: not authorized, refused at approval, the Tenant untouched", async () => {
    const before = await eventually("xiangtan's quota usage to be reported, so that its status settles", async () => {
      const t = await getTenant("xiangtan");
      return t?.status?.quota?.used?.pods !== undefined ? t : undefined;
    });
    expect(before.spec.securityLevel).toBe(3);
    const filed = await fileAs("zhuzhou-clerk", { tenant: "xiangtan", action: "ChangeSecurityLevel", securityLevel: 2, reason: "level 2 is cheaper to run" });
    const judged = await waitForCondition(filed.metadata.name, "Authorized", "False");
    expect(cond(judged, "Authorized")).toMatchObject({ reason: "NotOwner" });
    expect(cond(judged, "Authorized")!.message).toContain(
      "zhuzhou-clerk (groups: departments, zhuzhou, system:authenticated) owns neither tenant xiangtan nor a tenant above it; only their owners may ask to change xiangtan's MLPS level",
    );
    // The capacity verdict alone would let it through: authority is what stops it.
    expect(cond(judged, "Fits")).toMatchObject({ status: "True", reason: "LowersSecurityLevel" });
    const err = await refusal(decideAs("platform-wang", filed.metadata.name, true, "looks fine"));
    expect(err.status).toBe(403);
    expect(err.message).toContain(`TenantRequest ${filed.metadata.name} cannot be approved: zhuzhou-clerk`);
    expect(cond((await as.admin!.get<Request>(TENANT_REQUESTS, filed.metadata.name))!, "Approved")).toBeUndefined();
    const after = await getTenant("xiangtan");
    expect(after?.spec.securityLevel).toBe(3);
    expect(after?.metadata.generation).toBe(before.metadata.generation);
    expect(after?.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect((await as.admin!.get<KubeObject>(NAMESPACES, "xiangtan-prod"))?.metadata.labels?.[ENFORCE]).toBe("restricted");
  });
});

describe("admission", () => {
  const invalid: { breaks: string; spec: RequestSpec; message: string }[] = [
    {
      breaks: "securityLevel on a ChangeQuota",
      spec: { tenant: "changsha", action: "ChangeQuota", reason: "r", quota: { hard: { pods: "30" } }, securityLevel: 2 },
      message: "securityLevel is only allowed with action Create or ChangeSecurityLevel",
    },
    { breaks: "a ChangeSecurityLevel without securityLevel", spec: { tenant: "changsha", action: "ChangeSecurityLevel", reason: "r" }, message: "a ChangeSecurityLevel request needs securityLevel" },
    {
      breaks: "namespaces on a ChangeSecurityLevel",
      spec: { tenant: "changsha", action: "ChangeSecurityLevel", reason: "r", securityLevel: 2, namespaces: ["prod"] },
      message: "namespaces is not allowed with action ChangeSecurityLevel",
    },
    {
      breaks: "quota on a ChangeSecurityLevel",
      spec: { tenant: "changsha", action: "ChangeSecurityLevel", reason: "r", securityLevel: 2, quota: { hard: { pods: "30" } } },
      message: "quota is only allowed with action Create or ChangeQuota",
    },
    {
      breaks: "a level that is not an MLPS level",
      spec: { tenant: "changsha", action: "ChangeSecurityLevel", reason: "r", securityLevel: 1 as unknown as 2 },
      message: 'spec.securityLevel: Unsupported value: 1: supported values: "2", "3", "4"',
    },
  ];

  it.each(invalid)("refuses $breaks with its message, and nothing is filed", async ({ spec, message }) => {
    const before = (await as.admin!.list<Request>(TENANT_REQUESTS)).items.length;
    const err = await refusal(fileAs("changsha-clerk", spec));
    expect(err.status).toBe(422);
    expect(err.message).toContain(message);
    expect((await as.admin!.list<Request>(TENANT_REQUESTS)).items.length).toBe(before);
  });
});
