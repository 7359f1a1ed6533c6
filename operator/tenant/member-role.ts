// A member cluster's part in a tenant's reconcile: its own entry in the
// Tenant's status.clusters, under its own field manager, and nothing else.
// The hub holds the Tenant and says why a tenant waits.
import type { KubeObject } from "../api/meta.ts";
import { TENANTS } from "../api/resources.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import { applyStatus, sameStatus } from "../runtime/status.ts";
import { clusterEntry, clusterFieldManager, type ClusterEntry } from "./report.ts";
import type { Placement, ReconcileReport, ReconcilerRole } from "./role.ts";
import type { TenantRun } from "./run.ts";
import type { Tenant } from "./types.ts";

export class MemberRole implements ReconcilerRole {
  readonly cluster: string;
  readonly hub: KubeClient;
  private readonly placeOn: (tenant: Tenant, own: Placement["share"]) => Placement;

  /** `hub`: where the Tenant is written; `place`: the tenant's placement with this cluster's share. */
  constructor(cluster: string, hub: KubeClient, place: (tenant: Tenant, own: Placement["share"]) => Placement) {
    this.cluster = cluster;
    this.hub = hub;
    this.placeOn = place;
  }

  place(tenant: Tenant, own: Placement["share"]): Placement {
    return this.placeOn(tenant, own);
  }

  async holdTenant(): Promise<void> {}

  async report(run: TenantRun, report: ReconcileReport): Promise<void> {
    if (report.stage !== "Reconciled") return;
    await this.writeEntry(run.tenant, report.here ? clusterEntry(run.tenant, report.observations, this.cluster) : undefined);
  }

  async offboard(): Promise<void> {}

  async letGo(): Promise<void> {}

  /** This cluster's entry, or its absence when the tenant is not placed here (any more). */
  private async writeEntry(tenant: Tenant & KubeObject, entry: ClusterEntry | undefined): Promise<void> {
    const current = tenant.status?.clusters?.find((c) => c.name === this.cluster);
    if (sameStatus(entry, current)) return;
    await applyStatus(this.hub, TENANTS, { name: tenant.metadata.name }, { clusters: entry ? [entry] : [] }, clusterFieldManager(this.cluster));
  }
}
