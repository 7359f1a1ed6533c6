// The hub's registrars: one identity per member cluster, which that member's
// stack registers with, as plain Kubernetes objects, so that the bootstrap
// creates exactly these and the tests can apply the very same rules to a
// real API server and act with a registrar's token. No Pulumi here.
//
// A member's registrar writes its own member's kubeconfig Secret in
// yunshu-clusters and its own Cluster object, nothing else: RBAC names them
// (resourceNames) for everything but create, which RBAC cannot limit by
// name, and the admission policy yunshu-registrar-scope
// (crds/credential-policies.yaml) holds create to the same names. So a
// leaked city stack reads and changes its own city's registration only,
// never another member's kubeconfig (that member's operator identity).
// Never Secrets in yunshu-system: writing Secrets where a ServiceAccount
// lives is enough to have kube-controller-manager mint a token for it, and
// yunshu-system holds the operator's, the identity every admission policy
// exempts. The registrars' own ServiceAccounts live in yunshu-system, where
// only the cluster's admins write.
import { CLUSTER_GROUP, CLUSTER_PLURAL } from "../../operator/api/generated.ts";
import { CLUSTER_CREDENTIALS_NAMESPACE, OPERATOR_NAMESPACE } from "../../operator/api/names.ts";

/** Each member's registrar is `yunshu-registrar-<member>`, which the admission policy reads the member from. */
export const REGISTRAR_PREFIX = "yunshu-registrar-";
export const registrarName = (member: string) => `${REGISTRAR_PREFIX}${member}`;
/** The Secret in yunshu-clusters that holds a member's kubeconfig. */
export const memberSecretName = (member: string) => `cluster-${member}`;
/** What a registrar does with its own objects; list and watch need a name field selector with resourceNames. */
const NAMED_VERBS = ["get", "list", "watch", "update", "patch", "delete"];
const RBAC = "rbac.authorization.k8s.io/v1";

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
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

/** Everything `member`'s registrar is, `labels` on each object. */
export function registrarObjects(member: string, labels: Record<string, string>): RegistrarObjects {
  const name = registrarName(member);
  const meta = (namespace?: string): Meta => ({ name, labels, ...(namespace ? { namespace } : {}) });
  const subjects = [{ kind: "ServiceAccount", name, namespace: OPERATOR_NAMESPACE }];
  const roleRef = (kind: string) => ({ apiGroup: "rbac.authorization.k8s.io", kind, name });
  const own = (apiGroup: string, resource: string, resourceName: string): PolicyRule[] => [
    { apiGroups: [apiGroup], resources: [resource], verbs: ["create"] },
    { apiGroups: [apiGroup], resources: [resource], verbs: NAMED_VERBS, resourceNames: [resourceName] },
  ];
  return {
    serviceAccount: { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(OPERATOR_NAMESPACE) },
    role: { apiVersion: RBAC, kind: "Role", metadata: meta(CLUSTER_CREDENTIALS_NAMESPACE), rules: own("", "secrets", memberSecretName(member)) },
    roleBinding: { apiVersion: RBAC, kind: "RoleBinding", metadata: meta(CLUSTER_CREDENTIALS_NAMESPACE), roleRef: roleRef("Role"), subjects },
    // Cluster objects hold no credentials (a Secret's name): listing them all
    // is harmless, and Pulumi's provider awaits a deletion with a watch of all.
    clusterRole: {
      apiVersion: RBAC,
      kind: "ClusterRole",
      metadata: meta(),
      rules: [...own(CLUSTER_GROUP, CLUSTER_PLURAL, member), { apiGroups: [CLUSTER_GROUP], resources: [CLUSTER_PLURAL], verbs: ["list", "watch"] }],
    },
    clusterRoleBinding: { apiVersion: RBAC, kind: "ClusterRoleBinding", metadata: meta(), roleRef: roleRef("ClusterRole"), subjects },
  };
}
