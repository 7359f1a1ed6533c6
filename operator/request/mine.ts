// "Mine": the tenants a person owns or is a member of, with their
// namespaces on every cluster and their quota use. Kubernetes cannot answer
// this (RBAC has no filtered list, so a department cannot list Tenants at
// all); yunshu answers it from its Tenant cache, filtered by each Tenant's
// owners and members, for GET /mine (the console, `kubectl yunshu mine`).
// Pure.
import type { ConditionView, MineAnswer, MyTenant, QuotaRow, Relation, UserIdentity } from "../../console/api-types.ts";
import { parseQuantity } from "../api/quantity.ts";
import type { TenantDirectory } from "../tenant/quota-decision.ts";
import type { Tenant } from "../tenant/types.ts";
import { ownedLineage } from "./authority.ts";

type Quantities = Record<string, string | number> | undefined;

function fractionOf(used: string | number | undefined, hard: string | number | undefined): number | undefined {
  if (used === undefined || hard === undefined) return undefined;
  try {
    const h = parseQuantity(hard);
    // Milli-units as bigint; a ratio needs only a few digits, so Number is exact enough.
    return h === 0n ? undefined : Number((parseQuantity(used) * 10_000n) / h) / 10_000;
  } catch {
    return undefined;
  }
}

/** One row per resource named in any of the lists, by name. */
export function quotaRows(hard: Quantities, used: Quantities, children?: Quantities): QuotaRow[] {
  const names = [...new Set([...Object.keys(hard ?? {}), ...Object.keys(used ?? {}), ...Object.keys(children ?? {})])].sort();
  return names.map((resource) => {
    const h = hard?.[resource];
    const u = used?.[resource];
    const c = children?.[resource];
    const fraction = fractionOf(u, h);
    return {
      resource,
      ...(h !== undefined ? { hard: String(h) } : {}),
      ...(u !== undefined ? { used: String(u) } : {}),
      ...(c !== undefined ? { children: String(c) } : {}),
      ...(fraction !== undefined ? { fraction } : {}),
    };
  });
}

export const conditionViews = (conditions: readonly { type: string; status: string; reason: string; message: string; lastTransitionTime?: string }[] | undefined): ConditionView[] =>
  (conditions ?? []).map((c) => ({ type: c.type, status: c.status as ConditionView["status"], reason: c.reason, message: c.message, ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime } : {}) }));

const ROLE_RANK: Record<Relation, number> = { owner: 0, admin: 1, developer: 2, viewer: 3 };

/** How `who` comes to see `tenant`: as an owner (of it or a tenant above it), or by the strongest member role naming them. */
export function relationTo(tenant: Tenant, who: UserIdentity, tenants: TenantDirectory): { relation: Relation; ownedThrough?: string } | undefined {
  const owned = ownedLineage(tenant.metadata.name, tenants, who);
  if (owned) return { relation: "owner", ...(owned.tenant.metadata.name !== tenant.metadata.name ? { ownedThrough: owned.tenant.metadata.name } : {}) };
  const groups = new Set(who.groups);
  const roles = (tenant.spec.members ?? []).filter((m) => (m.kind === "User" ? m.name === who.username : groups.has(m.name))).map((m) => m.role as Relation);
  if (roles.length === 0) return undefined;
  return { relation: roles.sort((a, b) => ROLE_RANK[a] - ROLE_RANK[b])[0]! };
}

/**
 * Where the tenant's namespaces are: every cluster its status reports, each
 * with the namespaces it has; a tenant without placement is on the hub
 * alone, which its status does not list.
 */
function clustersOf(tenant: Tenant, hub: string): MyTenant["clusters"] {
  const namespaces = (tenant.status?.namespaces ?? []).map((n) => n.name);
  if (!tenant.spec.placement) {
    const ready = tenant.status?.conditions?.find((c) => c.type === "Ready");
    return [{ name: hub, ready: ready?.status === "True", namespaces, ...(ready && ready.status !== "True" ? { message: ready.message } : {}) }];
  }
  return (tenant.status?.clusters ?? []).map((c) => ({
    name: c.name,
    ready: c.ready,
    // Every placed cluster gets the tenant's whole namespace list; until it reports, none is there yet.
    namespaces: (c.namespaces ?? 0) > 0 ? namespaces : [],
    ...(c.message ? { message: c.message } : {}),
  }));
}

export function myTenant(tenant: Tenant, relation: { relation: Relation; ownedThrough?: string }, hub: string): MyTenant {
  const offboarding = tenant.status?.offboarding;
  return {
    name: tenant.metadata.name,
    displayName: tenant.spec.displayName,
    level: tenant.spec.level,
    ...(tenant.spec.parent ? { parent: tenant.spec.parent } : {}),
    ...(tenant.spec.securityLevel !== undefined ? { securityLevel: tenant.spec.securityLevel } : {}),
    ...relation,
    clusters: clustersOf(tenant, hub),
    namespaces: (tenant.status?.namespaces ?? []).map((n) => ({ name: n.name, state: n.state })),
    quota: quotaRows(tenant.status?.quota?.hard ?? tenant.spec.quota?.hard, tenant.status?.quota?.used, tenant.status?.quota?.children),
    conditions: conditionViews(tenant.status?.conditions),
    ...(offboarding ? { offboarding: { ...(offboarding.startedAt ? { startedAt: offboarding.startedAt } : {}), ...(offboarding.deleteAfter ? { deleteAfter: offboarding.deleteAfter } : {}) } } : {}),
  };
}

/** The tenants `who` owns (or owns one above) or is a member of, by name; `hub` is the hub's cluster name. */
export function mine(who: UserIdentity, tenants: readonly Tenant[], directory: TenantDirectory, hub: string): MineAnswer {
  const items: MyTenant[] = [];
  for (const tenant of [...tenants].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const relation = relationTo(tenant, who, directory);
    if (relation) items.push(myTenant(tenant, relation, hub));
  }
  return { user: who, tenants: items };
}
