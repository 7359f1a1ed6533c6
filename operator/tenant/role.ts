// Where a tenant reconciler stands in the fleet, and so what it owes the
// Tenant object. The hub's reconciler holds the Tenant with a finalizer and
// writes its top-level status; a member's reports in its own entry of
// status.clusters. Everything else a reconcile does is the same in every
// cluster; this interface is the one place where hub and member differ.
import type { KubeClient } from "../runtime/kube-client.ts";
import type { KubeObject } from "../api/meta.ts";
import type { ResourceList } from "../api/quantity.ts";
import type { ReconcileResult } from "../runtime/controller.ts";
import type { Logger } from "../runtime/log.ts";
import type { QuotaDecision } from "./quota-decision.ts";
import type { TenantRun } from "./run.ts";
import type { ClusterObservations } from "./status.ts";
import type { Tenant } from "./types.ts";

/** Where a tenant is placed (empty: its placement selects nothing), and this cluster's share of its own quota. */
export interface Placement {
  placed: string[];
  share: ResourceList;
  problems: string[];
}

/** How far a reconcile got, for the report. */
export type ReconcileReport =
  /** spec.placement selects no cluster: nothing was changed anywhere. */
  | { stage: "Unplaced"; allocation: QuotaDecision; placement: Placement }
  /** The SecurityProfile its level selects does not exist: nothing was changed anywhere. */
  | { stage: "ProfileNotFound"; allocation: QuotaDecision; placement: Placement; message: string }
  /** A new tenant that does not fit its parent yet: nothing was created. */
  | { stage: "AwaitingQuota"; allocation: QuotaDecision; placement: Placement }
  /** Every phase ran; `here` says whether the tenant is placed on this cluster. */
  | { stage: "Reconciled"; allocation: QuotaDecision; placement: Placement; here: boolean; observations: ClusterObservations };

export interface ReconcilerRole {
  /** The Cluster this reconciler writes to. */
  readonly cluster: string;
  /** Where the Tenant is: its status is written there. */
  readonly hub: KubeClient;
  place(tenant: Tenant, own: ResourceList): Placement;
  /** Makes sure the Tenant outlives its namespaces everywhere; runs beside the namespace phase. */
  holdTenant(tenant: Tenant & KubeObject): Promise<void>;
  /** Tells the platform team, in the Tenant's status, what this reconcile found. */
  report(run: TenantRun, report: ReconcileReport): Promise<void>;
  /** An offboarding tenant: deletes it once its grace period is over, or says when to look again (the hub's part; members wait). */
  offboard(tenant: Tenant & KubeObject, log: Logger): Promise<ReconcileResult | void>;
  /** Once this cluster's namespaces of a deleted tenant are handled: lets the Tenant go, or says when to look again. */
  letGo(tenant: Tenant & KubeObject, log: Logger): Promise<ReconcileResult | void>;
}
