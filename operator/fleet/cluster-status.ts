// What a Cluster's status says about it, from what the last probe found.
// Pure, so that an unchanged situation gives an identical status and costs
// no write.
import type { Cluster } from "../api/generated.ts";
import { formatResourceList, type ResourceList } from "../api/quantity.ts";
import { clusterCapacity } from "./placement.ts";

export type ClusterStatus = NonNullable<Cluster["status"]>;

export type ProbeResult =
  | { reachable: true; version: string }
  | { reachable: false; reason: "SecretNotFound" | "InvalidKubeconfig" | "Unreachable" | "Unauthorized"; message: string };

/** What the cluster carries, as far as yunshu knows. */
export interface ClusterLoad {
  tenants: number;
  /** Unknown while a member's caches have not synced (the operator just started, or the member just came back): the count last written stands. */
  namespaces: number | undefined;
  allocated: ResourceList;
}

export function clusterStatus(cluster: Cluster, probe: ProbeResult, now: Date, load?: ClusterLoad): ClusterStatus {
  const previous = cluster.status?.conditions?.find((c) => c.type === "Ready");
  const ready = probe.reachable
    ? { status: "True" as const, reason: "Reachable", message: `the API server answers (Kubernetes ${probe.version}) and accepts yunshu's credentials` }
    : { status: "False" as const, reason: probe.reason, message: probe.message };
  const generation = cluster.metadata.generation ?? 0;
  const lastTransitionTime = previous && previous.status === ready.status ? previous.lastTransitionTime : now.toISOString().replace(/\.\d+Z$/, "Z");
  const status: ClusterStatus = {
    ...cluster.status,
    observedGeneration: generation,
    // The last version seen stays while the cluster is away: it is still what runs there.
    ...(probe.reachable ? { kubernetesVersion: probe.version } : {}),
    ...(load
      ? {
          tenants: load.tenants,
          namespaces: load.namespaces ?? cluster.status?.namespaces,
          allocated: formatResourceList(load.allocated),
          capacity: formatResourceList(clusterCapacity(cluster)),
        }
      : {}),
    conditions: [{ type: "Ready", ...ready, observedGeneration: generation, lastTransitionTime }],
  };
  // A map emptied by server-side apply is stored as null, which the schema
  // refuses: an empty one is left out, and apply then removes it.
  if (load && Object.keys(status.allocated ?? {}).length === 0) delete status.allocated;
  if (load && Object.keys(status.capacity ?? {}).length === 0) delete status.capacity;
  return status;
}
