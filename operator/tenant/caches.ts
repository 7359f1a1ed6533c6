// The caches a tenant reconciler reads in one cluster: the hub's Tenants
// (every cluster's reconciler judges the same Tenant objects) and what
// yunshu manages there, namespaces and the objects in them, indexed by the
// tenant they belong to. The hub and every member cluster get one set each.
import type { KubeObject, ResourceType } from "../api/meta.ts";
import { NAMESPACED_CHILD_TYPES, NAMESPACES } from "../api/resources.ts";
import { Informer } from "../runtime/informer.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { MANAGED_SELECTOR, TENANT_LABEL } from "./labels.ts";
import type { Tenant } from "./types.ts";

/** Index name, on every managed-object informer, of objects by their tenant label. */
export const BY_TENANT = "tenant";

export interface TenantCaches {
  tenants: Informer<Tenant & KubeObject>;
  namespaces: Informer<KubeObject>;
  /** Informers of the namespaced children, by plural (resourcequotas, limitranges, …). */
  children: Map<string, Informer<KubeObject>>;
}

/** The tenant an object of yunshu's belongs to, as a work-queue key. */
export function tenantOf(obj: KubeObject): string[] {
  const tenant = obj.metadata.labels?.[TENANT_LABEL];
  return tenant ? [tenant] : [];
}

/** Caches of what yunshu manages in one cluster (namespaces and their children), indexed by tenant. */
export function managedCaches(client: KubeClient, log: Logger): Pick<TenantCaches, "namespaces" | "children"> & { managed: Informer<KubeObject>[] } {
  const namespaces = new Informer<KubeObject>(client, NAMESPACES, { labelSelector: MANAGED_SELECTOR, log });
  const children = new Map(
    NAMESPACED_CHILD_TYPES.map((type) => [type.plural, new Informer<KubeObject>(client, type, { labelSelector: MANAGED_SELECTOR, log })]),
  );
  const managed = [namespaces, ...children.values()];
  for (const informer of managed) informer.addIndex(BY_TENANT, tenantOf);
  return { namespaces, children, managed };
}

/** The cache of one kind of namespaced child. */
export function childCache(caches: TenantCaches, type: ResourceType): Informer<KubeObject> {
  const informer = caches.children.get(type.plural);
  if (!informer) throw new Error(`no cache of ${type.plural}: it is not among the namespaced children yunshu manages`);
  return informer;
}

/** The tenant's namespaces in this cluster, as the cache has them. */
export function ownedNamespaces(caches: TenantCaches, tenant: string): KubeObject[] {
  return caches.namespaces.byIndex(BY_TENANT, tenant);
}
