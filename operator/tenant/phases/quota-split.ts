// Phase: the tenant-wide quota, split over its namespaces in this cluster
// (operator/quota/allocate.ts decides the amounts). The sum of what admission
// enforces must never exceed the tenant's limit, even for a moment, so
// headroom moves in two steps: lower what must be lowered, read the answers,
// then raise only out of headroom that is free for certain. Admission
// enforces status.hard, which the quota controller copies from spec.hard a
// moment after each write; the answers say what it still enforces.
import type { ResourceQuota } from "../../api/core-types.ts";
import { parseResourceList, type ResourceList } from "../../api/quantity.ts";
import { RESOURCE_QUOTAS, TENANTS } from "../../api/resources.ts";
import { FIELD_MANAGER } from "../../api/names.ts";
import { growStep, planQuota, shrinkStep, type NamespaceQuota } from "../../quota/allocate.ts";
import type { KubeClient } from "../../runtime/kube-client.ts";
import { needsApply } from "../../runtime/needs-apply.ts";
import { childCache } from "../caches.ts";
import type { QuotaObject } from "../quota-writes.ts";
import { RESOURCE_QUOTA_NAME, renderResourceQuota } from "../resource-quota.ts";
import { upsert, write, type TenantRun } from "../run.ts";

/** What the split needs of a cluster. Each write answers with the object as written, or undefined when it was refused. */
export interface QuotaStore {
  /** The namespace's ResourceQuota as it is now. */
  live(namespace: string): QuotaObject | undefined;
  /** Server-side applies new limits to an existing quota. */
  apply(desired: ResourceQuota): Promise<QuotaObject | undefined>;
  /** Creates the quota, or applies where it exists. */
  upsert(desired: ResourceQuota, live: QuotaObject | undefined): Promise<QuotaObject | undefined>;
  /** Removes limits on resources the tenant's quota no longer names (apply alone keeps what a create set). */
  dropKeys(desired: ResourceQuota, resources: string[]): Promise<QuotaObject | undefined>;
  /**
   * Whether the Tenant this split was decided from is still the latest: a
   * cache can lag behind a lowered quota (after an outage, for seconds),
   * and raising on it would hand out what the platform just took back.
   */
  decidedOnLatest(): Promise<boolean>;
}

export interface QuotaTotals {
  /** What this cluster's namespaces share. */
  quotaHard: ResourceList;
  /** Their usage summed, for every resource the quota names (zero until the quota controller has counted). */
  quotaUsed: ResourceList;
  /** Raises left for the next reconcile: the Tenant changed since the cache saw it. */
  raisesDeferred?: boolean;
}

/** Whether `target` gives a namespace more of anything than it holds now, written or still enforced (nothing, before its quota exists). */
function raises(target: ResourceList, ns: NamespaceQuota): boolean {
  return Object.entries(target).some(([r, v]) => v > (ns.hard?.[r] ?? 0n) && v > (ns.enforced?.[r] ?? 0n));
}

export async function splitQuota(store: QuotaStore, tenant: string, tenantHard: ResourceList, namespaces: string[]): Promise<QuotaTotals> {
  const pick = (list: Record<string, string> | undefined) => {
    const parsed = parseResourceList(list);
    return Object.fromEntries(Object.keys(tenantHard).filter((r) => parsed[r] !== undefined).map((r) => [r, parsed[r]!])) as ResourceList;
  };
  const current: NamespaceQuota[] = namespaces.map((namespace) => {
    const q = store.live(namespace);
    return {
      namespace,
      hard: q ? pick(q.spec?.hard) : undefined,
      used: q?.status?.used ? pick(q.status.used) : undefined,
      enforced: q?.status?.hard ? pick(q.status.hard) : undefined,
    };
  });
  // Every resource the quota names is reported, zero until counted: the
  // status then does not change (and cost a write) just because a count
  // arrived and was zero.
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
      // zero-limit write first, but its quota is created with a limit on
      // every resource, zero if no headroom is free for certain.
      if (!ns.hard) return { ...ns, hard: limits };
      if (sameList(limits, ns.hard)) return ns;
      const answer = await store.apply(renderResourceQuota(tenant, ns.namespace, limits));
      // If the write failed, the old limit still stands and bounds usage.
      if (!answer) return ns;
      lowered.add(ns.namespace);
      return { namespace: ns.namespace, hard: limits, used: pick(answer.status?.used), enforced: pick(answer.status?.hard) };
    }),
  );
  const grown = growStep(tenantHard, afterShrink, plan);
  // Lowering is always safe; raising waits until the Tenant read is the latest.
  if (afterShrink.some((ns) => raises(grown.get(ns.namespace)!, ns)) && !(await store.decidedOnLatest())) return { quotaHard: tenantHard, quotaUsed, raisesDeferred: true };
  await Promise.all(
    afterShrink.map(async (ns) => {
      const target = grown.get(ns.namespace)!;
      const live = store.live(ns.namespace);
      const desired = renderResourceQuota(tenant, ns.namespace, target);
      // The cache has not seen a quota lowered just now: the write's answer is the truth.
      if (sameList(target, ns.hard ?? {}) && (lowered.has(ns.namespace) || (live && !needsApply(desired, live)))) return;
      const dropped = Object.keys(live?.spec?.hard ?? {}).filter((r) => desired.spec.hard[r] === undefined);
      if (dropped.length > 0) await store.dropKeys(desired, dropped);
      await store.upsert(desired, live);
    }),
  );
  return { quotaHard: tenantHard, quotaUsed };
}

/**
 * The cluster behind a reconcile as a QuotaStore: the cache corrected by our
 * own recent answers, every answer remembered. `hub` holds the Tenants: a
 * raise first reads the Tenant there (one read per reconcile that raises).
 */
export function clusterQuotaStore(run: TenantRun, hub: KubeClient): QuotaStore {
  const cache = childCache(run.caches, RESOURCE_QUOTAS);
  const remember = <T extends QuotaObject>(answer: T | undefined) => run.quotaWrites.remember(answer);
  return {
    live: (namespace) => run.quotaWrites.live(namespace, cache.get(RESOURCE_QUOTA_NAME, namespace) as QuotaObject | undefined),
    apply: async (desired) => remember(await write(run, desired, () => run.client.apply<QuotaObject>(RESOURCE_QUOTAS, desired, FIELD_MANAGER))),
    upsert: async (desired, live) => remember(await upsert<QuotaObject>(run, RESOURCE_QUOTAS, desired, live)),
    decidedOnLatest: async () => {
      const latest = await hub.get(TENANTS, run.tenant.metadata.name);
      const current = latest !== undefined && latest.metadata.uid === run.tenant.metadata.uid && latest.metadata.generation === run.tenant.metadata.generation;
      if (!current) run.log.info("the Tenant changed since the cache saw it: raising its quotas waits for the change", { generation: latest?.metadata.generation, cached: run.tenant.metadata.generation });
      return current;
    },
    dropKeys: async (desired, resources) => {
      const patch = { spec: { hard: Object.fromEntries(resources.map((r) => [r, null])) } };
      return remember(await write(run, desired, () => run.client.mergePatch<QuotaObject>(RESOURCE_QUOTAS, desired.metadata.name, patch, desired.metadata.namespace)));
    },
  };
}

function sameList(a: ResourceList, b: ResourceList): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
