// A Tenant's status, computed from what the reconcile observed and did. Pure,
// so that "what does the platform team see" is testable without a cluster,
// and so that an unchanged situation yields an identical status: the
// operator writes status only when it differs.
import { formatResourceList, type ResourceList } from "../api/quantity.ts";
import type { QuotaDecision } from "./quota-decision.ts";
import type { Tenant, TenantCondition, TenantStatus } from "./types.ts";

export type NamespaceState = "Active" | "Released" | "Conflict" | "Terminating";

export interface NamespaceObservation {
  name: string;
  state: NamespaceState;
  message?: string;
}

/** What one cluster's reconcile observed: enough to say whether the tenant is ready there. */
export interface ClusterObservations {
  namespaces: NamespaceObservation[];
  /** Usage summed over the tenant's active namespaces, for the resources its quota names. */
  quotaUsed: ResourceList;
  /** What the tenant's own namespaces share: its quota minus what its children hold. */
  quotaHard: ResourceList;
  /** What is wrong with spec.placement (fleet/placement.ts). */
  placementProblems?: string[];
  /** Where the tenant and its MLPS profile disagree (profile.ts), or that the profile is missing. */
  profileProblem?: { reason: "SecurityProfileNotFound" | "EgressWiderThanProfile" | "IngressDomainTaken"; message: string };
  /** Hub only: each other placed cluster where the tenant is not ready, as "cluster: why". */
  memberProblems?: string[];
  /** The hierarchy's verdict (quota-decision.ts); absent in tests that do not care. */
  allocation?: Pick<QuotaDecision, "hard" | "children" | "hasChildren" | "allocated">;
  /** Writes that the API server refused, each naming the object and the reason. */
  applyErrors: string[];
}

/** What the hub reports on a tenant: its own cluster's observations, and the owners' check. */
export interface TenantObservations extends ClusterObservations {
  missingServiceAccounts: string[];
  /** Users and groups among the owners: Kubernetes keeps no registry of them to check against. */
  externalOwners: number;
}

interface ConditionInput {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
}

export function readyCondition(obs: ClusterObservations): ConditionInput {
  if (obs.applyErrors.length > 0) {
    return { type: "Ready", status: "False", reason: "ApplyFailed", message: obs.applyErrors.join("; ") };
  }
  if (obs.placementProblems?.length) {
    return { type: "Ready", status: "False", reason: "PlacementInvalid", message: obs.placementProblems.join("; ") };
  }
  if (obs.profileProblem) return { type: "Ready", status: "False", ...obs.profileProblem };
  if (obs.allocation?.allocated.status === "False") {
    return { type: "Ready", status: "False", reason: "QuotaNotAllocated", message: obs.allocation.allocated.message };
  }
  const conflicts = obs.namespaces.filter((n) => n.state === "Conflict");
  if (conflicts.length > 0) {
    return { type: "Ready", status: "False", reason: "NamespaceConflict", message: conflicts.map((n) => n.message ?? n.name).join("; ") };
  }
  const over = Object.entries(obs.quotaHard).filter(([r, hard]) => (obs.quotaUsed[r] ?? 0n) > hard);
  if (over.length > 0) {
    const used = formatResourceList(Object.fromEntries(over.map(([r]) => [r, obs.quotaUsed[r]!])));
    const hard = formatResourceList(Object.fromEntries(over));
    const detail = Object.keys(used).map((r) => `${r}: ${used[r]} used > ${hard[r]} hard`).join(", ");
    return {
      type: "Ready",
      status: "False",
      reason: "QuotaBelowUsage",
      message: `usage is above the tenant's quota (${detail}); nothing new that needs these resources can start until usage drops below the limit or the quota is raised`,
    };
  }
  if (obs.memberProblems?.length) {
    return { type: "Ready", status: "False", reason: "ClusterNotReady", message: obs.memberProblems.join("; ") };
  }
  const terminating = obs.namespaces.filter((n) => n.state === "Terminating");
  if (terminating.length > 0) {
    return {
      type: "Ready",
      status: "False",
      reason: "NamespaceTerminating",
      message: `waiting for ${terminating.map((n) => n.name).join(", ")} to finish terminating before recreating`,
    };
  }
  const active = obs.namespaces.filter((n) => n.state === "Active").length;
  return { type: "Ready", status: "True", reason: "Reconciled", message: `${active} namespace(s) ready with quota, limits, network isolation and owner access` };
}

function ownersCondition(obs: TenantObservations): ConditionInput {
  if (obs.missingServiceAccounts.length > 0) {
    return {
      type: "OwnersVerified",
      status: "False",
      reason: "ServiceAccountNotFound",
      message: `owner service account(s) ${obs.missingServiceAccounts.join(", ")} do not exist; the RoleBindings name them, but nobody can act as them until they are created`,
    };
  }
  if (obs.externalOwners > 0) {
    return {
      type: "OwnersVerified",
      status: "Unknown",
      reason: "ExternalIdentities",
      message:
        "users and groups come from the cluster's authenticator, which Kubernetes cannot list; yunshu cannot tell whether a group has members. An owner can check with `kubectl auth whoami`",
    };
  }
  return { type: "OwnersVerified", status: "True", reason: "ServiceAccountsExist", message: "every owner is an existing service account" };
}

/**
 * Conditions keep their lastTransitionTime while their status stays the
 * same, as Kubernetes API conventions ask.
 */
export function computeStatus(tenant: Tenant, obs: TenantObservations, now: Date): TenantStatus {
  const previous = new Map((tenant.status?.conditions ?? []).map((c) => [c.type, c]));
  const generation = tenant.metadata.generation ?? 0;
  const inputs = [readyCondition(obs), ownersCondition(obs)];
  if (obs.allocation) inputs.push({ type: "QuotaAllocated", ...obs.allocation.allocated });
  const conditions: TenantCondition[] = inputs.map((c) => {
    const old = previous.get(c.type);
    const lastTransitionTime = old && old.status === c.status ? old.lastTransitionTime : now.toISOString().replace(/\.\d+Z$/, "Z");
    return { ...c, observedGeneration: generation, lastTransitionTime };
  });
  const namespaces = obs.namespaces.map((n) => ({ name: n.name, state: n.state, ...(n.message ? { message: n.message } : {}) }));
  return {
    observedGeneration: generation,
    conditions,
    namespaceCount: obs.namespaces.filter((n) => n.state === "Active").length,
    namespaces,
    quota: quotaStatus(obs),
  };
}

/**
 * hard is the tenant-wide quota enforced (absent while a new tenant waits
 * for room: the next reconcile reads it as "nothing enforced yet"); children
 * appears for a tenant that has some. used covers what hard names: the
 * profile's count and storage limits are the level's, not the tenant's
 * budget, and show in each namespace's ResourceQuota (kubectl yunshu usage).
 */
function quotaStatus(obs: TenantObservations): NonNullable<TenantStatus["quota"]> {
  const allocation = obs.allocation;
  const hard = allocation ? allocation.hard : obs.quotaHard;
  const used = hard ? Object.fromEntries(Object.entries(obs.quotaUsed).filter(([r]) => r in hard)) : obs.quotaUsed;
  return {
    ...(hard ? { hard: formatResourceList(hard) } : {}),
    used: formatResourceList(used),
    ...(allocation?.hasChildren ? { children: formatResourceList(allocation.children) } : {}),
  };
}
