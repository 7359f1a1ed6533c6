import { describe, expect, it } from "vitest";
import { sameStatus } from "../runtime/status.ts";
import { computeStatus, type TenantObservations } from "./status.ts";
import type { Tenant } from "./types.ts";

const t: Tenant = {
  apiVersion: "yunshu.io/v1alpha1",
  kind: "Tenant",
  metadata: { name: "x", generation: 4 },
  spec: { displayName: "x", level: "city", owners: [{ kind: "User", name: "u" }] },
};

const healthy: TenantObservations = {
  namespaces: [{ name: "x-prod", state: "Active" }],
  quotaHard: { pods: 10_000n },
  quotaUsed: { pods: 2_000n },
  applyErrors: [],
  missingServiceAccounts: [],
  externalOwners: 1,
};

const ready = (s: ReturnType<typeof computeStatus>) => s.conditions!.find((c) => c.type === "Ready")!;

describe("computeStatus", () => {
  it("is Ready with the generation it saw, and sums quota", () => {
    const s = computeStatus(t, healthy, new Date("2026-11-27T10:00:00Z"));
    expect(ready(s)).toMatchObject({ status: "True", reason: "Reconciled", observedGeneration: 4 });
    expect(s.observedGeneration).toBe(4);
    expect(s.quota).toEqual({ hard: { pods: "10" }, used: { pods: "2" } });
    expect(s.namespaceCount).toBe(1);
  });

  it("says which resource is over the limit, and by how much", () => {
    const s = computeStatus(t, { ...healthy, quotaUsed: { pods: 12_000n } }, new Date());
    expect(ready(s)).toMatchObject({ status: "False", reason: "QuotaBelowUsage" });
    expect(ready(s).message).toContain("pods: 12 used > 10 hard");
  });

  it("puts failed writes before conflicts, and names them", () => {
    const s = computeStatus(
      t,
      { ...healthy, applyErrors: ["RoleBinding x-prod/yunshu-tenant-admin: 403 Forbidden"], namespaces: [{ name: "x-prod", state: "Conflict", message: "taken" }] },
      new Date(),
    );
    expect(ready(s)).toMatchObject({ reason: "ApplyFailed", message: "RoleBinding x-prod/yunshu-tenant-admin: 403 Forbidden" });
  });

  it("keeps lastTransitionTime while a condition's status holds, so an unchanged status is equal", () => {
    const first = computeStatus(t, healthy, new Date("2026-11-27T10:00:00Z"));
    const again = computeStatus({ ...t, status: first }, healthy, new Date("2026-11-27T11:00:00Z"));
    expect(sameStatus(first, again)).toBe(true);
    const changed = computeStatus({ ...t, status: first }, { ...healthy, namespaces: [{ name: "x-prod", state: "Terminating" }] }, new Date("2026-11-27T12:00:00Z"));
    expect(ready(changed).lastTransitionTime).toBe("2026-11-27T12:00:00Z");
  });

  it("cannot verify users and groups, and says so; a missing service account is False", () => {
    expect(computeStatus(t, healthy, new Date()).conditions!.find((c) => c.type === "OwnersVerified")!.status).toBe("Unknown");
    const s = computeStatus(t, { ...healthy, missingServiceAccounts: ["ci/deployer"] }, new Date());
    expect(s.conditions!.find((c) => c.type === "OwnersVerified")).toMatchObject({ status: "False", reason: "ServiceAccountNotFound" });
  });
});
