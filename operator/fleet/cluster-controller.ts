// The Cluster controller: every Cluster is probed on its own schedule, and
// a rotated kubeconfig Secret reconnects the cluster that names it at once.
import type { Cluster } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import { watch, type ControllerDefinition } from "../runtime/controller.ts";
import type { EventRecorder } from "../runtime/events.ts";
import type { Informer } from "../runtime/informer.ts";
import type { KubeClient, KubeClientOptions } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { ClusterReconciler } from "./cluster-reconciler.ts";
import type { Fleet } from "./fleet.ts";
import { MemberClients, type Secret } from "./members.ts";

export const CLUSTER_CONTROLLER = "cluster";
/** Probes take up to a few seconds against a dead member: enough workers that one does not delay the others. */
const CLUSTER_WORKERS = 4;

export function clusterController(deps: {
  hub: KubeClient;
  clusters: Informer<Cluster & KubeObject>;
  /** The kubeconfig Secrets, in `secretsNamespace`. */
  secrets: Informer<Secret>;
  secretsNamespace: string;
  /** How member clusters' clients are made: rate limits, never the hub's identity (each member's kubeconfig carries its own). */
  memberClientOptions: KubeClientOptions;
  fleet: () => Fleet | undefined;
  hubNamespaces: () => number;
  events: EventRecorder;
  log: Logger;
  probeIntervalMs?: number;
}): ControllerDefinition {
  return {
    name: CLUSTER_CONTROLLER,
    workers: CLUSTER_WORKERS,
    watch(queue) {
      watch(deps.clusters, queue, (_event, cluster) => [cluster.metadata.name]);
      watch(deps.secrets, queue, (_event, secret) =>
        deps.clusters
          .list()
          .filter((c) => c.spec.kubeconfigSecretRef?.name === secret.metadata.name)
          .map((c) => c.metadata.name),
      );
    },
    resync(queue) {
      for (const cluster of deps.clusters.list()) queue.add(cluster.metadata.name);
    },
    reconciler() {
      const fleet = deps.fleet();
      if (!fleet) throw new Error("the cluster controller starts only once the fleet exists (after this replica leads)");
      return new ClusterReconciler({
        hub: deps.hub,
        clusters: deps.clusters,
        members: new MemberClients({ hub: deps.hub, secrets: deps.secrets, namespace: deps.secretsNamespace, options: deps.memberClientOptions }),
        fleet,
        hubNamespaces: deps.hubNamespaces,
        events: deps.events,
        log: deps.log,
        probeIntervalMs: deps.probeIntervalMs,
      });
    },
  };
}
