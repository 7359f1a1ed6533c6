// An offboarding's course, decided from the Tenant and the clock. Pure.
// spec.offboarding (set when an approved Offboard request is carried out)
// suspends the tenant at once; status.offboarding holds when that began and
// when the grace period ends, so an operator restart neither restarts nor
// shortens it. When it ends, the hub deletes the Tenant, and the finalizer
// deletes everything of it on every cluster, whatever its deletionPolicy.
import type { DeletionPolicy } from "./phases/release.ts";
import type { Tenant, TenantStatus } from "./types.ts";

export type OffboardingClock = Required<NonNullable<TenantStatus["offboarding"]>>;

/** When the grace period began and ends: as recorded, or from `now` for an offboarding yunshu has not seen yet. */
export function offboardingClock(tenant: Tenant, now: Date, gracePeriodMs: number): OffboardingClock | undefined {
  if (!tenant.spec.offboarding) return undefined;
  const recorded = tenant.status?.offboarding;
  if (recorded?.startedAt && recorded.deleteAfter) return { startedAt: recorded.startedAt, deleteAfter: recorded.deleteAfter };
  return { startedAt: isoSeconds(now), deleteAfter: isoSeconds(new Date(now.getTime() + gracePeriodMs)) };
}

/** How long until deletion begins; zero or less when it is due. */
export const untilDeletion = (clock: OffboardingClock, now: Date) => Date.parse(clock.deleteAfter) - now.getTime();

/** The suspension the tenant is under: the platform's own, or its offboarding's. */
export function effectiveSuspension(tenant: Tenant): { reason: string } | undefined {
  if (tenant.spec.suspension) return tenant.spec.suspension;
  const off = tenant.spec.offboarding;
  if (!off) return undefined;
  const until = tenant.status?.offboarding?.deleteAfter;
  return { reason: `offboarding (request ${off.request}); read and export your data${until ? ` until ${until}, when everything is deleted` : ""}` };
}

/** An offboarded tenant leaves nothing behind: its namespaces are deleted whatever deletionPolicy says. */
export const deletionPolicyOf = (tenant: Tenant): DeletionPolicy => (tenant.spec.offboarding ? "Delete" : (tenant.spec.deletionPolicy ?? "Retain"));

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d+Z$/, "Z");
