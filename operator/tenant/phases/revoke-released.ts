// When yunshu releases a namespace, nobody of the department keeps a way
// in. RBAC grants nothing without a binding, so every RoleBinding goes
// (yunshu's and the department's) and every Role with them. A token the
// department requested for one of its ServiceAccounts (`kubectl create
// token`) stays valid until it expires, whatever the bindings; the API
// server accepts a ServiceAccount token only while the ServiceAccount with
// that UID exists, so each ServiceAccount is deleted and made again under
// the same name: the workloads that name it keep starting, and every token
// issued before is worthless. (Legacy token Secrets cannot exist in a tenant
// namespace: yunshu-no-legacy-tokens.) Its network is fenced in too: every
// NetworkPolicy but the default deny goes (yunshu's tenant-wide allow and
// Share policies, and the department's own), so nothing of its tenant or of
// a Share partner reaches its workloads any more, nor they anything.
import type { KubeObject } from "../../api/meta.ts";
import { NETWORK_POLICIES, ROLE_BINDINGS, ROLES, SERVICE_ACCOUNTS } from "../../api/resources.ts";
import { isConflict } from "../../runtime/api-errors.ts";
import { BY_NAMESPACE } from "../caches.ts";
import { DEFAULT_DENY_POLICY } from "../network-policies.ts";
import type { ClusterAccess } from "../run.ts";

/** What a release took away, by name: kept on the namespace and in its Event. */
export interface RevokedAccess {
  roleBindings: string[];
  roles: string[];
  serviceAccounts: string[];
  networkPolicies: string[];
}

type ServiceAccount = KubeObject & { imagePullSecrets?: { name: string }[]; automountServiceAccountToken?: boolean };

export async function revokeAccess(cluster: ClusterAccess, namespace: string): Promise<RevokedAccess> {
  const { client } = cluster;
  const bindings = cluster.caches.grants.byIndex(BY_NAMESPACE, namespace);
  for (const b of bindings) await client.delete(ROLE_BINDINGS, b.metadata.name, namespace, { uid: b.metadata.uid });
  const roles = (await client.list(ROLES, { namespace })).items;
  for (const r of roles) await client.delete(ROLES, r.metadata.name, namespace, { uid: r.metadata.uid });
  const serviceAccounts = await renewNamespaceServiceAccounts(cluster, namespace);
  const networkPolicies = await fenceIn(cluster, namespace);
  const names = (objects: KubeObject[]) => objects.map((o) => o.metadata.name).sort();
  return { roleBindings: names(bindings), roles: names(roles), serviceAccounts, networkPolicies: names(networkPolicies) };
}

/** Every NetworkPolicy of a released namespace but the default deny deleted; returns them. */
export async function fenceIn(cluster: ClusterAccess, namespace: string): Promise<KubeObject[]> {
  const openings = (await cluster.client.list(NETWORK_POLICIES, { namespace })).items.filter((p) => p.metadata.name !== DEFAULT_DENY_POLICY);
  for (const p of openings) await cluster.client.delete(NETWORK_POLICIES, p.metadata.name, namespace, { uid: p.metadata.uid });
  return openings;
}

/** Every ServiceAccount in `namespace` made again; returns their names. */
export async function renewNamespaceServiceAccounts(cluster: ClusterAccess, namespace: string): Promise<string[]> {
  const accounts = (await cluster.client.list<ServiceAccount>(SERVICE_ACCOUNTS, { namespace })).items;
  for (const sa of accounts) await renewServiceAccount(cluster, sa);
  return accounts.map((sa) => sa.metadata.name).sort();
}

/** The same ServiceAccount under a new UID, so that no token issued for the old one authenticates. */
async function renewServiceAccount(cluster: ClusterAccess, sa: ServiceAccount): Promise<void> {
  const { name, namespace, uid, labels, annotations } = sa.metadata;
  await cluster.client.delete(SERVICE_ACCOUNTS, name, namespace, { uid });
  const renewed: ServiceAccount = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace, labels, annotations },
    ...(sa.imagePullSecrets ? { imagePullSecrets: sa.imagePullSecrets } : {}),
    ...(sa.automountServiceAccountToken !== undefined ? { automountServiceAccountToken: sa.automountServiceAccountToken } : {}),
  };
  try {
    await cluster.client.create(SERVICE_ACCOUNTS, renewed);
  } catch (err) {
    // kube-controller-manager makes `default` again on its own, sometimes first.
    if (!isConflict(err)) throw err;
  }
}

export function describeRevoked(r: RevokedAccess): string {
  const list = (what: string, names: string[]) => (names.length > 0 ? `${what} ${names.join(", ")}` : undefined);
  const parts = [
    list("deleted RoleBinding(s)", r.roleBindings),
    list("deleted Role(s)", r.roles),
    list("renewed ServiceAccount(s) (every token issued for them before is invalid)", r.serviceAccounts),
    list("deleted NetworkPolicy(s) (only the default deny is left)", r.networkPolicies),
  ].filter((p) => p !== undefined);
  return parts.length > 0 ? parts.join("; ") : "there was nothing to revoke";
}
