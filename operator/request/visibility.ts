// Which requests a department sees: those it filed, and those about a
// tenant it owns (the tenant changed, or the parent a new one is carved
// from, or a tenant above either). Nothing of other departments': a
// request's reason and sizes are its department's business.
import type { TenantRequest } from "../api/generated.ts";
import type { TenantDirectory } from "../tenant/quota-decision.ts";
import { ownedLineage, type Requester } from "./authority.ts";

export function visibleTo(request: TenantRequest, who: Requester, tenants: TenantDirectory): boolean {
  if (request.spec.requester.username === who.username) return true;
  const concerned = [request.spec.tenant, ...(request.spec.action === "Create" && request.spec.parent ? [request.spec.parent] : [])];
  return concerned.some((name) => ownedLineage(name, tenants, who) !== undefined);
}
