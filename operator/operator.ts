// Wires the operator together: informers for Tenants and for every object
// yunshu manages, events mapped to the owning tenant's key, one work queue,
// the tenant reconciler, and an orderly shutdown. Each cluster gets its own
// client and caches (a `ClusterConnection`), so that member clusters can be
// added beside the hub without changing the reconcile.
import type { CapacityPool, Cluster, TenantRequest } from "./api/generated.ts";
import { DEFAULT_POOL } from "./capacity/pool.ts";
import { CapacityPoolReconciler } from "./capacity/reconciler.ts";
import { ClusterReconciler } from "./fleet/cluster-reconciler.ts";
import { Fleet } from "./fleet/fleet.ts";
import { MemberClients, type Secret } from "./fleet/members.ts";
import { OperatorMetrics } from "./metrics/metrics.ts";
import { isFinished } from "./request/conditions.ts";
import { RequestReconciler } from "./request/reconciler.ts";
import { Controller } from "./runtime/controller.ts";
import { EventRecorder } from "./runtime/events.ts";
import { Informer } from "./runtime/informer.ts";
import type { ClusterCredentials } from "./runtime/kubeconfig.ts";
import { KubeClient, type KubeClientOptions, type KubeObject } from "./runtime/kube-client.ts";
import { LeaderElector, type LeaderElectionOptions } from "./runtime/leader-election.ts";
import type { Logger } from "./runtime/log.ts";
import { CAPACITY_POOLS, CLUSTERS, SECRETS, TENANT_REQUESTS, TENANTS } from "./runtime/resources.ts";
import { WorkQueue } from "./runtime/workqueue.ts";
import type { PlatformSettings } from "./tenant/platform.ts";
import { managedCaches, tenantOf } from "./tenant/caches.ts";
import { BY_PARENT, TenantReconciler, type TenantCaches } from "./tenant/reconciler.ts";
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
  clusterSecretsNamespace?: string;
  /** How often each member cluster is probed; tests shorten it. */
  clusterProbeIntervalMs?: number;
}

export const TENANT_CONTROLLER = "tenant";
export const REQUEST_CONTROLLER = "tenantrequest";
export const POOL_CONTROLLER = "capacitypool";
export const CLUSTER_CONTROLLER = "cluster";
/** Requests and pools are few and cheap to judge; tenants carry the load. */
const REQUEST_WORKERS = 2;
const POOL_WORKERS = 1;
/** Probes take up to a few seconds against a dead member: enough workers that one does not delay the others. */
const CLUSTER_WORKERS = 4;
/** Where member clusters' kubeconfig Secrets live: the operator's own namespace, the only one whose Secrets it may read. */
export const DEFAULT_CLUSTER_SECRETS_NAMESPACE = "yunshu-system";

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

export function connectCluster(kubeConfig: ClusterCredentials, options: KubeClientOptions, log: Logger): ClusterConnection {
  const client = new KubeClient(kubeConfig, { userAgent: "yunshu-operator", ...options });
  const tenants = new Informer<Tenant & KubeObject>(client, TENANTS, { log });
  const { namespaces, children, managed } = managedCaches(client, log);
  tenants.addIndex(BY_PARENT, (t) => (t.spec.parent ? [t.spec.parent] : []));
  return { client, caches: { tenants, namespaces, children }, managed, informers: [tenants, ...managed] };
}

export class Operator {
  /** The tenant controller's queue. */
  readonly queue: WorkQueue;
  readonly requestQueue: WorkQueue;
  readonly poolQueue: WorkQueue;
  readonly clusterQueue: WorkQueue;
  readonly hub: ClusterConnection;
  /** Self-service lives in the hub only: requests and the capacity pool. */
  readonly requests: Informer<TenantRequest & KubeObject>;
  readonly pools: Informer<CapacityPool & KubeObject>;
  /** The fleet registry: Cluster objects, and the Secrets with their kubeconfigs. */
  readonly clusters: Informer<Cluster & KubeObject>;
  readonly clusterSecrets: Informer<Secret>;
  /** Member clusters' runtimes; exists once this replica leads. */
  fleet: Fleet | undefined;
  readonly metrics: OperatorMetrics;
  private readonly options: OperatorOptions;
  private readonly abort = new AbortController();
  private running: Promise<unknown> | undefined;
  private ready = false;
  private elector: LeaderElector | undefined;

  constructor(options: OperatorOptions) {
    this.options = options;
    this.hub = connectCluster(options.kubeConfig, options.client ?? {}, options.log);
    this.requests = new Informer<TenantRequest & KubeObject>(this.hub.client, TENANT_REQUESTS, { log: options.log });
    this.pools = new Informer<CapacityPool & KubeObject>(this.hub.client, CAPACITY_POOLS, { log: options.log });
    this.clusters = new Informer<Cluster & KubeObject>(this.hub.client, CLUSTERS, { log: options.log });
    this.clusterSecrets = new Informer<Secret>(this.hub.client, SECRETS, {
      namespace: options.clusterSecretsNamespace ?? DEFAULT_CLUSTER_SECRETS_NAMESPACE,
      log: options.log,
    });
    this.hub.informers.push(this.requests, this.pools, this.clusters, this.clusterSecrets);
    const managed = new Set<unknown>(this.hub.managed);
    this.metrics = new OperatorMetrics({
      version: options.version ?? "dev",
      controllers: {
        [TENANT_CONTROLLER]: options.workers,
        [REQUEST_CONTROLLER]: REQUEST_WORKERS,
        [POOL_CONTROLLER]: POOL_WORKERS,
        [CLUSTER_CONTROLLER]: CLUSTER_WORKERS,
      },
      leaseName: options.leaderElection?.name ?? "yunshu-operator",
      sources: {
        tenants: () => this.hub.caches.tenants.list(),
        requests: () => this.requests.list(),
        informers: () => this.hub.informers.map((i) => ({ type: i.type, size: i.size, stats: i.stats, managed: managed.has(i) })),
        queueDepths: () => [
          [TENANT_CONTROLLER, this.queue.length],
          [REQUEST_CONTROLLER, this.requestQueue.length],
          [POOL_CONTROLLER, this.poolQueue.length],
          [CLUSTER_CONTROLLER, this.clusterQueue.length],
          ...[...(this.fleet?.runtimes.values() ?? [])].map((r): [string, number] => [`${TENANT_CONTROLLER}/${r.name}`, r.queue.length]),
        ],
        apiRequests: () => this.hub.client.requestCounts,
      },
    });
    this.queue = new WorkQueue({ hooks: this.metrics.queueHooks(TENANT_CONTROLLER) });
    this.requestQueue = new WorkQueue({ hooks: this.metrics.queueHooks(REQUEST_CONTROLLER) });
    this.poolQueue = new WorkQueue({ hooks: this.metrics.queueHooks(POOL_CONTROLLER) });
    this.clusterQueue = new WorkQueue({ hooks: this.metrics.queueHooks(CLUSTER_CONTROLLER) });
    const { tenants } = this.hub.caches;
    // A tenant's quota decision reads its parent, its siblings and its
    // children (quota-decision.ts), so a change wakes all of them; request
    // verdicts and the pool's sums read every tenant.
    tenants.onEvent((_event, tenant, old) => {
      const name = tenant.metadata.name;
      const affected = new Set([name, ...tenants.byIndex(BY_PARENT, name).map((c) => c.metadata.name)]);
      for (const parent of new Set([tenant.spec.parent, old?.spec.parent])) {
        if (!parent) continue;
        affected.add(parent);
        for (const sibling of tenants.byIndex(BY_PARENT, parent)) affected.add(sibling.metadata.name);
      }
      for (const key of affected) this.queue.add(key);
      this.fleet?.enqueue(affected);
      this.queueOpenRequests();
      this.poolQueue.add(DEFAULT_POOL);
    });
    this.requests.onEvent((_event, request) => this.requestQueue.add(request.metadata.name));
    this.clusters.onEvent((event, cluster, old) => {
      this.clusterQueue.add(cluster.metadata.name);
      // A cluster that joins, leaves or changes region or tier can change any tenant's placement.
      if (event !== "update" || cluster.metadata.generation !== old?.metadata.generation) {
        this.resyncTenants();
        this.queueOpenRequests();
        return;
      }
      // The hub's Ready for a placed tenant says whether its clusters are up.
      const ready = (c: Cluster | undefined) => c?.status?.conditions?.find((x) => x.type === "Ready")?.status;
      if (ready(cluster) !== ready(old)) for (const t of this.hub.caches.tenants.list()) this.queue.add(t.metadata.name);
    });
    // A rotated kubeconfig Secret reconnects its cluster at once.
    this.clusterSecrets.onEvent((_event, secret) => {
      for (const cluster of this.clusters.list()) {
        if (cluster.spec.kubeconfigSecretRef?.name === secret.metadata.name) this.clusterQueue.add(cluster.metadata.name);
      }
    });
    this.pools.onEvent((_event, pool) => {
      this.poolQueue.add(pool.metadata.name);
      this.queueOpenRequests();
    });
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
    this.fleet = new Fleet({
      hub: this.hub.client,
      tenants: this.hub.caches.tenants,
      clusters: this.clusters,
      events: new EventRecorder(this.hub.client, { log }),
      platform: this.options.platform,
      log,
      hooks: (cluster) => ({
        queue: this.metrics.queueHooks(`${TENANT_CONTROLLER}/${cluster}`),
        controller: this.metrics.controllerHooks(`${TENANT_CONTROLLER}/${cluster}`),
      }),
    });
    const reconciler = new TenantReconciler({
      client: this.hub.client,
      fleet: this.fleet.hubView(),
      caches: this.hub.caches,
      events: new EventRecorder(this.hub.client, { log }),
      log,
      platform: this.options.platform,
    });
    const controller = new Controller(TENANT_CONTROLLER, this.queue, reconciler, { log, hooks: this.metrics.controllerHooks(TENANT_CONTROLLER) });
    const requestReconciler = new RequestReconciler({
      client: this.hub.client,
      caches: { requests: this.requests, tenants: this.hub.caches.tenants, pools: this.pools, clusters: this.clusters },
      events: new EventRecorder(this.hub.client, { log }),
      log,
    });
    const requestController = new Controller(REQUEST_CONTROLLER, this.requestQueue, requestReconciler, {
      log,
      hooks: this.metrics.controllerHooks(REQUEST_CONTROLLER),
    });
    const poolReconciler = new CapacityPoolReconciler({ client: this.hub.client, pools: this.pools, tenants: this.hub.caches.tenants });
    const poolController = new Controller(POOL_CONTROLLER, this.poolQueue, poolReconciler, { log, hooks: this.metrics.controllerHooks(POOL_CONTROLLER) });
    const clusterReconciler = new ClusterReconciler({
      hub: this.hub.client,
      clusters: this.clusters,
      members: new MemberClients({
        hub: this.hub.client,
        secrets: this.clusterSecrets,
        namespace: this.options.clusterSecretsNamespace ?? DEFAULT_CLUSTER_SECRETS_NAMESPACE,
        options: this.options.client ?? {},
      }),
      fleet: this.fleet,
      hubNamespaces: () => this.hub.caches.namespaces.size,
      events: new EventRecorder(this.hub.client, { log }),
      log,
      probeIntervalMs: this.options.clusterProbeIntervalMs,
    });
    const clusterController = new Controller(CLUSTER_CONTROLLER, this.clusterQueue, clusterReconciler, {
      log,
      hooks: this.metrics.controllerHooks(CLUSTER_CONTROLLER),
    });
    const resync = setInterval(() => this.resyncAll(), resyncMs);
    resync.unref();
    signal.addEventListener("abort", () => clearInterval(resync), { once: true });
    this.running = Promise.all([
      informersDone,
      controller.run(workers),
      requestController.run(REQUEST_WORKERS),
      poolController.run(POOL_WORKERS),
      clusterController.run(CLUSTER_WORKERS),
      electing?.done,
    ]);
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
        this.shutdownQueues();
        this.options.onLostLeadership?.();
      },
    });
    this.elector = elector;
    this.hub.client.writeGate = () => elector.isLeader;
    log.info("waiting to lead", { lease: `${settings.namespace}/${settings.name}`, identity: elector.identity });
    return { leading, done: elector.run(signal) };
  }

  /** Queues every tenant, open request and pool: level-triggered reconciles make this safe at any time. */
  resyncAll(): void {
    this.resyncTenants();
    this.queueOpenRequests();
    for (const pool of this.pools.list()) this.poolQueue.add(pool.metadata.name);
    for (const cluster of this.clusters.list()) this.clusterQueue.add(cluster.metadata.name);
  }

  private resyncTenants(): void {
    const names = this.hub.caches.tenants.list().map((t) => t.metadata.name);
    for (const name of names) this.queue.add(name);
    this.fleet?.enqueue(names);
  }

  /** Requests whose verdict may change: finished ones are records and never looked at again. */
  private queueOpenRequests(): void {
    for (const request of this.requests.list()) if (!isFinished(request)) this.requestQueue.add(request.metadata.name);
  }

  private shutdownQueues(): void {
    for (const queue of [this.queue, this.requestQueue, this.poolQueue, this.clusterQueue]) queue.shutdown();
  }

  /** Graceful: no new keys, in-flight reconciles finish, watches close. */
  async stop(): Promise<void> {
    this.ready = false;
    this.shutdownQueues();
    this.abort.abort();
    // Members last: a cluster reconcile still finishing could otherwise start a member runtime after they stopped.
    await this.running;
    await this.fleet?.stop();
  }
}
