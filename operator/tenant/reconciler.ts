// The tenant reconcile: read a Tenant and what exists from the caches, render
// what should exist (render.ts), and make it so with the fewest writes:
// server-side apply only where the cache differs, prune what is no longer
// wanted, follow deletionPolicy for namespaces, and write status only when it
// changed. Every decision is made by a pure function; this file sequences the
// reads and writes.
import { growStep, planQuota, shrinkStep, type NamespaceQuota } from "../quota/allocate.ts";
import { formatResourceList, parseResourceList, type ResourceList } from "../quota/quantity.ts";
import type { ReconcileResult, Reconciler } from "../runtime/controller.ts";
import type { EventRecorder } from "../runtime/events.ts";
import type { Informer } from "../runtime/informer.ts";
import { ApiError, isConflict, type KubeClient, type KubeObject, type ResourceType } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { needsApply } from "../runtime/needs-apply.ts";
import { NAMESPACED_CHILD_TYPES, NAMESPACES, RESOURCE_QUOTAS, ROLE_BINDINGS, SERVICE_ACCOUNTS, TENANTS } from "../runtime/resources.ts";
import { FIELD_MANAGER, isReleased, MANAGED_BY, MANAGED_BY_LABEL, RELEASED_LABEL, TENANT_FINALIZER, TENANT_LABEL } from "./labels.ts";
import type { PlatformSettings } from "./platform.ts";
import { decideQuota, type TenantDirectory } from "./quota-decision.ts";
import { renderTenant, type DesiredNamespace } from "./render.ts";
import { newerObject } from "../runtime/resource-version.ts";
import { RESOURCE_QUOTA_NAME, renderResourceQuota } from "./resource-quota.ts";
import { computeStatus, sameStatus, type NamespaceObservation, type TenantObservations } from "./status.ts";
import type { Tenant } from "./types.ts";

/** Index name, on every managed-object informer, of objects by their tenant label. */
export const BY_TENANT = "tenant";
/** Index name, on the Tenant informer, of tenants by spec.parent. */
export const BY_PARENT = "parent";

export interface TenantCaches {
  tenants: Informer<Tenant & KubeObject>;
  namespaces: Informer<KubeObject>;
  /** Informers of the namespaced children, by plural (resourcequotas, limitranges, …). */
  children: Map<string, Informer<KubeObject>>;
}

/**
 * Where the reconciler stands in the fleet. The hub's reconciler owns the
 * Tenant's finalizer and its top-level status; a member's reports in its own
 * entry of status.clusters. Without a fleet, the hub is the only cluster.
 */
export interface FleetView {
  /** The Cluster this reconciler writes to. */
  cluster: string;
  isHub: boolean;
  /** Where the tenant is placed (empty: its placement selects nothing), and this cluster's share of `own`. */
  place(tenant: Tenant, own: ResourceList): { placed: string[]; share: ResourceList; problems: string[] };
  /** Hub only: why each other placed cluster is not ready for this tenant (from its entry and the Cluster's health). */
  memberProblems?(tenant: Tenant, placed: string[]): string[];
  /** Hub only: the member clusters that still hold namespaces of a deleted tenant not yet handled per deletionPolicy. */
  membersPending?(tenant: Tenant): string[];
}

export const SINGLE_CLUSTER: FleetView = { cluster: "hub", isHub: true, place: (_tenant, own) => ({ placed: ["hub"], share: own, problems: [] }) };

/** How soon to look again at a tenant that waits on something outside yunshu. */
const WAIT_REQUEUE_MS = 15_000;

interface QuotaObject extends KubeObject {
  spec?: { hard?: Record<string, string> };
  status?: { used?: Record<string, string>; hard?: Record<string, string> };
}


export class TenantReconciler implements Reconciler {
  private readonly client: KubeClient;
  private readonly caches: TenantCaches;
  private readonly events: EventRecorder;
  private readonly log: Logger;
  private readonly platform: PlatformSettings;
  private readonly directory: TenantDirectory;
  /** Where Tenants are written (finalizer, status): the hub, whichever cluster `client` reaches. */
  private readonly hub: KubeClient;
  private readonly fleet: FleetView;
  /**
   * The API server's answer to this reconciler's last write of each
   * namespace's ResourceQuota. Only yunshu writes these limits, so the newer
   * of this answer and the cache is the truth (see newerObject).
   */
  private readonly quotaWrites = new Map<string, QuotaObject>();

  constructor(deps: { client: KubeClient; hub?: KubeClient; fleet?: FleetView; caches: TenantCaches; events: EventRecorder; log: Logger; platform: PlatformSettings }) {
    this.client = deps.client;
    this.hub = deps.hub ?? deps.client;
    this.fleet = deps.fleet ?? SINGLE_CLUSTER;
    this.caches = deps.caches;
    this.events = deps.events;
    this.log = deps.log;
    this.platform = deps.platform;
    const tenants = deps.caches.tenants;
    this.directory = { get: (name) => tenants.get(name), childrenOf: (name) => tenants.byIndex(BY_PARENT, name) };
  }

  private child(type: ResourceType): Informer<KubeObject> {
    return this.caches.children.get(type.plural)!;
  }

  private ownedNamespaces(tenant: string): KubeObject[] {
    return this.caches.namespaces.byIndex(BY_TENANT, tenant);
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const tenant = this.caches.tenants.get(name);
    if (!tenant) {
      // The Tenant is gone without our finalizer having run (it was removed
      // by hand): keep the department's namespaces, as Retain would.
      await this.releaseOrDelete(name, this.ownedNamespaces(name), "Retain", undefined);
      return;
    }
    if (tenant.metadata.deletionTimestamp) return this.finalize(tenant);
    // The finalizer goes on alongside the namespaces: should it fail, a
    // tenant deleted meanwhile still only ever gets Retain (see above).
    const finalizer =
      tenant.metadata.finalizers?.includes(TENANT_FINALIZER) || !this.fleet.isHub
        ? undefined
        : this.hub.apply(TENANTS, { apiVersion: "yunshu.io/v1alpha1", kind: "Tenant", metadata: { name, finalizers: [TENANT_FINALIZER] } }, FIELD_MANAGER);
    const log = this.log.with({ tenant: name, cluster: this.fleet.cluster });
    const allocation = decideQuota(tenant, this.directory);
    const placement = this.fleet.place(tenant, allocation.own);
    if (placement.placed.length === 0) {
      // A placement that selects nothing is most likely a typo: leave every
      // namespace where it is rather than release them all.
      await finalizer;
      if (this.fleet.isHub) {
        const owners = await this.checkOwners(tenant);
        const problem = "spec.placement selects no cluster (check the region, tier and cluster names); nothing was changed anywhere";
        await this.writeStatus(tenant, { namespaces: [], quotaHard: {}, quotaUsed: {}, allocation, applyErrors: [], placementProblems: [problem], ...owners }, placement.placed);
      }
      return;
    }
    if (!this.fleet.isHub && !allocation.hard) return; // the hub reports why it waits
    if (!allocation.hard) {
      // A new tenant that does not fit its parent yet: nothing is created,
      // and nothing it may already have is touched. A change of its parent
      // or siblings wakes it.
      await finalizer;
      const owners = await this.checkOwners(tenant);
      await this.writeStatus(tenant, { namespaces: [], quotaHard: {}, quotaUsed: {}, allocation, applyErrors: [], ...owners }, placement.placed);
      log.debug("waiting for room in the parent's quota");
      return;
    }
    const here = placement.placed.includes(this.fleet.cluster);
    // Not placed here (any more): every namespace the tenant has here leaves, per deletionPolicy.
    const desired = here ? renderTenant(tenant, this.platform) : [];
    const applyErrors: string[] = [];
    const observed: NamespaceObservation[] = [];
    const active: DesiredNamespace[] = [];

    const created: string[] = [];
    // Namespaces are independent of one another: create or check them all at once.
    observed.push(...(await Promise.all(desired.map((ns) => this.ensureNamespace(tenant, ns, applyErrors, created)))));
    await finalizer;
    desired.forEach((ns, i) => observed[i]!.state === "Active" && active.push(ns));
    if (created.length > 0) this.events.record(TENANTS, tenant, "Normal", "NamespacesCreated", `created namespace(s) ${created.join(", ")}`);

    // Quota, limits and network isolation in every namespace at once; owner
    // access only once they are all in place.
    const isolation = active.flatMap((ns) => ns.children.filter((c) => c.kind !== ROLE_BINDINGS.kind));
    const access = active.flatMap((ns) => ns.children.filter((c) => c.kind === ROLE_BINDINGS.kind));
    const [quota] = await Promise.all([this.applyQuotas(name, placement.share, active, applyErrors), this.applyChildren(isolation, applyErrors)]);
    await this.applyChildren(access, applyErrors);
    await this.prune(name, placement.share, desired, applyErrors);

    const desiredNames = new Set(desired.map((d) => d.name));
    const leaving = this.ownedNamespaces(name).filter((ns) => !desiredNames.has(ns.metadata.name));
    await this.releaseOrDelete(name, leaving, tenant.spec.deletionPolicy ?? "Retain", tenant);
    for (const ns of this.ownedNamespaces(name)) {
      if (!desiredNames.has(ns.metadata.name) && isReleased(ns)) observed.push({ name: ns.metadata.name, state: "Released" });
    }

    const owners = await this.checkOwners(tenant);
    const observations: TenantObservations = { namespaces: observed, ...quota, allocation, applyErrors, placementProblems: placement.problems, ...owners };
    if (this.fleet.isHub) {
      observations.memberProblems = this.fleet.memberProblems?.(tenant, placement.placed.filter((c) => c !== this.fleet.cluster)) ?? [];
      await this.writeStatus(tenant, observations, placement.placed);
    } else {
      await this.writeClusterEntry(tenant, here ? clusterEntry(tenant, observations, this.fleet.cluster) : undefined);
    }

    if (applyErrors.length > 0) {
      // Back off per key: the condition already says what failed.
      throw new Error(`tenant ${name}: ${applyErrors.length} write(s) failed: ${applyErrors[0]}`);
    }
    const waiting = observed.some((n) => n.state === "Conflict" || n.state === "Terminating");
    log.debug("reconciled", { namespaces: observed.length, waiting });
    return waiting ? { requeueAfterMs: WAIT_REQUEUE_MS } : undefined;
  }

  /**
   * Creates a tenant namespace, or checks that the existing one is this
   * tenant's. A namespace someone else owns is never taken over: that is
   * reported, and the tenant's other namespaces go ahead.
   */
  private async ensureNamespace(tenant: Tenant, ns: DesiredNamespace, errors: string[], created: string[]): Promise<NamespaceObservation> {
    const cached = this.caches.namespaces.get(ns.name);
    // The cache holds yunshu's namespaces only; one missing from it is
    // created, and looked at only if that conflicts. This saves a read per
    // namespace on the common path, a new tenant.
    if (!cached) return this.createNamespace(tenant.metadata.name, ns, errors, created);
    const problem = ownershipProblem(cached, tenant.metadata.name);
    if (problem) return problem;
    if (isReleased(cached)) {
      // Declared again after a release: the label yunshu set by patch goes
      // by patch, then apply brings the namespace back to its rendering.
      await this.write(errors, ns.namespace, () => this.client.mergePatch(NAMESPACES, ns.name, { metadata: { labels: { [RELEASED_LABEL]: null } } }));
      this.events.record(TENANTS, tenant, "Normal", "NamespaceAdopted", `namespace ${ns.name} was released and is the tenant's again`);
    }
    if (needsApply(ns.namespace, cached)) await this.write(errors, ns.namespace, () => this.client.apply(NAMESPACES, ns.namespace, FIELD_MANAGER));
    return { name: ns.name, state: "Active" };
  }

  /**
   * Creates, not applies: when the namespace exists already, create fails
   * with a conflict instead of silently taking someone else's namespace
   * over, and the namespace as it is decides what to report.
   */
  private async createNamespace(tenant: string, ns: DesiredNamespace, errors: string[], created: string[]): Promise<NamespaceObservation> {
    try {
      await this.client.create(NAMESPACES, ns.namespace);
      created.push(ns.name);
      return { name: ns.name, state: "Active" };
    } catch (err) {
      if (!isConflict(err)) {
        errors.push(describeFailure(ns.namespace, err));
        return { name: ns.name, state: "Active" };
      }
    }
    const existing = await this.client.get(NAMESPACES, ns.name);
    if (!existing) return { name: ns.name, state: "Conflict", message: `namespace ${ns.name} was created and deleted by someone else meanwhile; retrying` };
    // Ours, and the cache has not caught up yet: the next event brings it.
    return ownershipProblem(existing, tenant) ?? { name: ns.name, state: "Active" };
  }

  /**
   * Creates what does not exist yet (a plain create costs the API server
   * about a third less than an apply that creates), applies what differs.
   * Later applies with force take over what the create set, and the one
   * field whose keys yunshu may drop, a quota's hard limits, is cleaned by
   * dropQuotaKeys.
   */
  private upsert<T extends KubeObject>(errors: string[], type: ResourceType, obj: T, live: KubeObject | undefined): Promise<T | undefined> {
    return this.write(errors, obj, async () => {
      if (live) return this.client.apply(type, obj, FIELD_MANAGER);
      try {
        return await this.client.create(type, obj, FIELD_MANAGER);
      } catch (err) {
        // The cache was behind: it exists after all.
        if (isConflict(err)) return this.client.apply(type, obj, FIELD_MANAGER);
        throw err;
      }
    });
  }

  /** Applies `obj` and records a failure instead of throwing, so one bad object does not stop the rest. */
  private async write<T>(errors: string[], obj: KubeObject, action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      errors.push(describeFailure(obj, err));
      return undefined;
    }
  }

  /** The two-step quota update of operator/quota/allocate.ts: shrink, read back usage, grow. */
  private async applyQuotas(
    tenantName: string,
    tenantHard: ResourceList,
    active: DesiredNamespace[],
    errors: string[],
  ): Promise<{ quotaHard: ResourceList; quotaUsed: ResourceList }> {
    const pick = (list: Record<string, string> | undefined) => {
      const parsed = parseResourceList(list);
      return Object.fromEntries(Object.keys(tenantHard).filter((r) => parsed[r] !== undefined).map((r) => [r, parsed[r]!])) as ResourceList;
    };
    const current: NamespaceQuota[] = active.map((ns) => {
      const q = this.liveQuota(ns.name);
      return {
        namespace: ns.name,
        hard: q ? pick(q.spec?.hard) : undefined,
        used: q?.status?.used ? pick(q.status.used) : undefined,
        enforced: q?.status?.hard ? pick(q.status.hard) : undefined,
      };
    });
    // Every resource the quota names is reported, zero until the quota
    // controller has counted: the status then does not change (and cost a
    // write) just because a count arrived and was zero.
    const quotaUsed: ResourceList = Object.fromEntries(Object.keys(tenantHard).map((r) => [r, 0n]));
    for (const ns of current) for (const [r, v] of Object.entries(ns.used ?? {})) quotaUsed[r] = (quotaUsed[r] ?? 0n) + v;
    if (Object.keys(tenantHard).length === 0) return { quotaHard: tenantHard, quotaUsed };

    const plan = planQuota(tenantHard, current);
    const shrunk = shrinkStep(current, plan);
    const lowered = new Set<string>();
    const afterShrink = await Promise.all(
      current.map(async (ns): Promise<NamespaceQuota> => {
        const limits = shrunk.get(ns.namespace)!;
        // A namespace without its quota yet has nothing charged to it (its
        // owners get access only after the quota exists): it needs no
        // zero-limit write first.
        if (!ns.hard || sameList(limits, ns.hard)) return { namespace: ns.namespace, hard: ns.hard ?? {}, used: ns.used, enforced: ns.enforced };
        const desired = renderResourceQuota(tenantName, ns.namespace, limits);
        const answer = this.remember(await this.write(errors, desired, () => this.client.apply<QuotaObject>(RESOURCE_QUOTAS, desired, FIELD_MANAGER)));
        // If the write failed, the old limit still stands and bounds usage.
        if (!answer) return ns;
        lowered.add(ns.namespace);
        // The answer shows the limit admission still enforces: the quota controller has not copied ours yet.
        return { namespace: ns.namespace, hard: limits, used: pick(answer.status?.used), enforced: pick(answer.status?.hard) };
      }),
    );
    const grown = growStep(tenantHard, afterShrink, plan);
    await Promise.all(
      afterShrink.map(async (ns) => {
        const target = grown.get(ns.namespace)!;
        const live = this.liveQuota(ns.namespace);
        const desired = renderResourceQuota(tenantName, ns.namespace, target);
        // The cache has not seen a quota lowered just now: the write's answer is the truth.
        if (sameList(target, ns.hard ?? {}) && (lowered.has(ns.namespace) || (live && !needsApply(desired, live)))) return;
        this.remember(await this.dropQuotaKeys(errors, live, desired));
        this.remember(await this.upsert(errors, RESOURCE_QUOTAS, desired, live));
      }),
    );
    return { quotaHard: tenantHard, quotaUsed };
  }

  /** A resource the tenant's quota no longer names is removed from the ResourceQuota (apply alone keeps what a create set). */
  private async dropQuotaKeys(errors: string[], live: QuotaObject | undefined, desired: QuotaObject): Promise<QuotaObject | undefined> {
    const dropped = Object.keys(live?.spec?.hard ?? {}).filter((k) => desired.spec?.hard?.[k] === undefined);
    if (!live || dropped.length === 0) return undefined;
    const patch = { spec: { hard: Object.fromEntries(dropped.map((k) => [k, null])) } };
    return this.write(errors, desired, () => this.client.mergePatch<QuotaObject>(RESOURCE_QUOTAS, live.metadata.name, patch, live.metadata.namespace));
  }

  /** The namespace's ResourceQuota as it is: the cache, unless our own last write's answer is newer. */
  private liveQuota(namespace: string): QuotaObject | undefined {
    const cached = this.child(RESOURCE_QUOTAS).get(RESOURCE_QUOTA_NAME, namespace) as QuotaObject | undefined;
    const written = this.quotaWrites.get(namespace);
    if (!written) return cached;
    const live = newerObject(cached, written);
    if (live === cached) this.quotaWrites.delete(namespace);
    return live;
  }

  private remember<T extends QuotaObject>(answer: T | undefined): T | undefined {
    if (answer?.metadata.namespace) this.quotaWrites.set(answer.metadata.namespace, answer);
    return answer;
  }

  private async applyChildren(objects: KubeObject[], errors: string[]): Promise<void> {
    await Promise.all(
      objects.map(async (obj) => {
        const type = NAMESPACED_CHILD_TYPES.find((t) => t.kind === obj.kind)!;
        const live = this.child(type).get(obj.metadata.name, obj.metadata.namespace);
        if (needsApply(obj, live)) await this.upsert(errors, type, obj, live);
      }),
    );
  }

  /** Deletes managed children that the tenant's rendering no longer contains, in its active namespaces. */
  private async prune(tenantName: string, quota: ResourceList, desired: DesiredNamespace[], errors: string[]): Promise<void> {
    const byNamespace = new Map(desired.map((ns) => [ns.name, ns]));
    const hasQuota = Object.keys(quota).length > 0;
    for (const type of NAMESPACED_CHILD_TYPES) {
      for (const obj of this.child(type).byIndex(BY_TENANT, tenantName)) {
        const ns = byNamespace.get(obj.metadata.namespace ?? "");
        if (!ns) continue; // not an active namespace of this tenant: releaseOrDelete decides
        const wanted =
          type === RESOURCE_QUOTAS
            ? hasQuota && obj.metadata.name === RESOURCE_QUOTA_NAME
            : ns.children.some((c) => c.kind === type.kind && c.metadata.name === obj.metadata.name);
        if (wanted) continue;
        await this.write(errors, obj, () => this.client.delete(type, obj.metadata.name, obj.metadata.namespace, { uid: obj.metadata.uid }));
        if (type === RESOURCE_QUOTAS) this.quotaWrites.delete(obj.metadata.namespace ?? "");
      }
    }
  }

  /**
   * Namespaces a tenant no longer declares (or all of them, when it is
   * deleted). Retain keeps the namespace, its workloads, quota and network
   * isolation, removes the owners' access and labels it released; Delete
   * deletes it.
   */
  private async releaseOrDelete(tenantName: string, namespaces: KubeObject[], policy: "Retain" | "Delete", tenant: Tenant | undefined): Promise<void> {
    for (const ns of namespaces) {
      const name = ns.metadata.name;
      if (ns.metadata.deletionTimestamp) continue;
      if (policy === "Delete") {
        await this.client.delete(NAMESPACES, name, undefined, { uid: ns.metadata.uid });
        if (tenant) this.events.record(TENANTS, tenant, "Normal", "NamespaceDeleted", `deleted namespace ${name} (deletionPolicy Delete)`);
        this.log.info("deleted namespace", { tenant: tenantName, namespace: name });
        continue;
      }
      for (const binding of this.child(ROLE_BINDINGS).byIndex(BY_TENANT, tenantName)) {
        if (binding.metadata.namespace === name) await this.client.delete(ROLE_BINDINGS, binding.metadata.name, name, { uid: binding.metadata.uid });
      }
      if (!isReleased(ns)) {
        await this.client.mergePatch(NAMESPACES, name, { metadata: { labels: { [RELEASED_LABEL]: "true" } } });
        const message = `released namespace ${name} (deletionPolicy Retain): its workloads, quota and network isolation stay; owner access was removed`;
        if (tenant) this.events.record(TENANTS, tenant, "Normal", "NamespaceReleased", message);
        this.events.record(NAMESPACES, ns, "Normal", "Released", message);
        this.log.info("released namespace", { tenant: tenantName, namespace: name });
      }
    }
  }

  private async finalize(tenant: Tenant & KubeObject): Promise<ReconcileResult | void> {
    if (!tenant.metadata.finalizers?.includes(TENANT_FINALIZER)) return;
    const name = tenant.metadata.name;
    await this.releaseOrDelete(name, this.ownedNamespaces(name), tenant.spec.deletionPolicy ?? "Retain", tenant);
    if (!this.fleet.isHub) return;
    // The Tenant must outlive its namespaces on every member, or a member
    // would find it gone and could only retain them.
    const pending = this.fleet.membersPending?.(tenant) ?? [];
    if (pending.length > 0) {
      this.log.info("tenant deleted; waiting for member clusters", { tenant: name, clusters: pending });
      return { requeueAfterMs: 2_000 };
    }
    // Applying our finalizer list without our finalizer hands back only the
    // entry we own; other controllers' finalizers stay.
    await this.hub.apply(TENANTS, { apiVersion: "yunshu.io/v1alpha1", kind: "Tenant", metadata: { name, finalizers: [] } }, FIELD_MANAGER);
    this.log.info("tenant deleted; namespaces handled per deletionPolicy", { tenant: name, deletionPolicy: tenant.spec.deletionPolicy ?? "Retain" });
  }

  private async checkOwners(tenant: Tenant): Promise<{ missingServiceAccounts: string[]; externalOwners: number }> {
    const missingServiceAccounts: string[] = [];
    let externalOwners = 0;
    for (const owner of tenant.spec.owners) {
      if (owner.kind !== "ServiceAccount") {
        externalOwners++;
        continue;
      }
      const sa = await this.client.get(SERVICE_ACCOUNTS, owner.name, owner.namespace);
      if (!sa) missingServiceAccounts.push(`${owner.namespace}/${owner.name}`);
    }
    return { missingServiceAccounts, externalOwners };
  }

  /**
   * The hub's write of the top-level status. A tenant with a placement also
   * gets the hub's own entry in status.clusters; the members' entries are
   * theirs (other field managers) and are left as they are.
   */
  private async writeStatus(tenant: Tenant & KubeObject, observations: TenantObservations, placed: string[]): Promise<void> {
    const status = computeStatus(tenant, observations, new Date());
    const hubEntry = tenant.spec.placement && placed.includes(this.fleet.cluster) ? [clusterEntry(tenant, observations, this.fleet.cluster)] : [];
    if (tenant.spec.placement) {
      status.clusters = hubEntry;
      // The printer column counts the tenant's namespaces across the fleet, as its members report them.
      const members = (tenant.status?.clusters ?? []).filter((c) => c.name !== this.fleet.cluster && placed.includes(c.name));
      status.namespaceCount = (status.namespaceCount ?? 0) + members.reduce((sum, c) => sum + (c.namespaces ?? 0), 0);
    }
    const mine = tenant.status ? { ...tenant.status, clusters: tenant.status.clusters?.filter((c) => c.name === this.fleet.cluster) } : undefined;
    if (sameStatus(status, tenant.spec.placement ? mine : { ...mine, clusters: undefined })) return;
    const previousReady = tenant.status?.conditions?.find((c) => c.type === "Ready");
    const ready = status.conditions!.find((c) => c.type === "Ready")!;
    await this.hub.apply(TENANTS, { apiVersion: "yunshu.io/v1alpha1", kind: "Tenant", metadata: { name: tenant.metadata.name }, status } as KubeObject, FIELD_MANAGER, "status");
    // An event when readiness changes, and for every problem; a tenant that
    // is simply ready the first time already has its NamespacesCreated event.
    const changed = previousReady ? previousReady.status !== ready.status || previousReady.reason !== ready.reason : ready.status !== "True";
    if (changed) {
      this.events.record(TENANTS, tenant, ready.status === "True" ? "Normal" : "Warning", ready.reason, ready.message);
    }
  }

  /** A member cluster's report on the tenant, or its absence, under its own field manager. */
  private async writeClusterEntry(tenant: Tenant & KubeObject, entry: ClusterEntry | undefined): Promise<void> {
    const current = tenant.status?.clusters?.find((c) => c.name === this.fleet.cluster);
    if (sameStatus(entry, current)) return;
    const status = { clusters: entry ? [entry] : [] };
    await this.hub.apply(TENANTS, { apiVersion: "yunshu.io/v1alpha1", kind: "Tenant", metadata: { name: tenant.metadata.name }, status } as KubeObject, clusterFieldManager(this.fleet.cluster), "status");
  }
}

type ClusterEntry = NonNullable<NonNullable<Tenant["status"]>["clusters"]>[number];

/** Each cluster's entry in status.clusters is applied by its own field manager, so that the entries never overwrite one another. */
export const clusterFieldManager = (cluster: string) => `${FIELD_MANAGER}-cluster-${cluster}`;

function clusterEntry(tenant: Tenant, obs: TenantObservations, name: string): ClusterEntry {
  const status = computeStatus(tenant, obs, new Date(0));
  const ready = status.conditions!.find((c) => c.type === "Ready")!;
  return {
    name,
    ready: ready.status === "True",
    observedGeneration: tenant.metadata.generation ?? 0,
    namespaces: status.namespaceCount ?? 0,
    ...(ready.status === "True" ? {} : { message: ready.message }),
    quota: { hard: formatResourceList(obs.quotaHard), used: formatResourceList(obs.quotaUsed) },
  };
}

/** Why an existing namespace cannot serve as this tenant's: someone else's, or being deleted. */
function ownershipProblem(ns: KubeObject, tenant: string): NamespaceObservation | undefined {
  const name = ns.metadata.name;
  const owner = ns.metadata.labels?.[TENANT_LABEL];
  if (ns.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) {
    return {
      name,
      state: "Conflict",
      message: `namespace ${name} already exists and is not managed by yunshu; rename the namespace in the Tenant, or have the platform team move or remove the existing one`,
    };
  }
  if (owner !== tenant) return { name, state: "Conflict", message: `namespace ${name} belongs to tenant ${owner}; choose another namespace name` };
  if (ns.metadata.deletionTimestamp) return { name, state: "Terminating" };
  return undefined;
}

function sameList(a: ResourceList, b: ResourceList): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function describeFailure(obj: KubeObject, err: unknown): string {
  const what = `${obj.kind ?? "object"} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata.name}`;
  const reason = err instanceof ApiError ? err.message : String(err);
  return `${what}: ${reason}`;
}
