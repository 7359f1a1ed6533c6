// `make cluster-up`, `make cluster-down` and the control-plane benchmark.
// `up` starts `serve` as a detached background process and prints shell
// exports, so that `eval "$(make -s cluster-up)"` works; everything else it
// says goes to stderr.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBinaries } from "./binaries.ts";
import { ADMIN, ControlPlane } from "./controlplane.ts";
import { isAlive } from "./processes.ts";
import { stderrLog } from "../toolchain/go-tools.ts";
import { sleep } from "../../operator/runtime/sleep.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const stateDir = process.env.YUNSHU_CLUSTER_DIR ?? join(repoRoot, ".yunshu", "cluster");
const statePath = join(stateDir, "state.json");
const KUBECONFIG_PATH = join(stateDir, "kubeconfig");

interface ClusterState {
  pid: number;
  server: string;
  kubeconfig: string;
  binDir: string;
  dataDir: string;
}


async function readState(): Promise<ClusterState | undefined> {
  try {
    const state = JSON.parse(await readFile(statePath, "utf8")) as ClusterState;
    return isAlive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

function exportsFor(state: ClusterState): string {
  return [`export KUBECONFIG='${state.kubeconfig}'`, `export PATH='${state.binDir}':"$PATH"`].join("\n");
}

/** Runs a control plane in the foreground until SIGINT/SIGTERM; `up` runs this detached. */
async function serve(): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const plane = await ControlPlane.start({ name: "yunshu-local" });
  await copyFile(plane.kubeconfigPath(ADMIN), KUBECONFIG_PATH);
  const state: ClusterState = { pid: process.pid, server: plane.server, kubeconfig: KUBECONFIG_PATH, binDir: plane.binaries.dir, dataDir: plane.dir };
  await writeFile(statePath, JSON.stringify(state, null, 2));
  stderrLog(`control plane ready at ${plane.server} in ${(plane.timings.totalMs / 1000).toFixed(1)}s (data in ${plane.dir})`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await plane.stop();
    await rm(statePath, { force: true });
    await rm(KUBECONFIG_PATH, { force: true });
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

async function up(): Promise<void> {
  const existing = await readState();
  if (existing) {
    stderrLog(`control plane already running (pid ${existing.pid}) at ${existing.server}`);
    process.stdout.write(exportsFor(existing) + "\n");
    return;
  }
  // Build (or find) the binaries here, in the foreground, so their progress
  // shows in this terminal rather than in the background log.
  await ensureBinaries();
  await mkdir(stateDir, { recursive: true });
  await rm(statePath, { force: true });
  const logPath = join(stateDir, "serve.log");
  const logFd = openSync(logPath, "w");
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "serve"], {
    detached: true,
    stdio: ["ignore", logFd, logFd],
  });
  closeSync(logFd);
  child.unref();
  stderrLog(`starting the local control plane in the background (pid ${child.pid}, log ${logPath})`);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const state = await readState();
    if (state) {
      stderrLog(`ready at ${state.server}; stop it with: make cluster-down`);
      process.stdout.write(exportsFor(state) + "\n");
      return;
    }
    if (child.pid === undefined || !isAlive(child.pid)) break;
    await sleep(200);
  }
  const log = await readFile(logPath, "utf8").catch(() => "");
  throw new Error(`the control plane did not become ready; its log (${logPath}) ends with:\n${log.split("\n").slice(-30).join("\n")}`);
}

async function down(): Promise<void> {
  const state = await readState();
  if (!state) {
    stderrLog("no local control plane is running");
    await rm(statePath, { force: true });
    return;
  }
  process.kill(state.pid, "SIGTERM");
  const deadline = Date.now() + 30_000;
  while (isAlive(state.pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(state.pid)) process.kill(state.pid, "SIGKILL");
  await rm(statePath, { force: true });
  stderrLog(`stopped the control plane (pid ${state.pid}) and removed its data`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Prints cold build time (when it builds), warm start-to-ready and stop times. */
async function bench(rounds: number): Promise<void> {
  const buildStarted = Date.now();
  const binaries = await ensureBinaries();
  const buildSeconds = (Date.now() - buildStarted) / 1000;
  const starts: number[] = [];
  const apiServer: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const plane = await ControlPlane.start({ name: `bench-${i}`, binaries, log: () => {} });
    starts.push(plane.timings.totalMs / 1000);
    apiServer.push(plane.timings.apiServerReadyMs / 1000);
    const stopStarted = Date.now();
    await plane.stop();
    stops.push((Date.now() - stopStarted) / 1000);
  }
  const fmt = (xs: number[]) =>
    `median ${median(xs).toFixed(2)}s  min ${Math.min(...xs).toFixed(2)}s  max ${Math.max(...xs).toFixed(2)}s`;
  const goal = 10;
  console.log(`control plane benchmark (Kubernetes ${binaries.dir.includes("kubernetes") ? binaries.dir.split("/").at(-2) : binaries.dir}, ${rounds} rounds)`);
  console.log(
    binaries.built
      ? `  cold build of the binaries    ${buildSeconds.toFixed(0)}s`
      : `  binaries                      found in ${binaries.source === "cache" ? "the cache" : "KUBEBUILDER_ASSETS"} in ${buildSeconds.toFixed(2)}s (no build)`,
  );
  console.log(`  warm start to API server ready ${fmt(apiServer)}`);
  console.log(`  warm start to ready (+ KCM)    ${fmt(starts)}   goal <= ${goal}s: ${median(starts) <= goal ? "met" : "MISSED"} (ratio ${(median(starts) / goal).toFixed(2)})`);
  console.log(`  stop and clean up              ${fmt(stops)}`);
}

async function main(): Promise<void> {
  const [command, arg] = process.argv.slice(2);
  switch (command) {
    case "binaries": {
      const binaries = await ensureBinaries();
      process.stdout.write(binaries.dir + "\n");
      return;
    }
    case "serve":
      return serve();
    case "up":
      return up();
    case "down":
      return down();
    case "bench":
      return bench(Number(arg ?? 5));
    default:
      process.stderr.write("usage: controlplane (binaries | up | down | serve | bench [rounds])\n");
      process.exitCode = 2;
  }
}

main().catch((err: unknown) => {
  stderrLog(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

