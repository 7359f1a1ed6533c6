// The province's budget is a tree: a county bureau's quota is carved from
// its city's, the city's from the province's. These pure functions decide
// which quotas a parent's budget can honour, so that the children of a
// tenant never hold more than it has.
//
// Level-triggered controllers cannot know in which order changes arrived,
// so the decision is a deterministic function of what is declared and what
// is already enforced: a child whose declared quota is already enforced
// ("settled") keeps it; the others ("pending": new tenants, changed quotas)
// are honoured oldest first while the budget lasts. A pending change that
// does not fit is not applied: the child keeps what it had, or waits if it
// had nothing. Every worker computing this from the same cache reaches the
// same answer, so two siblings racing cannot both be admitted.
import { formatQuantity, type ResourceList } from "../api/quantity.ts";

export interface BudgetHolder {
  name: string;
  /** Creation time, RFC 3339: older pending changes are honoured first. */
  created: string;
  /** The quota the spec declares. */
  declared: ResourceList;
  /** The quota yunshu enforces now (status.quota.hard), if any. */
  enforced?: ResourceList;
}

/** One resource of a budget that a holder's quota exceeds or leaves unbounded. */
export interface Shortfall {
  resource: string;
  /** What the holder asks for; undefined when it names no limit on the resource at all. */
  requested?: bigint;
  /** What the budget's other holders hold already. */
  allocated: bigint;
  limit: bigint;
}

export type Allocation =
  | { fits: true; hard: ResourceList }
  /** `hard` is what the holder keeps (its enforced quota), undefined when it has none yet. */
  | { fits: false; hard?: ResourceList; shortfalls: Shortfall[] };

export function sameResources(a: ResourceList, b: ResourceList): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

const isSettled = (h: BudgetHolder) => h.enforced !== undefined && sameResources(h.declared, h.enforced);

/**
 * The shortfalls of `quota` against `budget` when `allocated` is held by
 * others: every resource the budget names must be named by the quota and
 * fit in what is left.
 */
export function shortfalls(budget: ResourceList, allocated: ResourceList, quota: ResourceList): Shortfall[] {
  const out: Shortfall[] = [];
  for (const [resource, limit] of Object.entries(budget)) {
    const requested = quota[resource];
    const held = allocated[resource] ?? 0n;
    if (requested === undefined || held + requested > limit) out.push({ resource, requested, allocated: held, limit });
  }
  return out;
}

function charge(total: ResourceList, budget: ResourceList, quota: ResourceList | undefined): void {
  for (const r of Object.keys(budget)) total[r] = (total[r] ?? 0n) + (quota?.[r] ?? 0n);
}

/** Decides, for each child of a parent whose budget is `budget`, which quota it gets. */
export function allocateChildren(budget: ResourceList, children: readonly BudgetHolder[]): Map<string, Allocation> {
  const out = new Map<string, Allocation>();
  const held: ResourceList = {};
  for (const child of children.filter(isSettled)) {
    charge(held, budget, child.enforced);
    out.set(child.name, { fits: true, hard: child.declared });
  }
  const pending = children
    .filter((c) => !isSettled(c))
    .sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of pending) {
    const missing = shortfalls(budget, held, child.declared);
    if (missing.length === 0) {
      charge(held, budget, child.declared);
      out.set(child.name, { fits: true, hard: child.declared });
    } else {
      charge(held, budget, child.enforced);
      out.set(child.name, { fits: false, hard: child.enforced, shortfalls: missing });
    }
  }
  return out;
}

/** Sums what the children hold, for the resources `budget` names. */
export function heldByChildren(budget: ResourceList, allocations: Iterable<Allocation>): ResourceList {
  const held: ResourceList = Object.fromEntries(Object.keys(budget).map((r) => [r, 0n]));
  for (const a of allocations) charge(held, budget, a.hard);
  return held;
}

/**
 * What a tenant's own namespaces get: its quota minus what its children
 * hold, never below zero. Resources the tenant does not name stay unnamed.
 */
export function ownShare(hard: ResourceList, children: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [r, v] of Object.entries(hard)) {
    const left = v - (children[r] ?? 0n);
    out[r] = left > 0n ? left : 0n;
  }
  return out;
}

/**
 * A tenant may lower its quota only to what its settled children already
 * hold; below that, the change is not applied. Returns the resources where
 * `declared` is below what the children hold.
 */
export function belowChildren(declared: ResourceList, children: readonly BudgetHolder[]): Shortfall[] {
  const held: ResourceList = {};
  for (const c of children.filter(isSettled)) charge(held, declared, c.enforced);
  return Object.entries(declared)
    .filter(([r, v]) => (held[r] ?? 0n) > v)
    .map(([resource, limit]) => ({ resource, requested: held[resource]!, allocated: 0n, limit }));
}

/** The parent chain from `name` back to `name`, when `name` is its own ancestor. */
export function parentCycle(name: string, parentOf: (tenant: string) => string | undefined): string[] | undefined {
  const seen: string[] = [name];
  for (let p = parentOf(name); p !== undefined; p = parentOf(p)) {
    if (p === name) return [...seen, p];
    // A loop further up that does not come back here is its members' problem.
    if (seen.includes(p)) return undefined;
    seen.push(p);
  }
  return undefined;
}

/** "requests.cpu: 30 asked, 20 held by others, limit 40 (20 left)", for people. */
export function describeShortfalls(shortfalls: readonly Shortfall[], limitedBy: string): string {
  return shortfalls
    .map((s) => {
      const limit = formatQuantity(s.limit, s.resource);
      if (s.requested === undefined) return `${s.resource}: no limit named, but ${limitedBy} limits it to ${limit}`;
      const left = s.limit - s.allocated;
      return (
        `${s.resource}: ${formatQuantity(s.requested, s.resource)} asked, ${formatQuantity(s.allocated, s.resource)} held by others, ` +
        `limit ${limit} (${formatQuantity(left > 0n ? left : 0n, s.resource)} left)`
      );
    })
    .join("; ");
}
