// A domain is one tenant's: the yunshu-profile-ingresses policy admits any
// host under the domains written on a tenant's namespaces, so two tenants
// granted overlapping domains (the same one, or one under the other, as
// hunan.gov.cn and czt.hunan.gov.cn) could each claim the other's hosts. The
// oldest grant keeps a domain; a later tenant's overlapping one is withheld
// from its namespaces, and reported, until the platform resolves it. Pure.
import type { Tenant } from "./types.ts";

export interface IngressDomainDecision {
  granted: string[];
  withheld: { domain: string; message: string }[];
}

const overlaps = (a: string, b: string) => a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);

/** Whether `a` was granted first: the older Tenant, then the name, so that every worker decides alike. */
function before(a: Tenant, b: Tenant): boolean {
  const ta = a.metadata.creationTimestamp ?? "";
  const tb = b.metadata.creationTimestamp ?? "";
  return ta !== tb ? ta < tb : a.metadata.name < b.metadata.name;
}

export function decideIngressDomains(tenant: Tenant, tenants: Iterable<Tenant>): IngressDomainDecision {
  const decision: IngressDomainDecision = { granted: [], withheld: [] };
  // Most tenants have no domain: nothing to compare, whatever the others hold.
  if (!tenant.spec.network?.ingressDomains?.length) return decision;
  const earlier = [...tenants].filter((t) => t.metadata.name !== tenant.metadata.name && !t.metadata.deletionTimestamp && before(t, tenant));
  for (const domain of tenant.spec.network?.ingressDomains ?? []) {
    const holder = earlier.find((t) => (t.spec.network?.ingressDomains ?? []).some((d) => overlaps(d, domain)));
    if (!holder) decision.granted.push(domain);
    else {
      const theirs = holder.spec.network!.ingressDomains!.find((d) => overlaps(d, domain))!;
      decision.withheld.push({
        domain,
        message: `Ingress domain ${domain} overlaps ${theirs}, granted earlier to tenant ${holder.metadata.name}, so it is withheld and no Ingress may use it; grant each tenant domains of its own (spec.network.ingressDomains)`,
      });
    }
  }
  return decision;
}
