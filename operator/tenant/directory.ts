// Tenants by name and by parent, from the hub's Tenant cache, and what
// deleted tenants' retained namespaces hold (retained.ts): what the quota
// hierarchy (quota-decision.ts), request verdicts and cluster loads read.
import type { KubeObject } from "../api/meta.ts";
import type { Informer } from "../runtime/informer.ts";
import type { TenantDirectory } from "./quota-decision.ts";
import { NO_RETAINED, type RetainedLedger } from "./retained.ts";
import type { Tenant } from "./types.ts";

/** Index name, on the Tenant informer, of tenants by spec.parent. */
export const BY_PARENT = "parent";

/** Indexes the Tenant cache by parent; call once, before the informer runs. */
export function indexByParent(tenants: Informer<Tenant & KubeObject>): void {
  tenants.addIndex(BY_PARENT, (t) => (t.spec.parent ? [t.spec.parent] : []));
}

export function tenantDirectory(tenants: Informer<Tenant & KubeObject>, retained: RetainedLedger = NO_RETAINED): TenantDirectory {
  return { get: (name) => tenants.get(name), childrenOf: (name) => tenants.byIndex(BY_PARENT, name), retainedUnder: (budget) => retained.under(budget) };
}
