import { describe, expect, it } from "vitest";
import type { Tenant } from "../tenant/types.ts";
import { mine, quotaRows, relationTo } from "./mine.ts";

function tenant(name: string, spec: Partial<Tenant["spec"]>, status?: Tenant["status"]): Tenant {
  return { apiVersion: "yunshu.io/v1alpha1", kind: "Tenant", metadata: { name }, spec: { displayName: name, level: "city", owners: [], ...spec }, ...(status ? { status } : {}) };
}

const tenants = [
  tenant("changsha", { placement: { clusters: ["hub", "zhuzhou"] }, owners: [{ kind: "Group", name: "changsha-ops" }], members: [{ kind: "User", name: "dev-wu", role: "developer" }] }, {
    namespaces: [
      { name: "changsha-prod", state: "Active" },
      { name: "changsha-old", state: "Released" },
    ],
    clusters: [
      { name: "hub", ready: true, namespaces: 2 },
      { name: "zhuzhou", ready: false, namespaces: 0, message: "zhuzhou is unreachable" },
    ],
    quota: { hard: { "requests.cpu": "8", pods: "20" }, used: { "requests.cpu": "2", pods: "15" }, children: { "requests.cpu": "1" } },
  }),
  tenant("changsha-yuelu", { level: "county", parent: "changsha", owners: [{ kind: "User", name: "yuelu-clerk" }], members: [{ kind: "Group", name: "auditors", role: "viewer" }, { kind: "User", name: "dev-wu", role: "admin" }] }),
  tenant("zhuzhou", { owners: [{ kind: "Group", name: "zhuzhou-ops" }] }),
];
const directory = { get: (n: string) => tenants.find((t) => t.metadata.name === n), childrenOf: () => [] };

describe("mine", () => {
  it("lists a city's owners their city and its counties (owned through the city), and never another city", () => {
    const answer = mine({ username: "clerk", groups: ["changsha-ops"] }, tenants, directory, "hunan");
    expect(answer.tenants.map((t) => [t.name, t.relation, t.ownedThrough])).toEqual([
      ["changsha", "owner", undefined],
      ["changsha-yuelu", "owner", "changsha"],
    ]);
  });

  it("lists members their tenants with their strongest role, by user or group", () => {
    expect(mine({ username: "dev-wu", groups: [] }, tenants, directory, "hunan").tenants.map((t) => [t.name, t.relation])).toEqual([
      ["changsha", "developer"],
      ["changsha-yuelu", "admin"],
    ]);
    expect(mine({ username: "someone", groups: ["auditors"] }, tenants, directory, "hunan").tenants.map((t) => t.name)).toEqual(["changsha-yuelu"]);
    expect(relationTo(tenants[2]!, { username: "dev-wu", groups: ["auditors"] }, directory)).toBeUndefined();
  });

  it("shows nothing to a stranger, and does not take a member's name for a group", () => {
    expect(mine({ username: "stranger", groups: ["departments"] }, tenants, directory, "hunan").tenants).toEqual([]);
    expect(mine({ username: "auditors", groups: [] }, tenants, directory, "hunan").tenants).toEqual([]);
  });

  it("gives each cluster its namespaces, only once it reports them, and the quota's use", () => {
    const [changsha] = mine({ username: "clerk", groups: ["changsha-ops"] }, tenants, directory, "hunan").tenants;
    expect(changsha!.clusters).toEqual([
      { name: "hub", ready: true, namespaces: ["changsha-prod", "changsha-old"] },
      { name: "zhuzhou", ready: false, namespaces: [], message: "zhuzhou is unreachable" },
    ]);
    expect(changsha!.namespaces).toContainEqual({ name: "changsha-old", state: "Released" });
    expect(changsha!.quota).toEqual([
      { resource: "pods", hard: "20", used: "15", fraction: 0.75 },
      { resource: "requests.cpu", hard: "8", used: "2", children: "1", fraction: 0.25 },
    ]);
  });

  it("puts a tenant without placement on the hub, ready as its Ready condition says", () => {
    const unplaced = tenant("xiangtan", { owners: [{ kind: "User", name: "li" }] }, {
      namespaces: [{ name: "xiangtan-prod", state: "Active" }],
      conditions: [{ type: "Ready", status: "False", reason: "QuotaNotAllocated", message: "waits for quota", lastTransitionTime: "2026-11-30T08:00:00Z" }],
    });
    const [only] = mine({ username: "li", groups: [] }, [unplaced], { get: () => unplaced, childrenOf: () => [] }, "hunan").tenants;
    expect(only!.clusters).toEqual([{ name: "hunan", ready: false, namespaces: ["xiangtan-prod"], message: "waits for quota" }]);
  });
});

describe("quotaRows", () => {
  it("compares quantities across units, leaves out a fraction it cannot compute, and shows overuse above 1", () => {
    expect(quotaRows({ "requests.memory": "1Gi", "limits.cpu": "0", x: "nonsense" }, { "requests.memory": "1536Mi", "limits.cpu": "1", x: "1" })).toEqual([
      { resource: "limits.cpu", hard: "0", used: "1" },
      { resource: "requests.memory", hard: "1Gi", used: "1536Mi", fraction: 1.5 },
      { resource: "x", hard: "nonsense", used: "1" },
    ]);
  });
});
