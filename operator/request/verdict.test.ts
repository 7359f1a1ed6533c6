import { describe, expect, it } from "vitest";
import { shippedProfile } from "../api/manifests.ts";
import type { CapacityPool, Cluster, TenantRequest } from "../api/generated.ts";
import { poolCapacity, poolStatus } from "../capacity/pool.ts";
import type { Tenant } from "../tenant/types.ts";
import { ownerFromUsername, tenantAfter } from "./change.ts";
import { computeVerdict, type RequestWorld } from "./verdict.ts";

function t(name: string, hard: Record<string, string>, opts: { parent?: string; enforced?: boolean; namespaces?: string[] } = {}): Tenant {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name, creationTimestamp: "2026-01-01T00:00:00Z" },
    spec: { displayName: name, level: "city", owners: [{ kind: "User", name: "u" }], ...(opts.parent ? { parent: opts.parent } : {}), quota: { hard }, namespaces: (opts.namespaces ?? []).map((n) => ({ name: n })) },
    ...(opts.enforced === false ? {} : { status: { quota: { hard } } }),
  };
}

function world(tenants: Tenant[], pool?: CapacityPool): RequestWorld {
  return {
    tenants: { get: (n) => tenants.find((x) => x.metadata.name === n), childrenOf: (n) => tenants.filter((x) => x.spec.parent === n) },
    allTenants: () => tenants,
    pool,
  };
}

function req(spec: Partial<TenantRequest["spec"]>): TenantRequest {
  return { apiVersion: "yunshu.io/v1alpha1", kind: "TenantRequest", metadata: { name: "r1" }, spec: { tenant: "x", action: "Create", reason: "why", requester: { username: "system:serviceaccount:dept:clerk" }, ...spec } };
}

const pool: CapacityPool = { apiVersion: "yunshu.io/v1alpha1", kind: "CapacityPool", metadata: { name: "default" }, spec: { allocatable: { "requests.cpu": "100" }, overcommit: { "requests.cpu": "1.25" } } };

describe("computeVerdict", () => {
  it("judges a child against what its siblings hold of the parent's quota", () => {
    const w = world([t("city", { "requests.cpu": "10" }), t("a", { "requests.cpu": "6" }, { parent: "city" }), t("waiting", { "requests.cpu": "9" }, { parent: "city", enforced: false })]);
    const v = computeVerdict(req({ displayName: "x", level: "county", parent: "city", quota: { hard: { "requests.cpu": "5" } } }), w);
    expect(v).toMatchObject({ status: "False", reason: "ExceedsCapacity" });
    // The sibling still waiting for room holds nothing yet.
    expect(v.rows).toEqual([{ budget: "tenant/city", resource: "requests.cpu", requested: "5", allocated: "6", limit: "10", fits: false }]);
    expect(v.message).toBe("does not fit tenant city: requests.cpu: 5 asked, 6 held by others, limit 10 (4 left)");
    expect(computeVerdict(req({ displayName: "x", level: "county", parent: "city", quota: { hard: { "requests.cpu": "4" } } }), w).status).toBe("True");
  });

  it("judges a quota change on the tenant's new total, not counting its current quota twice", () => {
    const w = world([t("city", { "requests.cpu": "10" }), t("a", { "requests.cpu": "6" }, { parent: "city" })]);
    const v = computeVerdict(req({ tenant: "a", action: "ChangeQuota", quota: { hard: { "requests.cpu": "10" } } }), w);
    expect(v).toMatchObject({ status: "True", rows: [{ requested: "10", allocated: "0", limit: "10", fits: true }] });
  });

  it("judges a top-level tenant against the pool with its overcommit", () => {
    const w = world([t("p", { "requests.cpu": "100" })], pool);
    expect(computeVerdict(req({ displayName: "x", level: "city", quota: { hard: { "requests.cpu": "25" } } }), w)).toMatchObject({ status: "True", reason: "Fits" });
    expect(computeVerdict(req({ displayName: "x", level: "city", quota: { hard: { "requests.cpu": "26" } } }), w)).toMatchObject({ status: "False" });
    expect(computeVerdict(req({ displayName: "x", level: "city" }), w).message).toContain("requests.cpu: no limit named");
    expect(computeVerdict(req({ displayName: "x", level: "city" }), world([]))).toMatchObject({ status: "Unknown", reason: "NoCapacityPool" });
  });

  it("says when a request cannot apply to the tenant as it is", () => {
    const w = world([t("a", {}, { namespaces: ["prod"] })]);
    expect(computeVerdict(req({ tenant: "a", displayName: "x", level: "city" }), w)).toMatchObject({ status: "False", reason: "TenantExists" });
    expect(computeVerdict(req({ tenant: "b", action: "AddNamespaces", namespaces: ["dev"] }), w)).toMatchObject({ status: "False", reason: "TenantNotFound" });
    expect(computeVerdict(req({ tenant: "a", action: "RemoveNamespaces", namespaces: ["dev"] }), w)).toMatchObject({ status: "False", reason: "NamespaceNotFound" });
    expect(computeVerdict(req({ tenant: "a", action: "AddNamespaces", namespaces: ["dev"] }), w)).toMatchObject({ status: "True", reason: "NoQuotaChange" });
  });
});

describe("per-cluster verdicts", () => {
  const cluster = (name: string, cpu?: string): Cluster => ({
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Cluster",
    metadata: { name },
    spec: { region: name, tier: name === "hunan" ? "province" : "city", ...(name === "hunan" ? {} : { kubeconfigSecretRef: { name: `cluster-${name}` } }), ...(cpu ? { capacity: { allocatable: { "requests.cpu": cpu } } } : {}) },
  });
  const clusters = [cluster("hunan"), cluster("changsha", "20"), cluster("zhuzhou", "8")];
  const placed = (name: string, cpu: string, where: string[]): Tenant => ({ ...t(name, { "requests.cpu": cpu }), spec: { ...t(name, { "requests.cpu": cpu }).spec, placement: { clusters: where } } });

  it("judges a placed top-level tenant on each cluster that declares capacity, against the other tenants' shares there", () => {
    const w = { ...world([placed("a", "12", ["changsha"]), placed("b", "10", ["changsha", "zhuzhou"])], pool), clusters: () => clusters };
    // The new tenant's 6 cores split 3 + 3; changsha holds 12 + 5 of 20, zhuzhou 5 of 8.
    const create = (cpu: string) => req({ displayName: "x", level: "city", placement: { regions: ["changsha", "zhuzhou"] }, quota: { hard: { "requests.cpu": cpu } } });
    expect(computeVerdict(create("6"), w)).toMatchObject({ status: "True", reason: "Fits" });
    const over = computeVerdict(create("8"), w);
    expect(over).toMatchObject({ status: "False", reason: "ExceedsCapacity" });
    expect(over.rows).toContainEqual({ budget: "cluster/changsha", resource: "requests.cpu", requested: "4", allocated: "17", limit: "20", fits: false });
    expect(over.message).toContain("cluster changsha: requests.cpu: 4 asked, 17 held by others, limit 20 (3 left)");
    // A quota change of a placed tenant is judged on its clusters too: b's 5 on zhuzhou grow to 7, within 8.
    expect(computeVerdict(req({ tenant: "b", action: "ChangeQuota", quota: { hard: { "requests.cpu": "14" } } }), w).rows).toContainEqual({
      budget: "cluster/zhuzhou",
      resource: "requests.cpu",
      requested: "7",
      allocated: "0",
      limit: "8",
      fits: true,
    });
  });
});

describe("tenantAfter", () => {
  it("makes the requester the owner of a new tenant when no owners are named", () => {
    const after = tenantAfter(req({ displayName: "岳麓区", level: "county", namespaces: ["prod"] }), undefined) as Tenant;
    expect(after.spec.owners).toEqual([{ kind: "ServiceAccount", namespace: "dept", name: "clerk" }]);
    expect(after.spec.namespaces).toEqual([{ name: "prod" }]);
    expect(after.metadata.annotations).toEqual({ "yunshu.io/last-request": "r1" });
    expect(ownerFromUsername("alice")).toEqual({ kind: "User", name: "alice" });
  });

  it("merges a quota change into the quota the tenant has, and adds namespaces once", () => {
    const current = t("a", { "requests.cpu": "2", pods: "10" }, { namespaces: ["prod"] });
    expect((tenantAfter(req({ tenant: "a", action: "ChangeQuota", quota: { hard: { pods: "20" } } }), current) as Tenant).spec.quota).toEqual({ hard: { "requests.cpu": "2", pods: "20" } });
    expect((tenantAfter(req({ tenant: "a", action: "AddNamespaces", namespaces: ["prod", "dev"] }), current) as Tenant).spec.namespaces).toEqual([{ name: "prod" }, { name: "dev" }]);
  });
});

describe("the capacity pool", () => {
  it("multiplies allocatable by overcommit exactly, and counts only top-level tenants", () => {
    expect(poolCapacity({ ...pool, spec: { allocatable: { "requests.cpu": "3", pods: "7" }, overcommit: { "requests.cpu": "1.333" } } })).toEqual({ "requests.cpu": 3999n, pods: 7000n });
    expect(poolStatus(pool, [t("p", { "requests.cpu": "30" }), t("c", { "requests.cpu": "10" }, { parent: "p" })])).toEqual({
      capacity: { "requests.cpu": "125" },
      committed: { "requests.cpu": "30" },
      tenants: 1,
    });
  });

  it("refuses a request that would create a namespace someone else has, whatever the capacity", () => {
    const w = { ...world([t("city", { "requests.cpu": "10" }, { namespaces: ["prod"] })]), taken: new Set(["city-archive"]) };
    const v = computeVerdict(req({ tenant: "city", action: "AddNamespaces", namespaces: ["archive", "dev"] }), w);
    expect(v).toMatchObject({ status: "False", reason: "NamespaceTaken" });
    expect(v.message).toContain("namespace city-archive exists already and is not yunshu's");
    expect(computeVerdict(req({ tenant: "city", action: "AddNamespaces", namespaces: ["dev"] }), w).status).toBe("True");
    // A new tenant's namespaces are judged the same way.
    const create = req({ tenant: "city2", displayName: "x", level: "city", namespaces: ["prod"], quota: { hard: { "requests.cpu": "1" } } });
    expect(computeVerdict(create, { ...w, taken: new Set(["city2-prod"]) }).reason).toBe("NamespaceTaken");
  });
});

describe("a suspended tenant", () => {
  it("has its requests held, whatever they ask, with the reason; lifted, they are judged as usual", () => {
    const city = t("city", { "requests.cpu": "10" }, { namespaces: ["prod"] });
    const suspended = { ...city, spec: { ...city.spec, suspension: { reason: "审计冻结 2026-12" } } };
    const ask = req({ tenant: "city", action: "AddNamespaces", namespaces: ["dev"] });
    expect(computeVerdict(ask, world([suspended]))).toMatchObject({
      status: "False",
      reason: "TenantSuspended",
      message: "tenant city is suspended (审计冻结 2026-12); its requests are held until the platform lifts the suspension",
    });
    expect(computeVerdict(ask, world([city])).status).toBe("True");
  });
});

describe("a change of MLPS level", () => {
  const at = (level: 2 | 3 | 4 | undefined): Tenant => {
    const tenant = t("a", { "requests.cpu": "2" }, { namespaces: ["prod"] });
    return level === undefined ? tenant : { ...tenant, spec: { ...tenant.spec, securityLevel: level } };
  };
  const change = (securityLevel: 2 | 3 | 4) => req({ tenant: "a", action: "ChangeSecurityLevel", securityLevel });

  it("flags a lower level: the weaker profile applies at once, so approval needs the re-classification on record", () => {
    // A Tenant that names no level is at the CRD's default, 3.
    const v = computeVerdict(change(2), world([at(undefined)]));
    expect(v).toMatchObject({ status: "True", reason: "LowersSecurityLevel", rows: [] });
    expect(v.message).toBe(
      "lowers tenant a from MLPS level 3 to 2: on approval its namespaces move at once to the weaker SecurityProfile mlps-2; approve only with the system's re-classification (定级备案) at level 2 on record",
    );
    expect(v.after?.spec).toMatchObject({ securityLevel: 2, quota: { hard: { "requests.cpu": "2" } }, namespaces: [{ name: "prod" }] });
  });

  it("says of a higher level that running pods are left alone until replaced", () => {
    const v = computeVerdict(change(4), world([at(2)]));
    expect(v).toMatchObject({ status: "True", reason: "RaisesSecurityLevel", rows: [] });
    expect(v.message).toBe(
      "raises tenant a from MLPS level 2 to 4: on approval its namespaces move to the stricter SecurityProfile mlps-4; existing pods that mlps-4 would refuse keep running until they are replaced, and a replacement must pass mlps-4",
    );
    expect(v.after?.spec.securityLevel).toBe(4);
  });

  it("refuses the level the tenant has, and a tenant that does not exist", () => {
    const same = computeVerdict(change(3), world([at(undefined)]));
    expect(same).toMatchObject({ status: "False", reason: "SameSecurityLevel" });
    expect(same.message).toBe("tenant a is at MLPS level 3 already (SecurityProfile mlps-3), so this request would change nothing; file one for another level if that was meant");
    expect(same.after).toBeUndefined();
    expect(computeVerdict(change(4), world([at(4)])).reason).toBe("SameSecurityLevel");
    expect(computeVerdict(change(2), world([]))).toMatchObject({ status: "False", reason: "TenantNotFound" });
  });

  it("judges against the profile the level brings: egress it would refuse, or no profile at all, cannot be approved", () => {
    const profiles = new Map(([2, 3, 4] as const).map((l) => [`mlps-${l}`, shippedProfile(l)]));
    const wide = { ...at(3), spec: { ...at(3).spec, network: { egressCIDRs: ["10.20.30.0/24", "10.20.0.0/16"] } } };
    const v = computeVerdict(change(4), { ...world([wide]), profile: (name) => profiles.get(name) });
    expect(v).toMatchObject({ status: "False", reason: "EgressWiderThanProfile" });
    expect(v.message).toBe("tenant a's egress to 10.20.0.0/16 is wider than mlps-4 allows (network.minEgressPrefix): the platform narrows spec.network.egressCIDRs first, then this can be approved");
    // The same egress is fine at level 3, and lowering never narrows it.
    expect(computeVerdict(change(2), { ...world([wide]), profile: (name) => profiles.get(name) }).reason).toBe("LowersSecurityLevel");
    expect(computeVerdict(change(4), { ...world([wide]), profile: () => undefined })).toMatchObject({ status: "False", reason: "SecurityProfileNotFound" });
  });

  it("gives a new tenant the level its Create asks for, and leaves the default to the Tenant otherwise", () => {
    expect((tenantAfter(req({ displayName: "x", level: "city", securityLevel: 4 }), undefined) as Tenant).spec.securityLevel).toBe(4);
    expect((tenantAfter(req({ displayName: "x", level: "city" }), undefined) as Tenant).spec).not.toHaveProperty("securityLevel");
  });
});

describe("an offboarding", () => {
  const off = () => ({ ...req({ tenant: "a", action: "Offboard", reason: "合同终止" }), status: { decidedBy: "platform-li" } }) as TenantRequest;

  it("says what approval does, and records who asked and who approved on the Tenant it would make", () => {
    const v = computeVerdict(off(), world([t("city", { pods: "10" }), t("a", { pods: "4" }, { parent: "city" })]));
    expect(v).toMatchObject({ status: "True", reason: "Offboards", rows: [] });
    expect(v.message).toContain("its quota returns to tenant city");
    expect(v.after?.spec.offboarding).toEqual({ request: "r1", requestedBy: "system:serviceaccount:dept:clerk", approvedBy: "platform-li", reason: "合同终止" });
  });

  it("is refused for a tenant with children, and for one already being offboarded", () => {
    const parent = computeVerdict({ ...off(), spec: { ...off().spec, tenant: "city" } }, world([t("city", { pods: "10" }), t("a", { pods: "4" }, { parent: "city" })]));
    expect(parent).toMatchObject({ status: "False", reason: "HasChildren" });
    expect(parent.message).toBe("tenant city has child tenant(s) a: offboard them, or give them another parent, first");
    const leaving = t("a", { pods: "4" });
    leaving.spec.offboarding = { request: "r0", requestedBy: "u", approvedBy: "v" };
    expect(computeVerdict(off(), world([leaving]))).toMatchObject({ status: "False", reason: "AlreadyOffboarding" });
    expect(computeVerdict(req({ tenant: "a", action: "ChangeQuota", quota: { hard: { pods: "9" } } }), world([leaving])).reason).toBe("AlreadyOffboarding");
  });
});

describe("a top-level tenant judged per cluster", () => {
  it("counts what a deleted top-level tenant's retained namespaces still hold on the cluster", () => {
    const changsha = { apiVersion: "yunshu.io/v1alpha1", kind: "Cluster", metadata: { name: "changsha" }, spec: { region: "changsha", tier: "city", kubeconfigSecretRef: { name: "k" }, capacity: { allocatable: { pods: "10" } } } } as unknown as Cluster;
    const w = { ...world([]), clusters: () => [changsha] };
    const ask = req({ tenant: "new", displayName: "x", level: "city", placement: { clusters: ["changsha"] }, quota: { hard: { pods: "8" } } });
    expect(computeVerdict(ask, w).status).toBe("True");
    const v = computeVerdict(ask, { ...w, retainedOn: (cluster): Record<string, bigint> => (cluster === "changsha" ? { pods: 4000n } : {}) });
    expect(v).toMatchObject({ status: "False", reason: "ExceedsCapacity", rows: [{ budget: "cluster/changsha", resource: "pods", requested: "8", allocated: "4", limit: "10", fits: false }] });
  });
});
