// The hub's part in a tenant's reconcile: the finalizer, the top-level
// status (with each placed member's readiness), and letting a deleted Tenant
// go only once every member has handled its namespaces.
import type { KubeObject } from "../api/meta.ts";
import { parseResourceList } from "../api/quantity.ts";
import { TENANT_API_VERSION, TENANT_KIND } from "../api/generated.ts";
import { FIELD_MANAGER, TENANT_FINALIZER } from "../api/names.ts";
import { OFFBOARDING_RECORDS, TENANTS } from "../api/resources.ts";
import { isConflict } from "../runtime/api-errors.ts";
import { deletionPolicyOf, offboardingClock, untilDeletion } from "./offboarding.ts";
import { leftoversOn, nothingLeft, renderOffboardingRecord } from "./offboarding-record.ts";
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
  /** Every cluster's client, the hub's included, for the final check of an offboarding. */
  clients(): { name: string; client: KubeClient }[];
}

/** How soon to look again at an offboarding whose grace period is far from over: a bound on how late a changed clock is noticed. */
const OFFBOARDING_RECHECK_MS = 3_600_000;

/** How soon to look again at a deleted tenant whose members have not handled their namespaces yet. */
const MEMBERS_PENDING_REQUEUE_MS = 2_000;

export class HubRole implements ReconcilerRole {
  readonly hub: KubeClient;
  private readonly fleet: HubFleet;

  private readonly gracePeriodMs: number;

  constructor(hub: KubeClient, fleet: HubFleet, gracePeriodMs: number) {
    this.hub = hub;
    this.fleet = fleet;
    this.gracePeriodMs = gracePeriodMs;
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
    const now = new Date();
    const status = hubStatus(tenant, observations, report.placement.placed, this.cluster, now, offboardingClock(tenant, now, this.gracePeriodMs));
    if (!status) return;
    await applyStatus(this.hub, TENANTS, { name: tenant.metadata.name }, status, FIELD_MANAGER);
    // An event when readiness changes, and for every problem; a tenant that
    // is simply ready the first time already has its NamespacesCreated event.
    const previous = tenant.status?.conditions?.find((c) => c.type === "Ready");
    const ready = status.conditions!.find((c) => c.type === "Ready")!;
    const changed = previous ? previous.status !== ready.status || previous.reason !== ready.reason : ready.status !== "True";
    if (changed) run.events.record(TENANTS, tenant, ready.status === "True" ? "Normal" : "Warning", ready.reason, ready.message);
  }

  async offboard(tenant: Tenant & KubeObject, log: Logger): Promise<ReconcileResult | void> {
    // Deletion starts only from a clock the status has recorded (report writes it), so a restart never shortens the grace period.
    const recorded = tenant.status?.offboarding;
    if (!tenant.spec.offboarding || !recorded?.startedAt || !recorded.deleteAfter) return;
    const wait = untilDeletion({ startedAt: recorded.startedAt, deleteAfter: recorded.deleteAfter }, new Date());
    if (wait > 0) return { requeueAfterMs: Math.min(wait, OFFBOARDING_RECHECK_MS) };
    log.info("offboarding: the grace period is over; deleting the tenant everywhere", { request: tenant.spec.offboarding.request, deleteAfter: recorded.deleteAfter });
    await this.hub.delete(TENANTS, tenant.metadata.name, undefined, { uid: tenant.metadata.uid });
  }

  /**
   * An offboarded tenant goes only when nothing of it is left on any
   * cluster, as each API server answers, and its OffboardingRecord says so.
   */
  private async finishOffboarding(tenant: Tenant & KubeObject, log: Logger): Promise<ReconcileResult | void> {
    const recorded = (tenant.status?.deletions ?? []).flatMap((d) => d.namespaces ?? []);
    const clusters = this.fleet.clients();
    // A cluster the tenant was on that yunshu cannot reach now is not checked, and so not vouched for.
    const where = new Set([...(tenant.status?.deletions ?? []).map((d) => d.cluster), ...(tenant.status?.clusters ?? []).map((c) => c.name)]);
    const unreachable = [...where].filter((c) => !clusters.some((k) => k.name === c));
    if (unreachable.length > 0) {
      log.info("offboarding: waiting to reach every cluster the tenant was on", { clusters: unreachable });
      return { requeueAfterMs: MEMBERS_PENDING_REQUEUE_MS };
    }
    const left = await Promise.all(clusters.map(({ name, client }) => leftoversOn(name, client, tenant.metadata.name, recorded)));
    const remaining = left.filter((l) => !nothingLeft(l));
    if (remaining.length > 0) {
      log.info("offboarding: waiting for the tenant's last objects to go", { left: remaining });
      return { requeueAfterMs: MEMBERS_PENDING_REQUEUE_MS };
    }
    const record = renderOffboardingRecord(tenant, clusters.map((c) => c.name), new Date());
    try {
      await this.hub.create(OFFBOARDING_RECORDS, record);
    } catch (err) {
      // Written before a restart: the record stands as it was first written.
      if (!isConflict(err)) throw err;
    }
    log.info("offboarding: nothing of the tenant is left on any cluster; recorded", { record: record.metadata.name, clusters: clusters.map((c) => c.name) });
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
    if (tenant.spec.offboarding) {
      const waiting = await this.finishOffboarding(tenant, log);
      if (waiting) return waiting;
    }
    await this.hub.jsonPatch(TENANTS, name, withoutFinalizer(tenant));
    log.info("tenant deleted; namespaces handled per deletionPolicy", { deletionPolicy: deletionPolicyOf(tenant) });
  }
}

/**
 * Removes our finalizer whoever added it (the admission policy that adds it
 * at creation, or holdTenant), and only from the Tenant as the cache saw it:
 * a Tenant changed meanwhile fails the test and is reconciled again.
 */
function withoutFinalizer(tenant: Tenant & KubeObject): unknown[] {
  const at = tenant.metadata.finalizers!.indexOf(TENANT_FINALIZER);
  return [
    { op: "test", path: "/metadata/resourceVersion", value: tenant.metadata.resourceVersion },
    { op: "test", path: `/metadata/finalizers/${at}`, value: TENANT_FINALIZER },
    { op: "remove", path: `/metadata/finalizers/${at}` },
  ];
}

function tenantPatch(name: string, finalizers: string[]): KubeObject {
  return { apiVersion: TENANT_API_VERSION, kind: TENANT_KIND, metadata: { name, finalizers } };
}
