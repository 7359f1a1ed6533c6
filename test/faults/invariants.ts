// What must hold after any fault, checked against the live clusters:
//
//  - differencesFromSpec: every tenant on every cluster is exactly what its
//    spec renders to (renderTenant, the placement and the quota plan), field
//    by field on what yunshu owns, with nothing missing and nothing extra,
//    and every Tenant says Ready for its latest generation;
//  - QuotaMonitor (quota-monitor.ts): no tenant-wide quota handed out beyond
//    its limit at any moment.
//
// The expected objects come from the operator's own pure rendering: the
// question is whether the operator got the live clusters to what it means,
// through kills and outages, not whether the rendering is right (the unit
// tests and the tenant integration tests hold that).
import type { Cluster } from "../../operator/api/generated.ts";
import { shippedProfile } from "../../operator/api/manifests.ts";
import { formatResourceList, parseQuantity, parseResourceList, type ResourceList } from "../../operator/api/quantity.ts";
import { CLUSTERS, NAMESPACED_CHILD_TYPES, NAMESPACES, TENANTS } from "../../operator/api/resources.ts";
import { placeTenant, hubName } from "../../operator/fleet/placement.ts";
import { planQuota } from "../../operator/quota/allocate.ts";
import { ownShare } from "../../operator/quota/hierarchy.ts";
import type { KubeClient, KubeObject } from "../../operator/runtime/kube-client.ts";
import { isReleased, MANAGED_SELECTOR, TENANT_LABEL } from "../../operator/tenant/labels.ts";
import { DEFAULT_PLATFORM } from "../../operator/tenant/platform.ts";
import { tenantLevel, tenantProfile, withProfileQuota } from "../../operator/tenant/profile.ts";
import { decideQuota, type TenantDirectory } from "../../operator/tenant/quota-decision.ts";
import { heldByReleased } from "../../operator/tenant/released-quota.ts";
import { renderTenant } from "../../operator/tenant/render.ts";
import { RESOURCE_QUOTA_NAME } from "../../operator/tenant/resource-quota.ts";
import type { Tenant } from "../../operator/tenant/types.ts";

type Live = KubeObject & Record<string, unknown>;
type QuotaLive = KubeObject & { spec?: { hard?: Record<string, string> }; status?: { hard?: Record<string, string>; used?: Record<string, string> } };

/** Label and annotation keys yunshu owns outright: on these, live must equal desired (a key yunshu dropped must be gone). */
const OWNED_KEY = /^(yunshu\.io\/|pod-security\.kubernetes\.io\/)/;
/** Maps of quantities, compared by amount (the API server writes 0.5 back as 500m). */
const QUANTITY_MAPS = new Set(["hard", "default", "defaultRequest", "max", "min", "maxLimitRequestRatio"]);

export function directoryOf(tenants: readonly Tenant[]): TenantDirectory {
  const byName = new Map(tenants.map((t) => [t.metadata.name, t]));
  return { get: (n) => byName.get(n), childrenOf: (n) => tenants.filter((t) => t.spec.parent === n) };
}

/** The tenant-wide limit a cluster's namespaces of `tenant` share: its quota with the profile's merged in, then this cluster's share of it. */
export function clusterShare(tenant: Tenant, tenants: readonly Tenant[], clusters: readonly Cluster[], cluster: string): { placed: boolean; share: ResourceList } | undefined {
  const allocation = decideQuota(tenant, directoryOf(tenants));
  if (!allocation.hard) return undefined;
  const profile = shippedProfile(tenantLevel(tenant));
  const wide = withProfileQuota(allocation.own, allocation.hard, profile);
  const placement = placeTenant(tenant, wide, clusters);
  return { placed: placement.placed.includes(cluster), share: placement.perCluster.get(cluster) ?? {} };
}

/** Where `desired` and `live` differ on what `desired` says, as "path: want X, have Y" lines. */
export function fieldDifferences(desired: unknown, live: unknown, path = "", mode: "plain" | "quantityMap" | "quantity" = "plain", exactKeys = false): string[] {
  if (desired === undefined || desired === live) return [];
  if (mode === "quantity") {
    try {
      if (live !== undefined && parseQuantity(desired as string) === parseQuantity(live as string)) return [];
    } catch {
      // Not a quantity: reported below.
    }
    return [`${path}: want ${JSON.stringify(desired)}, have ${JSON.stringify(live)}`];
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) return [`${path}: want a list of ${desired.length}, have ${JSON.stringify(live)}`];
    if (live.length !== desired.length) return [`${path}: want ${desired.length} item(s) ${JSON.stringify(desired)}, have ${live.length}: ${JSON.stringify(live)}`];
    return desired.flatMap((d, i) => fieldDifferences(d, live[i], `${path}[${i}]`));
  }
  if (desired !== null && typeof desired === "object") {
    if (live === null || typeof live !== "object" || Array.isArray(live)) return [`${path}: want ${JSON.stringify(desired)}, have ${JSON.stringify(live)}`];
    const liveRecord = live as Record<string, unknown>;
    const out: string[] = [];
    // A quota's hard limits are exact: a limit on a resource yunshu did not set is a loosening or a leftover.
    if (mode === "quantityMap" && exactKeys) {
      for (const k of Object.keys(liveRecord)) if (!(k in desired)) out.push(`${path}.${k}: not wanted, have ${JSON.stringify(liveRecord[k])}`);
    }
    for (const [k, v] of Object.entries(desired)) {
      const childMode = mode === "quantityMap" ? "quantity" : QUANTITY_MAPS.has(k) ? "quantityMap" : "plain";
      out.push(...fieldDifferences(v, liveRecord[k], `${path}.${k}`, childMode, k === "hard"));
    }
    return out;
  }
  return [`${path}: want ${JSON.stringify(desired)}, have ${JSON.stringify(live)}`];
}

/** Labels and annotations: everything desired is there, and under yunshu's own keys nothing else is. */
function metadataDifferences(what: string, desired: KubeObject, live: KubeObject): string[] {
  const out: string[] = [];
  for (const field of ["labels", "annotations"] as const) {
    const want = desired.metadata[field] ?? {};
    const have = live.metadata[field] ?? {};
    for (const [k, v] of Object.entries(want)) if (have[k] !== v) out.push(`${what} metadata.${field}[${k}]: want ${JSON.stringify(v)}, have ${JSON.stringify(have[k])}`);
    for (const [k, v] of Object.entries(have)) if (OWNED_KEY.test(k) && !(k in want)) out.push(`${what} metadata.${field}[${k}]: not wanted, have ${JSON.stringify(v)}`);
  }
  return out;
}

function objectDifferences(what: string, desired: KubeObject, live: KubeObject | undefined): string[] {
  if (!live) return [`${what}: missing`];
  const { metadata: _dm, apiVersion: _a, kind: _k, ...body } = desired as Live;
  const { metadata: _lm, ...liveBody } = live as Live;
  return [...metadataDifferences(what, desired, live), ...fieldDifferences(body, liveBody).map((d) => `${what} ${d.replace(/^\./, "")}`)];
}

export interface ClusterView {
  namespaces: KubeObject[];
  /** yunshu-managed namespaced objects by namespace, as kind/name. */
  children: Map<string, Map<string, KubeObject>>;
}

/** Everything yunshu manages on one cluster, read in a few lists. */
export async function readCluster(client: KubeClient): Promise<ClusterView> {
  const [namespaces, ...lists] = await Promise.all([
    client.list<KubeObject>(NAMESPACES, { labelSelector: MANAGED_SELECTOR }),
    ...NAMESPACED_CHILD_TYPES.map((type) => client.list<KubeObject>(type, { labelSelector: MANAGED_SELECTOR })),
  ]);
  const children = new Map<string, Map<string, KubeObject>>();
  for (const list of lists) {
    for (const obj of list.items) {
      const ns = obj.metadata.namespace ?? "";
      if (!children.has(ns)) children.set(ns, new Map());
      children.get(ns)!.set(`${obj.kind}/${obj.metadata.name}`, obj);
    }
  }
  return { namespaces: namespaces.items.filter((ns) => ns.metadata.labels?.[TENANT_LABEL] !== undefined), children };
}

export interface SpecCheckOptions {
  /** Which tenants to hold to their spec (all by default); the others' namespaces are still held to belonging to a tenant. */
  tenants?: (t: Tenant & KubeObject) => boolean;
  /** Whether each checked Tenant must say Ready for its latest generation (default true). */
  requireReady?: boolean;
}

/**
 * Every difference between what the tenants' specs say and what the
 * clusters hold, one human-readable line each; empty when the fleet is
 * exactly as declared. `members` are the member clusters by their Cluster
 * name; the hub is checked under its own (or `hub` when no Cluster names it).
 */
export async function differencesFromSpec(hub: KubeClient, members: Record<string, KubeClient> = {}, options: SpecCheckOptions = {}): Promise<string[]> {
  const [tenantList, clusterList] = await Promise.all([hub.list<Tenant & KubeObject>(TENANTS), hub.list<Cluster & KubeObject>(CLUSTERS)]);
  const tenants = tenantList.items;
  const clusters = clusterList.items;
  const checked = tenants.filter(options.tenants ?? (() => true));
  const out: string[] = [];

  if (options.requireReady ?? true) {
    for (const t of checked) {
      const ready = t.status?.conditions?.find((c) => c.type === "Ready");
      if (ready?.status !== "True") out.push(`tenant ${t.metadata.name}: not Ready (${ready?.reason ?? "no Ready condition"}: ${ready?.message ?? ""})`);
      if (t.status?.observedGeneration !== t.metadata.generation) out.push(`tenant ${t.metadata.name}: observedGeneration ${t.status?.observedGeneration} != generation ${t.metadata.generation}`);
      if (t.metadata.deletionTimestamp) out.push(`tenant ${t.metadata.name}: being deleted`);
    }
  }

  const all: Record<string, KubeClient> = { [hubName(clusters)]: hub, ...members };
  for (const [cluster, client] of Object.entries(all)) {
    const view = await readCluster(client);
    const byTenant = new Map<string, KubeObject[]>();
    for (const ns of view.namespaces) {
      const owner = ns.metadata.labels![TENANT_LABEL]!;
      if (!byTenant.has(owner)) byTenant.set(owner, []);
      byTenant.get(owner)!.push(ns);
    }
    const known = new Set(tenants.map((t) => t.metadata.name));
    for (const [owner, namespaces] of byTenant) {
      if (known.has(owner)) continue;
      for (const ns of namespaces) if (!isReleased(ns) && !ns.metadata.deletionTimestamp) out.push(`${cluster}: namespace ${ns.metadata.name} belongs to tenant ${owner}, which does not exist, and was not released`);
    }
    for (const t of checked) out.push(...tenantDifferences(t, tenants, clusters, cluster, byTenant.get(t.metadata.name) ?? [], view).map((d) => `${cluster}: tenant ${t.metadata.name}: ${d}`));
  }
  return out;
}

function tenantDifferences(t: Tenant, tenants: readonly Tenant[], clusters: readonly Cluster[], cluster: string, owned: KubeObject[], view: ClusterView): string[] {
  const out: string[] = [];
  const placed = clusterShare(t, tenants, clusters, cluster);
  if (!placed) return [`its quota is not allocated (decideQuota): nothing can be checked`];
  const profile = shippedProfile(tenantLevel(t));
  const desired = placed.placed ? renderTenant(t, DEFAULT_PLATFORM, tenantProfile(t, profile, tenants)) : [];
  const wanted = new Set(desired.map((d) => d.name));
  const active = owned.filter((ns) => !isReleased(ns) && !ns.metadata.deletionTimestamp);
  for (const ns of active) if (!wanted.has(ns.metadata.name)) out.push(`namespace ${ns.metadata.name}: not declared here, yet neither released nor deleted`);
  for (const ns of owned) if (wanted.has(ns.metadata.name) && (isReleased(ns) || ns.metadata.deletionTimestamp)) out.push(`namespace ${ns.metadata.name}: declared, yet ${isReleased(ns) ? "released" : "terminating"}`);

  for (const d of desired) {
    const live = owned.find((ns) => ns.metadata.name === d.name);
    out.push(...objectDifferences(`Namespace ${d.name}`, d.namespace, live));
    const children = view.children.get(d.name) ?? new Map<string, KubeObject>();
    const expected = new Set<string>([`ResourceQuota/${RESOURCE_QUOTA_NAME}`]);
    for (const c of d.children) {
      const key = `${c.kind}/${c.metadata.name}`;
      expected.add(key);
      out.push(...objectDifferences(`${d.name} ${key}`, c, children.get(key)));
    }
    for (const key of children.keys()) if (!expected.has(key)) out.push(`${d.name} ${key}: not rendered, yet present`);
  }

  // The quota: each active namespace holds what the plan gives it from the
  // live figures, out of this cluster's share less what released ones hold.
  const quotaOf = (ns: string) => view.children.get(ns)?.get(`ResourceQuota/${RESOURCE_QUOTA_NAME}`) as QuotaLive | undefined;
  const released = owned.filter((ns) => !wanted.has(ns.metadata.name)).map((ns) => quotaOf(ns.metadata.name));
  const held: ResourceList = {};
  for (const q of released) for (const [r, v] of Object.entries(heldByReleased({ hard: q?.spec?.hard, used: q?.status?.used }))) held[r] = (held[r] ?? 0n) + v;
  const share = ownShare(placed.share, held);
  const pick = (list: Record<string, string> | undefined) => Object.fromEntries(Object.entries(parseResourceList(list)).filter(([r]) => r in share)) as ResourceList;
  const live = desired.map((d) => ({ namespace: d.name, q: quotaOf(d.name) }));
  const plan = planQuota(share, live.map(({ namespace, q }) => ({ namespace, hard: q ? pick(q.spec?.hard) : undefined, used: q?.status?.used ? pick(q.status.used) : undefined })));
  for (const { namespace, q } of live) {
    if (!q) continue;
    const what = `${namespace} ResourceQuota/${RESOURCE_QUOTA_NAME}`;
    if (q.metadata.labels?.[TENANT_LABEL] !== t.metadata.name) out.push(`${what}: label ${TENANT_LABEL} is ${JSON.stringify(q.metadata.labels?.[TENANT_LABEL])}`);
    out.push(...fieldDifferences(formatResourceList(plan.get(namespace)!), q.spec?.hard ?? {}, `${what} spec.hard`, "quantityMap", true));
  }
  return out;
}
