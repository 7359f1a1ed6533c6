import { describe, expect, it } from "vitest";
import { parseResourceList } from "../api/quantity.ts";
import { clusterEntry, clusterFieldManager, hubStatus } from "./report.ts";
import type { TenantObservations } from "./status.ts";
import type { Tenant } from "./types.ts";

const NOW = new Date("2026-11-30T08:00:00Z");

function tenant(placement?: Tenant["spec"]["placement"], status?: Tenant["status"]): Tenant {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name: "t", generation: 3 },
    spec: { displayName: "t", level: "city", owners: [{ kind: "User", name: "u" }], ...(placement ? { placement } : {}) },
    ...(status ? { status } : {}),
  };
}

const observed: TenantObservations = {
  namespaces: [{ name: "t-prod", state: "Active" }, { name: "t-old", state: "Released" }],
  quotaHard: parseResourceList({ pods: "10" }),
  quotaUsed: parseResourceList({ pods: "4" }),
  applyErrors: [],
  missingServiceAccounts: [],
  externalOwners: 1,
};

describe("clusterEntry", () => {
  it("reports readiness, active namespaces and the cluster's quota share", () => {
    expect(clusterEntry(tenant(), observed, "changsha")).toEqual({
      name: "changsha",
      ready: true,
      observedGeneration: 3,
      namespaces: 1,
      quota: { hard: { pods: "10" }, used: { pods: "4" } },
    });
  });

  it("says why the tenant is not ready there", () => {
    const entry = clusterEntry(tenant(), { ...observed, applyErrors: ["ResourceQuota t-prod/yunshu-tenant-quota: 403 Forbidden"] }, "changsha");
    expect(entry.ready).toBe(false);
    expect(entry.message).toContain("403 Forbidden");
  });

  it("is written under a field manager of the cluster's own", () => {
    expect(clusterFieldManager("changsha")).not.toBe(clusterFieldManager("zhuzhou"));
  });
});

describe("hubStatus", () => {
  it("has no clusters list for a tenant without placement", () => {
    const status = hubStatus(tenant(), observed, ["hunan"], "hunan", NOW)!;
    expect(status.clusters).toBeUndefined();
    expect(status.namespaceCount).toBe(1);
  });

  it("is undefined when what is written already says the same: a steady state costs no write", () => {
    const first = hubStatus(tenant(), observed, ["hunan"], "hunan", NOW)!;
    expect(hubStatus(tenant(undefined, first), observed, ["hunan"], "hunan", new Date(NOW.getTime() + 60_000))).toBeUndefined();
  });

  it("adds the hub's entry and counts the members' namespaces, leaving the members' entries to them", () => {
    const members = [
      { name: "changsha", ready: true, observedGeneration: 3, namespaces: 2 },
      { name: "zhuzhou", ready: true, observedGeneration: 3, namespaces: 5 },
    ];
    const status = hubStatus(tenant({ clusters: ["hunan", "changsha"] }, { clusters: members }), observed, ["hunan", "changsha"], "hunan", NOW)!;
    expect(status.clusters?.map((c) => c.name)).toEqual(["hunan"]);
    // zhuzhou is no longer placed: its namespaces do not count.
    expect(status.namespaceCount).toBe(1 + 2);
  });

  it("has an empty clusters list when the hub is not among the placed clusters", () => {
    expect(hubStatus(tenant({ clusters: ["changsha"] }), observed, ["changsha"], "hunan", NOW)!.clusters).toEqual([]);
  });
});
