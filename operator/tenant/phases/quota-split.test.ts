// The two-step quota split, against a store that behaves like a cluster
// where it matters: admission enforces status.hard, which the quota
// controller copies from spec.hard only when the test says (enforce()), and
// every write answers with the object as written.
import { describe, expect, it } from "vitest";
import type { ResourceQuota } from "../../api/core-types.ts";
import { parseResourceList, type ResourceList } from "../../api/quantity.ts";
import { tenantLabels } from "../labels.ts";
import type { QuotaObject } from "../quota-writes.ts";
import { splitQuota, type QuotaStore } from "./quota-split.ts";

type Limits = Record<string, string>;

class Cluster implements QuotaStore {
  readonly quotas = new Map<string, { hard: Limits; enforced?: Limits; used?: Limits }>();
  readonly writes: string[] = [];
  /** Namespaces whose writes the API server refuses. */
  readonly refusing = new Set<string>();
  /** The largest sum of max(spec.hard, status.hard) seen after any write, per resource. */
  readonly peak: Record<string, bigint> = {};
  private version = 1;
  private readonly tenantHard: Limits;
  /** The Tenant changed since the split's cache saw it. */
  stale = false;
  /** How often the split asked whether its Tenant is the latest. */
  freshnessChecks = 0;

  async decidedOnLatest() {
    this.freshnessChecks++;
    return !this.stale;
  }

  constructor(tenantHard: Limits) {
    this.tenantHard = tenantHard;
  }

  live(namespace: string): QuotaObject | undefined {
    const q = this.quotas.get(namespace);
    if (!q) return undefined;
    return {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "yunshu-tenant-quota", namespace, labels: tenantLabels("t"), resourceVersion: String(this.version) },
      spec: { hard: { ...q.hard } },
      status: { ...(q.enforced ? { hard: { ...q.enforced } } : {}), ...(q.used ? { used: { ...q.used } } : {}) },
    };
  }

  async apply(desired: ResourceQuota) {
    return this.write("apply", desired, (q) => ({ ...q, hard: { ...q.hard, ...desired.spec.hard } }));
  }

  async upsert(desired: ResourceQuota, live: QuotaObject | undefined) {
    return this.write(live ? "apply" : "create", desired, (q) => ({ ...q, hard: { ...q.hard, ...desired.spec.hard } }));
  }

  async dropKeys(desired: ResourceQuota, resources: string[]) {
    return this.write(`drop ${resources.join(",")}`, desired, (q) => ({ ...q, hard: Object.fromEntries(Object.entries(q.hard).filter(([r]) => !resources.includes(r))) }));
  }

  /** The quota controller catching up: what is written becomes what admission enforces. */
  enforce(): void {
    for (const q of this.quotas.values()) q.enforced = { ...q.hard };
  }

  hard(namespace: string): Limits | undefined {
    return this.quotas.get(namespace)?.hard;
  }

  private write(verb: string, desired: ResourceQuota, change: (q: { hard: Limits; enforced?: Limits; used?: Limits }) => { hard: Limits; enforced?: Limits; used?: Limits }) {
    const namespace = desired.metadata.namespace!;
    this.writes.push(`${verb} ${namespace} ${JSON.stringify(desired.spec.hard)}`);
    if (this.refusing.has(namespace)) return undefined;
    this.quotas.set(namespace, change(this.quotas.get(namespace) ?? { hard: {} }));
    this.version++;
    for (const resource of Object.keys(this.tenantHard)) {
      let sum = 0n;
      for (const q of this.quotas.values()) {
        const written = parseResourceList(q.hard)[resource] ?? 0n;
        const enforced = parseResourceList(q.enforced)[resource] ?? 0n;
        sum += written > enforced ? written : enforced;
      }
      if (sum > (this.peak[resource] ?? 0n)) this.peak[resource] = sum;
    }
    return this.live(namespace);
  }
}

const TENANT = { pods: "10" };
const tenantHard: ResourceList = parseResourceList(TENANT);
const split = (cluster: Cluster, namespaces: string[], hard: ResourceList = tenantHard) => splitQuota(cluster, "t", hard, namespaces);

function seeded(quotas: Record<string, { hard: Limits; used?: Limits }>): Cluster {
  const cluster = new Cluster(TENANT);
  for (const [ns, q] of Object.entries(quotas)) cluster.quotas.set(ns, { hard: q.hard, enforced: { ...q.hard }, used: q.used });
  return cluster;
}

describe("splitQuota", () => {
  it("moves headroom in two steps: a lowered limit is granted elsewhere only once admission enforces it", async () => {
    // a holds 8 but uses 1; b is full at 2 and needs room.
    const cluster = seeded({ "t-a": { hard: { pods: "8" }, used: { pods: "1" } }, "t-b": { hard: { pods: "2" }, used: { pods: "2" } } });

    await split(cluster, ["t-a", "t-b"]);
    expect(cluster.hard("t-a")).toEqual({ pods: "4" });
    // a's old limit of 8 is still what admission enforces: b may not grow into it yet.
    expect(cluster.hard("t-b")).toEqual({ pods: "2" });

    cluster.enforce();
    await split(cluster, ["t-a", "t-b"]);
    expect(cluster.hard("t-b")).toEqual({ pods: "6" });
    expect(cluster.peak.pods).toBeLessThanOrEqual(parseResourceList(TENANT).pods!);
  });

  it("costs no write once every namespace has its share", async () => {
    const cluster = seeded({ "t-a": { hard: { pods: "5" }, used: { pods: "1" } }, "t-b": { hard: { pods: "5" }, used: { pods: "1" } } });
    await split(cluster, ["t-a", "t-b"]);
    expect(cluster.writes).toEqual([]);
  });

  it("keeps a limit whose lowering was refused, and grants nothing out of it", async () => {
    const cluster = seeded({ "t-a": { hard: { pods: "8" }, used: { pods: "1" } }, "t-b": { hard: { pods: "2" }, used: { pods: "2" } } });
    cluster.refusing.add("t-a");
    await split(cluster, ["t-a", "t-b"]);
    cluster.enforce();
    await split(cluster, ["t-a", "t-b"]);
    expect(cluster.hard("t-a")).toEqual({ pods: "8" });
    expect(cluster.hard("t-b")).toEqual({ pods: "2" });
    expect(cluster.writes.some((w) => w.startsWith("apply t-a"))).toBe(true);
  });

  it("creates a new namespace's quota at its share, with no zero-limit write first", async () => {
    const cluster = seeded({ "t-a": { hard: { pods: "10" }, used: { pods: "2" } } });
    await split(cluster, ["t-a", "t-new"]);
    expect(cluster.writes.filter((w) => w.includes("t-new"))).toEqual(['create t-new {"pods":"0"}']);
    cluster.enforce();
    await split(cluster, ["t-a", "t-new"]);
    expect(cluster.hard("t-a")).toEqual({ pods: "6" });
    expect(cluster.hard("t-new")).toEqual({ pods: "4" });
    expect(cluster.peak.pods).toBeLessThanOrEqual(10_000n);
  });

  it("removes a limit on a resource the tenant's quota no longer names", async () => {
    const cluster = seeded({ "t-a": { hard: { pods: "10", "requests.cpu": "2" } } });
    await split(cluster, ["t-a"]);
    expect(cluster.writes).toEqual(['drop requests.cpu t-a {"pods":"10"}', 'apply t-a {"pods":"10"}']);
    expect(cluster.hard("t-a")).toEqual({ pods: "10" });
  });

  it("sums usage across namespaces, zero for a resource not counted yet", async () => {
    const cluster = seeded({ "t-a": { hard: { pods: "5" }, used: { pods: "3" } }, "t-b": { hard: { pods: "5" } } });
    const hard = parseResourceList({ pods: "10", "requests.cpu": "1" });
    const totals = await split(cluster, ["t-a", "t-b"], hard);
    expect(totals.quotaUsed).toEqual({ pods: 3_000n, "requests.cpu": 0n });
    expect(totals.quotaHard).toBe(hard);
  });

  it("lowers but raises nothing on a Tenant the cache may have stale, and raises once it is the latest", async () => {
    const cluster = seeded({ "t-a": { hard: { pods: "8" }, used: { pods: "1" } }, "t-b": { hard: { pods: "2" }, used: { pods: "2" } } });
    cluster.stale = true;
    await split(cluster, ["t-a", "t-b"]);
    cluster.enforce();
    const deferred = await split(cluster, ["t-a", "t-b"]);
    expect(deferred.raisesDeferred).toBe(true);
    expect(cluster.hard("t-a")).toEqual({ pods: "4" });
    expect(cluster.hard("t-b")).toEqual({ pods: "2" });
    expect(cluster.writes).toEqual(['apply t-a {"pods":"4"}']);

    cluster.stale = false;
    const done = await split(cluster, ["t-a", "t-b"]);
    expect(done.raisesDeferred).toBeUndefined();
    expect(cluster.hard("t-b")).toEqual({ pods: "6" });
  });

  it("asks whether its Tenant is the latest only when it would raise", async () => {
    const steady = seeded({ "t-a": { hard: { pods: "5" }, used: { pods: "1" } }, "t-b": { hard: { pods: "5" }, used: { pods: "1" } } });
    await split(steady, ["t-a", "t-b"]);
    expect(steady.freshnessChecks).toBe(0);
    const fresh = new Cluster(TENANT);
    await split(fresh, ["t-a"]);
    expect(fresh.freshnessChecks).toBe(1);
    expect(fresh.hard("t-a")).toEqual({ pods: "10" });
  });

  it("writes nothing for a tenant whose quota names nothing", async () => {
    const cluster = seeded({ "t-a": { hard: { pods: "5" } } });
    expect(await split(cluster, ["t-a"], {})).toEqual({ quotaHard: {}, quotaUsed: {} });
    expect(cluster.writes).toEqual([]);
  });
});
