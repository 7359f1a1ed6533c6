// A tenant namespace: its labels tie it to the tenant (network policies and
// admission policies trust them) and set Pod Security admission from the
// tenant's MLPS (等保) level; its annotations say whom access may be granted
// to (grants.ts).
import type { Namespace } from "../api/core-types.ts";
import { grantAnnotations, tenantGrantees } from "./grants.ts";
import type { Tenant } from "./types.ts";
import { DISPLAY_NAME_ANNOTATION, namespaceName, SHORT_NAME_LABEL, tenantLabels } from "./labels.ts";
import type { PlatformSettings } from "./platform.ts";

/** MLPS level 2 allows what baseline allows; levels 3 and 4 run restricted pods only. */
export function podSecurityLevel(securityLevel: number): "baseline" | "restricted" {
  return securityLevel <= 2 ? "baseline" : "restricted";
}

export function renderNamespace(tenant: Tenant, shortName: string, platform: PlatformSettings): Namespace {
  const level = podSecurityLevel(tenant.spec.securityLevel ?? 3);
  const podSecurity: Record<string, string> = {};
  for (const mode of ["enforce", "audit", "warn"]) {
    podSecurity[`pod-security.kubernetes.io/${mode}`] = level;
    podSecurity[`pod-security.kubernetes.io/${mode}-version`] = platform.podSecurityVersion;
  }
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: namespaceName(tenant.metadata.name, shortName),
      labels: { ...tenantLabels(tenant.metadata.name), [SHORT_NAME_LABEL]: shortName, ...podSecurity },
      // Whom bindings here may name: the yunshu-tenant-grants policy reads them.
      annotations: { [DISPLAY_NAME_ANNOTATION]: tenant.spec.displayName, ...grantAnnotations(tenantGrantees(tenant)) },
    },
  };
}
