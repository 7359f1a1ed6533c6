// Composes the operator: the hub's caches, the controllers (each declares
// beside itself what it watches and how events map to its keys), one work
// queue each, leader election, the fleet of member clusters, metrics, and
// an orderly shutdown.
import { SECURITY_PROFILE_RESOURCE, type CapacityPool, type Cluster, type SecurityProfile, type Share, type ShareAction, type TenantRequest } from "./api/generated.ts";
import type { KubeObject } from "./api/meta.ts";
import { CLUSTER_CREDENTIALS_NAMESPACE, OPERATOR_LEASE } from "./api/names.ts";
import { CAPACITY_POOLS, CLUSTERS, SECRETS, SHARE_ACTIONS, SHARES, TENANT_REQUESTS, TENANTS } from "./api/resources.ts";
import { poolController } from "./capacity/controller.ts";
import { clusterController } from "./fleet/cluster-controller.ts";
import { Fleet } from "./fleet/fleet.ts";
import type { Secret } from "./fleet/members.ts";
import { OperatorMetrics } from "./metrics/metrics.ts";
import { requestController } from "./request/controller.ts";
import { Controller, type ControllerDefinition } from "./runtime/controller.ts";
import { EventRecorder } from "./runtime/events.ts";
import { Informer } from "./runtime/informer.ts";
import type { ClusterCredentials } from "./runtime/kubeconfig.ts";
import { KubeClient, type KubeClientOptions } from "./runtime/kube-client.ts";
import { LeaderElector, type LeaderElectionOptions } from "./runtime/leader-election.ts";
import type { Logger } from "./runtime/log.ts";
import { sleep } from "./runtime/sleep.ts";
import { WorkQueue } from "./runtime/workqueue.ts";
import { managedCaches, type TenantCaches } from "./tenant/caches.ts";
import { shareController } from "./share/controller.ts";
import { DEFAULT_AUDIT_INTERVAL_MS, IsolationAuditor } from "./audit/auditor.ts";
import { BY_SHARE, BY_SIDE, shareOf, sidesOf } from "./share/decision.ts";
import { retainedLedger, type RetainedLedger } from "./tenant/retained.ts";
import { hubName } from "./fleet/placement.ts";
import { TENANT_CONTROLLER, tenantController } from "./tenant/controller.ts";
import { createMissingProfiles } from "./tenant/default-profiles.ts";
import { indexByParent } from "./tenant/directory.ts";
import type { PlatformSettings } from "./tenant/platform.ts";
import type { Tenant } from "./tenant/types.ts";

export type LeaderElectionSettings = Pick<LeaderElectionOptions, "namespace" | "name" | "identity" | "leaseDurationMs" | "renewDeadlineMs" | "retryPeriodMs">;

export interface OperatorOptions {
  kubeConfig: ClusterCredentials;
  /** Rate limits, for the hub's client and every member's. */
  client?: KubeClientOptions;
  /**
   * Whom to act as on the hub (`--as-operator`: the operator's
   * ServiceAccount, when the kubeconfig is an admin's). Members are never
   * sent it: their kubeconfigs carry the member operator's own credentials.
   */
  impersonate?: KubeClientOptions["impersonate"];
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
  /** How many pending TenantRequests of one requester are judged at a time (request/authority.ts). */
  maxPendingRequests?: number;
  /** How often the leader audits every cluster's isolation (audit/auditor.ts); 0 never. */
  auditIntervalMs?: number;
  /** How often each member cluster is probed; tests shorten it. */
  clusterProbeIntervalMs?: number;
}

/** What running and syncing needs of an informer, whatever it caches. */
export type RunnableInformer = Pick<Informer<KubeObject>, "run" | "waitForSync" | "type" | "size" | "stats">;

/** Between attempts at creating the shipped SecurityProfiles: doubling from the first to the last. */
const PROFILE_RETRY_MS = { first: 500, last: 30_000 };

/** The hub's client and caches. */
export interface HubConnection {
  client: KubeClient;
  caches: TenantCaches;
  /** Informers of the objects in tenant namespaces (not Tenants). */
  managed: Informer<KubeObject>[];
  /** The tenant an event on one of them concerns. */
  keysOf(obj: KubeObject): string[];
  informers: RunnableInformer[];
}

function connectHub(options: OperatorOptions): HubConnection {
  const { log } = options;
  const client = new KubeClient(options.kubeConfig, { userAgent: "yunshu-operator", ...options.client, impersonate: options.impersonate });
  const tenants = new Informer<Tenant & KubeObject>(client, TENANTS, { log });
  indexByParent(tenants);
  const profiles = new Informer<SecurityProfile & KubeObject>(client, SECURITY_PROFILE_RESOURCE, { log });
  const shares = new Informer<Share & KubeObject>(client, SHARES, { log });
  shares.addIndex(BY_SIDE, sidesOf);
  const { namespaces, children, grants, informers, keysOf } = managedCaches(client, log);
  return {
    client,
    caches: { tenants, profiles, shares, namespaces, children, grants },
    managed: informers,
    keysOf,
    informers: [tenants, profiles, shares, ...informers],
  };
}

interface RunningController {
  definition: ControllerDefinition;
  queue: WorkQueue;
}

export class Operator {
  readonly hub: HubConnection;
  /** Member clusters' runtimes; exists once this replica leads. */
  fleet: Fleet | undefined;
  readonly metrics: OperatorMetrics;
  /** The hub's TenantRequests, as cached: departments' view of theirs reads them (request/department-view.ts). */
  readonly requests: Informer<TenantRequest & KubeObject>;
  private readonly controllers: RunningController[];
  private readonly clusters: Informer<Cluster & KubeObject>;
  private readonly options: OperatorOptions;
  private readonly abort = new AbortController();
  private running: Promise<unknown> | undefined;
  private ready = false;
  private elector: LeaderElector | undefined;
  private readonly retained: RetainedLedger;
  /** The latest isolation audit of every cluster, exported as metrics. */
  readonly auditor: IsolationAuditor;

  /** The hub's name among the Clusters ("hub" until it is registered as one). */
  get hubClusterName(): string {
    return hubName(this.clusters.list());
  }

  constructor(options: OperatorOptions) {
    this.options = options;
    const { log } = options;
    this.hub = connectHub(options);
    const hubClient = this.hub.client;
    const { tenants } = this.hub.caches;
    // Self-service and the fleet registry live in the hub only.
    const requests = new Informer<TenantRequest & KubeObject>(hubClient, TENANT_REQUESTS, { log });
    this.requests = requests;
    const pools = new Informer<CapacityPool & KubeObject>(hubClient, CAPACITY_POOLS, { log });
    const clusters = new Informer<Cluster & KubeObject>(hubClient, CLUSTERS, { log });
    this.clusters = clusters;
    const secretsNamespace = options.clusterSecretsNamespace ?? CLUSTER_CREDENTIALS_NAMESPACE;
    const clusterSecrets = new Informer<Secret>(hubClient, SECRETS, { namespace: secretsNamespace, log });
    const shareActions = new Informer<ShareAction & KubeObject>(hubClient, SHARE_ACTIONS, { log });
    shareActions.addIndex(BY_SHARE, shareOf);
    this.hub.informers.push(requests, pools, clusters, clusterSecrets, shareActions);
    const events = new EventRecorder(hubClient, { log });
    const fleet = () => this.fleet;
    // Every cluster's caches, the members' once this replica leads: what
    // deleted tenants' retained namespaces hold, and what the metering exports.
    const clusterCaches = () => [
      { cluster: hubName(clusters.list()), caches: this.hub.caches },
      ...[...(this.fleet?.runtimes.values() ?? [])].map((r) => ({ cluster: r.name, caches: r.caches })),
    ];
    const retained = retainedLedger(clusterCaches);
    this.retained = retained;

    const definitions = [
      tenantController({ ...this.hub, client: hubClient, clusters, fleet, events, log, platform: options.platform, retained, workers: options.workers }),
      requestController({ client: hubClient, requests, tenants, pools, clusters, profiles: this.hub.caches.profiles, events, log, maxPendingRequests: options.maxPendingRequests, retained }),
      shareController({ client: hubClient, shares: this.hub.caches.shares!, actions: shareActions, tenants, hub: () => hubName(clusters.list()), events, log }),
      poolController({ client: hubClient, pools, tenants, retained, namespaces: this.hub.caches.namespaces }),
      clusterController({
        hub: hubClient,
        clusters,
        secrets: clusterSecrets,
        secretsNamespace,
        memberClientOptions: options.client ?? {},
        fleet,
        hubNamespaces: () => this.hub.caches.namespaces.size,
        events,
        log,
        probeIntervalMs: options.clusterProbeIntervalMs,
      }),
    ];
    // Its own client: an audit's lists must not queue behind the reconciles' writes, nor they behind it.
    const auditClient = new KubeClient(options.kubeConfig, { userAgent: "yunshu-audit", qps: 10, burst: 20, impersonate: options.impersonate });
    this.auditor = new IsolationAuditor({
      clusters: () => [
        { name: hubName(clusters.list()), client: auditClient },
        ...[...(this.fleet?.runtimes.values() ?? [])].map((r) => ({ name: r.name, client: r.client })),
      ],
      tenants: () => tenants.list(),
      shares: () => this.hub.caches.shares?.list() ?? [],
      platform: options.platform,
      log: log.with({ component: "audit" }),
      intervalMs: options.auditIntervalMs ?? DEFAULT_AUDIT_INTERVAL_MS,
    });
    const managed = new Set<unknown>(this.hub.managed);
    this.metrics = new OperatorMetrics({
      version: options.version ?? "dev",
      controllers: Object.fromEntries(definitions.map((d) => [d.name, d.workers])),
      leaseName: this.leaseName,
      sources: {
        tenants: () => tenants.list(),
        requests: () => requests.list(),
        clusterCaches,
        clusters: () => clusters.list(),
        informers: () => this.hub.informers.map((i) => ({ type: i.type, size: i.size, stats: i.stats, managed: managed.has(i) })),
        queueDepths: () => [
          ...this.controllers.map((c): [string, number] => [c.definition.name, c.queue.length]),
          ...[...(this.fleet?.runtimes.values() ?? [])].map((r): [string, number] => [`${TENANT_CONTROLLER}/${r.name}`, r.queue.length]),
        ],
        apiRequests: () => [
          [hubName(clusters.list()), hubClient.requestCounts],
          ...[...(this.fleet?.runtimes.values() ?? [])].map((r): [string, ReadonlyMap<string, number>] => [r.name, r.client.requestCounts]),
        ],
        loadRecomputations: () => this.fleet?.loadRecomputations ?? 0,
        audits: () => this.auditor.latest.values(),
      },
    });
    this.controllers = definitions.map((definition) => {
      const queue = new WorkQueue({ hooks: this.metrics.queueHooks(definition.name) });
      definition.watch(queue);
      return { definition, queue };
    });
  }

  /** The tenant controller's queue. */
  get queue(): WorkQueue {
    return this.controllers.find((c) => c.definition.name === TENANT_CONTROLLER)!.queue;
  }

  /** True once every cache has synced: a standby is ready too, to take over at once. */
  get isReady(): boolean {
    return this.ready;
  }

  /** True while this replica may write: always without leader election. */
  get isLeader(): boolean {
    return this.elector ? this.elector.isLeader : this.ready;
  }

  private get leaseName(): string {
    return this.options.leaderElection?.name ?? OPERATOR_LEASE;
  }

  /**
   * Until it works, whatever the failure, for as long as the operator runs:
   * a tenant of a level without its profile changes nothing, and just after
   * an API server restart even an allowed request is refused for a moment
   * (403 before its authorizer has loaded RBAC, 503), which giving up on
   * left tenants stuck until the operator restarted (the fault battery).
   */
  private async createMissingProfiles(signal: AbortSignal): Promise<void> {
    const { log } = this.options;
    for (let delay = PROFILE_RETRY_MS.first; !signal.aborted; delay = Math.min(delay * 2, PROFILE_RETRY_MS.last)) {
      try {
        await createMissingProfiles(this.hub.client, this.hub.caches.profiles, log);
        return;
      } catch (err) {
        log.warn("could not create the shipped SecurityProfiles yet, retrying; tenants of a level without one change nothing until it exists", {
          error: err instanceof Error ? err.message : String(err),
          retryInMs: delay,
        });
        await sleep(delay, signal);
      }
    }
  }

  /** Starts informers, waits for their first list, then runs workers until stop(). */
  async start(): Promise<void> {
    const { log, resyncMs } = this.options;
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
    this.metrics.setLeader(this.leaseName, true);
    // Beside the workers, not before them: tenants of a level whose profile
    // is missing wait (SecurityProfileNotFound) and wake when it appears.
    void this.createMissingProfiles(signal);
    this.fleet = new Fleet({
      hub: this.hub.client,
      tenants: this.hub.caches.tenants,
      profiles: this.hub.caches.profiles,
      shares: this.hub.caches.shares,
      clusters: this.clusters,
      events: new EventRecorder(this.hub.client, { log }),
      platform: this.options.platform,
      retained: this.retained,
      log,
      hooks: (cluster) => ({
        queue: this.metrics.queueHooks(`${TENANT_CONTROLLER}/${cluster}`),
        controller: this.metrics.controllerHooks(`${TENANT_CONTROLLER}/${cluster}`),
      }),
    });
    const workers = this.controllers.map(({ definition, queue }) =>
      new Controller(definition.name, queue, definition.reconciler(), { log, hooks: this.metrics.controllerHooks(definition.name) }).run(definition.workers),
    );
    const auditing = (this.options.auditIntervalMs ?? DEFAULT_AUDIT_INTERVAL_MS) > 0 ? this.auditor.run(signal) : Promise.resolve();
    const resync = setInterval(() => this.resyncAll(), resyncMs);
    resync.unref();
    signal.addEventListener("abort", () => clearInterval(resync), { once: true });
    this.running = Promise.all([informersDone, ...workers, electing?.done, auditing]);
    await this.running;
  }

  /**
   * Runs leader election with its own client (the lease must be renewable
   * when the main client's writes are shut off); the main client writes only
   * while this replica leads.
   */
  private campaign(settings: LeaderElectionSettings, signal: AbortSignal): { leading: Promise<void>; done: Promise<void> } {
    const { log, kubeConfig, client, impersonate } = this.options;
    let started!: () => void;
    const leading = new Promise<void>((resolve) => (started = resolve));
    const elector = new LeaderElector({
      ...settings,
      client: new KubeClient(kubeConfig, { ...client, impersonate, userAgent: "yunshu-operator/leader-election" }),
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

  /** Queues every key of every controller: level-triggered reconciles make this safe at any time. */
  resyncAll(): void {
    for (const { definition, queue } of this.controllers) definition.resync(queue);
  }

  private shutdownQueues(): void {
    for (const { queue } of this.controllers) queue.shutdown();
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
