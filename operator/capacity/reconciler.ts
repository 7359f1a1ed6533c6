// Keeps a CapacityPool's status (capacity, committed, tenants) current, so
// that `kubectl get capacitypools` shows how much of the cloud is promised.
// Writes only when the figures change.
import { NO_RETAINED, type RetainedLedger } from "../tenant/retained.ts";
import type { CapacityPool } from "../api/generated.ts";
import type { Reconciler } from "../runtime/controller.ts";
import type { Informer } from "../runtime/informer.ts";
import type { KubeClient, KubeObject } from "../runtime/kube-client.ts";
import { CAPACITY_POOLS } from "../api/resources.ts";
import { FIELD_MANAGER } from "../api/names.ts";
import { applyStatus, sameStatus } from "../runtime/status.ts";
import type { Tenant } from "../tenant/types.ts";
import { poolStatus } from "./pool.ts";

export class CapacityPoolReconciler implements Reconciler {
  private readonly client: KubeClient;
  private readonly pools: Informer<CapacityPool & KubeObject>;
  private readonly tenants: Informer<Tenant & KubeObject>;

  private readonly retained: RetainedLedger;

  constructor(deps: { client: KubeClient; pools: Informer<CapacityPool & KubeObject>; tenants: Informer<Tenant & KubeObject>; retained?: RetainedLedger }) {
    this.retained = deps.retained ?? NO_RETAINED;
    this.client = deps.client;
    this.pools = deps.pools;
    this.tenants = deps.tenants;
  }

  async reconcile(name: string): Promise<void> {
    const pool = this.pools.get(name);
    if (!pool) return;
    const status = poolStatus(pool, this.tenants.list(), this.retained.under("").map((h) => h.declared));
    if (sameStatus(status, pool.status)) return;
    await applyStatus(this.client, CAPACITY_POOLS, { name }, status, FIELD_MANAGER);
  }
}
