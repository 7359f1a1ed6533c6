// The hub's part in a tenant's reconcile: the finalizer, the top-level
// status (with each placed member's readiness), and letting a deleted Tenant
// go only once every member has handled its namespaces.
import type { KubeObject } from "../api/meta.ts";
import { parseResourceList } from "../api/quantity.ts";
import { TENANT_API_VERSION, TENANT_KIND } from "../api/generated.ts";
import { FIELD_MANAGER, TENANT_FINALIZER } from "../api/names.ts";
import { TENANTS } from "../api/resources.ts";
import type { ReconcileResult } from "../runtime/controller.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { applyStatus } from "../runtime/status.ts";
import { verifyOwners } from "./phases/owner-access.ts";
import { hubStatus } from "./report.ts";
import type { Placement, ReconcileReport, ReconcilerRole } from "./role.ts";
import type { TenantRun } from "./run.ts";
import type { TenantObservations } from "./status.ts";
import type { Tenant } from "./types.ts";

/** What the hub's role needs of the fleet (fleet/fleet.ts). */
export interface HubFleet {
  /** The hub's Cluster name (or "hub" before any Cluster is registered). */
  readonly cluster: string;
  place(tenant: Tenant, own: Placement["share"]): Placement;
  /** Why the tenant is not ready on each of these member clusters. */
  memberProblems(tenant: Tenant, members: string[]): string[];
  /** The member clusters that still hold namespaces of a deleted tenant not yet handled per deletionPolicy. */
  membersPending(tenant: Tenant): string[];
}

/** How soon to look again at a deleted tenant whose members have not handled their namespaces yet. */
const MEMBERS_PENDING_REQUEUE_MS = 2_000;

export class HubRole implements ReconcilerRole {
  private readonly hub: KubeClient;
  private readonly fleet: HubFleet;

  constructor(hub: KubeClient, fleet: HubFleet) {
    this.hub = hub;
    this.fleet = fleet;
  }

  get cluster(): string {
    return this.fleet.cluster;
  }

  place(tenant: Tenant, own: Placement["share"]): Placement {
    return this.fleet.place(tenant, own);
  }

  async holdTenant(tenant: Tenant & KubeObject): Promise<void> {
    if (tenant.metadata.finalizers?.includes(TENANT_FINALIZER)) return;
    await this.hub.apply(TENANTS, tenantPatch(tenant.metadata.name, [TENANT_FINALIZER]), FIELD_MANAGER);
  }

  async report(run: TenantRun, report: ReconcileReport): Promise<void> {
    const { tenant } = run;
    const owners = await verifyOwners(run.client, tenant);
    const nothing = { namespaces: [], quotaHard: {}, quotaUsed: {}, applyErrors: [] };
    let observations: TenantObservations;
    switch (report.stage) {
      case "Unplaced": {
        const problem = "spec.placement selects no cluster (check the region, tier and cluster names); nothing was changed anywhere";
        observations = { ...nothing, allocation: report.allocation, placementProblems: [problem], ...owners };
        break;
      }
      case "ProfileNotFound": {
        // Nothing was touched: what the status said of namespaces and usage still holds.
        const unchanged = { namespaces: tenant.status?.namespaces ?? [], quotaUsed: parseResourceList(tenant.status?.quota?.used) };
        const profileProblem = { reason: "SecurityProfileNotFound" as const, message: report.message };
        observations = { ...nothing, ...unchanged, allocation: report.allocation, profileProblem, ...owners };
        break;
      }
      case "AwaitingQuota":
        run.log.debug("waiting for room in the parent's quota");
        observations = { ...nothing, allocation: report.allocation, ...owners };
        break;
      case "Reconciled": {
        const members = report.placement.placed.filter((c) => c !== this.cluster);
        observations = { ...report.observations, ...owners, memberProblems: this.fleet.memberProblems(tenant, members) };
        break;
      }
    }
    const status = hubStatus(tenant, observations, report.placement.placed, this.cluster, new Date());
    if (!status) return;
    await applyStatus(this.hub, TENANTS, { name: tenant.metadata.name }, status, FIELD_MANAGER);
    // An event when readiness changes, and for every problem; a tenant that
    // is simply ready the first time already has its NamespacesCreated event.
    const previous = tenant.status?.conditions?.find((c) => c.type === "Ready");
    const ready = status.conditions!.find((c) => c.type === "Ready")!;
    const changed = previous ? previous.status !== ready.status || previous.reason !== ready.reason : ready.status !== "True";
    if (changed) run.events.record(TENANTS, tenant, ready.status === "True" ? "Normal" : "Warning", ready.reason, ready.message);
  }

  async letGo(tenant: Tenant & KubeObject, log: Logger): Promise<ReconcileResult | void> {
    const name = tenant.metadata.name;
    // The Tenant must outlive its namespaces on every member, or a member
    // would find it gone and could only retain them.
    const pending = this.fleet.membersPending(tenant);
    if (pending.length > 0) {
      log.info("tenant deleted; waiting for member clusters", { clusters: pending });
      return { requeueAfterMs: MEMBERS_PENDING_REQUEUE_MS };
    }
    // Applying our finalizer list without our finalizer hands back only the
    // entry we own; other controllers' finalizers stay.
    await this.hub.apply(TENANTS, tenantPatch(name, []), FIELD_MANAGER);
    log.info("tenant deleted; namespaces handled per deletionPolicy", { deletionPolicy: tenant.spec.deletionPolicy ?? "Retain" });
  }
}

function tenantPatch(name: string, finalizers: string[]): KubeObject {
  return { apiVersion: TENANT_API_VERSION, kind: TENANT_KIND, metadata: { name, finalizers } };
}
