// Watches every yunshu ResourceQuota of a cluster, and the Tenants, for the
// whole of a fault run, and finds any moment a tenant's namespace quotas
// there added up to more than its limit there (its tenant-wide quota with
// the profile's merged in, or this cluster's share of it in a fleet).
//
// What counts as "exceeded" is yunshu's own invariant (operator/quota/
// allocate.ts): a namespace's claim on the tenant is the larger of the limit
// written (spec.hard) and the limit admission still enforces (status.hard,
// which the quota controller copies a moment later); the claims must never
// be *raised* past the limit. A sum above the limit right after the
// platform lowers a tenant's quota is not a violation (nothing can lower
// every namespace at the same instant); raising anything while over it is.
//
// Events are replayed in etcd order: a quota's resourceVersion against the
// Tenant's, when both live on the same cluster (one etcd, one revision
// counter), so "the limit at that moment" is exact. A member's quotas and
// the hub's Tenants have no common order; there the limit is the most
// generous of the Tenant versions seen within MEMBER_SKEW_MS of the event.
import type { Cluster } from "../../operator/api/generated.ts";
import { parseResourceList, type ResourceList } from "../../operator/api/quantity.ts";
import { CLUSTERS, RESOURCE_QUOTAS, TENANTS } from "../../operator/api/resources.ts";
import { hubName } from "../../operator/fleet/placement.ts";
import { Informer, type InformerEvent } from "../../operator/runtime/informer.ts";
import type { KubeClient, KubeObject } from "../../operator/runtime/kube-client.ts";
import { createLogger } from "../../operator/runtime/log.ts";
import { MANAGED_SELECTOR, TENANT_LABEL } from "../../operator/tenant/labels.ts";
import { RESOURCE_QUOTA_NAME } from "../../operator/tenant/resource-quota.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { clusterShare } from "./invariants.ts";

type Quota = KubeObject & { spec?: { hard?: Record<string, string> }; status?: { hard?: Record<string, string> } };

const MEMBER_SKEW_MS = 5_000;

interface Entry {
  seq: number;
  rv: bigint;
  at: number;
  kind: "quota" | "tenant";
  event: InformerEvent;
  obj: KubeObject;
}

export interface QuotaViolation {
  cluster: string;
  tenant: string;
  resource: string;
  namespace: string;
  sum: string;
  limit: string;
  at: string;
  /** What each of the tenant's namespaces claimed of the resource at that moment. */
  claims: string[];
  /** Every version of the tenant's quota and namespaces the monitor saw, by resourceVersion: the evidence for the limit. */
  tenantVersions: string[];
}

const silent = createLogger("error", () => {});

export class QuotaMonitor {
  readonly cluster: string;
  private readonly entries: Entry[] = [];
  private readonly abort = new AbortController();
  private readonly quotas: Informer<Quota>;
  private readonly tenants: Informer<Tenant & KubeObject>;
  private readonly sameEtcd: boolean;
  private readonly hub: KubeClient;
  private seq = 0;
  private lastRv = 0n;
  private runs: Promise<unknown>[] = [];

  /**
   * `cluster` is the Cluster name of the cluster `quotaClient` reaches (the
   * hub's own when it is the hub); Tenants and Clusters are read from `hub`.
   */
  constructor(cluster: string, quotaClient: KubeClient, hub: KubeClient) {
    this.cluster = cluster;
    this.hub = hub;
    this.sameEtcd = quotaClient === hub;
    this.quotas = new Informer<Quota>(quotaClient, RESOURCE_QUOTAS, { labelSelector: MANAGED_SELECTOR, log: silent });
    this.tenants = new Informer<Tenant & KubeObject>(hub, TENANTS, { log: silent });
    this.quotas.onEvent((event, obj) => this.record("quota", event, obj));
    this.tenants.onEvent((event, obj) => this.record("tenant", event, obj));
  }

  async start(): Promise<void> {
    this.runs = [this.quotas.run(this.abort.signal), this.tenants.run(this.abort.signal)];
    await Promise.all([this.quotas.waitForSync(), this.tenants.waitForSync()]);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.runs);
  }

  /** How many events it has seen: a monitor that saw nothing proves nothing. */
  get events(): number {
    return this.entries.length;
  }

  get quotaEvents(): number {
    return this.entries.filter((e) => e.kind === "quota").length;
  }

  private record(kind: Entry["kind"], event: InformerEvent, obj: KubeObject): void {
    if (kind === "quota" && obj.metadata.name !== RESOURCE_QUOTA_NAME) return;
    // A deletion found by a relist carries the last version the cache had: place it after everything seen so far.
    const rv = event === "delete" && kind === "quota" ? this.lastRv : BigInt(obj.metadata.resourceVersion ?? "0");
    if (rv > this.lastRv) this.lastRv = rv;
    this.entries.push({ seq: this.seq++, rv, at: Date.now(), kind, event, obj: structuredClone(obj) });
  }

  /** Every moment a tenant's claims here were raised past its limit here. */
  async violations(): Promise<QuotaViolation[]> {
    const clusters = (await this.hub.list<Cluster & KubeObject>(CLUSTERS)).items;
    const cluster = this.cluster === "" ? hubName(clusters) : this.cluster;
    const ordered = this.sameEtcd ? [...this.entries].sort((a, b) => (a.rv < b.rv ? -1 : a.rv > b.rv ? 1 : a.seq - b.seq)) : [...this.entries].sort((a, b) => a.at - b.at || a.seq - b.seq);
    const tenantVersions = this.entries.filter((e) => e.kind === "tenant");
    const tenants = new Map<string, Tenant & KubeObject>();
    const claims = new Map<string, { tenant: string; claim: ResourceList }>();
    const out: QuotaViolation[] = [];
    for (const e of ordered) {
      if (e.kind === "tenant") {
        if (e.event === "delete") tenants.delete(e.obj.metadata.name);
        else tenants.set(e.obj.metadata.name, e.obj as Tenant & KubeObject);
        continue;
      }
      const key = `${e.obj.metadata.namespace}`;
      const before = claims.get(key);
      if (e.event === "delete") {
        claims.delete(key);
        continue;
      }
      const tenant = e.obj.metadata.labels?.[TENANT_LABEL];
      if (!tenant) continue;
      const q = e.obj as Quota;
      const claim = maxOf(parseResourceList(q.spec?.hard), parseResourceList(q.status?.hard));
      claims.set(key, { tenant, claim });
      const raised = Object.keys(claim).filter((r) => claim[r]! > (before?.tenant === tenant ? (before.claim[r] ?? 0n) : 0n));
      if (raised.length === 0) continue;
      const limit = this.sameEtcd ? this.limitFrom(tenants.get(tenant), [...tenants.values()], clusters, cluster) : this.memberLimit(tenant, e.at, tenantVersions, clusters, cluster);
      if (!limit) continue;
      for (const r of raised) {
        if (limit[r] === undefined) continue;
        let sum = 0n;
        const parts: string[] = [];
        for (const [namespace, c] of claims) {
          if (c.tenant !== tenant) continue;
          sum += c.claim[r] ?? 0n;
          parts.push(`${namespace}=${milli(c.claim[r] ?? 0n)}`);
        }
        if (sum > limit[r]) {
          const versions = tenantVersions.filter((v) => v.obj.metadata.name === tenant).map((v) => `rv ${v.rv}: ${JSON.stringify((v.obj as Tenant).spec.quota?.hard ?? {})} ${JSON.stringify((v.obj as Tenant).spec.namespaces?.map((n) => n.name))}`);
          out.push({ cluster, tenant, resource: r, namespace: key, sum: milli(sum), limit: milli(limit[r]), at: `rv ${e.rv}, ${new Date(e.at).toISOString()}`, claims: parts, tenantVersions: [...new Set(versions)] });
        }
      }
    }
    return out;
  }

  private limitFrom(t: Tenant | undefined, all: Tenant[], clusters: Cluster[], cluster: string): ResourceList | undefined {
    if (!t) return undefined;
    const share = clusterShare(t, all, clusters, cluster);
    return share?.placed ? share.share : share ? {} : undefined;
  }

  /** The most generous limit any version of the tenant alive within MEMBER_SKEW_MS of `at` gave this cluster. */
  private memberLimit(tenant: string, at: number, versions: Entry[], clusters: Cluster[], cluster: string): ResourceList | undefined {
    const mine = versions.filter((v) => v.obj.metadata.name === tenant);
    const all = new Map<string, Tenant>();
    for (const v of versions) if (v.at <= at + MEMBER_SKEW_MS && v.event !== "delete") all.set(v.obj.metadata.name, v.obj as Tenant);
    let best: ResourceList | undefined;
    mine.forEach((v, i) => {
      const until = mine[i + 1]?.at ?? Infinity;
      if (v.event === "delete" || v.at > at + MEMBER_SKEW_MS || until < at - MEMBER_SKEW_MS) return;
      const limit = this.limitFrom(v.obj as Tenant, [...all.values()], clusters, cluster);
      if (limit) best = best ? maxOf(best, limit) : limit;
    });
    return best;
  }
}

function maxOf(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [r, v] of Object.entries(b)) if (out[r] === undefined || v > out[r]) out[r] = v;
  return out;
}

const milli = (v: bigint) => (v % 1000n === 0n ? String(v / 1000n) : `${v}m`);
