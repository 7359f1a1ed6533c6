// What a Tenant becomes, in one place: for each namespace it declares, the
// Namespace and the objects inside it. Pure: the same Tenant, profile and
// settings always render the same objects, and nothing here talks to a cluster. The
// ResourceQuota is rendered apart (renderResourceQuota) because its amounts
// depend on live usage (operator/quota/allocate.ts).
import type { Share } from "../api/generated.ts";
import type { KubeObject } from "../runtime/kube-client.ts";
import { renderSharePolicies, shareAnnotations } from "../share/render.ts";
import type { Tenant } from "./types.ts";
import { namespaceName } from "./labels.ts";
import { renderLimitRange } from "./limit-range.ts";
import { renderNamespace } from "./namespace.ts";
import { renderNetworkPolicies } from "./network-policies.ts";
import type { PlatformSettings } from "./platform.ts";
import { renderPriorityQuota } from "./priority-quota.ts";
import type { TenantProfile } from "./profile.ts";
import { renderRoleBindings } from "./role-binding.ts";

export interface DesiredNamespace {
  shortName: string;
  name: string;
  namespace: KubeObject;
  /** Objects inside the namespace, in the order they are applied: isolation before access. */
  children: KubeObject[];
}

/** The Shares a tenant is a side of, and the other tenants they name. */
export interface Sharing {
  shares: readonly (Share & KubeObject)[];
  tenants: (name: string) => Tenant | undefined;
}

export const NO_SHARING: Sharing = { shares: [], tenants: () => undefined };

export function renderTenant(tenant: Tenant, platform: PlatformSettings, guardrails: TenantProfile, sharing: Sharing = NO_SHARING): DesiredNamespace[] {
  const { profile, egress } = guardrails;
  return (tenant.spec.namespaces ?? []).map(({ name: shortName }) => {
    const name = namespaceName(tenant.metadata.name, shortName);
    const limitRange = renderLimitRange(tenant, name);
    const children = [
      ...(limitRange ? [limitRange] : []),
      renderPriorityQuota(tenant.metadata.name, name),
      ...renderNetworkPolicies(tenant, name, platform, profile, egress.allowed),
      ...renderSharePolicies(tenant, shortName, sharing.shares, sharing.tenants),
      // People get access last, once the namespace is fenced in.
      ...renderRoleBindings(tenant, name),
    ];
    const namespace = renderNamespace(tenant, shortName, guardrails, shareAnnotations(tenant, shortName, sharing.shares, sharing.tenants));
    return { shortName, name, namespace, children };
  });
}
