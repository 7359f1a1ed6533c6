// Phase: namespaces a tenant no longer declares here (or all of them, when
// it is deleted), per deletionPolicy. Retain keeps the namespace, its
// workloads, quota and network isolation, removes the owners' access and
// labels it released; Delete deletes it. Never deletes a department's
// namespace the policy does not say to.
import type { KubeObject } from "../../api/meta.ts";
import { NAMESPACES, ROLE_BINDINGS, TENANTS } from "../../api/resources.ts";
import { BY_TENANT, childCache, ownedNamespaces } from "../caches.ts";
import { isReleased, RELEASED_LABEL } from "../labels.ts";
import type { DesiredNamespace } from "../render.ts";
import type { ClusterAccess } from "../run.ts";
import type { NamespaceObservation } from "../status.ts";
import type { Tenant } from "../types.ts";

export type DeletionPolicy = "Retain" | "Delete";

/** The tenant's namespaces here that `desired` no longer names. */
export function undeclaredNamespaces(owned: KubeObject[], desired: DesiredNamespace[]): KubeObject[] {
  const names = new Set(desired.map((d) => d.name));
  return owned.filter((ns) => !names.has(ns.metadata.name));
}

/** Handles what the tenant no longer declares, and reports those its policy kept. */
export async function releaseUndeclared(cluster: ClusterAccess, tenant: Tenant & KubeObject, desired: DesiredNamespace[]): Promise<NamespaceObservation[]> {
  const name = tenant.metadata.name;
  await releaseOrDelete(cluster, name, undeclaredNamespaces(ownedNamespaces(cluster.caches, name), desired), tenant.spec.deletionPolicy ?? "Retain", tenant);
  return undeclaredNamespaces(ownedNamespaces(cluster.caches, name), desired)
    .filter(isReleased)
    .map((ns) => ({ name: ns.metadata.name, state: "Released" }));
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
    for (const binding of childCache(cluster.caches, ROLE_BINDINGS).byIndex(BY_TENANT, tenantName)) {
      if (binding.metadata.namespace === name) await client.delete(ROLE_BINDINGS, binding.metadata.name, name, { uid: binding.metadata.uid });
    }
    if (!isReleased(ns)) {
      await client.mergePatch(NAMESPACES, name, { metadata: { labels: { [RELEASED_LABEL]: "true" } } });
      const message = `released namespace ${name} (deletionPolicy Retain): its workloads, quota and network isolation stay; owner access was removed`;
      if (tenant) events.record(TENANTS, tenant, "Normal", "NamespaceReleased", message);
      events.record(NAMESPACES, ns, "Normal", "Released", message);
      log.info("released namespace", { tenant: tenantName, namespace: name });
    }
  }
}
