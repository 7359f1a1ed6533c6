// The caches a tenant reconciler reads in one cluster: the hub's Tenants and
// SecurityProfiles (every cluster's reconciler judges the same Tenant
// objects by the same profiles), a member's copies of the profiles, what yunshu
// manages there, namespaces and the objects in them, indexed by the tenant
// they belong to, and every RoleBinding, whoever made it, because a
// department's own bindings must name only its people (grants.ts). The hub
// and every member cluster get one set each.
import type { KubeObject, ResourceType } from "../api/meta.ts";
import { NAMESPACED_CHILD_TYPES, NAMESPACES, RESOURCE_QUOTAS, ROLE_BINDINGS } from "../api/resources.ts";
import { Informer } from "../runtime/informer.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { MANAGED_SELECTOR, RETAINED_FOR_ANNOTATION, TENANT_LABEL } from "./labels.ts";
import { tenantLevel, type SecurityProfile } from "./profile.ts";
import type { QuotaObject } from "./quota-writes.ts";
import { RESOURCE_QUOTA_NAME } from "./resource-quota.ts";
import type { Tenant } from "./types.ts";
import type { Share } from "../api/generated.ts";

/** Index name, on every managed-object informer, of objects by their tenant label. */
export const BY_TENANT = "tenant";
/** Index name, on the informer of every RoleBinding, of bindings by namespace. */
export const BY_NAMESPACE = "namespace";

export interface TenantCaches {
  tenants: Informer<Tenant & KubeObject>;
  /** The hub's SecurityProfiles: the source every cluster renders from. */
  profiles: Informer<SecurityProfile & KubeObject>;
  /** A member's own SecurityProfiles, which its admission policies read: copies of the hub's (phases/mirror-profile.ts). */
  localProfiles?: Informer<SecurityProfile & KubeObject>;
  namespaces: Informer<KubeObject>;
  /** Informers of the namespaced children, by plural (resourcequotas, limitranges, …). */
  children: Map<string, Informer<KubeObject>>;
  /** Every RoleBinding in the cluster, yunshu's or not, indexed by namespace. */
  grants: Informer<KubeObject>;
  /** The hub's Shares, indexed by their two tenants (BY_SIDE): the paired policies every cluster renders. */
  shares?: Informer<Share & KubeObject>;
}

/** Index name, on the namespace informers, of namespaces a deleted tenant left behind by the budget charged with them. */
export const BY_RETAINED_FOR = "retained-for";

/** Index name, on the namespace informers, of every retained namespace, whoever's budget, filed under this name: a cluster's load adds them up at every probe. */
export const BY_RETAINED = "retained";

/** The budget a retained namespace is charged to (retained.ts), if it is one. */
export const retainedFor = (ns: KubeObject): string[] => {
  const budget = ns.metadata.annotations?.[RETAINED_FOR_ANNOTATION];
  return budget === undefined ? [] : [budget];
};

/** The tenant an object of yunshu's belongs to, as a work-queue key. */
export function tenantOf(obj: KubeObject): string[] {
  const tenant = obj.metadata.labels?.[TENANT_LABEL];
  return tenant ? [tenant] : [];
}

export interface ClusterCaches extends Pick<TenantCaches, "namespaces" | "children" | "grants"> {
  /** Every informer here, to run. */
  informers: Informer<KubeObject>[];
  /** The tenant an event on any of them concerns, as work-queue keys. */
  keysOf(obj: KubeObject): string[];
}

/** Caches of one cluster: what yunshu manages (namespaces and their children), indexed by tenant, and every RoleBinding. */
export function managedCaches(client: KubeClient, log: Logger): ClusterCaches {
  const namespaces = new Informer<KubeObject>(client, NAMESPACES, { labelSelector: MANAGED_SELECTOR, log });
  const children = new Map(
    NAMESPACED_CHILD_TYPES.map((type) => [type.plural, new Informer<KubeObject>(client, type, { labelSelector: MANAGED_SELECTOR, log })]),
  );
  const managed = [namespaces, ...children.values()];
  for (const informer of managed) informer.addIndex(BY_TENANT, tenantOf);
  namespaces.addIndex(BY_RETAINED_FOR, retainedFor);
  namespaces.addIndex(BY_RETAINED, (ns) => (retainedFor(ns).length > 0 ? [BY_RETAINED] : []));
  const grants = new Informer<KubeObject>(client, ROLE_BINDINGS, { log });
  grants.addIndex(BY_NAMESPACE, (b) => [b.metadata.namespace ?? ""]);
  // A binding someone made in a tenant namespace carries no label of ours:
  // its namespace says whose it is.
  // What a deleted tenant's retained namespace holds is its parent's concern too.
  const keysOf = (obj: KubeObject) => {
    const ns = obj.metadata.namespace === undefined ? obj : namespaces.get(obj.metadata.namespace);
    const own = tenantOf(obj);
    const keys = own.length > 0 ? own : ns ? tenantOf(ns) : [];
    const parent = ns ? retainedFor(ns).filter((p) => p !== "") : [];
    return parent.length > 0 ? [...keys, ...parent] : keys;
  };
  return { namespaces, children, grants, informers: [...managed, grants], keysOf };
}

/** The tenants whose level selects a profile of `level`: what a change to that profile concerns. */
export function tenantsAtLevel(tenants: Informer<Tenant & KubeObject>, level: number): string[] {
  return tenants
    .list()
    .filter((t) => tenantLevel(t) === level)
    .map((t) => t.metadata.name);
}

/** The cache of one kind of namespaced child. */
export function childCache(caches: Pick<TenantCaches, "children">, type: ResourceType): Informer<KubeObject> {
  const informer = caches.children.get(type.plural);
  if (!informer) throw new Error(`no cache of ${type.plural}: it is not among the namespaced children yunshu manages`);
  return informer;
}

/** The tenant quota yunshu keeps in `namespace`, as the cache has it. */
export function cachedTenantQuota(caches: Pick<TenantCaches, "children">, namespace: string): QuotaObject | undefined {
  return childCache(caches, RESOURCE_QUOTAS).get(RESOURCE_QUOTA_NAME, namespace) as QuotaObject | undefined;
}

/** The tenant's namespaces in this cluster, as the cache has them. */
export function ownedNamespaces(caches: TenantCaches, tenant: string): KubeObject[] {
  return caches.namespaces.byIndex(BY_TENANT, tenant);
}
