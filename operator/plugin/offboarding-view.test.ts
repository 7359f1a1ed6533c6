import { describe, expect, it } from "vitest";
import type { OffboardingRecord } from "../api/generated.ts";
import { offboardingDetail, offboardingsTable } from "./offboarding-view.ts";

const record: OffboardingRecord = {
  apiVersion: "yunshu.io/v1alpha1",
  kind: "OffboardingRecord",
  metadata: { name: "county-x-abcde", creationTimestamp: "2026-12-30T10:01:00Z" },
  spec: {
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
    clusters: [
      { name: "hunan", namespaces: ["county-x-prod"], persistentVolumes: [] },
      { name: "changsha", namespaces: ["county-x-prod", "county-x-test"], persistentVolumes: ["pv-1"] },
    ],
    finalCheck: { passed: true, checkedAt: "2026-12-30T10:01:00Z", clusters: ["changsha", "hunan"] },
  },
};

describe("offboarding records in the plugin", () => {
  it("list one line each: who asked, who approved, when, how many namespaces, the check", () => {
    const lines = offboardingsTable([record], new Date("2026-12-30T11:01:00Z")).split("\n");
    expect(lines[0]).toMatch(/^RECORD +TENANT +REQUESTED BY +APPROVED BY +DELETED +NAMESPACES +NOTHING LEFT +AGE$/);
    expect(lines[1]).toMatch(/^county-x-abcde +county-x +liu +li +2026-12-30T10:01:00Z +3 +yes +60m$/);
  });

  it("show one in full, cluster by cluster, with where the quota went", () => {
    const text = offboardingDetail(record);
    expect(text).toContain("Request:         county-x-abcde, filed by liu, approved by li");
    expect(text).toContain("Quota returned:  pods 16 to tenant city");
    expect(text).toContain("  changsha: namespaces county-x-prod, county-x-test; persistent volumes pv-1");
    expect(text).toContain("  hunan: namespaces county-x-prod; persistent volumes -");
    expect(text).toContain("Final check:     nothing of the tenant left on changsha, hunan at 2026-12-30T10:01:00Z");
  });
});
