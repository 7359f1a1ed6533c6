import { describe, expect, it } from "vitest";
import type { KubeObject } from "../api/meta.ts";
import { bindingsNaming, nothingLeft, renderOffboardingRecord } from "./offboarding-record.ts";
import { claimedVolumes, grownEntry } from "./phases/offboard.ts";
import type { Tenant } from "./types.ts";

const binding = (name: string, namespace: string | undefined, subjects: object[]) => ({ kind: namespace ? "RoleBinding" : "ClusterRoleBinding", metadata: { name, namespace }, subjects }) as unknown as KubeObject;

describe("the final check", () => {
  it("finds bindings anywhere that name the tenant's ServiceAccounts, one by one or as a group, and no others", () => {
    const found = bindingsNaming(
      [
        binding("reader", "other-ns", [{ kind: "ServiceAccount", name: "bot", namespace: "county-x-prod" }]),
        binding("all-of-them", undefined, [{ kind: "Group", name: "system:serviceaccounts:county-x-prod" }]),
        binding("local", "county-x-prod", [{ kind: "ServiceAccount", name: "bot" }]),
        binding("someone-else", "other-ns", [{ kind: "ServiceAccount", name: "bot", namespace: "county-x-prodx" }, { kind: "User", name: "county-x-prod" }]),
      ],
      ["county-x-prod"],
    );
    expect(found.map((b) => b.metadata.name)).toEqual(["reader", "all-of-them", "local"]);
  });

  it("finds the volumes bound to claims in the tenant's namespaces", () => {
    const pv = (name: string, namespace?: string) => ({ metadata: { name }, spec: namespace ? { claimRef: { namespace, name: "data" } } : {} }) as KubeObject;
    expect(claimedVolumes([pv("a", "county-x-prod"), pv("b", "other"), pv("c")], ["county-x-prod"]).map((v) => v.metadata.name)).toEqual(["a"]);
  });

  it("passes only when nothing at all is left", () => {
    expect(nothingLeft({ cluster: "c", namespaces: [], persistentVolumes: [], bindings: [] })).toBe(true);
    expect(nothingLeft({ cluster: "c", namespaces: [], persistentVolumes: [], bindings: ["ClusterRoleBinding x"] })).toBe(false);
  });
});

describe("what a cluster records before it deletes", () => {
  it("only grows: a restart halfway, with some namespaces gone already, drops nothing", () => {
    const first = grownEntry("changsha", undefined, ["t-prod", "t-test"], ["pv-1"]);
    expect(grownEntry("changsha", first, ["t-test"], [])).toEqual({ cluster: "changsha", namespaces: ["t-prod", "t-test"], persistentVolumes: ["pv-1"] });
  });
});

describe("the OffboardingRecord", () => {
  it("says who asked, who approved, what went where, and the check, named after the request", () => {
    const tenant = {
      apiVersion: "yunshu.io/v1alpha1",
      kind: "Tenant",
      metadata: { name: "county-x", deletionTimestamp: "2026-12-30T10:00:05Z" },
      spec: { displayName: "某县数据局", level: "county", parent: "city", owners: [], securityLevel: 3, offboarding: { request: "county-x-abcde", requestedBy: "liu", approvedBy: "li", reason: "合同终止" } },
      status: {
        offboarding: { startedAt: "2026-11-30T10:00:00Z", deleteAfter: "2026-12-30T10:00:00Z" },
        quota: { hard: { pods: "16" } },
        deletions: [{ cluster: "changsha", namespaces: ["county-x-prod"], persistentVolumes: ["pv-1"] }],
      },
    } as unknown as Tenant & KubeObject;
    const record = renderOffboardingRecord(tenant, ["hunan", "changsha"], new Date("2026-12-30T10:01:00.123Z"));
    expect(record.metadata.name).toBe("county-x-abcde");
    expect(record.spec).toEqual({
      tenant: "county-x",
      displayName: "某县数据局",
      parent: "city",
      securityLevel: 3,
      request: "county-x-abcde",
      requestedBy: "liu",
      approvedBy: "li",
      reason: "合同终止",
      startedAt: "2026-11-30T10:00:00Z",
      deletionStartedAt: "2026-12-30T10:00:05Z",
      completedAt: "2026-12-30T10:01:00Z",
      quota: { pods: "16" },
      clusters: [{ name: "changsha", namespaces: ["county-x-prod"], persistentVolumes: ["pv-1"] }],
      finalCheck: { passed: true, checkedAt: "2026-12-30T10:01:00Z", clusters: ["changsha", "hunan"] },
    });
  });
});
