// Wires the operator together: informers for Tenants and for every object
// yunshu manages, events mapped to the owning tenant's key, one work queue,
// the tenant reconciler, and an orderly shutdown. Each cluster gets its own
// client and caches (a `ClusterConnection`), so that member clusters can be
// added beside the hub without changing the reconcile.
import { OperatorMetrics } from "./metrics/metrics.ts";
import { Controller } from "./runtime/controller.ts";
import { EventRecorder } from "./runtime/events.ts";
import { Informer } from "./runtime/informer.ts";
import type { ClusterCredentials } from "./runtime/kubeconfig.ts";
import { KubeClient, type KubeClientOptions, type KubeObject } from "./runtime/kube-client.ts";
import { LeaderElector, type LeaderElectionOptions } from "./runtime/leader-election.ts";
import type { Logger } from "./runtime/log.ts";
import { NAMESPACED_CHILD_TYPES, NAMESPACES, TENANTS } from "./runtime/resources.ts";
import { WorkQueue } from "./runtime/workqueue.ts";
import { MANAGED_SELECTOR, TENANT_LABEL } from "./tenant/labels.ts";
import type { PlatformSettings } from "./tenant/platform.ts";
import { BY_TENANT, TenantReconciler, type TenantCaches } from "./tenant/reconciler.ts";
import type { Tenant } from "./tenant/types.ts";

export type LeaderElectionSettings = Pick<LeaderElectionOptions, "namespace" | "name" | "identity" | "leaseDurationMs" | "renewDeadlineMs" | "retryPeriodMs">;

export interface OperatorOptions {
  kubeConfig: ClusterCredentials;
  client?: KubeClientOptions;
  workers: number;
  /** How often every tenant is looked at again even without events: a safety net, not the mechanism. */
  resyncMs: number;
  platform: PlatformSettings;
  log: Logger;
  version?: string;
  /** Without it this replica always writes: fine for one replica, wrong for two. */
  leaderElection?: LeaderElectionSettings;
  /** Called when this replica loses the lease; the process should exit (a standby takes over). */
  onLostLeadership?: () => void;
}

export const TENANT_CONTROLLER = "tenant";

/** What running and syncing needs of an informer, whatever it caches. */
export type RunnableInformer = Pick<Informer<KubeObject>, "run" | "waitForSync" | "type" | "size" | "stats">;

/** One cluster's client and caches. */
export interface ClusterConnection {
  client: KubeClient;
  caches: TenantCaches;
  /** Informers of the objects yunshu manages (not Tenants). */
  managed: Informer<KubeObject>[];
  informers: RunnableInformer[];
}

function tenantOf(obj: KubeObject): string[] {
  const tenant = obj.metadata.labels?.[TENANT_LABEL];
  return tenant ? [tenant] : [];
}

export function connectCluster(kubeConfig: ClusterCredentials, options: KubeClientOptions, log: Logger): ClusterConnection {
  const client = new KubeClient(kubeConfig, { userAgent: "yunshu-operator", ...options });
  const tenants = new Informer<Tenant & KubeObject>(client, TENANTS, { log });
  const namespaces = new Informer<KubeObject>(client, NAMESPACES, { labelSelector: MANAGED_SELECTOR, log });
  const children = new Map(
    NAMESPACED_CHILD_TYPES.map((type) => [type.plural, new Informer<KubeObject>(client, type, { labelSelector: MANAGED_SELECTOR, log })]),
  );
  const managed = [namespaces, ...children.values()];
  for (const informer of managed) informer.addIndex(BY_TENANT, tenantOf);
  return { client, caches: { tenants, namespaces, children }, managed, informers: [tenants, ...managed] };
}

export class Operator {
  readonly queue: WorkQueue;
  readonly hub: ClusterConnection;
  readonly metrics: OperatorMetrics;
  private readonly options: OperatorOptions;
  private readonly abort = new AbortController();
  private running: Promise<unknown> | undefined;
  private ready = false;
  private elector: LeaderElector | undefined;

  constructor(options: OperatorOptions) {
    this.options = options;
    this.hub = connectCluster(options.kubeConfig, options.client ?? {}, options.log);
    const managed = new Set<unknown>(this.hub.managed);
    this.metrics = new OperatorMetrics({
      version: options.version ?? "dev",
      controller: TENANT_CONTROLLER,
      queueName: TENANT_CONTROLLER,
      workers: options.workers,
      leaseName: options.leaderElection?.name ?? "yunshu-operator",
      sources: {
        tenants: () => this.hub.caches.tenants.list(),
        informers: () => this.hub.informers.map((i) => ({ type: i.type, size: i.size, stats: i.stats, managed: managed.has(i) })),
        queueDepth: () => this.queue.length,
        apiRequests: () => this.hub.client.requestCounts,
      },
    });
    this.queue = new WorkQueue({ hooks: this.metrics.queueHooks() });
    const { tenants } = this.hub.caches;
    tenants.onEvent((_event, tenant) => this.queue.add(tenant.metadata.name));
    // A change to anything yunshu manages (drift, deletion, quota usage)
    // wakes its tenant; level-triggered reconcile works out the rest.
    for (const informer of this.hub.managed) {
      informer.onEvent((_event, obj) => {
        for (const tenant of tenantOf(obj)) this.queue.add(tenant);
      });
    }
  }

  /** True once every cache has synced: a standby is ready too, to take over at once. */
  get isReady(): boolean {
    return this.ready;
  }

  /** True while this replica may write: always without leader election. */
  get isLeader(): boolean {
    return this.elector ? this.elector.isLeader : this.ready;
  }

  /** Starts informers, waits for their first list, then runs workers until stop(). */
  async start(): Promise<void> {
    const { log, workers, resyncMs } = this.options;
    const signal = this.abort.signal;
    const informersDone = Promise.all(this.hub.informers.map((i) => i.run(signal)));
    await Promise.race([Promise.all(this.hub.informers.map((i) => i.waitForSync())), informersDone]);
    if (signal.aborted) return;
    log.info("caches synced", Object.fromEntries(this.hub.informers.map((i) => [i.type.plural, i.size])));
    this.ready = true;
    const electing = this.options.leaderElection ? this.campaign(this.options.leaderElection, signal) : undefined;
    if (electing) {
      await Promise.race([electing.leading, new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }))]);
      if (signal.aborted) return electing.done;
    }
    this.metrics.setLeader(this.options.leaderElection?.name ?? "yunshu-operator", true);
    const reconciler = new TenantReconciler({
      client: this.hub.client,
      caches: this.hub.caches,
      events: new EventRecorder(this.hub.client, { log }),
      log,
      platform: this.options.platform,
    });
    const controller = new Controller(TENANT_CONTROLLER, this.queue, reconciler, { log, hooks: this.metrics.controllerHooks() });
    const resync = setInterval(() => this.resyncAll(), resyncMs);
    resync.unref();
    signal.addEventListener("abort", () => clearInterval(resync), { once: true });
    this.running = Promise.all([informersDone, controller.run(workers), electing?.done]);
    await this.running;
  }

  /**
   * Runs leader election with its own client (the lease must be renewable
   * when the main client's writes are shut off); the main client writes only
   * while this replica leads.
   */
  private campaign(settings: LeaderElectionSettings, signal: AbortSignal): { leading: Promise<void>; done: Promise<void> } {
    const { log, kubeConfig, client } = this.options;
    let started!: () => void;
    const leading = new Promise<void>((resolve) => (started = resolve));
    const elector = new LeaderElector({
      ...settings,
      client: new KubeClient(kubeConfig, { ...client, userAgent: "yunshu-operator/leader-election" }),
      log,
      onStartedLeading: started,
      onStoppedLeading: () => {
        this.metrics.setLeader(settings.name, false);
        this.queue.shutdown();
        this.options.onLostLeadership?.();
      },
    });
    this.elector = elector;
    this.hub.client.writeGate = () => elector.isLeader;
    log.info("waiting to lead", { lease: `${settings.namespace}/${settings.name}`, identity: elector.identity });
    return { leading, done: elector.run(signal) };
  }

  /** Queues every tenant: level-triggered reconciles make this safe at any time. */
  resyncAll(): void {
    for (const tenant of this.hub.caches.tenants.list()) this.queue.add(tenant.metadata.name);
  }

  /** Graceful: no new keys, in-flight reconciles finish, watches close. */
  async stop(): Promise<void> {
    this.ready = false;
    this.queue.shutdown();
    this.abort.abort();
    await this.running;
  }
}
