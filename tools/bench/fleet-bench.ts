// `make bench-fleet`: yunshu across a province's fleet on this machine, the
// hub and up to fourteen light city members (fleet/local-fleet.ts), with the
// operator as a process of its own. For each size it measures:
//   - cold convergence: every tenant Ready on every cluster it is placed on,
//     from the operator's start; its writes, CPU seconds and memory;
//   - a probe round at rest: what probing every cluster once costs the
//     operator (CPU, requests, writes, tenants worked out again);
//   - one member's outage: a quota change on another member while it is
//     down (against the same change with every member up), and how long the
//     member takes to catch up once back;
//   - a restart of the operator: time to ready and to settled, and writes.
// Several sizes give each figure's growth: a least-squares slope per member
// and per 1,000 tenants. Prints a table with the goals and writes the
// figures as JSON (bench-results/).
//
//   make bench-fleet                                 # the sweep below
//   make bench-fleet MEMBERS=14 TENANTS=2000         # one size
//   node tools/bench/fleet-bench.ts --sizes 2x300,4x300
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Cluster } from "../../operator/api/generated.ts";
import { CLUSTERS, TENANTS } from "../../operator/api/resources.ts";
import { PROBE_INTERVAL_MS } from "../../operator/fleet/cluster-reconciler.ts";
import { inParallel } from "../../operator/runtime/in-parallel.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { sleep } from "../../operator/runtime/sleep.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ensureBinaries, type Binaries } from "../controlplane/binaries.ts";
import { bundleOperator } from "../../scripts/bundle-operator.ts";
import { chartNodeFlags, OperatorProcess, type Scrape } from "../local/operator-process.ts";
import { tenant } from "../local/yunshu.ts";
import { leastSquares } from "./fleet/fit.ts";
import { startLocalFleet, type LocalFleet } from "./fleet/local-fleet.ts";
import { Readiness } from "./fleet/readiness.ts";

/** Members at 2,000 tenants, and tenants at 14 members: three sizes each way, the 14 × 2,000 run shared. */
const SWEEP = "2x2000,7x2000,14x2000,14x500,14x1000";
const { values: flags } = parseArgs({
  options: {
    members: { type: "string", default: "14" },
    tenants: { type: "string", default: "2000" },
    sizes: { type: "string" },
    workers: { type: "string", default: "16" },
    "probe-window": { type: "string", default: "30" },
  },
});
const sizes = (flags.sizes === "sweep" ? SWEEP : (flags.sizes ?? `${flags.members}x${flags.tenants}`)).split(",").map((s) => {
  const [members, tenants] = s.split("x").map(Number);
  if (!Number.isInteger(members) || !Number.isInteger(tenants) || members! < 2 || tenants! < 1) throw new Error(`--sizes: ${s} is not MEMBERSxTENANTS with at least 2 members (one goes down)`);
  return { members: members!, tenants: tenants! };
});
const WORKERS = flags.workers;
const PROBE_WINDOW_MS = Number(flags["probe-window"]) * 1000;
const say = (line: string) => process.stderr.write(`[bench-fleet] ${line}\n`);
const WRITE_VERBS = ["POST", "APPLY", "PATCH", "PUT", "DELETE"];

type Figures = Record<string, number>;

/** What the operator had done when scraped: requests to every cluster, writes among them, tenant placements worked out for the Clusters' loads. */
const counts = (s: Scrape) => ({
  requests: s.value("yunshu_api_requests_total"),
  writes: WRITE_VERBS.reduce((sum, verb) => sum + s.value("yunshu_api_requests_total", { verb }), 0),
  loadRecomputations: s.value("yunshu_cluster_load_recomputations_total"),
});

const name = (i: number) => `dept-${String(i).padStart(5, "0")}`;

/**
 * Where tenant i lives: a quarter provincial (the hub only), half city
 * departments on their city's cluster, a quarter on the hub and a city
 * (a provincial service with a city branch); cities taken in turn.
 */
function placementOf(i: number, fleet: LocalFleet): { placement: Tenant["spec"]["placement"]; city?: string } {
  const kind = i % 4;
  const turn = Math.floor(i / 4);
  if (kind === 0) return { placement: undefined };
  const city = fleet.members[(kind === 3 ? turn : 2 * turn + kind - 1) % fleet.members.length]!;
  return { placement: kind === 3 ? { clusters: [fleet.hubName], regions: [city.region] } : { regions: [city.region] }, city: city.name };
}

async function setPods(client: KubeClient, names: readonly string[], pods: string): Promise<void> {
  await inParallel(names, 16, (n) => client.mergePatch(TENANTS, n, { spec: { quota: { hard: { pods } } } }));
}

async function clusterReady(client: KubeClient, cluster: string): Promise<string | undefined> {
  return (await client.get<Cluster & KubeObject>(CLUSTERS, cluster))?.status?.conditions?.find((c) => c.type === "Ready")?.status;
}

/**
 * Waits (five minutes at most) until two probe intervals in a row pass
 * without a write: what convergence set off, such as the hub's quota usage
 * trickling in and the Clusters' counts, has been written. Returns the last
 * scrape.
 */
async function atRest(op: OperatorProcess, from: Scrape): Promise<Scrape> {
  let last = from;
  let quiet = 0;
  for (let i = 0; i < 30 && quiet < 2; i++) {
    await sleep(PROBE_INTERVAL_MS);
    const now = await op.scrape();
    const written = counts(now).writes - counts(last).writes;
    quiet = written === 0 ? quiet + 1 : 0;
    if (written > 0) say(`  not at rest yet: ${written} writes in the last ${PROBE_INTERVAL_MS / 1000}s`);
    last = now;
  }
  return last;
}

async function runSize(members: number, tenants: number, binaries: Binaries): Promise<Figures> {
  const fleetStarted = performance.now();
  const fleet = await startLocalFleet(members, binaries, say);
  say(`hub and ${members} members up in ${((performance.now() - fleetStarted) / 1000).toFixed(0)}s`);
  const admin = new KubeClient(fleet.hub.credentials(), { qps: 0 });
  const readiness = new Readiness(admin, say);
  const operators: OperatorProcess[] = [];
  const start = async () => {
    const op = new OperatorProcess({
      kubeconfig: fleet.hub.kubeconfigPath(fleet.identity),
      logDir: join(fleet.hub.dir, "logs"),
      name: `bench-fleet-operator-${operators.length + 1}`,
      // Loopback metrics without authentication for the benchmark to read; no periodic resync or audit to blur the figures.
      args: ["--workers", WORKERS, "--qps", "0", "--metrics-auth=false", "--resync", "86400", "--audit-interval", "0"],
      // What the image runs, as the chart runs it.
      entry: "bundle",
      nodeFlags: chartNodeFlags(),
    });
    operators.push(op);
    await op.serving();
    return op;
  };
  try {
    const placed = Array.from({ length: tenants }, (_, i) => placementOf(i, fleet));
    say(`creating ${tenants} Tenants x 2 namespaces (not timed): a quarter on the hub, half on a city, a quarter on both`);
    await inParallel(
      placed.map((p, i) => ({ ...p, i })),
      16,
      ({ placement, i }) =>
        admin.create(TENANTS, tenant(name(i), { level: placement?.regions ? "city" : "province", namespaces: [{ name: "prod" }, { name: "test" }], quota: { hard: { pods: "20", "requests.cpu": "4", "requests.memory": "8Gi" } }, placement }) as Tenant & KubeObject),
    );
    const all = placed.map((_, i) => name(i));
    const namespaces = placed.reduce((n, p) => n + 2 * (p.placement?.clusters ? 2 : 1), 0);

    say(`cold start: the operator converges ${tenants} tenants, ${namespaces} namespaces on ${members + 1} clusters`);
    const first = await start();
    const convergeSeconds = await readiness.until(all, first.startedAt, "cold start");
    const converged = await first.settle(0, 2_000);
    const convergeCpuSeconds = first.cpuSeconds();
    const memory = first.memoryMiB();

    say(`a probe round at rest: every cluster probed, for ${PROBE_WINDOW_MS / 1000}s once two probe intervals pass without a write`);
    const before = { scrape: await atRest(first, converged), cpu: first.cpuSeconds() };
    await sleep(PROBE_WINDOW_MS);
    const after = { scrape: await first.scrape(), cpu: first.cpuSeconds() };
    const rounds = (after.scrape.value("controller_runtime_reconcile_total", { controller: "cluster" }) - before.scrape.value("controller_runtime_reconcile_total", { controller: "cluster" })) / (members + 1);
    const [c0, c1] = [counts(before.scrape), counts(after.scrape)];
    const perRound = (x: number) => (rounds > 0 ? x / rounds : NaN);

    // zhuzhou (the second city) goes down; changsha's tenants are changed meanwhile.
    const [up, down] = [fleet.members[0]!, fleet.members[1]!];
    const onDown = all.filter((_, i) => placed[i]!.city === down.name);
    const onUp = all.filter((_, i) => placed[i]!.city === up.name);
    let started = performance.now();
    await setPods(admin, [...onUp, ...onDown], "30");
    const changeAllUp = await readiness.until(onUp, started, `quota change of ${onUp.length} tenants on ${up.name}, every member up`, "30");
    await readiness.until(onDown, started, `the same on ${down.name}`, "30");

    say(`stopping ${down.name}'s API server`);
    started = performance.now();
    await down.plane.stopApiServer();
    while ((await clusterReady(admin, down.name)) !== "False") await sleep(200);
    const detectSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    await setPods(admin, [...onUp, ...onDown], "40");
    const changeOneDown = await readiness.until(onUp, started, `quota change on ${up.name}, ${down.name} down`, "40");
    say(`starting ${down.name}'s API server again`);
    started = performance.now();
    await down.plane.startApiServer();
    const catchUp = await readiness.until(onDown, started, `${down.name} catching up`, "40");
    await first.settle(0, 2_000);

    say("restart: the operator stopped and started again with everything converged");
    await first.stop();
    const second = await start();
    const restartReady = await second.untilReady();
    const restarted = await second.settle(0, 2_000);
    const restartSettled = (performance.now() - second.startedAt) / 1000;

    return {
      members,
      tenants,
      namespaces,
      convergeSeconds,
      convergeWrites: counts(converged).writes,
      convergeCpuSeconds,
      rssMiB: memory.rss,
      peakRssMiB: memory.peak,
      probeRounds: rounds,
      probeCpuMsPerRound: perRound((after.cpu - before.cpu) * 1000),
      probeRequestsPerRound: perRound(c1.requests - c0.requests),
      probeWritesPerRound: perRound(c1.writes - c0.writes),
      probeRecomputationsPerRound: perRound(c1.loadRecomputations - c0.loadRecomputations),
      changeAllUpSeconds: changeAllUp,
      changeOneDownSeconds: changeOneDown,
      isolationRatio: changeOneDown / changeAllUp,
      outageDetectSeconds: detectSeconds,
      catchUpSeconds: catchUp,
      restartReadySeconds: restartReady,
      restartSettledSeconds: restartSettled,
      restartWrites: counts(restarted).writes,
      restartCpuSeconds: second.cpuSeconds(),
    };
  } catch (err) {
    say(`failed; the operator's log: ${operators.at(-1)?.stdoutFile ?? "(not started)"}`);
    throw err;
  } finally {
    readiness.stop();
    for (const op of operators) await op.stop();
    await fleet.stop();
  }
}

/** Each figure, how it reads, and its goal when it has one. */
const COLUMNS: [keyof Figures & string, string, (v: number) => string, ((v: number) => boolean)?, string?][] = [
  ["convergeSeconds", "cold convergence, s", (v) => v.toFixed(1)],
  ["convergeWrites", "  writes", (v) => v.toFixed(0)],
  ["convergeCpuSeconds", "  operator CPU, s", (v) => v.toFixed(1)],
  ["rssMiB", "operator RSS, MiB", (v) => v.toFixed(0), (v) => v <= 256, "<= 256"],
  ["peakRssMiB", "  peak, MiB", (v) => v.toFixed(0)],
  ["probeCpuMsPerRound", "probe round: CPU, ms", (v) => v.toFixed(0)],
  ["probeRequestsPerRound", "  API requests", (v) => v.toFixed(1)],
  ["probeWritesPerRound", "  writes", (v) => v.toFixed(1), (v) => v === 0, "0"],
  ["probeRecomputationsPerRound", "  tenants worked out again", (v) => v.toFixed(1), (v) => v === 0, "0"],
  ["changeAllUpSeconds", "change, every member up, s", (v) => v.toFixed(1)],
  ["changeOneDownSeconds", "  the same, one member down, s", (v) => v.toFixed(1)],
  ["isolationRatio", "  ratio", (v) => v.toFixed(2), (v) => v <= 1.5, "<= 1.5"],
  ["outageDetectSeconds", "outage seen (Cluster not Ready), s", (v) => v.toFixed(1)],
  ["catchUpSeconds", "  member back: caught up, s", (v) => v.toFixed(1)],
  ["restartReadySeconds", "restart: ready, s", (v) => v.toFixed(1)],
  ["restartSettledSeconds", "  settled, s", (v) => v.toFixed(1)],
  ["restartWrites", "  writes", (v) => v.toFixed(0), (v) => v === 0, "0"],
];

function table(runs: Figures[]): string {
  const width = Math.max(...COLUMNS.map((c) => c[1].length)) + 2;
  const head = `${"".padEnd(width)}${runs.map((r) => `${r.members}x${r.tenants}`.padStart(12)).join("")}   goal`;
  const rows = COLUMNS.map(([key, label, format, meets, goal]) => {
    const verdict = meets ? (runs.every((r) => meets(r[key]!)) ? `${goal} met` : `${goal} MISSED`) : "";
    return `${label.padEnd(width)}${runs.map((r) => format(r[key]!).padStart(12)).join("")}   ${verdict}`;
  });
  return [`${"".padEnd(width)}${"members x tenants".padStart(12 * runs.length)}`, head, `${"namespaces".padEnd(width)}${runs.map((r) => String(r.namespaces).padStart(12)).join("")}`, ...rows].join("\n");
}

/** Slopes of each figure: per member among runs with the same tenants, per 1,000 tenants among runs with the same members. */
function slopes(runs: Figures[]): { by: string; at: string; figure: string; slope: number }[] {
  const out: { by: string; at: string; figure: string; slope: number }[] = [];
  const groups = (fixed: "members" | "tenants") => Map.groupBy(runs, (r) => r[fixed]!);
  for (const [tenants, group] of groups("tenants")) {
    for (const [key] of COLUMNS) {
      const line = leastSquares(group.map((r) => [r.members!, r[key]!]));
      if (line) out.push({ by: "member", at: `${tenants} tenants`, figure: key, slope: line.slope });
    }
  }
  for (const [members, group] of groups("members")) {
    for (const [key] of COLUMNS) {
      const line = leastSquares(group.map((r) => [r.tenants! / 1000, r[key]!]));
      if (line) out.push({ by: "1,000 tenants", at: `${members} members`, figure: key, slope: line.slope });
    }
  }
  return out;
}

// Ctrl-C: the exit handlers stop the control planes and the operator and remove their data.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));
const binaries = await ensureBinaries(say);
await bundleOperator();
const began = performance.now();
const runs: Figures[] = [];
for (const [i, { members, tenants }] of sizes.entries()) {
  say(`size ${i + 1}/${sizes.length}: the hub and ${members} members, ${tenants} tenants (${((performance.now() - began) / 60_000).toFixed(1)} min so far)`);
  runs.push(await runSize(members, tenants, binaries));
}
const fits = slopes(runs);
const minutes = (performance.now() - began) / 60_000;
process.stdout.write(`\nyunshu fleet benchmark: the hub and light city members on one ${availableParallelism()}-core machine, ${minutes.toFixed(1)} min\n${table(runs)}\n`);
if (fits.length > 0) {
  process.stdout.write("\ngrowth (least-squares slope)\n");
  const label = new Map(COLUMNS.map(([key, l]) => [key, l.trim()]));
  for (const f of fits) process.stdout.write(`  ${`${label.get(f.figure)} per ${f.by} (at ${f.at})`.padEnd(64)} ${f.slope.toFixed(3)}\n`);
}
const dir = resolve(import.meta.dirname, "../../bench-results");
await mkdir(dir, { recursive: true });
const file = join(dir, `bench-fleet-${sizes.map((s) => `${s.members}x${s.tenants}`).join("_")}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
await writeFile(file, JSON.stringify({ date: new Date().toISOString(), minutes, runs, slopes: fits }, null, 2) + "\n");
process.stdout.write(`  figures written to ${file}\n`);
