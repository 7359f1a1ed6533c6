// The fleet as the tenant reconcilers see it: where each tenant is placed,
// each cluster's share of its quota, how its placed members are doing, and
// one runtime per reachable member cluster.
import { NO_RETAINED, type RetainedLedger } from "../tenant/retained.ts";
import type { Cluster, Share } from "../api/generated.ts";
import type { ResourceList } from "../api/quantity.ts";
import type { ControllerHooks, KeySink } from "../runtime/controller.ts";
import type { EventRecorder } from "../runtime/events.ts";
import type { Informer } from "../runtime/informer.ts";
import type { KubeClient, KubeObject } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import type { WorkQueueHooks } from "../runtime/workqueue.ts";
import type { PlatformSettings } from "../tenant/platform.ts";
import { tenantDirectory } from "../tenant/directory.ts";
import type { HubFleet } from "../tenant/hub-role.ts";
import { MemberRole } from "../tenant/member-role.ts";
import { decideQuota, type TenantDirectory } from "../tenant/quota-decision.ts";
import type { Placement } from "../tenant/role.ts";
import type { SecurityProfile } from "../tenant/profile.ts";
import type { Tenant } from "../tenant/types.ts";
import { ClusterLoads, type Shares } from "./cluster-loads.ts";
import type { ClusterLoad } from "./cluster-status.ts";
import { MemberRuntime } from "./member-runtime.ts";
import { hubName, placeTenant } from "./placement.ts";

export interface FleetDeps {
  hub: KubeClient;
  tenants: Informer<Tenant & KubeObject>;
  profiles: Informer<SecurityProfile & KubeObject>;
  /** The hub's Shares: members render their paired policies too. */
  shares?: Informer<Share & KubeObject>;
  clusters: Informer<Cluster & KubeObject>;
  events: EventRecorder;
  platform: PlatformSettings;
  /** What deleted tenants' retained namespaces hold, on every cluster. */
  retained?: RetainedLedger;
  log: Logger;
  hooks?: (cluster: string) => { queue?: WorkQueueHooks; controller?: ControllerHooks };
}

export class Fleet implements KeySink {
  readonly runtimes = new Map<string, MemberRuntime>();
  private readonly deps: FleetDeps;
  private readonly directory: TenantDirectory;
  private readonly loads: ClusterLoads;
  private stopped = false;

  constructor(deps: FleetDeps) {
    this.deps = deps;
    this.directory = tenantDirectory(deps.tenants, deps.retained);
    this.loads = new ClusterLoads(
      (name) => this.sharesOf(name),
      () => deps.tenants.list().map((t) => t.metadata.name),
    );
  }

  /** The hub's view: its cluster is whichever Cluster has no kubeconfig (or "hub" before any is registered). */
  hubView(): HubFleet {
    const clusters = this.deps.clusters;
    return {
      get cluster() {
        return hubName(clusters.list());
      },
      place: (tenant, own) => this.place(tenant, own, hubName(this.deps.clusters.list())),
      memberProblems: (tenant, others) => this.memberProblems(tenant, others),
      membersPending: (tenant) => [...this.runtimes.values()].filter((r) => r.pendingNamespaces(tenant.metadata.name).length > 0).map((r) => r.name),
      clients: () => [{ name: hubName(this.deps.clusters.list()), client: this.deps.hub }, ...[...this.runtimes.values()].map((r) => ({ name: r.name, client: r.client }))],
    };
  }

  /** Where the tenant is placed and `cluster`'s share of `own` (placement.ts's placeTenant). */
  private place(tenant: Tenant, own: ResourceList, cluster: string): Placement {
    const { placed, perCluster, problems } = placeTenant(tenant, own, this.deps.clusters.list());
    return { placed, share: perCluster.get(cluster) ?? {}, problems };
  }

  /** Why the tenant is not ready on each of `clusters`, from the Cluster's health and the cluster's own entry. */
  private memberProblems(tenant: Tenant, clusters: string[]): string[] {
    const problems: string[] = [];
    for (const name of clusters) {
      const cluster = this.deps.clusters.get(name);
      const ready = cluster?.status?.conditions?.find((c) => c.type === "Ready");
      const entry = tenant.status?.clusters?.find((c) => c.name === name);
      if (ready && ready.status !== "True") problems.push(`${name}: the cluster is not ready (${ready.reason}: ${ready.message})`);
      else if (!entry || entry.observedGeneration !== tenant.metadata.generation) problems.push(`${name}: not reconciled yet`);
      else if (!entry.ready) problems.push(`${name}: ${entry.message ?? "not ready"}`);
    }
    return problems;
  }

  /** What the cluster carries: the tenants placed on it, the namespaces yunshu manages there, and their quota shares summed. */
  load(cluster: string, hubNamespaces: number): ClusterLoad {
    const { tenants, allocated } = this.loads.of(cluster);
    // Namespaces deleted tenants left behind hold what they hold here, whoever's budget they are charged to.
    for (const [r, v] of Object.entries((this.deps.retained ?? NO_RETAINED).heldOn(cluster))) allocated[r] = (allocated[r] ?? 0n) + v;
    const runtime = this.runtimes.get(cluster);
    // A member's cache that has not synced yet counts too few: its count would be written, then corrected.
    const namespaces = runtime ? (runtime.synced ? runtime.caches.namespaces.size : undefined) : hubNamespaces;
    return { tenants, namespaces, allocated };
  }

  /** How many tenants' placements the cluster loads have worked out so far. */
  get loadRecomputations(): number {
    return this.loads.recomputed;
  }

  /** Where the tenant is placed and each cluster's share of its own quota, for the cluster loads. */
  private sharesOf(name: string): Shares {
    const tenant = this.deps.tenants.get(name);
    if (!tenant || tenant.metadata.deletionTimestamp) return undefined;
    const { own } = decideQuota(tenant, this.directory);
    return placeTenant(tenant, own, this.deps.clusters.list()).perCluster;
  }

  /** A member's client is new (first connection, or rotated credentials): its runtime starts over with it. */
  async connected(name: string, client: KubeClient): Promise<void> {
    if (this.stopped) return;
    const current = this.runtimes.get(name);
    if (current?.client === client) return;
    if (current) await this.disconnected(name);
    if (this.stopped) return;
    const hooks = this.deps.hooks?.(name) ?? {};
    const runtime = new MemberRuntime({
      name,
      client,
      tenants: this.deps.tenants,
      profiles: this.deps.profiles,
      shares: this.deps.shares,
      role: new MemberRole(name, this.deps.hub, (tenant, own) => this.place(tenant, own, name)),
      events: this.deps.events,
      platform: this.deps.platform,
      retained: this.deps.retained,
      log: this.deps.log,
      queueHooks: hooks.queue,
      controllerHooks: hooks.controller,
    });
    this.runtimes.set(name, runtime);
    runtime.start();
    this.deps.log.info("member cluster connected", { cluster: name });
  }

  async disconnected(name: string): Promise<void> {
    const runtime = this.runtimes.get(name);
    if (!runtime) return;
    this.runtimes.delete(name);
    await runtime.stop();
    this.deps.log.info("member cluster disconnected", { cluster: name });
  }

  /**
   * A tenant to look at again on every member. Whatever can move a tenant or
   * change its quota decision comes here (the tenant controller's mapping:
   * the tenant itself, its family, a Cluster it is placed on, a resync), so
   * this is also what makes its cluster loads stale.
   */
  add(tenant: string): void {
    this.loads.invalidate(tenant);
    for (const runtime of this.runtimes.values()) runtime.queue.add(tenant);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.runtimes.keys()].map((name) => this.disconnected(name)));
  }
}
