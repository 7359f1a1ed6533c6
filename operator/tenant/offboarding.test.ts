import { describe, expect, it } from "vitest";
import { deletionPolicyOf, effectiveSuspension, offboardingClock, untilDeletion } from "./offboarding.ts";
import type { Tenant } from "./types.ts";

const base: Tenant = { apiVersion: "yunshu.io/v1alpha1", kind: "Tenant", metadata: { name: "county-x" }, spec: { displayName: "x", level: "county", owners: [{ kind: "User", name: "liu" }], deletionPolicy: "Retain" } };
const offboarded: Tenant = { ...base, spec: { ...base.spec, offboarding: { request: "county-x-abcde", requestedBy: "liu", approvedBy: "li" } } };
const now = new Date("2026-11-30T10:00:00Z");
const DAY = 86_400_000;

describe("an offboarding's clock", () => {
  it("starts now for an offboarding not seen before, and ends a grace period later", () => {
    expect(offboardingClock(offboarded, now, 30 * DAY)).toEqual({ startedAt: "2026-11-30T10:00:00Z", deleteAfter: "2026-12-30T10:00:00Z" });
  });

  it("keeps what the status recorded: a restart, or a changed grace period, neither restarts nor shortens it", () => {
    const recorded = { ...offboarded, status: { offboarding: { startedAt: "2026-11-01T00:00:00Z", deleteAfter: "2026-12-01T00:00:00Z" } } };
    expect(offboardingClock(recorded, now, 1000)).toEqual({ startedAt: "2026-11-01T00:00:00Z", deleteAfter: "2026-12-01T00:00:00Z" });
    expect(untilDeletion({ startedAt: "2026-11-01T00:00:00Z", deleteAfter: "2026-12-01T00:00:00Z" }, now)).toBe(DAY - 10 * 3_600_000);
  });

  it("does not exist without spec.offboarding", () => {
    expect(offboardingClock(base, now, DAY)).toBeUndefined();
  });
});

describe("an offboarded tenant", () => {
  it("is suspended, with the request and the deadline in the reason; the platform's own suspension says its own reason", () => {
    const recorded = { ...offboarded, status: { offboarding: { startedAt: "2026-11-01T00:00:00Z", deleteAfter: "2026-12-01T00:00:00Z" } } };
    expect(effectiveSuspension(recorded)?.reason).toBe("offboarding (request county-x-abcde); read and export your data until 2026-12-01T00:00:00Z, when everything is deleted");
    expect(effectiveSuspension({ ...recorded, spec: { ...recorded.spec, suspension: { reason: "审计冻结" } } })?.reason).toBe("审计冻结");
    expect(effectiveSuspension(base)).toBeUndefined();
  });

  it("has its namespaces deleted whatever deletionPolicy says", () => {
    expect(deletionPolicyOf(offboarded)).toBe("Delete");
    expect(deletionPolicyOf(base)).toBe("Retain");
  });
});
