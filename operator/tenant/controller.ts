// The hub's tenant controller: what wakes a tenant, and its reconciler in
// the hub's role. A tenant's quota decision reads its parent, its siblings
// and its children (quota-decision.ts), so a change to one wakes all of them,
// on the hub and on every member; a change to anything yunshu manages wakes
// its tenant; a SecurityProfile changing changes every tenant of its level;
// a Cluster changing can move the tenants placed on it.
import type { RetainedLedger } from "./retained.ts";
import type { Cluster } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import { watch, type ControllerDefinition, type KeySink } from "../runtime/controller.ts";
import type { EventRecorder } from "../runtime/events.ts";
import type { Informer, InformerEvent } from "../runtime/informer.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { tenantsAtLevel, type TenantCaches } from "./caches.ts";
import type { Tenant } from "./types.ts";
import { BY_PARENT } from "./directory.ts";
import { HubRole, type HubFleet } from "./hub-role.ts";
import type { PlatformSettings } from "./platform.ts";
import { TenantReconciler } from "./reconciler.ts";
import { BY_SIDE, sidesOf } from "../share/decision.ts";
import { tenantsOnChangedCluster } from "../fleet/placement.ts";

export const TENANT_CONTROLLER = "tenant";

export interface TenantControllerDeps {
  client: KubeClient;
  caches: TenantCaches;
  /** Informers of what is in the hub's tenant namespaces. */
  managed: Informer<KubeObject>[];
  /** The tenant an event on one of them concerns. */
  keysOf(obj: KubeObject): string[];
  clusters: Informer<Cluster & KubeObject>;
  /** The fleet once this replica leads: the hub's view of it, and the member runtimes' queues. */
  fleet: () => (KeySink & { hubView(): HubFleet }) | undefined;
  events: EventRecorder;
  log: Logger;
  platform: PlatformSettings;
  /** What deleted tenants' retained namespaces hold, on every cluster. */
  retained?: RetainedLedger;
  workers: number;
}

export function tenantController(deps: TenantControllerDeps): ControllerDefinition {
  const { tenants } = deps.caches;
  const everywhere = (hub: KeySink): KeySink => ({
    add: (key) => {
      hub.add(key);
      deps.fleet()?.add(key);
    },
  });
  return {
    name: TENANT_CONTROLLER,
    workers: deps.workers,
    watch(queue) {
      watch(tenants, everywhere(queue), (_event, tenant, old) => {
        const name = tenant.metadata.name;
        const affected = new Set([name, ...tenants.byIndex(BY_PARENT, name).map((c) => c.metadata.name)]);
        // An Ingress domain granted or given up can settle who of the tenants with domains holds which (ingress-domains.ts).
        if (domainsOf(tenant) !== domainsOf(old)) {
          for (const t of tenants.list()) if (t.spec.network?.ingressDomains?.length) affected.add(t.metadata.name);
        }
        // The other side of its Shares renders namespaces of this one by name.
        for (const share of deps.caches.shares?.byIndex(BY_SIDE, name) ?? []) for (const side of sidesOf(share)) affected.add(side);
        for (const parent of new Set([tenant.spec.parent, old?.spec.parent])) {
          if (!parent) continue;
          affected.add(parent);
          for (const sibling of tenants.byIndex(BY_PARENT, parent)) affected.add(sibling.metadata.name);
        }
        return affected;
      });
      // A platform change to a profile reaches every tenant of its level, here and on every member.
      watch(deps.caches.profiles, everywhere(queue), (_event, profile, old) => new Set([profile.spec.level, old?.spec.level ?? profile.spec.level].flatMap((l) => tenantsAtLevel(tenants, l))));
      // A Share that opens or closes (its status, the operator's verdict) changes both sides' policies, here and on every member.
      if (deps.caches.shares) watch(deps.caches.shares, everywhere(queue), (_event, share, old) => new Set([...sidesOf(share), ...(old ? sidesOf(old) : [])]));
      // Drift, deletion, quota usage, a department's own bindings: level-triggered reconcile works out the rest.
      for (const informer of deps.managed) watch(informer, queue, (_event, obj) => deps.keysOf(obj));
      // A cluster that joins, leaves or changes region or tier can change the
      // placement of the tenants placed on it before or after; one whose
      // readiness changes changes the hub's Ready of the tenants placed on it.
      // A probe that finds nothing new changes neither, and wakes nobody.
      watch(deps.clusters, everywhere(queue), (event, cluster, old) => (placementMayChange(event, cluster, old) ? tenantsOn(event, cluster, old) : []));
      watch(deps.clusters, queue, (event, cluster, old) => (!placementMayChange(event, cluster, old) && ready(cluster) !== ready(old) ? tenantsOn(event, cluster, old) : []));
    },
    resync(queue) {
      const sink = everywhere(queue);
      for (const name of allTenants()) sink.add(name);
    },
    reconciler() {
      const fleet = deps.fleet();
      if (!fleet) throw new Error("the tenant controller starts only once the fleet exists (after this replica leads)");
      return new TenantReconciler({
        client: deps.client,
        caches: deps.caches,
        events: deps.events,
        log: deps.log,
        platform: deps.platform,
        role: new HubRole(deps.client, fleet.hubView(), deps.platform.offboardingGracePeriodMs),
        retained: deps.retained,
      });
    },
  };

  function allTenants(): string[] {
    return tenants.list().map((t) => t.metadata.name);
  }

  function tenantsOn(event: InformerEvent, cluster: Cluster, old: Cluster | undefined): string[] {
    const [before, after] = event === "delete" ? [cluster, undefined] : [old, cluster];
    return tenantsOnChangedCluster(tenants.list(), deps.clusters.list(), before, after);
  }
}

/** Whether a Cluster event can change where tenants are placed: it came, went, or its spec changed. */
export function placementMayChange(event: string, cluster: KubeObject, old: KubeObject | undefined): boolean {
  return event !== "update" || cluster.metadata.generation !== old?.metadata.generation;
}

const domainsOf = (t: Tenant | undefined) => JSON.stringify(t?.spec.network?.ingressDomains ?? []);

const ready = (c: Cluster | undefined) => c?.status?.conditions?.find((x) => x.type === "Ready")?.status;
