// Everything yunshu runs for one member cluster: caches of what it manages
// there, its own work queue and workers, and the tenant reconciler in
// member mode. Members share nothing but the hub's Tenant and profile caches, so a member
// that is slow, down or refusing writes backs off on its own queue while the
// others go on at full speed.
import type { RetainedLedger } from "../tenant/retained.ts";
import { Controller, watch, type ControllerHooks } from "../runtime/controller.ts";
import type { EventRecorder } from "../runtime/events.ts";
import { SECURITY_PROFILE_RESOURCE, type Share } from "../api/generated.ts";
import { Informer } from "../runtime/informer.ts";
import type { KubeClient, KubeObject } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { WorkQueue, type WorkQueueHooks } from "../runtime/workqueue.ts";
import { managedCaches, ownedNamespaces, tenantsAtLevel, type TenantCaches } from "../tenant/caches.ts";
import { isReleased } from "../tenant/labels.ts";
import type { MemberRole } from "../tenant/member-role.ts";
import type { PlatformSettings } from "../tenant/platform.ts";
import type { SecurityProfile } from "../tenant/profile.ts";
import { TenantReconciler } from "../tenant/reconciler.ts";
import type { Tenant } from "../tenant/types.ts";

export const MEMBER_WORKERS = 4;
const MEMBER_MAX_RETRY_DELAY_MS = 30_000;

export class MemberRuntime {
  readonly name: string;
  readonly client: KubeClient;
  readonly queue: WorkQueue;
  readonly caches: TenantCaches;
  private readonly managed: Pick<Informer<KubeObject>, "run" | "waitForSync" | "type" | "size" | "synced">[];
  private readonly controller: Controller;
  private readonly abort = new AbortController();
  private running: Promise<unknown> | undefined;
  private readonly log: Logger;

  constructor(deps: {
    name: string;
    client: KubeClient;
    tenants: Informer<Tenant & KubeObject>;
    profiles: Informer<SecurityProfile & KubeObject>;
    shares?: Informer<Share & KubeObject>;
    role: MemberRole;
    events: EventRecorder;
    platform: PlatformSettings;
    retained?: RetainedLedger;
    log: Logger;
    queueHooks?: WorkQueueHooks;
    controllerHooks?: ControllerHooks;
  }) {
    this.name = deps.name;
    this.client = deps.client;
    this.log = deps.log.with({ cluster: deps.name });
    const { namespaces, children, grants, informers, keysOf } = managedCaches(deps.client, this.log);
    const localProfiles = new Informer<SecurityProfile & KubeObject>(deps.client, SECURITY_PROFILE_RESOURCE, { log: this.log });
    this.managed = [...informers, localProfiles];
    this.caches = { tenants: deps.tenants, profiles: deps.profiles, shares: deps.shares, localProfiles, namespaces, children, grants };
    // A member that refused or failed writes for a while must not leave
    // its tenants minutes away from their next attempt once it is fixed.
    this.queue = new WorkQueue({ hooks: deps.queueHooks, maxDelayMs: MEMBER_MAX_RETRY_DELAY_MS });
    // The hub's tenant controller queues tenant changes here too (Fleet.add).
    for (const informer of informers) watch(informer, this.queue, (_event, obj) => keysOf(obj));
    // A hand edit of the member's copy of a profile: its tenants put it back.
    watch(localProfiles, this.queue, (_event, profile) => tenantsAtLevel(deps.tenants, profile.spec.level));
    const reconciler = new TenantReconciler({
      client: deps.client,
      caches: this.caches,
      events: deps.events,
      log: this.log,
      platform: deps.platform,
      role: deps.role,
      retained: deps.retained,
    });
    this.controller = new Controller(`tenant/${deps.name}`, this.queue, reconciler, { log: this.log, hooks: deps.controllerHooks });
  }

  /** Starts the member's caches, and its workers once they have synced (a member that is down syncs when it comes back). */
  start(): void {
    const signal = this.abort.signal;
    const informersDone = Promise.all(this.managed.map((i) => i.run(signal)));
    const synced = Promise.all(this.managed.map((i) => i.waitForSync())).then(() => {
      if (signal.aborted) return;
      this.log.info("member caches synced", Object.fromEntries(this.managed.map((i) => [i.type.plural, i.size])));
      this.resync();
      return this.controller.run(MEMBER_WORKERS);
    });
    this.running = Promise.all([informersDone, Promise.race([synced, informersDone])]);
  }

  get synced(): boolean {
    return this.managed.every((i) => i.synced);
  }

  /** Every tenant, again: after the member comes back, or when its caches first sync. */
  resync(): void {
    for (const tenant of this.caches.tenants.list()) this.queue.add(tenant.metadata.name);
  }

  /** The tenant's namespaces here that deletionPolicy has not dealt with yet. */
  pendingNamespaces(tenant: string): KubeObject[] {
    return ownedNamespaces(this.caches, tenant).filter((ns) => !ns.metadata.deletionTimestamp && !isReleased(ns));
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    this.abort.abort();
    await this.running;
    await this.client.close();
  }
}
