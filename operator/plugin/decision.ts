// approve / deny as data: what a decision looks like on a TenantRequest's
// status, and reading one back. The rules a decision must follow are the
// yunshu-tenant-request-decision admission policy's; this only shapes it.
import type { TenantRequest, TenantRequestStatus, TenantRequestStatusCondition } from "../api/generated.ts";
import { condition } from "../request/conditions.ts";
import { rfc3339 } from "./format.ts";

export type Verdict = "approve" | "deny";

export interface Decision {
  approved: boolean;
  decidedBy: string | undefined;
  reason: string;
  at: string;
}

export function decisionOf(request: TenantRequest): Decision | undefined {
  const approved = condition(request, "Approved");
  if (!approved) return undefined;
  return { approved: approved.status === "True", decidedBy: request.status?.decidedBy, reason: approved.message, at: approved.lastTransitionTime };
}

/** What server-side apply sends to the status subresource: only the fields the decider owns. */
export interface DecisionApply {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "TenantRequest";
  metadata: { name: string; resourceVersion?: string };
  status: Pick<TenantRequestStatus, "decidedBy" | "conditions">;
}

/**
 * The decision as an apply body. The resourceVersion read is sent along, so
 * that if yunshu's verdict (or anything else) changed since the decider
 * looked, the API server answers 409 instead of recording a decision made on
 * stale numbers.
 */
export function decisionApply(request: TenantRequest, verdict: Verdict, decidedBy: string, reason: string, now: Date): DecisionApply {
  const condition: TenantRequestStatusCondition = {
    type: "Approved",
    status: verdict === "approve" ? "True" : "False",
    reason: verdict === "approve" ? "Approved" : "Denied",
    message: reason,
    lastTransitionTime: rfc3339(now),
  };
  if (request.metadata.generation !== undefined) condition.observedGeneration = request.metadata.generation;
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "TenantRequest",
    metadata: { name: request.metadata.name, resourceVersion: request.metadata.resourceVersion },
    status: { decidedBy, conditions: [condition] },
  };
}
