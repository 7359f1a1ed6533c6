// The hub's registrar: the identity member stacks register with, as plain
// Kubernetes objects, so that the bootstrap creates exactly these and the
// tests can apply the very same rules to a real API server and act with the
// registrar's token. No Pulumi here.
//
// It writes member kubeconfig Secrets in yunshu-clusters and Cluster
// objects, nothing else. Never Secrets in yunshu-system: writing Secrets
// where a ServiceAccount lives is enough to have kube-controller-manager
// mint a token for it, and yunshu-system holds the operator's, the identity
// every admission policy exempts. Its own ServiceAccount lives in
// yunshu-system, where only the cluster's admins write.
import { CLUSTER_GROUP, CLUSTER_PLURAL } from "../../operator/api/generated.ts";
import { CLUSTER_CREDENTIALS_NAMESPACE, OPERATOR_NAMESPACE } from "../../operator/api/names.ts";

export const REGISTRAR = "yunshu-registrar";
/** Pulumi's Kubernetes provider watches what it deletes until it is gone, hence list and watch. */
const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];
const RBAC = "rbac.authorization.k8s.io/v1";

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

interface Meta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
}

interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

interface Subject {
  kind: string;
  name: string;
  namespace: string;
}

export interface RegistrarObjects {
  serviceAccount: { apiVersion: "v1"; kind: "ServiceAccount"; metadata: Meta };
  role: { apiVersion: typeof RBAC; kind: "Role"; metadata: Meta; rules: PolicyRule[] };
  roleBinding: { apiVersion: typeof RBAC; kind: "RoleBinding"; metadata: Meta; roleRef: RoleRef; subjects: Subject[] };
  clusterRole: { apiVersion: typeof RBAC; kind: "ClusterRole"; metadata: Meta; rules: PolicyRule[] };
  clusterRoleBinding: { apiVersion: typeof RBAC; kind: "ClusterRoleBinding"; metadata: Meta; roleRef: RoleRef; subjects: Subject[] };
}

/** Everything the registrar is, `labels` on each object. */
export function registrarObjects(labels: Record<string, string>): RegistrarObjects {
  const meta = (namespace?: string): Meta => ({ name: REGISTRAR, labels, ...(namespace ? { namespace } : {}) });
  const subjects = [{ kind: "ServiceAccount", name: REGISTRAR, namespace: OPERATOR_NAMESPACE }];
  const roleRef = (kind: string) => ({ apiGroup: "rbac.authorization.k8s.io", kind, name: REGISTRAR });
  return {
    serviceAccount: { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(OPERATOR_NAMESPACE) },
    role: { apiVersion: RBAC, kind: "Role", metadata: meta(CLUSTER_CREDENTIALS_NAMESPACE), rules: [{ apiGroups: [""], resources: ["secrets"], verbs: VERBS }] },
    roleBinding: { apiVersion: RBAC, kind: "RoleBinding", metadata: meta(CLUSTER_CREDENTIALS_NAMESPACE), roleRef: roleRef("Role"), subjects },
    clusterRole: { apiVersion: RBAC, kind: "ClusterRole", metadata: meta(), rules: [{ apiGroups: [CLUSTER_GROUP], resources: [CLUSTER_PLURAL], verbs: VERBS }] },
    clusterRoleBinding: { apiVersion: RBAC, kind: "ClusterRoleBinding", metadata: meta(), roleRef: roleRef("ClusterRole"), subjects },
  };
}
