// What happens to a Tenant, in one cluster, phase by phase. Each phase is a
// file in phases/; every decision in them is a pure function. The role
// (hub-role.ts or member-role.ts) is where the hub and a member cluster
// differ: who holds the Tenant and how it is reported.
//
//   1. decide the quota (quota-decision.ts), with the MLPS profile's limits
//      merged in (profile.ts), and the placement; on a member, copy the
//      profile there (mirror-profile.ts);
//   2. namespaces: renew the ServiceAccounts where someone left the tenant,
//      create the namespaces, or check the existing ones are the tenant's;
//   3. quota split and isolation objects, side by side; then owner access;
//   4. prune what the rendering no longer contains;
//   5. release or delete namespaces no longer declared (deletionPolicy);
//      what released ones hold stays charged to the tenant (step 3's split);
//   6. report in the Tenant's status; an offboarding tenant whose grace
//      period is over is deleted (offboarding.ts), and its finalizer then
//      deletes everything of it (phases/offboard.ts).
import type { KubeObject } from "../api/meta.ts";
import type { ResourceList } from "../api/quantity.ts";
import { TENANT_FINALIZER } from "../api/names.ts";
import type { ReconcileResult, Reconciler } from "../runtime/controller.ts";
import { ownedNamespaces } from "./caches.ts";
import { tenantDirectory } from "./directory.ts";
import { tenantGrantees } from "./grants.ts";
import { applyIsolation } from "./phases/isolation.ts";
import { mirrorProfile } from "./phases/mirror-profile.ts";
import { ensureNamespaces } from "./phases/namespaces.ts";
import { grantOwnerAccess } from "./phases/owner-access.ts";
import { pruneChildren } from "./phases/prune.ts";
import { revokeStrangers } from "./phases/revoke.ts";
import { clusterQuotaStore, splitQuota } from "./phases/quota-split.ts";
import { deletionPolicyOf } from "./offboarding.ts";
import { offboardHere } from "./phases/offboard.ts";
import { renewAfterDeparture } from "./phases/renew-credentials.ts";
import { releasedQuota, releaseOrDelete, releaseUndeclared } from "./phases/release.ts";
import { ownShare } from "../quota/hierarchy.ts";
import type { PlatformSettings } from "./platform.ts";
import { profileName, tenantLevel, tenantProfile, withProfileQuota, type TenantProfile } from "./profile.ts";
import type { ClusterObservations } from "./status.ts";
import { decideQuota, type TenantDirectory } from "./quota-decision.ts";
import { QuotaWrites } from "./quota-writes.ts";
import { renderTenant, type Sharing } from "./render.ts";
import { BY_SIDE } from "../share/decision.ts";
import type { RetainedLedger } from "./retained.ts";
import type { ReconcilerRole } from "./role.ts";
import type { ClusterAccess, TenantRun } from "./run.ts";
import type { Tenant } from "./types.ts";

/** What of the tenant's network settings its guardrails left out, for the Ready condition. */
function guardrailProblem({ egress, ingressDomains }: TenantProfile): ClusterObservations["profileProblem"] {
  const messages = [...egress.refused, ...ingressDomains.withheld].map((r) => r.message);
  if (messages.length === 0) return undefined;
  return { reason: egress.refused.length > 0 ? "EgressWiderThanProfile" : "IngressDomainTaken", message: messages.join("; ") };
}

/** The tenant's usage here: its active namespaces' and its released ones', for the resources its quota names. */
function withReleasedUsage(active: ResourceList, released: ResourceList): ResourceList {
  return Object.fromEntries(Object.entries(active).map(([r, v]) => [r, v + (released[r] ?? 0n)]));
}

/** How soon to look again at a tenant that waits on something outside yunshu. */
const WAIT_REQUEUE_MS = 15_000;

export interface TenantReconcilerDeps extends ClusterAccess {
  role: ReconcilerRole;
  platform: PlatformSettings;
  /** What deleted tenants' retained namespaces hold, on every cluster. */
  retained?: RetainedLedger;
}

export class TenantReconciler implements Reconciler {
  private readonly cluster: ClusterAccess;
  private readonly role: ReconcilerRole;
  private readonly platform: PlatformSettings;
  private readonly directory: TenantDirectory;
  private readonly quotaWrites = new QuotaWrites();

  constructor(deps: TenantReconcilerDeps) {
    this.cluster = { client: deps.client, caches: deps.caches, events: deps.events, log: deps.log };
    this.role = deps.role;
    this.platform = deps.platform;
    this.directory = tenantDirectory(deps.caches.tenants, deps.retained);
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const tenant = this.cluster.caches.tenants.get(name);
    // Gone without our finalizer having run (it was removed by hand): keep
    // the department's namespaces, as Retain would.
    if (!tenant) return releaseOrDelete(this.cluster, name, ownedNamespaces(this.cluster.caches, name), "Retain", undefined);
    const run = this.start(tenant);
    if (tenant.metadata.deletionTimestamp) return this.finalize(run);

    // Should holding the Tenant fail, a tenant deleted meanwhile still only ever gets Retain (above).
    const holding = this.role.holdTenant(tenant);
    const allocation = decideQuota(tenant, this.directory);
    const profile = this.cluster.caches.profiles.get(profileName(tenantLevel(tenant)));
    const placement = this.role.place(tenant, profile && allocation.hard ? withProfileQuota(allocation.own, allocation.hard, profile) : allocation.own);
    // Without its profile yunshu cannot say what the tenant's level allows:
    // nothing is changed until the platform restores it.
    if (!profile) {
      await holding;
      const name = profileName(tenantLevel(tenant));
      const message = `SecurityProfile ${name} (securityLevel ${tenantLevel(tenant)}) does not exist, so nothing was changed; restore it (the operator recreates a shipped default when it starts) or change spec.securityLevel`;
      return this.role.report(run, { stage: "ProfileNotFound", allocation, placement, message });
    }
    // A placement that selects nothing is most likely a typo: leave every
    // namespace where it is rather than release them all.
    if (placement.placed.length === 0) {
      await holding;
      return this.role.report(run, { stage: "Unplaced", allocation, placement });
    }
    // A new tenant that does not fit its parent yet: nothing is created and
    // nothing it may have is touched; a change of its parent or siblings wakes it.
    if (!allocation.hard) {
      await holding;
      return this.role.report(run, { stage: "AwaitingQuota", allocation, placement });
    }

    const here = placement.placed.includes(this.role.cluster);
    // Not placed here (any more): every namespace it has here leaves, per deletionPolicy.
    const guardrails = tenantProfile(tenant, profile, this.cluster.caches.tenants.list());
    const desired = here ? renderTenant(tenant, this.platform, guardrails, this.sharing(name)) : [];
    // A member enforces its own copy of the profile: it is there before any namespace of the level.
    if (here) await mirrorProfile(run, profile);
    // Before the namespaces' grant annotations say the departed are gone, so a stop in between cannot skip it.
    await renewAfterDeparture(run, desired, tenantGrantees(tenant));
    const { observed, active } = await ensureNamespaces(run, desired);
    await holding;
    const activeNames = active.map((ns) => ns.name);
    // What released namespaces here hold stays charged to the tenant: its active namespaces share the rest.
    const releasedHere = releasedQuota(run, name, desired);
    const [split] = await Promise.all([splitQuota(clusterQuotaStore(run, this.role.hub), name, ownShare(placement.share, releasedHere.held), activeNames), applyIsolation(run, active)]);
    const quota = { quotaHard: placement.share, quotaUsed: withReleasedUsage(split.quotaUsed, releasedHere.used) };
    await grantOwnerAccess(run, active);
    await revokeStrangers(run, active);
    await pruneChildren(run, placement.share, desired);
    const released = await releaseUndeclared(run, tenant, desired);

    const namespaces = [...observed, ...released];
    const profileProblem = here ? guardrailProblem(guardrails) : undefined;
    const observations = { namespaces, ...quota, allocation, applyErrors: run.errors, placementProblems: placement.problems, profileProblem };
    await this.role.report(run, { stage: "Reconciled", allocation, placement, here, observations });
    if (run.errors.length > 0) {
      // Back off per key: the status already says what failed.
      throw new Error(`tenant ${name}: ${run.errors.length} write(s) failed: ${run.errors[0]}`);
    }
    const waiting = namespaces.some((n) => n.state === "Conflict" || n.state === "Terminating") || split.raisesDeferred === true;
    run.log.debug("reconciled", { namespaces: namespaces.length, waiting });
    const offboarding = await this.role.offboard(tenant, run.log);
    const after = [offboarding?.requeueAfterMs, waiting ? WAIT_REQUEUE_MS : undefined].filter((ms) => ms !== undefined);
    return after.length > 0 ? { requeueAfterMs: Math.min(...after) } : undefined;
  }

  /** A deleted Tenant: its namespaces here go per deletionPolicy, then the role decides whether it may go. */
  private async finalize(run: TenantRun): Promise<ReconcileResult | void> {
    const { tenant } = run;
    if (!tenant.metadata.finalizers?.includes(TENANT_FINALIZER)) return;
    const name = tenant.metadata.name;
    if (tenant.spec.offboarding) await offboardHere(this.cluster, this.role.hub, this.role.cluster, tenant);
    else await releaseOrDelete(this.cluster, name, ownedNamespaces(this.cluster.caches, name), deletionPolicyOf(tenant), tenant);
    return this.role.letGo(tenant, run.log);
  }

  private sharing(tenant: string): Sharing {
    const { shares, tenants } = this.cluster.caches;
    return { shares: shares?.byIndex(BY_SIDE, tenant) ?? [], tenants: (n) => tenants.get(n) };
  }

  private start(tenant: Tenant & KubeObject): TenantRun {
    const log = this.cluster.log.with({ tenant: tenant.metadata.name, cluster: this.role.cluster });
    return { ...this.cluster, log, tenant, errors: [], quotaWrites: this.quotaWrites };
  }
}
