// Reading a TenantRequest's conditions: where it stands in its life
// (pending → decided → applied).
import type { TenantRequest } from "../api/generated.ts";

export type RequestCondition = NonNullable<NonNullable<TenantRequest["status"]>["conditions"]>[number];

export function condition(request: TenantRequest, type: "Authorized" | "Fits" | "Approved" | "Applied"): RequestCondition | undefined {
  return request.status?.conditions?.find((c) => c.type === type);
}

/** Waiting for a platform admin's decision. */
export function isPending(request: TenantRequest): boolean {
  return condition(request, "Approved") === undefined;
}

export function isApproved(request: TenantRequest): boolean {
  const decision = condition(request, "Approved");
  return decision?.status === "True" && decision.reason === "Approved";
}

/** Applied, or failed for good: nothing more to do for it. */
export function isFinished(request: TenantRequest): boolean {
  return condition(request, "Applied") !== undefined;
}
