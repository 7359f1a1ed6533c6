// The CapacityPool controller: a pool's figures sum every top-level
// tenant's quota, so any tenant change wakes the default pool.
import { retainedFor } from "../tenant/caches.ts";
import type { RetainedLedger } from "../tenant/retained.ts";
import type { CapacityPool } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import { watch, type ControllerDefinition } from "../runtime/controller.ts";
import type { Informer } from "../runtime/informer.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import type { Tenant } from "../tenant/types.ts";
import { DEFAULT_POOL } from "./pool.ts";
import { CapacityPoolReconciler } from "./reconciler.ts";

export const POOL_CONTROLLER = "capacitypool";

export function poolController(deps: {
  client: KubeClient;
  pools: Informer<CapacityPool & KubeObject>;
  tenants: Informer<Tenant & KubeObject>;
  retained?: RetainedLedger;
  /** The hub's namespaces: one a deleted top-level tenant left behind changes what the pool has committed. */
  namespaces?: Informer<KubeObject>;
}): ControllerDefinition {
  return {
    name: POOL_CONTROLLER,
    workers: 1,
    watch(queue) {
      watch(deps.pools, queue, (_event, pool) => [pool.metadata.name]);
      watch(deps.tenants, queue, () => [DEFAULT_POOL]);
      if (deps.namespaces) watch(deps.namespaces, queue, (_event, ns, old) => ([ns, old].some((n) => n && retainedFor(n).includes("")) ? [DEFAULT_POOL] : []));
    },
    resync(queue) {
      for (const pool of deps.pools.list()) queue.add(pool.metadata.name);
    },
    reconciler: () => new CapacityPoolReconciler(deps),
  };
}
