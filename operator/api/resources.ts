// The resource types yunshu reads and writes. yunshu's own come from the
// generated API (crds/ is their one source); the built-in ones are spelled here.
import {
  CAPACITY_POOL_RESOURCE,
  CLUSTER_RESOURCE,
  OFFBOARDING_RECORD_RESOURCE,
  PRICE_SHEET_RESOURCE,
  SHARE_ACTION_RESOURCE,
  SHARE_RESOURCE,
  TENANT_REQUEST_RESOURCE,
  TENANT_RESOURCE,
} from "./generated.ts";
import type { ResourceType } from "./meta.ts";

export const TENANTS: ResourceType = TENANT_RESOURCE;
export const TENANT_REQUESTS: ResourceType = TENANT_REQUEST_RESOURCE;
export const CAPACITY_POOLS: ResourceType = CAPACITY_POOL_RESOURCE;
export const CLUSTERS: ResourceType = CLUSTER_RESOURCE;
export const OFFBOARDING_RECORDS: ResourceType = OFFBOARDING_RECORD_RESOURCE;
export const SHARES: ResourceType = SHARE_RESOURCE;
export const SHARE_ACTIONS: ResourceType = SHARE_ACTION_RESOURCE;
export const PRICE_SHEETS: ResourceType = PRICE_SHEET_RESOURCE;

export const NAMESPACES: ResourceType = { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false };
export const RESOURCE_QUOTAS: ResourceType = { group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", namespaced: true };
export const LIMIT_RANGES: ResourceType = { group: "", version: "v1", kind: "LimitRange", plural: "limitranges", namespaced: true };
export const SERVICE_ACCOUNTS: ResourceType = { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true };
export const SECRETS: ResourceType = { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true };
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
export const PERSISTENT_VOLUMES: ResourceType = { group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false };
export const CLUSTER_ROLE_BINDINGS: ResourceType = { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false };
export const CLUSTER_ROLES: ResourceType = { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false };
export const PODS: ResourceType = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };
export const ROLES: ResourceType = { group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true };
/** `kubectl auth whoami`: who the API server says the caller is. */
export const SELF_SUBJECT_REVIEWS: ResourceType = {
  group: "authentication.k8s.io",
  version: "v1",
  kind: "SelfSubjectReview",
  plural: "selfsubjectreviews",
  namespaced: false,
};

/** Who a bearer token belongs to: the metrics endpoint asks before it answers. */
export const TOKEN_REVIEWS: ResourceType = {
  group: "authentication.k8s.io",
  version: "v1",
  kind: "TokenReview",
  plural: "tokenreviews",
  namespaced: false,
};
/** Whether that identity may `get` the non-resource URL /metrics. */
export const SUBJECT_ACCESS_REVIEWS: ResourceType = {
  group: "authorization.k8s.io",
  version: "v1",
  kind: "SubjectAccessReview",
  plural: "subjectaccessreviews",
  namespaced: false,
};

/** Whether the caller may do something: the console asks with the user's own token. */
export const SELF_SUBJECT_ACCESS_REVIEWS: ResourceType = {
  group: "authorization.k8s.io",
  version: "v1",
  kind: "SelfSubjectAccessReview",
  plural: "selfsubjectaccessreviews",
  namespaced: false,
};

/** Objects a tenant owns inside its namespaces, which yunshu renders, applies and prunes. */
export const NAMESPACED_CHILD_TYPES: readonly ResourceType[] = [RESOURCE_QUOTAS, LIMIT_RANGES, NETWORK_POLICIES, ROLE_BINDINGS];
