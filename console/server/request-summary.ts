// A TenantRequest as the console shows it: where it stands (phase) and its
// life as a timeline (filed, judged with the numbers, decided by whom and
// why, applied). Pure: the same request always reads the same.
import type { ConditionView, RequestAction, RequestPhase, RequestSummary, TimelineStep } from "../api-types.ts";
import type { TenantRequest } from "../../operator/api/generated.ts";
import { condition } from "../../operator/request/conditions.ts";
import { conditionViews } from "../../operator/request/mine.ts";

function phaseOf(c: { authorized?: ConditionView; fits?: ConditionView; approved?: ConditionView; applied?: ConditionView }): RequestPhase {
  if (c.applied) return c.applied.status === "True" ? "Applied" : "Failed";
  if (c.approved) return c.approved.status === "True" ? "Approved" : "Denied";
  if (c.authorized?.status === "False") return "NotAuthorized";
  if (c.fits?.status === "False") return "DoesNotFit";
  return "Pending";
}

const latest = (...times: (string | undefined)[]) => times.filter((t): t is string => t !== undefined).sort().at(-1);

function timelineOf(request: TenantRequest, c: { authorized?: ConditionView; fits?: ConditionView; approved?: ConditionView; applied?: ConditionView }): TimelineStep[] {
  const steps: TimelineStep[] = [
    { step: "filed", state: "done", ...(request.metadata.creationTimestamp ? { at: request.metadata.creationTimestamp } : {}), by: request.spec.requester.username, message: request.spec.reason },
  ];
  const verdicts = [c.authorized, c.fits].filter((v): v is ConditionView => v !== undefined);
  if (verdicts.length === 0) steps.push({ step: "judged", state: "waiting" });
  else {
    // Fits is not assessed when the requester may not ask: one False verdict is the whole judgement.
    const failed = verdicts.some((v) => v.status === "False");
    const at = latest(...verdicts.map((v) => v.lastTransitionTime));
    steps.push({ step: "judged", state: failed ? "failed" : verdicts.length === 2 ? "done" : "waiting", ...(at ? { at } : {}), message: verdicts.map((v) => v.message).join("\n") });
  }
  if (!c.approved) steps.push({ step: "decided", state: "waiting" });
  else {
    const by = request.status?.decidedBy;
    steps.push({ step: "decided", state: c.approved.status === "True" ? "done" : "failed", ...(c.approved.lastTransitionTime ? { at: c.approved.lastTransitionTime } : {}), ...(by ? { by } : {}), message: c.approved.message });
  }
  // A denied request is never applied: its timeline ends at the decision.
  if (c.approved?.status === "False") return steps;
  if (!c.applied) steps.push({ step: "applied", state: "waiting" });
  else steps.push({ step: "applied", state: c.applied.status === "True" ? "done" : "failed", ...(c.applied.lastTransitionTime ? { at: c.applied.lastTransitionTime } : {}), message: c.applied.message });
  return steps;
}

export function summarizeRequest(request: TenantRequest, me: string): RequestSummary {
  const view = (type: "Authorized" | "Fits" | "Approved" | "Applied") => {
    const found = condition(request, type);
    return found ? conditionViews([found])[0] : undefined;
  };
  const c = { authorized: view("Authorized"), fits: view("Fits"), approved: view("Approved"), applied: view("Applied") };
  const requester = request.spec.requester;
  return {
    name: request.metadata.name,
    tenant: request.spec.tenant,
    action: request.spec.action as RequestAction,
    reason: request.spec.reason,
    requester: requester.username,
    filedAt: request.metadata.creationTimestamp ?? "",
    spec: { ...request.spec },
    phase: phaseOf(c),
    ...(c.authorized ? { authorized: c.authorized } : {}),
    ...(c.fits ? { fits: c.fits } : {}),
    ...(c.approved ? { approved: c.approved } : {}),
    ...(c.applied ? { applied: c.applied } : {}),
    ...(request.status?.decidedBy ? { decidedBy: request.status.decidedBy } : {}),
    capacity: (request.status?.capacity ?? []).map((r) => ({ budget: r.budget, resource: r.resource, requested: r.requested, allocated: r.allocated, limit: r.limit, fits: r.fits ?? false })),
    timeline: timelineOf(request, c),
    resourceVersion: request.metadata.resourceVersion ?? "",
    filedByMe: requester.username === me,
  };
}

const PHASE_ORDER: Record<RequestPhase, number> = { Pending: 0, DoesNotFit: 1, NotAuthorized: 2, Approved: 3, Failed: 4, Applied: 5, Denied: 6 };

/** Those waiting for a decision first, then newest first. */
export const byUrgency = (a: RequestSummary, b: RequestSummary) => PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] || b.filedAt.localeCompare(a.filedAt) || a.name.localeCompare(b.name);
