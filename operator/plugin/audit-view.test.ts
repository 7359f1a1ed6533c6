import { describe, expect, it } from "vitest";
import type { ClusterAudit } from "../audit/judge.ts";
import { auditTable } from "./audit-view.ts";

const audit: ClusterAudit = {
  cluster: "changsha",
  namespaces: [
    {
      namespace: "hunan-health-prod",
      tenant: "hunan-health",
      released: false,
      defaultDeny: true,
      ingress: [{ peer: "hunan-bigdata-prod/client → hunan-health-prod/api", ports: "TCP 8443" }],
      egress: [],
      internal: 2,
      access: [
        { subject: "Group:health-ops", access: "write", via: "RoleBinding hunan-health-prod/yunshu-tenant-admin (ClusterRole yunshu-tenant-admin)", platform: false },
        { subject: "Group:system:masters", access: "write", via: "ClusterRoleBinding cluster-admin (ClusterRole cluster-admin)", platform: true },
      ],
    },
    { namespace: "hunan-health-dev", tenant: "hunan-health", released: true, defaultDeny: false, ingress: [], egress: [], internal: 0, access: [] },
  ],
  violations: [{ kind: "MissingDefaultDeny", cluster: "changsha", tenant: "hunan-health", namespace: "hunan-health-dev", message: "tenant namespace hunan-health-dev has no policy that denies" }],
};

describe("auditTable", () => {
  it("shows each namespace's fence, paths and non-platform writers, then the violations and their count", () => {
    const text = auditTable([audit]);
    expect(text).toContain("Cluster changsha: 2 tenant namespace(s), 1 violation(s)");
    expect(text).toMatch(/hunan-health\s+hunan-health-prod\s+yes\s+hunan-bigdata-prod\/client → hunan-health-prod\/api \(TCP 8443\)\s+-\s+Group:health-ops\n/);
    expect(text).not.toContain("system:masters");
    expect(text).toMatch(/hunan-health-dev \(released\)\s+NO/);
    expect(text).toMatch(/MissingDefaultDeny\s+hunan-health\s+hunan-health-dev\s+tenant namespace hunan-health-dev has no policy/);
    expect(text).toContain("1 violation(s) in all.");
  });

  it("says so when there is nothing to report", () => {
    expect(auditTable([{ ...audit, violations: [] }])).toContain("No violations");
  });
});
