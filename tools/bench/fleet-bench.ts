// `make bench-fleet`: yunshu across a hub and two city members, three local
// control planes on this machine. How long N tenants spread over the fleet
// take to converge from a cold start, how long a change takes on the member
// that is up while the other is down (failure isolation, against the same
// change with every member up), and how long the returning member takes to
// catch up. Prints a table and writes the figures as JSON (bench-results/).
//
//   make bench-fleet                # 300 tenants x 2 namespaces
//   make bench-fleet TENANTS=90
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Cluster } from "../../operator/api/generated.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { CLUSTERS, TENANTS } from "../../operator/api/resources.ts";
import { sleep } from "../../operator/runtime/sleep.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../controlplane/controlplane.ts";
import { registerHub, registerMember } from "../local/fleet.ts";
import { installYunshu, startOperator, tenant } from "../local/yunshu.ts";

const { values: flags } = parseArgs({ options: { tenants: { type: "string", default: "300" }, workers: { type: "string", default: "16" } } });
const N = Number(flags.tenants);
/** A phase that takes this long has stalled, not slowed: the benchmark stops and says so. */
const TIMEOUT_MS = 600_000;
const say = (line: string) => process.stderr.write(`[bench-fleet] ${line}\n`);

/** A third on the hub, a third on changsha, a third on both members. */
function placementOf(i: number): Tenant["spec"]["placement"] {
  if (i % 3 === 0) return undefined;
  return i % 3 === 1 ? { regions: ["changsha"] } : { regions: ["changsha", "zhuzhou"] };
}

const name = (i: number) => `fleet-${String(i).padStart(4, "0")}`;

async function readyCount(client: KubeClient, names: Set<string>, pods?: string): Promise<number> {
  const { items } = await client.list<Tenant & KubeObject>(TENANTS);
  return items.filter(
    (t) =>
      names.has(t.metadata.name) &&
      t.status?.observedGeneration === t.metadata.generation &&
      t.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") &&
      (pods === undefined || t.status?.quota?.hard?.pods === pods),
  ).length;
}

/** Seconds until every tenant in `names` is Ready (with `pods` as its quota, when given). */
async function timeUntilReady(client: KubeClient, names: Set<string>, started: number, what: string, pods?: string): Promise<number> {
  let last = -1;
  for (;;) {
    const ready = await readyCount(client, names, pods);
    if (ready !== last) say(`  ${what}: ${ready}/${names.size} ready after ${((Date.now() - started) / 1000).toFixed(0)}s`);
    last = ready;
    if (ready === names.size) return (Date.now() - started) / 1000;
    if (Date.now() - started > TIMEOUT_MS) throw new Error(`${what}: only ${ready}/${names.size} tenants ready after ${TIMEOUT_MS / 1000}s; the operator's log is in ${hub?.dir}/logs`);
    await sleep(500);
  }
}

async function setPods(client: KubeClient, names: Iterable<string>, pods: string): Promise<void> {
  await Promise.all([...names].map((n) => client.mergePatch(TENANTS, n, { spec: { quota: { hard: { pods } } } })));
}

const [hub, changsha, zhuzhou] = await Promise.all(["fleet-hub", "fleet-changsha", "fleet-zhuzhou"].map((n) => ControlPlane.start({ name: n, log: say })));
let operator: Operator | undefined;
try {
  // The hub first: registering a member writes its kubeconfig Secret into the hub's yunshu-system.
  const identity = await installYunshu(hub!);
  await Promise.all([
    registerMember(hub!, changsha!, "changsha", { region: "changsha", tier: "city" }),
    registerMember(hub!, zhuzhou!, "zhuzhou", { region: "zhuzhou", tier: "city" }),
  ]);
  await registerHub(hub!, "hunan", { region: "hunan", tier: "province" });
  operator = await startOperator(hub!, identity, { workers: Number(flags.workers), clusterProbeIntervalMs: 2_000 });
  while (!(operator.fleet?.runtimes.size === 2 && [...operator.fleet.runtimes.values()].every((r) => r.synced))) await sleep(200);
  const admin = new KubeClient(hub!.credentials(), { qps: 0 });

  say(`creating ${N} tenants x 2 namespaces: a third on the hub, a third on changsha, a third on changsha and zhuzhou`);
  const all = new Set(Array.from({ length: N }, (_, i) => name(i)));
  let started = Date.now();
  for (let i = 0; i < N; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, N - i) }, (_, k) => i + k).map((j) =>
        admin.create(TENANTS, tenant(name(j), { namespaces: [{ name: "prod" }, { name: "test" }], quota: { hard: { pods: "20" } }, placement: placementOf(j) }) as Tenant & KubeObject),
      ),
    );
  }
  const converge = await timeUntilReady(admin, all, started, "cold start");

  const changshaOnly = new Set([...all].filter((_, i) => i % 3 === 1));
  const both = new Set([...all].filter((_, i) => i % 3 === 2));
  // The same change in both phases: every tenant on changsha (alone or with zhuzhou), timed on the changsha-only ones.
  started = Date.now();
  await setPods(admin, new Set([...changshaOnly, ...both]), "30");
  const changeAllUp = await timeUntilReady(admin, changshaOnly, started, "changsha tenants' quota change, every member up", "30");
  await timeUntilReady(admin, both, started, "tenants on both members, every member up", "30");

  say("stopping zhuzhou's API server");
  await zhuzhou!.stopApiServer();
  const zhuzhouDown = async () => (await admin.get<Cluster & KubeObject>(CLUSTERS, "zhuzhou"))?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "False");
  while (!(await zhuzhouDown())) await sleep(200);
  started = Date.now();
  await setPods(admin, new Set([...changshaOnly, ...both]), "40");
  const changeOneDown = await timeUntilReady(admin, changshaOnly, started, "changsha tenants' quota change, zhuzhou down", "40");

  say("starting zhuzhou's API server again");
  started = Date.now();
  await zhuzhou!.startApiServer();
  const catchUp = await timeUntilReady(admin, both, started, "zhuzhou catching up", "40");

  const figures = {
    clusters: 3,
    tenants: N,
    namespaces: N * 2 + ([...all].filter((_, i) => i % 3 === 2).length * 2),
    convergeSeconds: converge,
    changeAllUpSeconds: changeAllUp,
    changeOneMemberDownSeconds: changeOneDown,
    isolationRatio: changeOneDown / changeAllUp,
    catchUpSeconds: catchUp,
  };
  const rows: [string, string][] = [
    ["clusters (hub + members)", "3"],
    ["tenants, namespaces across the fleet", `${figures.tenants}, ${figures.namespaces}`],
    ["cold-start convergence", `${converge.toFixed(1)} s`],
    [`quota change of ${changshaOnly.size + both.size} tenants on changsha, all up`, `${changeAllUp.toFixed(1)} s (${changshaOnly.size} changsha-only timed)`],
    ["the same with zhuzhou down", `${changeOneDown.toFixed(1)} s (ratio ${figures.isolationRatio.toFixed(2)})`],
    [`zhuzhou back: its ${both.size} changed tenants caught up`, `${catchUp.toFixed(1)} s (includes its API server's start)`],
  ];
  process.stdout.write(`\nyunshu fleet benchmark: hub + 2 members on one 2-core machine\n${rows.map(([k, v]) => `  ${k.padEnd(52)} ${v}`).join("\n")}\n`);
  const dir = resolve(import.meta.dirname, "../../bench-results");
  await mkdir(dir, { recursive: true });
  const file = join(dir, `bench-fleet-${N}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  await writeFile(file, JSON.stringify(figures, null, 2));
  process.stdout.write(`  figures written to ${file}\n`);
} finally {
  await operator?.stop();
  await Promise.all([hub, changsha, zhuzhou].map((p) => p!.stop()));
}
