// The resource types yunshu reads and writes.
import type { ResourceType } from "./kube-client.ts";

export const NAMESPACES: ResourceType = { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false };
export const RESOURCE_QUOTAS: ResourceType = { group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", namespaced: true };
export const LIMIT_RANGES: ResourceType = { group: "", version: "v1", kind: "LimitRange", plural: "limitranges", namespaced: true };
export const SERVICE_ACCOUNTS: ResourceType = { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true };
export const EVENTS: ResourceType = { group: "", version: "v1", kind: "Event", plural: "events", namespaced: true };
export const NETWORK_POLICIES: ResourceType = {
  group: "networking.k8s.io",
  version: "v1",
  kind: "NetworkPolicy",
  plural: "networkpolicies",
  namespaced: true,
};
export const ROLE_BINDINGS: ResourceType = {
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "RoleBinding",
  plural: "rolebindings",
  namespaced: true,
};
export const TENANTS: ResourceType = { group: "yunshu.io", version: "v1alpha1", kind: "Tenant", plural: "tenants", namespaced: false };

/** Objects a tenant owns inside its namespaces, which yunshu renders, applies and prunes. */
export const NAMESPACED_CHILD_TYPES: readonly ResourceType[] = [RESOURCE_QUOTAS, LIMIT_RANGES, NETWORK_POLICIES, ROLE_BINDINGS];
export const TENANT_REQUESTS: ResourceType = { group: "yunshu.io", version: "v1alpha1", kind: "TenantRequest", plural: "tenantrequests", namespaced: false };
export const CAPACITY_POOLS: ResourceType = { group: "yunshu.io", version: "v1alpha1", kind: "CapacityPool", plural: "capacitypools", namespaced: false };
/** `kubectl auth whoami`: who the API server says the caller is. */
export const SELF_SUBJECT_REVIEWS: ResourceType = {
  group: "authentication.k8s.io",
  version: "v1",
  kind: "SelfSubjectReview",
  plural: "selfsubjectreviews",
  namespaced: false,
};
export const CLUSTERS: ResourceType = { group: "yunshu.io", version: "v1alpha1", kind: "Cluster", plural: "clusters", namespaced: false };
export const SECRETS: ResourceType = { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true };
