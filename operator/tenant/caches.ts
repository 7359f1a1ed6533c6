// The caches of what yunshu manages in one cluster: namespaces and the
// objects in them, indexed by the tenant they belong to. The hub and every
// member cluster get one set each.
import { Informer } from "../runtime/informer.ts";
import type { KubeClient, KubeObject } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { NAMESPACED_CHILD_TYPES, NAMESPACES } from "../runtime/resources.ts";
import { MANAGED_SELECTOR, TENANT_LABEL } from "./labels.ts";
import { BY_TENANT, type TenantCaches } from "./reconciler.ts";

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

