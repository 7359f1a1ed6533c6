// The TenantRequest controller: a request's verdict depends on every tenant
// (the hierarchy, the pool's sums), the capacity pool and the fleet's
// clusters (placement), so a change to any of them wakes every open request.
// Finished requests are records and are never looked at again.
import type { CapacityPool, Cluster, TenantRequest } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import { watch, type ControllerDefinition } from "../runtime/controller.ts";
import type { EventRecorder } from "../runtime/events.ts";
import type { Informer } from "../runtime/informer.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { placementMayChange } from "../tenant/controller.ts";
import type { Tenant } from "../tenant/types.ts";
import { isFinished } from "./conditions.ts";
import { RequestReconciler } from "./reconciler.ts";

export const REQUEST_CONTROLLER = "tenantrequest";
/** Requests are few and cheap to judge. */
const REQUEST_WORKERS = 2;

export function requestController(deps: {
  client: KubeClient;
  requests: Informer<TenantRequest & KubeObject>;
  tenants: Informer<Tenant & KubeObject>;
  pools: Informer<CapacityPool & KubeObject>;
  clusters: Informer<Cluster & KubeObject>;
  events: EventRecorder;
  log: Logger;
}): ControllerDefinition {
  const open = () => deps.requests.list().filter((r) => !isFinished(r)).map((r) => r.metadata.name);
  return {
    name: REQUEST_CONTROLLER,
    workers: REQUEST_WORKERS,
    watch(queue) {
      watch(deps.requests, queue, (_event, request) => [request.metadata.name]);
      watch(deps.tenants, queue, open);
      watch(deps.pools, queue, open);
      watch(deps.clusters, queue, (event, cluster, old) => (placementMayChange(event, cluster, old) ? open() : []));
    },
    resync(queue) {
      for (const name of open()) queue.add(name);
    },
    reconciler: () =>
      new RequestReconciler({
        client: deps.client,
        caches: { requests: deps.requests, tenants: deps.tenants, pools: deps.pools, clusters: deps.clusters },
        events: deps.events,
        log: deps.log,
      }),
  };
}
