import { describe, expect, it } from "vitest";
import type { ResourceQuota } from "../api/core-types.ts";
import type { Tenant } from "../api/generated.ts";
import { namespaceQuotaTable, renderUsage, tenantQuotaTable } from "./usage-view.ts";

function tenant(quota?: NonNullable<Tenant["status"]>["quota"], specQuota?: Record<string, string>): Tenant {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name: "changsha-data" },
    spec: { displayName: "长沙市数据局", level: "city", parent: "hunan-data", owners: [{ kind: "User", name: "a" }], ...(specQuota ? { quota: { hard: specQuota } } : {}) },
    status: { ...(quota ? { quota } : {}), conditions: [{ type: "Ready", status: "True", reason: "Ready", message: "", lastTransitionTime: "" }] },
  };
}

const rq = (namespace: string, hard: Record<string, string>, used: Record<string, string>): ResourceQuota => ({
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: { name: "yunshu-tenant-quota", namespace },
  spec: { hard },
  status: { hard, used },
});

describe("tenantQuotaTable", () => {
  it("shows hard, children, own = hard − children, used, and used as a share of own (rounded down)", () => {
    const t = tenant({
      hard: { "requests.cpu": "24", "requests.memory": "48Gi", pods: "100" },
      children: { "requests.cpu": "8", "requests.memory": "16Gi", pods: "40" },
      used: { "requests.cpu": "1500m", "requests.memory": "32Gi", pods: "0" },
    });
    expect(tenantQuotaTable(t)).toBe(
      [
        "RESOURCE          HARD   CHILDREN   OWN    USED    USED%",
        "pods              100    40         60     0       0%",
        "requests.cpu      24     8          16     1500m   9%",
        "requests.memory   48Gi   16Gi       32Gi   32Gi    100%",
      ].join("\n") + "\n",
    );
  });

  it("counts no children as zero, and has no share of nothing", () => {
    const lines = tenantQuotaTable(tenant({ hard: { "requests.cpu": "0", pods: "10" }, used: { "requests.cpu": "0", pods: "3" } }))!.split("\n");
    expect(lines[1]).toMatch(/^pods +10 +0 +10 +3 +30%$/);
    expect(lines[2]).toMatch(/^requests.cpu +0 +0 +0 +0 +-$/);
  });

  it("is undefined when yunshu has reported no quota", () => {
    expect(tenantQuotaTable(tenant())).toBeUndefined();
  });
});

describe("namespaceQuotaTable", () => {
  it("shows each namespace's share resource by resource, and why a share is missing", () => {
    expect(
      namespaceQuotaTable([
        { name: "changsha-data-prod", state: "Active", quota: rq("changsha-data-prod", { "requests.cpu": "10", "requests.memory": "20Gi" }, { "requests.cpu": "1", "requests.memory": "512Mi" }) },
        { name: "changsha-data-test", state: "Active", problem: "cannot read its quota: forbidden" },
        { name: "changsha-data-old", state: "Released", problem: "no quota yet" },
      ]),
    ).toBe(
      [
        "NAMESPACE            STATE      RESOURCE                             HARD   USED",
        "changsha-data-prod   Active     requests.cpu                         10     1",
        "                                requests.memory                      20Gi   512Mi",
        "changsha-data-test   Active     (cannot read its quota: forbidden)   -      -",
        "changsha-data-old    Released   (no quota yet)                       -      -",
      ].join("\n") + "\n",
    );
  });
});

describe("renderUsage", () => {
  it("heads the tables with the tenant, and explains an empty quota or no namespaces", () => {
    expect(renderUsage(tenant(undefined, { "requests.cpu": "4" }), [])).toBe(
      [
        "Tenant:  changsha-data (长沙市数据局)",
        "Level:   city",
        "Parent:  hunan-data",
        "Ready:   True",
        "",
        "yunshu has not reported this tenant's quota yet.",
        "",
        "No namespaces yet.",
        "",
      ].join("\n"),
    );
    expect(renderUsage(tenant(), [])).toContain("This tenant has no quota (spec.quota is empty).");
  });
});
