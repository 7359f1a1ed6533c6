// What an audit reads of one cluster, straight from its API server (not
// from the operator's caches, which hold only what yunshu manages): every
// namespace, pod and NetworkPolicy, every Role, ClusterRole and binding,
// and which resources are namespaced. An audit must see what is there, not
// what yunshu believes is there.
import type { Namespace, NetworkPolicy, Pod } from "../api/core-types.ts";
import { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES, NAMESPACES, NETWORK_POLICIES, PODS, ROLE_BINDINGS, ROLES } from "../api/resources.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "./rbac-objects.ts";

export interface ClusterSnapshot {
  cluster: string;
  namespaces: Namespace[];
  pods: Pod[];
  policies: NetworkPolicy[];
  roles: Role[];
  clusterRoles: ClusterRole[];
  roleBindings: RoleBinding[];
  clusterRoleBindings: ClusterRoleBinding[];
  namespacedResources: ReadonlySet<string>;
}

/**
 * `discover` defaults to asking discovery, a request per API
 * group: a caller that audits often remembers the answer (auditor.ts).
 */
export async function readClusterSnapshot(
  cluster: string,
  client: KubeClient,
  discover: () => Promise<ReadonlySet<string>> = () => client.namespacedResources(),
): Promise<ClusterSnapshot> {
  const [namespaces, pods, policies, roles, clusterRoles, roleBindings, clusterRoleBindings, namespacedResources] = await Promise.all([
    client.list<Namespace>(NAMESPACES),
    client.list<Pod>(PODS),
    client.list<NetworkPolicy>(NETWORK_POLICIES),
    client.list<Role>(ROLES),
    client.list<ClusterRole>(CLUSTER_ROLES),
    client.list<RoleBinding>(ROLE_BINDINGS),
    client.list<ClusterRoleBinding>(CLUSTER_ROLE_BINDINGS),
    discover(),
  ]);
  return {
    cluster,
    namespaces: namespaces.items,
    // A pod that has finished holds no connection.
    pods: pods.items.filter((p) => !["Succeeded", "Failed"].includes((p as Pod & { status?: { phase?: string } }).status?.phase ?? "")),
    policies: policies.items,
    roles: roles.items,
    clusterRoles: clusterRoles.items,
    roleBindings: roleBindings.items,
    clusterRoleBindings: clusterRoleBindings.items,
    namespacedResources,
  };
}
