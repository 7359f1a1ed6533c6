// `make bench`: yunshu at the scale of a province, against the physical
// yardstick of this machine: how fast the same API server and etcd accept the
// same objects from a bare client. Prints a table and writes the figures as
// JSON (bench-results/) so runs can be compared over time.
//
//   make bench                     # 2,000 tenants x 3 namespaces
//   make bench TENANTS=200         # a smaller run
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { shippedProfile } from "../../operator/api/manifests.ts";
import { auditFleet } from "../../operator/audit/fleet-audit.ts";
import { planQuota } from "../../operator/quota/allocate.ts";
import { parseResourceList } from "../../operator/api/quantity.ts";
import { inParallel } from "../../operator/runtime/in-parallel.ts";
import { KubeClient, type KubeObject, type ResourceType } from "../../operator/runtime/kube-client.ts";
import { NAMESPACED_CHILD_TYPES, NAMESPACES, RESOURCE_QUOTAS, TENANTS } from "../../operator/api/resources.ts";
import { Informer } from "../../operator/runtime/informer.ts";
import { silentLogger } from "../../operator/runtime/log.ts";
import { sleep } from "../../operator/runtime/sleep.ts";
import { DEFAULT_PLATFORM } from "../../operator/tenant/platform.ts";
import { tenantProfile, withProfileQuota } from "../../operator/tenant/profile.ts";
import { renderTenant } from "../../operator/tenant/render.ts";
import { renderResourceQuota } from "../../operator/tenant/resource-quota.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ensureBinaries } from "../controlplane/binaries.ts";
import { bundleOperator } from "../../scripts/bundle-operator.ts";
import { ControlPlane } from "../controlplane/controlplane.ts";
import { installYunshu } from "../local/yunshu.ts";
import { chartHeapLimitMiB, chartNodeFlags, OperatorProcess, processCpuSeconds, type Scrape } from "../local/operator-process.ts";

const repo = resolve(import.meta.dirname, "../..");
const { values: flags } = parseArgs({
  options: {
    tenants: { type: "string", default: "2000" },
    namespaces: { type: "string", default: "3" },
    workers: { type: "string", default: "32" },
    concurrency: { type: "string", default: "16" },
    "latency-rounds": { type: "string", default: "30" },
  },
});
const N = Number(flags.tenants);
const NS_PER_TENANT = Number(flags.namespaces);
const WORKERS = Number(flags.workers);
const CONCURRENCY = Number(flags.concurrency);
const ROUNDS = Number(flags["latency-rounds"]);
const WRITE_VERBS = ["POST", "APPLY", "PATCH", "PUT", "DELETE"];
const ALL_VERBS = ["GET", "LIST", "WATCH", ...WRITE_VERBS];
// The operator's Node flags are the chart's (read from its values, so that
// the benchmark measures what is shipped); OPERATOR_HEAP_MIB overrides its
// bound on the old generation, OPERATOR_NODE_FLAGS adds more, e.g.
// "--cpu-prof --cpu-prof-dir=/tmp/prof" for a profile of the operator.
const HEAP_MIB = Number(process.env.OPERATOR_HEAP_MIB ?? chartHeapLimitMiB());
const NODE_FLAGS = [...chartNodeFlags(HEAP_MIB), ...(process.env.OPERATOR_NODE_FLAGS?.split(" ").filter(Boolean) ?? [])];

/** What the control plane's processes (etcd, kube-apiserver, kube-controller-manager) have used so far, in CPU seconds. */
const controlPlaneCpu = (plane: ControlPlane) => plane.pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const seconds = (ms: number) => ms / 1000;

function benchTenant(i: number): Tenant {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name: `dept-${String(i).padStart(5, "0")}` },
    spec: {
      displayName: `部门 ${i}`,
      level: "county",
      owners: [{ kind: "Group", name: `dept-${i}-ops` }],
      namespaces: ["prod", "test", "dev", "staging", "data"].slice(0, NS_PER_TENANT).map((name) => ({ name })),
      quota: { hard: { "requests.cpu": "8", "requests.memory": "16Gi", pods: "100" } },
      limits: { defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" } },
      securityLevel: 3,
    },
  };
}

/** Exactly what yunshu makes of one tenant, as a bare client would create it: namespaces first. */
function objectsOf(t: Tenant): { namespaces: KubeObject[]; children: [ResourceType, KubeObject][] } {
  const profile = shippedProfile(t.spec.securityLevel ?? 3);
  const desired = renderTenant(t, DEFAULT_PLATFORM, tenantProfile(t, profile));
  const hard = parseResourceList(t.spec.quota?.hard);
  const plan = planQuota(withProfileQuota(hard, hard, profile), desired.map((d) => ({ namespace: d.name })));
  return {
    namespaces: desired.map((d) => d.namespace),
    children: desired.flatMap((d) => [
      [RESOURCE_QUOTAS, renderResourceQuota(t.metadata.name, d.name, plan.get(d.name)!)] as [ResourceType, KubeObject],
      ...d.children.map((c) => [NAMESPACED_CHILD_TYPES.find((type) => type.kind === c.kind)!, c] as [ResourceType, KubeObject]),
    ]),
  };
}

async function baseline(): Promise<{ seconds: number; objects: number; controlPlaneCpuSeconds: number; clientCpuSeconds: number }> {
  const plane = await ControlPlane.start({ name: "bench-baseline", log: say });
  try {
    const identity = await installYunshu(plane);
    const client = new KubeClient(plane.credentials(identity), { qps: 0 });
    const tenants = Array.from({ length: N }, (_, i) => objectsOf(benchTenant(i)));
    let objects = 0;
    say(`baseline: a bare client creates what ${N} tenants become (${CONCURRENCY} tenants in flight)`);
    const started = performance.now();
    const cpuBefore = controlPlaneCpu(plane);
    const clientBefore = process.cpuUsage();
    await inParallel(tenants, CONCURRENCY, async ({ namespaces, children }) => {
      await Promise.all(namespaces.map((ns) => client.create(NAMESPACES, ns)));
      await Promise.all(children.map(([type, obj]) => (process.env.BASELINE_APPLY ? client.apply(type, obj, "yunshu") : client.create(type, obj))));
      objects += namespaces.length + children.length;
    });
    const clientCpu = process.cpuUsage(clientBefore);
    return { seconds: seconds(performance.now() - started), objects, controlPlaneCpuSeconds: controlPlaneCpu(plane) - cpuBefore, clientCpuSeconds: (clientCpu.user + clientCpu.system) / 1e6 };
  } finally {
    await plane.stop();
  }
}

/** The operator as the image runs it (the bundle, the chart's Node flags), its metrics open on loopback, no periodic resync to blur the figures. */
function startOperator(plane: ControlPlane, kubeconfig: string, n: number): OperatorProcess {
  return new OperatorProcess({
    kubeconfig,
    logDir: join(plane.dir, "logs"),
    name: `bench-operator-${n}`,
    entry: "bundle",
    nodeFlags: NODE_FLAGS,
    // The benchmark reads its own operator's metrics on loopback, the one place --metrics-auth=false is allowed.
    args: ["--workers", String(WORKERS), "--qps", "0", "--metrics-auth=false", "--resync", "86400"],
  });
}

const writes = (s: Scrape) => WRITE_VERBS.reduce((sum, verb) => sum + s.value("yunshu_api_requests_total", { verb }), 0);

const isReady = (t: Tenant & KubeObject) =>
  t.status?.observedGeneration === t.metadata.generation && t.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;

/**
 * Counts ready tenants from a watch. Listing 2,000 tenants twice a second,
 * as this benchmark once did, cost the API server it measures several
 * megabytes of JSON a second that the baseline never paid.
 */
function watchReady(client: KubeClient, signal: AbortSignal): { count: () => number; synced: Promise<void> } {
  const tenants = new Informer<Tenant & KubeObject>(client, TENANTS, { log: silentLogger });
  const ready = new Set<string>();
  tenants.onEvent((event, t) => {
    if (event !== "delete" && isReady(t)) ready.add(t.metadata.name);
    else ready.delete(t.metadata.name);
  });
  void tenants.run(signal);
  return { count: () => ready.size, synced: tenants.waitForSync() };
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function yunshu(): Promise<Record<string, number> & { convergeRequests: Record<string, number> }> {
  const plane = await ControlPlane.start({ name: "bench-yunshu", log: say });
  try {
    const identity = await installYunshu(plane);
    const admin = new KubeClient(plane.credentials(), { qps: 0 });
    say(`creating ${N} Tenant objects (not timed)`);
    await inParallel(Array.from({ length: N }, (_, i) => benchTenant(i)), CONCURRENCY, async (t) => {
      await admin.create(TENANTS, t as KubeObject);
    });

    say(`yunshu: the operator converges ${N} tenants from a cold start (${WORKERS} workers)`);
    const watching = new AbortController();
    const readiness = watchReady(admin, watching.signal);
    await readiness.synced;
    const cpuBefore = controlPlaneCpu(plane);
    const first = startOperator(plane, plane.kubeconfigPath(identity), 1);
    await first.serving();
    let lastReport = performance.now();
    let progressAt = performance.now();
    let lastCount = -1;
    for (;;) {
      const ready = readiness.count();
      if (ready === N) break;
      if (ready !== lastCount) progressAt = performance.now();
      lastCount = ready;
      if (performance.now() - lastReport > 5_000) {
        say(`  ${ready}/${N} tenants ready after ${seconds(performance.now() - first.startedAt).toFixed(0)}s`);
        lastReport = performance.now();
      }
      if (performance.now() - progressAt > 120_000) throw new Error(`no progress for 2 minutes at ${ready}/${N}; operator log: ${first.logTail()}`);
      await sleep(100);
    }
    const convergeSeconds = seconds(performance.now() - first.startedAt);
    watching.abort();
    const convergeControlPlaneCpuSeconds = controlPlaneCpu(plane) - cpuBefore;
    say(`converged in ${convergeSeconds.toFixed(1)}s`);
    const converged = await first.settle();

    say("steady state: a full resync of every tenant (SIGHUP)");
    const beforeResync = converged;
    first.child.kill("SIGHUP");
    const afterResync = await first.settle(beforeResync.value("workqueue_adds_total") + N);
    const resyncWrites = writes(afterResync) - writes(beforeResync);
    const resyncCpu = afterResync.value("process_cpu_seconds_total") - beforeResync.value("process_cpu_seconds_total");

    say(`latency: ${ROUNDS} quota changes of one tenant, timed until all its ResourceQuotas show them`);
    const latencies: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const name = benchTenant((r * 7919) % N).metadata.name;
      const pods = 200 + r;
      const started = performance.now();
      await admin.mergePatch(TENANTS, name, { spec: { quota: { hard: { pods: String(pods) } } } });
      for (;;) {
        const quotas = await admin.list<KubeObject & { spec: { hard: Record<string, string> } }>(RESOURCE_QUOTAS, { labelSelector: `yunshu.io/tenant=${name}` });
        if (quotas.items.reduce((sum, q) => sum + Number(q.spec.hard.pods), 0) === pods) break;
        await sleep(5);
      }
      latencies.push(performance.now() - started);
    }
    const memory = await first.settle();

    say("isolation audit: every namespace, pod, policy and binding read and judged, as `yunshu audit` does");
    const auditStarted = performance.now();
    const tenants = (await admin.list<Tenant & KubeObject>(TENANTS)).items;
    const [audit] = await auditFleet([{ name: "hub", client: admin }], tenants, [], DEFAULT_PLATFORM);
    const auditSeconds = seconds(performance.now() - auditStarted);

    say("restart: the operator stopped and started again with everything converged");
    await first.stop();
    const second = startOperator(plane, plane.kubeconfigPath(identity), 2);
    const readySeconds = await second.untilReady();
    const afterRestart = await second.settle(N);
    await second.stop();

    return {
      convergeSeconds,
      resyncWrites,
      resyncCpuSeconds: resyncCpu,
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      rssMiB: memory.value("process_resident_memory_bytes") / 2 ** 20,
      heapMiB: memory.value("nodejs_heap_size_used_bytes") / 2 ** 20,
      heapTotalMiB: memory.value("nodejs_heap_size_total_bytes") / 2 ** 20,
      externalMiB: memory.value("nodejs_external_memory_bytes") / 2 ** 20,
      auditSeconds,
      auditNamespaces: audit!.namespaces.length,
      auditViolations: audit!.violations.length,
      restartReadySeconds: readySeconds,
      restartWrites: writes(afterRestart),
      convergeWrites: writes(converged),
      convergeCpuSeconds: converged.value("process_cpu_seconds_total"),
      convergeControlPlaneCpuSeconds,
      convergeRequests: Object.fromEntries(ALL_VERBS.map((verb) => [verb, converged.value("yunshu_api_requests_total", { verb })]).filter(([, n]) => n)),
    };
  } finally {
    await plane.stop();
  }
}

const binaries = await ensureBinaries(say);
// What the image runs (Dockerfile): the bundle, not the TypeScript sources.
await bundleOperator();
const base = await baseline();
say(`baseline: ${base.objects} objects in ${base.seconds.toFixed(1)}s (${(base.objects / base.seconds).toFixed(0)} objects/s)`);
const y = await yunshu();
const ratio = y.convergeSeconds! / base.seconds;
const rows: [string, string, string][] = [
  ["baseline: bare client creates the objects", `${base.seconds.toFixed(1)} s (${base.objects} objects, ${(base.objects / base.seconds).toFixed(0)}/s)`, ""],
  ["  CPU: control plane (etcd, API server, controllers), client", `${base.controlPlaneCpuSeconds.toFixed(1)} s, ${base.clientCpuSeconds.toFixed(1)} s`, ""],
  ["yunshu: cold-start convergence", `${y.convergeSeconds!.toFixed(1)} s (${y.convergeWrites} writes, ${y.convergeCpuSeconds!.toFixed(1)} CPU s)`, ""],
  ["  CPU: control plane (etcd, API server, controllers), operator", `${y.convergeControlPlaneCpuSeconds!.toFixed(1)} s, ${y.convergeCpuSeconds!.toFixed(1)} s`, ""],
  ["  requests by verb", Object.entries(y.convergeRequests).map(([verb, n]) => `${verb} ${n}`).join(", "), ""],
  ["  ratio to baseline", ratio.toFixed(2), ratio <= 1.25 ? "goal <= 1.25 met" : `goal <= 1.25 MISSED by ${((ratio / 1.25 - 1) * 100).toFixed(0)}%`],
  ["steady state: writes in a full resync", String(y.resyncWrites), y.resyncWrites === 0 ? "goal 0 met" : "goal 0 MISSED"],
  ["steady state: CPU for a full resync", `${y.resyncCpuSeconds!.toFixed(2)} s`, ""],
  ["one-tenant quota change, p50", `${y.latencyP50Ms!.toFixed(0)} ms`, ""],
  ["one-tenant quota change, p99", `${y.latencyP99Ms!.toFixed(0)} ms`, y.latencyP99Ms! < 1000 ? "goal < 1 s met" : "goal < 1 s MISSED"],
  ["operator RSS after convergence", `${y.rssMiB!.toFixed(0)} MiB`, N * NS_PER_TENANT >= 6000 ? (y.rssMiB! <= 256 ? "goal <= 256 MiB met" : "goal <= 256 MiB MISSED") : ""],
  ["operator heap used / total, external", `${y.heapMiB!.toFixed(0)} / ${y.heapTotalMiB!.toFixed(0)} MiB, ${y.externalMiB!.toFixed(0)} MiB`, ""],
  ["isolation audit of the cluster", `${y.auditSeconds!.toFixed(2)} s (${y.auditNamespaces} tenant namespaces)`, ""],
  ["  violations found", String(y.auditViolations), y.auditViolations === 0 ? "goal 0 met" : "goal 0 MISSED"],
  ["restart: time to ready", `${y.restartReadySeconds!.toFixed(2)} s`, ""],
  ["restart: writes issued", String(y.restartWrites), y.restartWrites === 0 ? "goal 0 met" : "goal 0 MISSED"],
];
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`\nyunshu benchmark: ${N} tenants x ${NS_PER_TENANT} namespaces = ${N * NS_PER_TENANT} namespaces, Kubernetes from ${binaries.dir}, ${WORKERS} workers, the operator's old generation bounded at ${HEAP_MIB} MiB`);
for (const [what, value, goal] of rows) console.log(`  ${what.padEnd(width)}  ${value.padEnd(34)} ${goal}`);
const result = { date: new Date().toISOString(), tenants: N, namespacesPerTenant: NS_PER_TENANT, workers: WORKERS, heapLimitMiB: HEAP_MIB, baselineSeconds: base.seconds, baselineObjects: base.objects, baselineControlPlaneCpuSeconds: base.controlPlaneCpuSeconds, baselineClientCpuSeconds: base.clientCpuSeconds, ratio, ...y };
await mkdir(join(repo, "bench-results"), { recursive: true });
const out = join(repo, "bench-results", `bench-${N}x${NS_PER_TENANT}-${result.date.replace(/[:.]/g, "-")}.json`);
await writeFile(out, JSON.stringify(result, null, 2) + "\n");
console.log(`  figures written to ${out}`);
