// A tenant namespace: its labels tie it to the tenant (network policies and
// admission policies trust them), set Pod Security admission from the
// tenant's MLPS (等保) profile and select the profile's admission policies;
// its annotations say whom access may be granted to (grants.ts), which
// Ingress hosts the tenant may claim, and which networks and Share peers the
// department's own network policies may name (crds/network-policies.yaml).
import type { Namespace } from "../api/core-types.ts";
import { grantAnnotations, tenantGrantees } from "./grants.ts";
import { effectiveSuspension } from "./offboarding.ts";
import type { Tenant } from "./types.ts";
import { DISPLAY_NAME_ANNOTATION, namespaceName, SHORT_NAME_LABEL, SUSPENDED_LABEL, SUSPENSION_REASON_ANNOTATION, tenantLabels } from "./labels.ts";
import { INGRESS_DOMAINS_ANNOTATION, SECURITY_LEVEL_LABEL, type TenantProfile } from "./profile.ts";

/** The networks a tenant's own policies may name: its egress CIDRs its profile allows, one per line. */
export const NETWORK_CIDRS_ANNOTATION = "yunshu.io/network-cidrs";

export function renderNamespace(tenant: Tenant, shortName: string, { profile, ingressDomains, egress }: TenantProfile, shareAnnotations: Record<string, string> = {}): Namespace {
  const podSecurity: Record<string, string> = { [SECURITY_LEVEL_LABEL]: String(profile.spec.level) };
  for (const mode of ["enforce", "audit", "warn"]) {
    podSecurity[`pod-security.kubernetes.io/${mode}`] = profile.spec.podSecurity.level;
    podSecurity[`pod-security.kubernetes.io/${mode}-version`] = profile.spec.podSecurity.version;
  }
  const domains = ingressDomains.granted;
  const suspension = effectiveSuspension(tenant);
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: namespaceName(tenant.metadata.name, shortName),
      labels: { ...tenantLabels(tenant.metadata.name), [SHORT_NAME_LABEL]: shortName, ...podSecurity, ...(suspension ? { [SUSPENDED_LABEL]: "true" } : {}) },
      // Whom bindings here may name: the yunshu-tenant-grants policy reads them.
      annotations: {
        [DISPLAY_NAME_ANNOTATION]: tenant.spec.displayName,
        ...grantAnnotations(tenantGrantees(tenant)),
        ...(domains.length > 0 ? { [INGRESS_DOMAINS_ANNOTATION]: domains.join(",") } : {}),
        ...(suspension ? { [SUSPENSION_REASON_ANNOTATION]: suspension.reason } : {}),
        ...(egress.allowed.length > 0 ? { [NETWORK_CIDRS_ANNOTATION]: egress.allowed.join("\n") } : {}),
        ...shareAnnotations,
      },
    },
  };
}
