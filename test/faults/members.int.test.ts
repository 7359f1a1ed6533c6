// Members that are not down but not right either, behind proxies the hub
// reaches them through (proxies.ts): one answers slowly (every chunk held
// 300-800 ms, drawn from the seed), one's clock is off by ten minutes
// (every time it reports shifted). The hub and the healthy-but-skewed
// member must converge at their own pace whatever the slow one does, the
// slow one must converge in the end, the skewed one must never be judged
// unhealthy, and no tenant's share on any cluster may be exceeded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cluster } from "../../operator/api/generated.ts";
import { CLUSTERS, SECRETS, TENANTS } from "../../operator/api/resources.ts";
import type { Operator } from "../../operator/operator.ts";
import { inParallel } from "../../operator/runtime/in-parallel.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { sleep } from "../../operator/runtime/sleep.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { clusterObject, kubeconfigSecret, registerHub } from "../../tools/local/fleet.ts";
import { installYunshu, startOperator, tenantsApi } from "../../tools/local/yunshu.ts";
import { differencesFromSpec } from "./invariants.ts";
import { clockSkewProxy, latencyProxy, type LatencyProxy, type SkewProxy } from "./proxies.ts";
import { QuotaMonitor } from "./quota-monitor.ts";
import { faultRun, keepLogs, say } from "./seed.ts";
import { faultTenant, randomChange } from "./workload.ts";

const run = faultRun("test/faults/members.int.test.ts");
const random = run.random("members");
const TENANT_COUNT = run.size === "full" ? 24 : 8;
const HUB = "hunan";
/** Ten minutes, ahead or behind: far beyond NTP drift, well within a forgotten clock on a city's hosts. */
const SKEW_MS = random.pick([-1, 1]) * 10 * 60_000;
const [LOW, HIGH] = [300, 800];

let hub: ControlPlane;
let slow: ControlPlane;
let skewed: ControlPlane;
let operator: Operator;
let slowProxy: LatencyProxy;
let skewProxy: SkewProxy;
const on: Record<string, KubeClient> = {};
const monitors: QuotaMonitor[] = [];
const readiness: Record<string, string[]> = { slow: [], skewed: [] };
let watchingReadiness = true;
let readinessWatch: Promise<void> = Promise.resolve();

/** registerMember, but with the member's kubeconfig pointing at `url` (a proxy in front of it). */
async function registerThrough(member: ControlPlane, name: string, url: string, spec: Omit<Cluster["spec"], "kubeconfigSecretRef">): Promise<void> {
  const identity = await installYunshu(member);
  const writer = new KubeClient(hub.credentials());
  await writer.apply(SECRETS, kubeconfigSecret(`cluster-${name}`, member.renderKubeconfig(identity).replace(member.server, url)), "yunshu-test");
  await writer.apply(CLUSTERS, clusterObject(name, { ...spec, kubeconfigSecretRef: { name: `cluster-${name}` } }), "yunshu-test");
}

beforeAll(async () => {
  [hub, slow, skewed] = await Promise.all([
    ControlPlane.start({ name: "faults-hub" }),
    ControlPlane.start({ name: "faults-slow" }),
    ControlPlane.start({ name: "faults-skewed" }),
  ]);
  const identity = await installYunshu(hub);
  slowProxy = await latencyProxy(slow.server, () => random.int(LOW, HIGH));
  skewProxy = await clockSkewProxy(skewed, SKEW_MS);
  await Promise.all([
    registerThrough(slow, "slow", slowProxy.url, { region: "slow", tier: "city" }),
    registerThrough(skewed, "skewed", skewProxy.url, { region: "skewed", tier: "city" }),
  ]);
  await registerHub(hub, HUB, { region: "hunan", tier: "province" });
  on[HUB] = new KubeClient(hub.credentials());
  // The battery's own view of the members is direct: the monitor must not be slowed or skewed.
  on.slow = new KubeClient(slow.credentials());
  on.skewed = new KubeClient(skewed.credentials());
  for (const [name, client] of Object.entries(on)) monitors.push(new QuotaMonitor(name, client, on[HUB]!));
  await Promise.all(monitors.map((m) => m.start()));
  operator = await startOperator(hub, identity, { clusterProbeIntervalMs: 2_000 });
  await eventually("both members connected and Ready", async () => {
    const clusters = (await on[HUB]!.list<Cluster & KubeObject>(CLUSTERS)).items;
    return clusters.filter((c) => c.status?.conditions?.find((x) => x.type === "Ready")?.status === "True").length === 3;
  }, { timeoutMs: 60_000 });
  // Every second from now on: what the hub says of each member.
  readinessWatch = (async () => {
    while (watchingReadiness) {
      for (const name of Object.keys(readiness)) {
        const c = await on[HUB]!.get<Cluster & KubeObject>(CLUSTERS, name).catch(() => undefined);
        const ready = c?.status?.conditions?.find((x) => x.type === "Ready");
        readiness[name]!.push(ready ? `${ready.status}:${ready.reason}:${ready.message}` : "unknown");
      }
      await sleep(1_000);
    }
  })();
}, 300_000);

afterAll(async () => {
  watchingReadiness = false;
  await readinessWatch;
  await operator?.stop();
  await Promise.all(monitors.map((m) => m.stop()));
  await slowProxy?.close();
  await skewProxy?.close();
  await Promise.all([hub, slow, skewed].map((p) => p?.stop()));
});

/** Seconds from `started` until the tenants on the hub and `members` are their specs. */
async function timeToConverge(started: number, members: Record<string, KubeClient>, requireReady: boolean, timeoutMs: number): Promise<{ seconds: number; differences: string[] }> {
  let differences: string[] = [];
  await eventually(
    `tenants on ${[HUB, ...Object.keys(members)].join(", ")} to be their specs`,
    async () => {
      differences = await differencesFromSpec(on[HUB]!, members, { requireReady });
      return differences.length === 0;
    },
    { timeoutMs, intervalMs: 500 },
  ).catch(() => undefined);
  return { seconds: (performance.now() - started) / 1000, differences };
}

describe(`members that answer slowly or tell the wrong time (seed ${run.seed}, size ${run.size}, skew ${SKEW_MS / 60_000} min, latency ${LOW}-${HIGH} ms)`, () => {
  it("converges the hub and the other member at their pace, the slow member eventually, the skewed one without ever being judged unhealthy", async () => {
    const placements = [[HUB, "slow"], [HUB, "skewed"], [HUB, "slow", "skewed"], ["slow"], ["skewed"]];
    const tenants = Array.from({ length: TENANT_COUNT }, (_, i) => faultTenant(random, i, { placement: { clusters: placements[i % placements.length]! } }));
    await inParallel(tenants, 8, (t) => on[HUB]!.create(TENANTS, t as Tenant & KubeObject));
    const removed = new Set<string>();
    for (const t of random.sample(tenants, Math.ceil(TENANT_COUNT / 3))) await tenantsApi(hub).update(t.metadata.name, randomChange(random, t.metadata.name, removed).apply);

    // Side by side, from the same moment: the hub and the skewed member must not wait for the slow one.
    const started = performance.now();
    const [fast, all] = await Promise.all([
      timeToConverge(started, { skewed: on.skewed! }, false, 60_000),
      timeToConverge(started, { skewed: on.skewed!, slow: on.slow! }, true, 180_000),
    ]);
    const violations = (await Promise.all(monitors.map((m) => m.violations()))).flat();
    const unhealthy = readiness.skewed!.filter((r) => !r.startsWith("True"));
    const slowUnready = readiness.slow!.filter((r) => !r.startsWith("True"));
    say(
      `members | tenants=${TENANT_COUNT} hub+skewed=${fast.seconds.toFixed(1)}s all-with-slow=${all.seconds.toFixed(1)}s differences=${all.differences.length} violations=${violations.length} ` +
        `slow-chunks-delayed=${slowProxy.delayedChunks} skewed-timestamps-shifted=${skewProxy.shifted} readiness-samples=${readiness.skewed!.length} skewed-unhealthy=${unhealthy.length} slow-unready=${slowUnready.length}`,
    );
    if (all.differences.length + violations.length + unhealthy.length > 0) {
      say(`  logs kept in ${keepLogs(hub, "members-hub")}`);
      for (const line of [...all.differences.slice(0, 30), ...violations.slice(0, 10).map((v) => JSON.stringify(v)), ...unhealthy.slice(0, 5), ...slowUnready.slice(0, 5)]) say(`  ${line}`);
    }

    expect(fast.differences, "differences on the hub and the skewed member").toEqual([]);
    expect(all.differences, "differences once the slow member caught up").toEqual([]);
    expect(violations, "a tenant's share exceeded on some cluster").toEqual([]);
    expect(unhealthy, "the skewed member judged unhealthy").toEqual([]);
    // The faults were really there: a proxy that delayed or shifted nothing tested nothing.
    expect(slowProxy.delayedChunks).toBeGreaterThan(50);
    expect(skewProxy.shifted).toBeGreaterThan(100);
    // The hub and the healthy member do not wait for the slow one.
    expect(fast.seconds).toBeLessThan(all.seconds);
  }, 300_000);
});
