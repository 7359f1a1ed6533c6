// The RBAC objects an audit lists, as the API server sends them: items of a
// list carry no apiVersion or kind, a binding may have no subjects, and an
// aggregated ClusterRole's rules are null until the aggregation controller
// fills them.
import type { RoleBinding as BoundRoleBinding, LabelSelector, Subject } from "../api/core-types.ts";
import type { KubeObject } from "../api/meta.ts";

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Role extends KubeObject {
  rules?: PolicyRule[] | null;
}

export interface ClusterRole extends KubeObject {
  rules?: PolicyRule[] | null;
  /** The controller copies the selected roles' rules into `rules`, which are what the authorizer reads. */
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] };
}

export type RoleRef = BoundRoleBinding["roleRef"];

export type RoleBinding = KubeObject & Omit<BoundRoleBinding, "apiVersion" | "kind" | "subjects"> & { subjects?: Subject[] };

export interface ClusterRoleBinding extends KubeObject {
  /** The API server refuses a ClusterRoleBinding to a Role. */
  roleRef: RoleRef & { kind: "ClusterRole" };
  subjects?: Subject[];
}
