// A tenant's MLPS (等保) profile: the SecurityProfile its spec.securityLevel
// selects, and the decisions the operator takes from it. Pure; the
// admission policies (crds/profile-policies.yaml) enforce the rest of the
// profile on what departments create.
import type { SecurityProfile } from "../api/generated.ts";
import type { ResourceList } from "../api/quantity.ts";
import { parseResourceList } from "../api/quantity.ts";
import { decideIngressDomains, type IngressDomainDecision } from "./ingress-domains.ts";
import type { Tenant } from "./types.ts";

export type { SecurityProfile };

/** The level a Tenant declares; the CRD defaults it to 3, an object read before defaulting too. */
export const tenantLevel = (tenant: Tenant): 2 | 3 | 4 => tenant.spec.securityLevel ?? 3;

/** The profile a level selects, by name: the admission policies' bindings name it the same way. */
export const profileName = (level: number): string => `mlps-${level}`;

/** Set on every tenant namespace: the yunshu-profile-* policy bindings select namespaces by it. */
export const SECURITY_LEVEL_LABEL = "yunshu.io/security-level";
/** The Tenant's granted Ingress domains, comma-separated, for the yunshu-profile-ingresses policy. */
export const INGRESS_DOMAINS_ANNOTATION = "yunshu.io/ingress-domains";

/**
 * The tenant-wide quota its namespaces share: what it enforces, plus the
 * profile's limits on every resource it does not name. A tenant that names a
 * resource keeps its own figure, higher or lower.
 */
export function withProfileQuota(own: ResourceList, enforced: ResourceList, profile: SecurityProfile): ResourceList {
  const merged: ResourceList = {};
  for (const [resource, limit] of Object.entries(parseResourceList(profile.spec.quota.hard))) {
    if (!(resource in enforced)) merged[resource] = limit;
  }
  return { ...merged, ...own };
}

/** A CIDR's family and prefix length; the CRD has already checked it is a CIDR. */
function prefixOf(cidr: string): { family: "ipv4" | "ipv6"; length: number } {
  const [address = "", length = ""] = cidr.split("/");
  return { family: address.includes(":") ? "ipv6" : "ipv4", length: Number(length) };
}

/**
 * What rendering needs beside the Tenant: its profile, which of its egress
 * CIDRs the profile allows, and which of its Ingress domains are its alone
 * among `tenants` (ingress-domains.ts).
 */
export interface TenantProfile {
  profile: SecurityProfile;
  egress: EgressDecision;
  ingressDomains: IngressDomainDecision;
}

export function tenantProfile(tenant: Tenant, profile: SecurityProfile, tenants: Iterable<Tenant> = []): TenantProfile {
  return { profile, egress: decideEgress(tenant.spec.network?.egressCIDRs ?? [], profile), ingressDomains: decideIngressDomains(tenant, tenants) };
}

export interface EgressDecision {
  allowed: string[];
  /** CIDRs wider than the profile allows, each with why: left out of the network policy. */
  refused: { cidr: string; message: string }[];
}

/**
 * Which of the tenant's egress CIDRs its profile allows. Admission refuses a
 * wider one (yunshu-profile-egress); a profile tightened afterwards leaves
 * the tenant's existing ones to this: they are dropped, not kept open.
 */
export function decideEgress(cidrs: readonly string[], profile: SecurityProfile): EgressDecision {
  const decision: EgressDecision = { allowed: [], refused: [] };
  for (const cidr of cidrs) {
    const { family, length } = prefixOf(cidr);
    const min = profile.spec.network.minEgressPrefix[family];
    if (length >= min) decision.allowed.push(cidr);
    else {
      decision.refused.push({
        cidr,
        message: `egress to ${cidr} is wider than profile ${profile.metadata.name} allows (network.minEgressPrefix.${family}: /${min}) and is not open; name narrower networks in spec.network.egressCIDRs`,
      });
    }
  }
  return decision;
}
