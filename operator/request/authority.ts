// The authority verdict on a TenantRequest: is the requester entitled to ask
// this of this tenant? Capacity says whether a request could be granted;
// authority says whether this requester may ask at all. Without it, one
// department could file RemoveNamespaces or a quota of zero against another's
// tenant, and a single slip by an approver would carry it out.
//
// Rules:
// - a top-level Create may come from anyone who may file requests (a
//   department without a tenant yet asks for its first one);
// - a child Create needs ownership of the parent, or of a tenant above it;
// - changing what a tenant has needs ownership of the tenant, or of a tenant
//   above it (a city's data bureau manages its counties' budgets).
// Ownership is by user name, or by a group recorded in spec.requester.groups,
// which admission checks against what the API server authenticated.
import type { TenantRequest } from "../api/generated.ts";
import { serviceAccountUsername } from "../tenant/grants.ts";
import type { TenantDirectory } from "../tenant/quota-decision.ts";
import type { Tenant, TenantOwner } from "../tenant/types.ts";
import { isPending } from "./conditions.ts";

export type Requester = TenantRequest["spec"]["requester"];

export interface Authority {
  status: "True" | "False";
  reason: "AnyDepartment" | "Owner" | "NotOwner" | "TenantNotFound" | "TooManyPending";
  message: string;
}

/** How the requester is among the tenant's owners: the owner entry that matches, if any. */
export function ownerEntry(tenant: Tenant, who: Requester): TenantOwner | undefined {
  const groups = new Set(who.groups ?? []);
  return tenant.spec.owners.find((o) => {
    if (o.kind === "User") return o.name === who.username;
    if (o.kind === "Group") return groups.has(o.name);
    return who.username === serviceAccountUsername(o.namespace!, o.name);
  });
}

/** The tenant and the tenants above it, nearest first; stops at a missing parent or a cycle. */
function lineage(name: string, tenants: TenantDirectory): Tenant[] {
  const out: Tenant[] = [];
  const seen = new Set<string>();
  for (let t = tenants.get(name); t && !seen.has(t.metadata.name); t = t.spec.parent ? tenants.get(t.spec.parent) : undefined) {
    seen.add(t.metadata.name);
    out.push(t);
  }
  return out;
}

const describeRequester = (who: Requester) => (who.groups?.length ? `${who.username} (groups: ${who.groups.join(", ")})` : `${who.username} (no groups recorded)`);

/** The tenant, `name` or one above it, that `who` owns, and through which owner entry. */
export function ownedLineage(name: string, tenants: TenantDirectory, who: Requester): { tenant: Tenant; entry: TenantOwner } | undefined {
  for (const tenant of lineage(name, tenants)) {
    const entry = ownerEntry(tenant, who);
    if (entry) return { tenant, entry };
  }
  return undefined;
}

/** Whether the requester owns `name` or a tenant above it, as a verdict. */
function ownership(name: string, tenants: TenantDirectory, who: Requester, what: string): Authority {
  if (!tenants.get(name)) return { status: "False", reason: "TenantNotFound", message: `tenant ${name} does not exist, so nobody owns it yet` };
  const owned = ownedLineage(name, tenants, who);
  if (owned) {
    const { tenant, entry } = owned;
    const via = entry.kind === "Group" ? ` through group ${entry.name}` : "";
    const where = tenant.metadata.name === name ? `tenant ${name}` : `tenant ${tenant.metadata.name}, above ${name}`;
    return { status: "True", reason: "Owner", message: `${who.username} owns ${where}${via}, and so may ask to ${what}` };
  }
  return {
    status: "False",
    reason: "NotOwner",
    message:
      `${describeRequester(who)} owns neither tenant ${name} nor a tenant above it; only their owners may ask to ${what}. ` +
      `Deny this request; an owner of ${name} can file it instead`,
  };
}

/** What a request asks of an existing tenant, in the verdict's words; a record, so that a new action cannot be left out. */
const ASKS: Record<Exclude<TenantRequest["spec"]["action"], "Create">, (tenant: string) => string> = {
  ChangeQuota: (tenant) => `change ${tenant}'s quota`,
  AddNamespaces: (tenant) => `add namespaces to ${tenant}`,
  RemoveNamespaces: (tenant) => `remove namespaces from ${tenant}`,
  ChangeSecurityLevel: (tenant) => `change ${tenant}'s MLPS level`,
  Offboard: (tenant) => `offboard ${tenant}`,
};

/** Whether the requester may ask this of the tenant as the tenants are now; the pending cap is judged apart. */
export function judgeAuthority(request: TenantRequest, tenants: TenantDirectory): Authority {
  const { spec } = request;
  const who = spec.requester;
  if (spec.action === "Create") {
    if (!spec.parent) return { status: "True", reason: "AnyDepartment", message: "any department may ask for a new top-level tenant" };
    return ownership(spec.parent, tenants, who, `carve tenant ${spec.tenant} from ${spec.parent}'s quota`);
  }
  return ownership(spec.tenant, tenants, who, ASKS[spec.action](spec.tenant));
}

const filedOrder = (a: TenantRequest, b: TenantRequest) => {
  const at = a.metadata.creationTimestamp ?? "";
  const bt = b.metadata.creationTimestamp ?? "";
  if (at !== bt) return at < bt ? -1 : 1;
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
};

/**
 * The requester's pending requests beyond the first `cap` (in the order they
 * were filed) are not judged at all: a flood from one identity then costs
 * the operator nothing per capacity change, and none of it can be approved.
 * Undefined when the request is within the cap.
 */
export function beyondPendingCap(request: TenantRequest, all: Iterable<TenantRequest>, cap: number): Authority | undefined {
  const who = request.spec.requester.username;
  const mine = [...all].filter((r) => r.spec.requester.username === who && isPending(r)).sort(filedOrder);
  const position = mine.findIndex((r) => r.metadata.name === request.metadata.name);
  if (position < cap) return undefined;
  // The message names neither the count nor the position: they change with
  // every request filed, and each change would be a write to every request
  // beyond the cap.
  return {
    status: "False",
    reason: "TooManyPending",
    message: `${who} has more than ${cap} requests waiting for a decision and only ${cap} are judged at a time; this one is judged once earlier ones are decided or withdrawn`,
  };
}
