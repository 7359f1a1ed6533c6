// Phase: namespaces a tenant no longer declares here (removed from the spec,
// placed off this cluster, or all of them when it is deleted), per
// deletionPolicy. Delete deletes them. Retain keeps the namespace, its
// workloads, data and network isolation, and takes every way in from the
// department: yunshu's bindings and every Role, RoleBinding and
// ServiceAccount token made there (revoke-released.ts), and its quota is
// frozen at what it uses and stays charged to the tenant here. Never deletes
// a department's namespace the policy does not say to.
import type { KubeObject } from "../../api/meta.ts";
import { NAMESPACES, NETWORK_POLICIES, RESOURCE_QUOTAS, ROLE_BINDINGS, TENANTS } from "../../api/resources.ts";
import { formatResourceList, parseResourceList, sameResourceList, type ResourceList } from "../../api/quantity.ts";
import { sumAllocation } from "../../quota/allocate.ts";
import { BY_NAMESPACE, BY_TENANT, cachedTenantQuota, childCache, ownedNamespaces } from "../caches.ts";
import { GRANT_GROUPS_ANNOTATION, GRANT_NAMESPACES_ANNOTATION, GRANT_USERS_ANNOTATION } from "../grants.ts";
import { isReleased, RELEASED_AT_ANNOTATION, RELEASED_LABEL, RETAINED_FOR_ANNOTATION, REVOKED_ACCESS_ANNOTATION } from "../labels.ts";
import { frozenLimits, heldByReleased } from "../released-quota.ts";
import { deletionPolicyOf } from "../offboarding.ts";
import { DEFAULT_DENY_POLICY } from "../network-policies.ts";
import type { DesiredNamespace } from "../render.ts";
import { RESOURCE_QUOTA_NAME } from "../resource-quota.ts";
import type { ClusterAccess } from "../run.ts";
import type { NamespaceObservation } from "../status.ts";
import type { Tenant } from "../types.ts";
import { describeRevoked, revokeAccess, type RevokedAccess } from "./revoke-released.ts";

export type DeletionPolicy = "Retain" | "Delete";

/** The tenant's namespaces here that `desired` no longer names. */
export function undeclaredNamespaces(owned: KubeObject[], desired: DesiredNamespace[]): KubeObject[] {
  const names = new Set(desired.map((d) => d.name));
  return owned.filter((ns) => !names.has(ns.metadata.name));
}

/** Handles what the tenant no longer declares, and reports those its policy kept. */
export async function releaseUndeclared(cluster: ClusterAccess, tenant: Tenant & KubeObject, desired: DesiredNamespace[]): Promise<NamespaceObservation[]> {
  const name = tenant.metadata.name;
  await releaseOrDelete(cluster, name, undeclaredNamespaces(ownedNamespaces(cluster.caches, name), desired), deletionPolicyOf(tenant), tenant);
  return undeclaredNamespaces(ownedNamespaces(cluster.caches, name), desired)
    .filter(isReleased)
    .map((ns) => ({ name: ns.metadata.name, state: "Released" }));
}

export interface ReleasedQuota {
  /** What the undeclared namespaces hold, charged to the tenant here. */
  held: ResourceList;
  /** Their usage, which the tenant's status counts with its active namespaces'. */
  used: ResourceList;
}

/** What the tenant's namespaces here that `desired` no longer names still hold, released or on their way out. */
export function releasedQuota(cluster: ClusterAccess, tenant: string, desired: DesiredNamespace[]): ReleasedQuota {
  const quotas = undeclaredNamespaces(ownedNamespaces(cluster.caches, tenant), desired).map((ns) => cachedTenantQuota(cluster.caches, ns.metadata.name));
  return {
    held: sumAllocation(quotas.map((q) => heldByReleased({ hard: q?.spec?.hard, used: q?.status?.used, enforced: q?.status?.hard }))),
    used: sumAllocation(quotas.map((q) => parseResourceList(q?.status?.used))),
  };
}

/** `tenant` is absent when the Tenant is already gone: the namespaces' own Events still say what happened. */
export async function releaseOrDelete(cluster: ClusterAccess, tenantName: string, namespaces: KubeObject[], policy: DeletionPolicy, tenant: Tenant & KubeObject | undefined): Promise<void> {
  const { client, events, log } = cluster;
  for (const ns of namespaces) {
    const name = ns.metadata.name;
    if (ns.metadata.deletionTimestamp) continue;
    if (policy === "Delete") {
      await client.delete(NAMESPACES, name, undefined, { uid: ns.metadata.uid });
      if (tenant) events.record(TENANTS, tenant, "Normal", "NamespaceDeleted", `deleted namespace ${name} (deletionPolicy Delete)`);
      log.info("deleted namespace", { tenant: tenantName, namespace: name });
      continue;
    }
    // A deleted tenant's retained namespaces stay charged to the budget its quota came from (retained.ts).
    const chargedTo = tenant?.metadata.deletionTimestamp ? (tenant.spec.parent ?? "") : undefined;
    const charge = chargedTo !== undefined && ns.metadata.annotations?.[RETAINED_FOR_ANNOTATION] !== chargedTo ? { [RETAINED_FOR_ANNOTATION]: chargedTo } : {};
    if (isReleased(ns)) {
      if (Object.keys(charge).length > 0) await client.mergePatch(NAMESPACES, name, { metadata: { annotations: charge } });
      await keepReleased(cluster, tenantName, name);
      continue;
    }
    const revoked = await revokeAccess(cluster, name);
    const releasedAt = new Date().toISOString();
    const grantsClosed = { [GRANT_USERS_ANNOTATION]: null, [GRANT_GROUPS_ANNOTATION]: null, [GRANT_NAMESPACES_ANNOTATION]: null };
    await client.mergePatch(NAMESPACES, name, {
      metadata: {
        labels: { [RELEASED_LABEL]: "true" },
        annotations: { ...grantsClosed, ...charge, [RELEASED_AT_ANNOTATION]: releasedAt, [REVOKED_ACCESS_ANNOTATION]: JSON.stringify(abridged(revoked)) },
      },
    });
    await freezeQuota(cluster, name);
    const message =
      `released namespace ${name} (deletionPolicy Retain): its workloads and data stay, its quota is frozen at what it uses and stays charged to the tenant; ` +
      `no department identity keeps access: ${describeRevoked(revoked)}`;
    if (tenant) events.record(TENANTS, tenant, "Normal", "NamespaceReleased", message);
    events.record(NAMESPACES, ns, "Normal", "Released", message);
    log.info("released namespace", { tenant: tenantName, namespace: name, revoked });
  }
}

/** The record on the namespace names at most this many objects of a kind (an annotation is small); the Event names them all. */
const RECORDED_NAMES = 50;

function abridged(r: RevokedAccess): RevokedAccess {
  const cut = (names: string[]) => (names.length > RECORDED_NAMES ? [...names.slice(0, RECORDED_NAMES), `…and ${names.length - RECORDED_NAMES} more`] : names);
  return { roleBindings: cut(r.roleBindings), roles: cut(r.roles), serviceAccounts: cut(r.serviceAccounts), networkPolicies: cut(r.networkPolicies) };
}

/**
 * A released namespace stays as its release left it: a binding that
 * slipped in while access was being revoked goes, and its quota follows its
 * usage down, never up.
 */
async function keepReleased(cluster: ClusterAccess, tenant: string, namespace: string): Promise<void> {
  for (const binding of cluster.caches.grants.byIndex(BY_NAMESPACE, namespace)) {
    await cluster.client.delete(ROLE_BINDINGS, binding.metadata.name, namespace, { uid: binding.metadata.uid });
    cluster.log.info("deleted a binding in a released namespace", { namespace, binding: binding.metadata.name });
  }
  // From the cache: the department has no rights here to make its own, and a release before this fencing existed left yunshu's.
  const openings = childCache(cluster.caches, NETWORK_POLICIES)
    .byIndex(BY_TENANT, tenant)
    .filter((p) => p.metadata.namespace === namespace && p.metadata.name !== DEFAULT_DENY_POLICY);
  for (const policy of openings) {
    await cluster.client.delete(NETWORK_POLICIES, policy.metadata.name, namespace, { uid: policy.metadata.uid });
    cluster.log.info("deleted a network policy in a released namespace", { namespace, policy: policy.metadata.name });
  }
  await freezeQuota(cluster, namespace);
}

async function freezeQuota(cluster: ClusterAccess, namespace: string): Promise<void> {
  const quota = cachedTenantQuota(cluster.caches, namespace);
  if (!quota?.spec?.hard) return;
  const frozen = formatResourceList(frozenLimits({ hard: quota.spec.hard, used: quota.status?.used }));
  if (sameResourceList(frozen, quota.spec.hard)) return;
  await cluster.client.mergePatch(RESOURCE_QUOTAS, RESOURCE_QUOTA_NAME, { spec: { hard: frozen } }, namespace);
  cluster.log.info("froze a released namespace's quota at its usage", { namespace, hard: frozen });
}

