// Keeps every Cluster's status true: can yunshu reach it, with the
// credentials its Secret holds, and which Kubernetes runs there. Each
// cluster is probed on its own schedule with a short timeout, so an
// unreachable member costs one worker a few seconds, never the fleet.
import type { Cluster } from "../api/generated.ts";
import type { ReconcileResult, Reconciler } from "../runtime/controller.ts";
import type { EventRecorder } from "../runtime/events.ts";
import type { Informer } from "../runtime/informer.ts";
import { ApiError, type KubeClient, type KubeObject } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { CLUSTERS, NAMESPACES } from "../api/resources.ts";
import { FIELD_MANAGER } from "../api/names.ts";
import { applyStatus, sameStatus } from "../runtime/status.ts";
import { clusterStatus, type ProbeResult } from "./cluster-status.ts";
import type { Fleet } from "./fleet.ts";
import type { MemberClients } from "./members.ts";

/** How often a cluster is looked at again: how soon an outage or a recovery shows. */
export const PROBE_INTERVAL_MS = 10_000;
const PROBE_TIMEOUT_MS = 5_000;

export class ClusterReconciler implements Reconciler {
  private readonly hub: KubeClient;
  private readonly clusters: Informer<Cluster & KubeObject>;
  private readonly members: MemberClients;
  private readonly fleet: Pick<Fleet, "connected" | "disconnected" | "runtimes" | "load">;
  private readonly hubNamespaces: () => number;
  private readonly events: EventRecorder;
  private readonly log: Logger;
  private readonly probeIntervalMs: number;

  constructor(deps: {
    hub: KubeClient;
    clusters: Informer<Cluster & KubeObject>;
    members: MemberClients;
    /** Runs tenants on the member clusters this reconciler connects to, and owns their clients. */
    fleet: Pick<Fleet, "connected" | "disconnected" | "runtimes" | "load">;
    /** How many namespaces yunshu manages on the hub, for the hub's own Cluster. */
    hubNamespaces?: () => number;
    events: EventRecorder;
    log: Logger;
    probeIntervalMs?: number;
  }) {
    this.hub = deps.hub;
    this.fleet = deps.fleet;
    this.hubNamespaces = deps.hubNamespaces ?? (() => 0);
    this.clusters = deps.clusters;
    this.members = deps.members;
    this.events = deps.events;
    this.log = deps.log;
    this.probeIntervalMs = deps.probeIntervalMs ?? PROBE_INTERVAL_MS;
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const cluster = this.clusters.get(name);
    if (!cluster) {
      this.members.forget(name);
      await this.fleet.disconnected(name);
      return;
    }
    const connection = this.members.connect(cluster);
    const probe: ProbeResult = "problem" in connection ? { reachable: false, reason: connection.problem, message: connection.message } : await this.probe(connection.client);
    if ("problem" in connection) await this.fleet.disconnected(name);
    else if (cluster.spec.kubeconfigSecretRef) await this.fleet.connected(name, connection.client);
    const wasReady = cluster.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
    // Back from an outage: what changed meanwhile is looked at now, not after each tenant's back-off.
    if (probe.reachable && !wasReady) this.fleet.runtimes.get(name)?.resync();
    const status = clusterStatus(cluster, probe, new Date(), this.fleet.load(name, this.hubNamespaces()));
    if (!sameStatus(status, cluster.status)) {
      const before = cluster.status?.conditions?.find((c) => c.type === "Ready");
      const after = status.conditions![0]!;
      await applyStatus(this.hub, CLUSTERS, { name }, status, FIELD_MANAGER);
      if (before?.status !== after.status || before?.reason !== after.reason) {
        this.events.record(CLUSTERS, cluster, after.status === "True" ? "Normal" : "Warning", after.reason, after.message);
        this.log.info("cluster readiness changed", { cluster: name, ready: after.status, reason: after.reason });
      }
    }
    return { requeueAfterMs: this.probeIntervalMs };
  }

  /**
   * The version says the server is there; reading a namespace says it lets
   * yunshu in (a token can authenticate and still lack the rights).
   */
  private async probe(client: KubeClient): Promise<ProbeResult> {
    const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    try {
      const version = await client.serverVersion(signal);
      await client.get(NAMESPACES, "default");
      return { reachable: true, version };
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        return { reachable: false, reason: "Unauthorized", message: `the API server refuses yunshu's credentials: ${err.message}; check the kubeconfig Secret` };
      }
      const cause = err instanceof ApiError ? err.message : describeNetworkError(err);
      return { reachable: false, reason: "Unreachable", message: `the API server at ${client.server} does not answer: ${cause}` };
    }
  }
}

function describeNetworkError(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return `no answer within ${PROBE_TIMEOUT_MS / 1000}s`;
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
  return cause ?? (err instanceof Error ? err.message : String(err));
}
