// Which quota a tenant enforces, given its place in the hierarchy: what it
// declares if that fits its parent's budget and covers its children,
// otherwise what it enforced before (or nothing yet, for a new tenant).
// Its own namespaces get that quota minus what its children hold. Pure: the
// caller passes the tenants it knows.
import {
  allocateChildren,
  belowChildren,
  describeShortfalls,
  heldByChildren,
  ownShare,
  parentCycle,
  type BudgetHolder,
  type Shortfall,
} from "../quota/hierarchy.ts";
import { formatQuantity, formatResourceList, parseResourceList, type ResourceList } from "../api/quantity.ts";
import { effectiveSuspension } from "./offboarding.ts";
import type { Tenant } from "./types.ts";

export interface TenantDirectory {
  get(name: string): Tenant | undefined;
  /** The tenants whose spec.parent is `name`. */
  childrenOf(name: string): Tenant[];
  /** What deleted tenants' retained namespaces hold of `budget` (a tenant's name, or "" for the capacity pool): retained.ts. */
  retainedUnder?(budget: string): BudgetHolder[];
}

/** The holders of a budget that are not tenants: a deleted child's retained namespaces. */
export const retainedHolders = (tenants: TenantDirectory, budget: string): BudgetHolder[] => tenants.retainedUnder?.(budget) ?? [];

export type QuotaAllocatedReason = "TopLevel" | "WithinParent" | "ExceedsParentQuota" | "ParentNotFound" | "ParentCycle" | "BelowChildren" | "Suspended";

export interface QuotaDecision {
  /** The tenant-wide quota enforced; undefined while a new tenant waits for room. */
  hard?: ResourceList;
  /** What its children hold of it. */
  children: ResourceList;
  /** What its own namespaces share. */
  own: ResourceList;
  hasChildren: boolean;
  allocated: { status: "True" | "False"; reason: QuotaAllocatedReason; message: string };
}

export function budgetHolder(t: Tenant): BudgetHolder {
  const enforced = t.status?.quota?.hard;
  return {
    name: t.metadata.name,
    created: t.metadata.creationTimestamp ?? "",
    declared: parseResourceList(t.spec.quota?.hard),
    enforced: enforced ? parseResourceList(enforced) : undefined,
  };
}

/** The budget a tenant's children share: what it enforces, or, before its first reconcile, what it declares. */
export function budgetOf(t: Tenant): ResourceList {
  return budgetHolder(t).enforced ?? budgetHolder(t).declared;
}

const living = (t: Tenant) => !t.metadata.deletionTimestamp;

type ParentVerdict = { fits: true } | { fits: false; reason: QuotaAllocatedReason; message: string };

function parentVerdict(tenant: Tenant, tenants: TenantDirectory): ParentVerdict {
  const name = tenant.metadata.name;
  const parentName = tenant.spec.parent;
  if (!parentName) return { fits: true };
  const cycle = parentCycle(name, (t) => (t === name ? parentName : tenants.get(t)?.spec.parent));
  if (cycle) return { fits: false, reason: "ParentCycle", message: `the parent chain loops (${cycle.join(" → ")}); give one of these tenants another parent` };
  const parent = tenants.get(parentName);
  if (!parent) return { fits: false, reason: "ParentNotFound", message: `parent tenant ${parentName} does not exist; create it or correct spec.parent` };
  const siblings = [...tenants.childrenOf(parentName).filter((t) => living(t) || t.metadata.name === name).map(budgetHolder), ...retainedHolders(tenants, parentName)];
  if (!siblings.some((s) => s.name === name)) siblings.push(budgetHolder(tenant));
  const allocation = allocateChildren(budgetOf(parent), siblings).get(name)!;
  if (allocation.fits) return { fits: true };
  return {
    fits: false,
    reason: "ExceedsParentQuota",
    message: `the quota does not fit parent tenant ${parentName}'s: ${describeShortfalls(allocation.shortfalls, `tenant ${parentName}`)}`,
  };
}

function describeBelow(shortfalls: readonly Shortfall[]): string {
  return shortfalls
    .map((s) => `${s.resource}: ${formatQuantity(s.limit, s.resource)} declared, but the children hold ${formatQuantity(s.requested!, s.resource)}`)
    .join("; ");
}

export function decideQuota(tenant: Tenant, tenants: TenantDirectory): QuotaDecision {
  const holder = budgetHolder(tenant);
  const children = [...tenants.childrenOf(tenant.metadata.name).filter(living).map(budgetHolder), ...retainedHolders(tenants, tenant.metadata.name)];
  let verdict = parentVerdict(tenant, tenants);
  if (verdict.fits) {
    const below = belowChildren(holder.declared, children);
    if (below.length > 0) verdict = { fits: false, reason: "BelowChildren", message: `the quota is below what the tenant's children hold: ${describeBelow(below)}` };
  }
  // A suspended tenant may shrink, not grow: nothing new is to run there.
  const suspension = effectiveSuspension(tenant);
  const grown = holder.enforced ? Object.entries(holder.declared).filter(([r, v]) => v > (holder.enforced![r] ?? 0n)).map(([r]) => r) : [];
  if (verdict.fits && suspension && grown.length > 0) {
    verdict = { fits: false, reason: "Suspended", message: `the tenant is suspended (${suspension.reason}), so its quota does not grow (${grown.join(", ")}) until the suspension is lifted` };
  }
  const hard = verdict.fits ? holder.declared : holder.enforced;
  const held = hard ? heldByChildren(hard, allocateChildren(hard, children).values()) : {};
  const own = hard ? ownShare(hard, held) : {};
  if (verdict.fits) {
    const allocated = tenant.spec.parent
      ? { status: "True" as const, reason: "WithinParent" as const, message: `the quota fits parent tenant ${tenant.spec.parent}'s` }
      : { status: "True" as const, reason: "TopLevel" as const, message: "a top-level tenant: its quota draws on the capacity pool" };
    return { hard, children: held, own, hasChildren: children.length > 0, allocated };
  }
  const consequence = hard
    ? `; it keeps enforcing its current quota (${Object.entries(formatResourceList(hard)).map(([r, v]) => `${r} ${v}`).join(", ") || "none"}) until this is resolved`
    : "; its namespaces wait until it fits";
  return { hard, children: held, own, hasChildren: children.length > 0, allocated: { status: "False", reason: verdict.reason, message: verdict.message + consequence } };
}
