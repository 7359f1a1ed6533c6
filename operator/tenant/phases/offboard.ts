// Phase (a deleted Tenant that was offboarded, in one cluster): everything
// of the tenant here goes, its namespaces and the persistent volumes bound
// to claims in them (a volume with reclaimPolicy Retain outlives its
// namespace, and a department's data with it). What is about to be deleted
// is recorded in the Tenant's status.deletions first, and only ever added
// to, so the OffboardingRecord names it all even after a restart halfway.
import type { KubeObject } from "../../api/meta.ts";
import { PERSISTENT_VOLUMES, TENANTS } from "../../api/resources.ts";
import { applyStatus } from "../../runtime/status.ts";
import { ownedNamespaces } from "../caches.ts";
import { clusterFieldManager } from "../report.ts";
import type { ClusterAccess } from "../run.ts";
import type { Tenant, TenantStatus } from "../types.ts";
import { releaseOrDelete } from "./release.ts";

export type DeletionEntry = NonNullable<TenantStatus["deletions"]>[number];
type Volume = KubeObject & { spec?: { claimRef?: { namespace?: string; name?: string } } };

/** The volumes bound (or once bound) to claims in `namespaces`. */
export function claimedVolumes(volumes: Volume[], namespaces: string[]): Volume[] {
  return volumes.filter((pv) => namespaces.includes(pv.spec?.claimRef?.namespace ?? ""));
}

/** The entry with `namespaces` and `volumes` added: what was recorded is never dropped. Pure. */
export function grownEntry(cluster: string, recorded: DeletionEntry | undefined, namespaces: string[], volumes: string[]): DeletionEntry {
  const union = (a: string[] | undefined, b: string[]) => [...new Set([...(a ?? []), ...b])].sort();
  return { cluster, namespaces: union(recorded?.namespaces, namespaces), persistentVolumes: union(recorded?.persistentVolumes, volumes) };
}

export async function offboardHere(cluster: ClusterAccess, hub: ClusterAccess["client"], clusterName: string, tenant: Tenant & KubeObject): Promise<void> {
  const name = tenant.metadata.name;
  const recorded = tenant.status?.deletions?.find((d) => d.cluster === clusterName);
  const owned = ownedNamespaces(cluster.caches, name);
  const namespaces = [...new Set([...(recorded?.namespaces ?? []), ...owned.map((ns) => ns.metadata.name)])];
  const volumes = claimedVolumes((await cluster.client.list<Volume>(PERSISTENT_VOLUMES)).items, namespaces);
  const entry = grownEntry(clusterName, recorded, namespaces, volumes.map((pv) => pv.metadata.name));
  const nothingHere = entry.namespaces!.length === 0 && entry.persistentVolumes!.length === 0;
  if (!(nothingHere && !recorded) && JSON.stringify(entry) !== JSON.stringify(recorded)) {
    // A manager of its own: this cluster's other status writes never drop the entry.
    await applyStatus(hub, TENANTS, { name }, { deletions: [entry] }, `${clusterFieldManager(clusterName)}-offboarding`);
  }
  await releaseOrDelete(cluster, name, owned, "Delete", tenant);
  for (const pv of volumes) {
    if (pv.metadata.deletionTimestamp) continue;
    await cluster.client.delete(PERSISTENT_VOLUMES, pv.metadata.name, undefined, { uid: pv.metadata.uid });
    cluster.events.record(TENANTS, tenant, "Normal", "VolumeDeleted", `deleted PersistentVolume ${pv.metadata.name} (claim ${pv.spec?.claimRef?.namespace}/${pv.spec?.claimRef?.name}) on ${clusterName}: the tenant is offboarded`);
    cluster.log.info("deleted an offboarded tenant's volume", { tenant: name, volume: pv.metadata.name });
  }
}
