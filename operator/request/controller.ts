// The TenantRequest controller: a request's verdict depends on every tenant
// (the hierarchy, the pool's sums), the capacity pool and the fleet's
// clusters (placement), and a level change on the profile it brings, so a
// change to any of them wakes every open request.
// Finished requests are records and are never looked at again.
import type { RetainedLedger } from "../tenant/retained.ts";
import type { CapacityPool, Cluster, SecurityProfile, TenantRequest } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import { watch, type ControllerDefinition } from "../runtime/controller.ts";
import type { EventRecorder } from "../runtime/events.ts";
import type { Informer } from "../runtime/informer.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { placementMayChange } from "../tenant/controller.ts";
import type { Tenant } from "../tenant/types.ts";
import { isFinished, isPending } from "./conditions.ts";
import { BY_REQUESTER, RequestReconciler } from "./reconciler.ts";

export const REQUEST_CONTROLLER = "tenantrequest";
/** Requests are few and cheap to judge. */
const REQUEST_WORKERS = 2;
/** How many pending requests of one requester are judged at a time, unless the operator is told otherwise. */
export const DEFAULT_MAX_PENDING_REQUESTS = 10;

export function requestController(deps: {
  client: KubeClient;
  requests: Informer<TenantRequest & KubeObject>;
  tenants: Informer<Tenant & KubeObject>;
  pools: Informer<CapacityPool & KubeObject>;
  clusters: Informer<Cluster & KubeObject>;
  profiles: Informer<SecurityProfile & KubeObject>;
  events: EventRecorder;
  log: Logger;
  maxPendingRequests?: number;
  retained?: RetainedLedger;
}): ControllerDefinition {
  const open = () => deps.requests.list().filter((r) => !isFinished(r)).map((r) => r.metadata.name);
  deps.requests.addIndex(BY_REQUESTER, (r) => [r.spec.requester.username]);
  const pendingOf = (username: string) => deps.requests.byIndex(BY_REQUESTER, username).filter(isPending).map((r) => r.metadata.name);
  return {
    name: REQUEST_CONTROLLER,
    workers: REQUEST_WORKERS,
    watch(queue) {
      // A request that stops waiting (decided, withdrawn) frees a place under
      // its requester's cap of pending requests: the next one gets judged.
      watch(deps.requests, queue, (event, request) =>
        event === "delete" || !isPending(request) ? [request.metadata.name, ...pendingOf(request.spec.requester.username)] : [request.metadata.name],
      );
      watch(deps.tenants, queue, open);
      watch(deps.pools, queue, open);
      // A level change is judged against the profile it would bring.
      watch(deps.profiles, queue, open);
      watch(deps.clusters, queue, (event, cluster, old) => (placementMayChange(event, cluster, old) ? open() : []));
    },
    resync(queue) {
      for (const name of open()) queue.add(name);
    },
    reconciler: () =>
      new RequestReconciler({
        client: deps.client,
        caches: { requests: deps.requests, tenants: deps.tenants, pools: deps.pools, clusters: deps.clusters, profiles: deps.profiles },
        events: deps.events,
        log: deps.log,
        maxPendingRequests: deps.maxPendingRequests ?? DEFAULT_MAX_PENDING_REQUESTS,
        retained: deps.retained,
      }),
  };
}
