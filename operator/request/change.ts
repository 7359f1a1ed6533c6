// What a TenantRequest would make of its Tenant: the whole Tenant after the
// change, so that the verdict judges exactly what approval would apply.
import { TENANT_API_VERSION, TENANT_KIND, type TenantRequest } from "../api/generated.ts";
import { namespaceName } from "../tenant/labels.ts";
import type { Tenant, TenantOwner } from "../tenant/types.ts";

/** Set on a Tenant that a request created or changed last: the way back to who asked and who approved. */
export const LAST_REQUEST_ANNOTATION = "yunshu.io/last-request";

export type RequestProblem = {
  reason: "TenantExists" | "TenantNotFound" | "NamespaceNotFound" | "NamespaceTaken" | "SameSecurityLevel" | "AlreadyOffboarding";
  message: string;
};

type SecurityLevel = NonNullable<Tenant["spec"]["securityLevel"]>;

/** The Tenant CRD's default: a Tenant that names no level is at 3. */
const DEFAULT_SECURITY_LEVEL: SecurityLevel = 3;

export const securityLevelOf = (tenant: Tenant): SecurityLevel => tenant.spec.securityLevel ?? DEFAULT_SECURITY_LEVEL;

/** A Kubernetes user name as an RBAC subject: service accounts have their own kind. */
export function ownerFromUsername(username: string): TenantOwner {
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  return sa ? { kind: "ServiceAccount", namespace: sa[1]!, name: sa[2]! } : { kind: "User", name: username };
}

function created(request: TenantRequest): Tenant {
  const { spec } = request;
  return {
    apiVersion: TENANT_API_VERSION,
    kind: TENANT_KIND,
    metadata: { name: spec.tenant, annotations: { [LAST_REQUEST_ANNOTATION]: request.metadata.name } },
    spec: {
      displayName: spec.displayName!,
      ...(spec.code ? { code: spec.code } : {}),
      level: spec.level!,
      ...(spec.parent ? { parent: spec.parent } : {}),
      owners: spec.owners?.length ? spec.owners.map((o) => ({ ...o })) : [ownerFromUsername(spec.requester.username)],
      ...(spec.namespaces?.length ? { namespaces: spec.namespaces.map((name) => ({ name })) } : {}),
      ...(spec.quota?.hard ? { quota: { hard: { ...spec.quota.hard } } } : {}),
      ...(spec.placement ? { placement: structuredClone(spec.placement) } : {}),
      ...(spec.securityLevel ? { securityLevel: spec.securityLevel } : {}),
    },
  };
}

/** The Tenant after the request, or why the request cannot apply to the tenant as it is. */
export function tenantAfter(request: TenantRequest, current: Tenant | undefined): Tenant | RequestProblem {
  const { spec } = request;
  if (spec.action === "Create") {
    if (current) return { reason: "TenantExists", message: `tenant ${spec.tenant} exists already; ask to change it instead` };
    return created(request);
  }
  if (!current) return { reason: "TenantNotFound", message: `tenant ${spec.tenant} does not exist; ask to create it first` };
  if (current.spec.offboarding) {
    return { reason: "AlreadyOffboarding", message: `tenant ${spec.tenant} is being offboarded (request ${current.spec.offboarding.request}); nothing more can be asked of it` };
  }
  const after = structuredClone(current);
  after.metadata.annotations = { ...after.metadata.annotations, [LAST_REQUEST_ANNOTATION]: request.metadata.name };
  const names = new Set((current.spec.namespaces ?? []).map((n) => n.name));
  switch (spec.action) {
    case "ChangeQuota":
      after.spec.quota = { hard: { ...current.spec.quota?.hard, ...spec.quota?.hard } };
      break;
    case "AddNamespaces":
      after.spec.namespaces = [...(current.spec.namespaces ?? []), ...(spec.namespaces ?? []).filter((n) => !names.has(n)).map((name) => ({ name }))];
      break;
    case "RemoveNamespaces": {
      const unknown = (spec.namespaces ?? []).filter((n) => !names.has(n));
      if (unknown.length > 0) return { reason: "NamespaceNotFound", message: `tenant ${spec.tenant} has no namespace ${unknown.join(", ")}` };
      after.spec.namespaces = (current.spec.namespaces ?? []).filter((n) => !spec.namespaces!.includes(n.name));
      break;
    }
    case "ChangeSecurityLevel": {
      const level = securityLevelOf(current);
      // Approving it would change nothing, yet stand in the record as a decision on the tenant's level.
      if (level === spec.securityLevel) {
        return { reason: "SameSecurityLevel", message: `tenant ${spec.tenant} is at MLPS level ${level} already (SecurityProfile mlps-${level}), so this request would change nothing; file one for another level if that was meant` };
      }
      after.spec.securityLevel = spec.securityLevel!;
      break;
    }
    case "Offboard":
      // Who approved is known once someone has: approval carries out the Tenant judged then.
      after.spec.offboarding = { request: request.metadata.name, requestedBy: spec.requester.username, approvedBy: request.status?.decidedBy ?? "", reason: spec.reason };
      break;
  }
  return after;
}

export const isProblem = (x: Tenant | RequestProblem): x is RequestProblem => "reason" in x;

/** The namespaces (full names) approval would create: a new tenant's, or those an AddNamespaces adds. */
export function addedNamespaces(request: TenantRequest, current: Tenant | undefined): string[] {
  if (request.spec.action !== "Create" && request.spec.action !== "AddNamespaces") return [];
  const had = new Set((current?.spec.namespaces ?? []).map((n) => n.name));
  return (request.spec.namespaces ?? []).filter((n) => request.spec.action === "Create" || !had.has(n)).map((n) => namespaceName(request.spec.tenant, n));
}

/** Whether the request asks for quota, and so must be judged against a budget. */
export const changesQuota = (request: TenantRequest) => request.spec.action === "Create" || request.spec.action === "ChangeQuota";
