// The platform team's driver: runs one environment's stacks in rollout order
// with Pulumi's Automation API. The hub's stack goes first (members register
// through it); the members then run side by side, and one that fails is
// reported without stopping the others. `--clusters` limits a run to some
// clusters, which is how a change reaches one city before the rest.
//
// The program runs in this process: @pulumi/pulumi serves its language
// runtime to the Pulumi CLI, which needs no Node.js language plugin then.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import * as automation from "@pulumi/pulumi/automation/index.js";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { inParallel } from "../operator/runtime/in-parallel.ts";
import { PROGRESS_INTERVAL_MS, StackProgress } from "./progress.ts";
import { AWAIT_OPERATOR_TIMEOUT_SECONDS, stackProgram } from "./program.ts";
import { INFRA_DIR, loadTopology, PROJECT, rolloutOrder, stackName } from "./stacks.ts";

export type Operation = "up" | "preview" | "destroy" | "refresh";
const OPERATIONS: Operation[] = ["up", "preview", "destroy", "refresh"];

export interface DeployOptions {
  operation: Operation;
  topologyFile: string;
  environment: string;
  /** Only these clusters; all when absent. */
  clusters?: string[];
  /** Member stacks run at once. */
  parallel: number;
  /** Where Pulumi.yaml and the Pulumi.<stack>.yaml files live; infra/ by default. */
  workDir: string;
  /** Extra yunshu-infra config set on every stack, e.g. awaitOperator=false. */
  config: Record<string, string>;
  secretsProvider?: string;
  log: (line: string) => void;
}

export interface StackResult {
  cluster: string;
  stack: string;
  outcome: "succeeded" | "failed" | "skipped";
  seconds: number;
  /** Resource operations, e.g. {create: 12, same: 3}. */
  changes?: Record<string, number>;
  error?: string;
}

/**
 * Another work directory (a test's, a CI job's) gets infra/Pulumi.yaml, less
 * `main`: the program runs in this process, and the CLI would look for
 * index.ts there.
 */
async function writeProjectFile(dir: string): Promise<void> {
  const project = parseYaml(await readFile(join(INFRA_DIR, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
  delete project.main;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "Pulumi.yaml"), stringifyYaml(project));
}

/** Lines of engine output, each tagged with its cluster, so parallel stacks stay readable. */
function linePrefixer(cluster: string, log: (line: string) => void): (chunk: string) => void {
  let pending = "";
  return (chunk) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) log(`[${cluster}] ${line}`);
  };
}

async function runStack(cluster: string, opts: DeployOptions): Promise<StackResult> {
  const stack = stackName(opts.environment, cluster);
  const started = Date.now();
  const result = (outcome: StackResult["outcome"], extra: Partial<StackResult> = {}): StackResult => ({
    cluster,
    stack,
    outcome,
    seconds: (Date.now() - started) / 1000,
    ...extra,
  });
  const progress = new StackProgress();
  const ticker = setInterval(() => opts.log(`[${cluster}] ${progress.describe(stack, started, Date.now())}`), PROGRESS_INTERVAL_MS);
  try {
    const s = await automation.LocalWorkspace.createOrSelectStack(
      { stackName: stack, projectName: PROJECT, program: stackProgram },
      { workDir: opts.workDir, ...(opts.secretsProvider ? { secretsProvider: opts.secretsProvider } : {}) },
    );
    await s.setAllConfig({
      [`${PROJECT}:topology`]: { value: resolve(opts.topologyFile) },
      ...Object.fromEntries(Object.entries(opts.config).map(([k, v]) => [`${PROJECT}:${k}`, { value: v }])),
    });
    const onOutput = linePrefixer(cluster, opts.log);
    const common = { onOutput, onEvent: (event: automation.EngineEvent) => progress.observe(event), color: "never" as const };
    switch (opts.operation) {
      case "up": {
        const r = await s.up(common);
        return result("succeeded", { changes: r.summary.resourceChanges ?? {} });
      }
      case "preview": {
        const r = await s.preview(common);
        return result("succeeded", { changes: r.changeSummary ?? {} });
      }
      case "destroy": {
        const r = await s.destroy(common);
        return result("succeeded", { changes: r.summary.resourceChanges ?? {} });
      }
      case "refresh": {
        const r = await s.refresh(common);
        return result("succeeded", { changes: r.summary.resourceChanges ?? {} });
      }
    }
  } catch (err) {
    const error = err instanceof automation.CommandError ? engineErrors(err.message) : (err as Error).message;
    const advice = adviceFor(error);
    return result("failed", { error: advice ? `${error}\n${advice}` : error });
  } finally {
    clearInterval(ticker);
  }
}

/** A quoted `urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>` as `<type> <name>`. */
const shortUrns = (text: string) =>
  text.replace(/"(urn:pulumi:[^"]+)"/g, (quoted, urn: string) => {
    const parts = urn.split("::");
    return parts.length === 4 ? `${parts[2]!.split("$").pop()} ${parts[3]}` : quoted;
  });

/**
 * The engine's own error lines from a failed CLI run: the Automation API's
 * message repeats the command, stdout and stderr around them. A provider's
 * "2 errors occurred:" lists them on the lines below (`* …`): they join it.
 */
export function engineErrors(message: string): string {
  const lines = message.split("\n").map((l) => l.trimEnd());
  const generic = (l: string) => /^error: (update|preview|destroy|refresh) failed$/.test(l);
  const withItems = lines.flatMap((l, i) => {
    if (!/^\s*error: /.test(l)) return [];
    const items: string[] = [];
    for (let j = i + 1; j < lines.length && /^\s*\* /.test(lines[j]!); j++) items.push(lines[j]!.trim().slice(2));
    return [shortUrns([l.trim(), items.join("; ")].filter(Boolean).join(" "))];
  });
  const found = [...new Set(withItems)];
  // The cause first: "update failed" only says that there was one.
  const errors = [...found.filter((l) => !generic(l)), ...found.filter(generic)];
  return errors.length > 0 ? errors.join("\n") : lines.filter((l) => l.trim()).slice(-12).join("\n");
}

/**
 * What to do about a failure whose cause is known. Objects that never become
 * ready fail once awaitOperatorTimeoutSeconds is over; on a control plane
 * without nodes they never can.
 */
export function adviceFor(error: string): string | undefined {
  if (!/failed to fully initialize or become live/.test(error)) return undefined;
  return (
    `The operator's chart did not become ready within awaitOperatorTimeoutSeconds (default ${AWAIT_OPERATOR_TIMEOUT_SECONDS}). ` +
    "If the cluster has nodes, look at the pods in yunshu-system (kubectl -n yunshu-system describe pods): an image it cannot pull, no room to schedule; " +
    "if it has none (a bare control plane, make cluster-up), run with --set awaitOperator=false (make: SET=awaitOperator=false)."
  );
}

/**
 * Runs the operation on every selected stack. up/preview/refresh: the hub
 * first, members after it only if it succeeded. destroy: members first, the
 * hub last and only once every member is gone, so that no member stays
 * registered through a registrar that no longer exists.
 */
export async function deploy(opts: DeployOptions): Promise<StackResult[]> {
  const topology = loadTopology(opts.topologyFile);
  const order = rolloutOrder(topology, opts.clusters);
  const hub = order.filter((c) => c === topology.hub);
  const members = order.filter((c) => c !== topology.hub);
  if (opts.workDir !== INFRA_DIR) await writeProjectFile(opts.workDir);
  const run = (cluster: string) => runStack(cluster, opts);
  const skip = (cluster: string, why: string): StackResult => ({ cluster, stack: stackName(opts.environment, cluster), outcome: "skipped", seconds: 0, error: why });

  if (opts.operation === "destroy") {
    const memberResults = await inParallel(members, opts.parallel, run);
    const blocked = memberResults.filter((r) => r.outcome !== "succeeded").map((r) => r.cluster);
    const hubResults = blocked.length > 0 ? hub.map((c) => skip(c, `members not destroyed: ${blocked.join(", ")}`)) : await inParallel(hub, 1, run);
    return [...memberResults, ...hubResults];
  }
  const hubResults = await inParallel(hub, 1, run);
  const hubFailed = hubResults.some((r) => r.outcome !== "succeeded");
  const memberResults = hubFailed ? members.map((c) => skip(c, `hub ${topology.hub} failed`)) : await inParallel(members, opts.parallel, run);
  return [...hubResults, ...memberResults];
}

export function renderSummary(results: StackResult[]): string {
  const rows = results.map((r) => {
    const changes = Object.entries(r.changes ?? {})
      .filter(([k]) => k !== "same")
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    return [r.stack, r.outcome, `${r.seconds.toFixed(1)}s`, r.error ? r.error.split("\n")[0]! : changes || "no changes"];
  });
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length), ["STACK", "RESULT", "TIME"][i]!.length));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join("  ");
  return [line(["STACK", "RESULT", "TIME", "CHANGES"]), ...rows.map(line)].join("\n");
}

const USAGE = `usage: node infra/deploy.ts <up|preview|destroy|refresh> --env ENV [options]

Runs the stacks ENV.<cluster> of a topology: the hub first, then its members
side by side (destroy: the members, then the hub). A stack that runs longer
than ${PROGRESS_INTERVAL_MS / 1000}s says every ${PROGRESS_INTERVAL_MS / 1000}s what it is waiting for.

  --env ENV               environment: stacks are named ENV.<cluster> (required)
  --topology FILE         topology file, relative to the current directory
                          (default: infra/topology/hunan.yaml)
  --clusters a,b          only these clusters, e.g. one city before the rest
  --parallel N            member stacks at once (default 4)
  --set KEY=VALUE         yunshu-infra config on every stack (repeatable):
                            keepCrdsOnDestroy (default true)
                            awaitOperator (default true; false on a control plane without nodes)
                            awaitOperatorTimeoutSeconds (default ${AWAIT_OPERATOR_TIMEOUT_SECONDS})
  --secrets-provider URL  for new stacks, e.g. hashivault://yunshu (default passphrase)
  --work-dir DIR          where the Pulumi.<stack>.yaml files go (default infra/)

make infra-preview|infra-up|infra-destroy take the same settings as
ENV, TOPOLOGY, CLUSTERS, PARALLEL, SET="KEY=VALUE ...", SECRETS_PROVIDER
and WORK_DIR.

The backend comes from PULUMI_BACKEND_URL (e.g. an OSS bucket, or file://),
the passphrase from PULUMI_CONFIG_PASSPHRASE(_FILE).`;

export type CommandLine = { help: true } | { usageError: string } | { options: Omit<DeployOptions, "log"> };

/** The driver's arguments as options; paths are resolved against the current directory. */
export function parseCommandLine(argv: string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        env: { type: "string" },
        topology: { type: "string", default: join(INFRA_DIR, "topology/hunan.yaml") },
        clusters: { type: "string" },
        parallel: { type: "string", default: "4" },
        set: { type: "string", multiple: true, default: [] },
        "secrets-provider": { type: "string" },
        "work-dir": { type: "string", default: INFRA_DIR },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    return { usageError: `${(err as Error).message}\n\n${USAGE}` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const operation = positionals[0] as Operation | undefined;
  const parallel = Number(values.parallel);
  const config: Record<string, string> = {};
  for (const kv of values.set) {
    const eq = kv.indexOf("=");
    if (eq <= 0) return { usageError: `--set ${kv}: expected KEY=VALUE\n\n${USAGE}` };
    config[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  if (!operation || !OPERATIONS.includes(operation) || positionals.length > 1 || !values.env || !Number.isInteger(parallel) || parallel < 1) {
    return { usageError: USAGE };
  }
  return {
    options: {
      operation,
      topologyFile: resolve(values.topology),
      environment: values.env,
      ...(values.clusters ? { clusters: values.clusters.split(",").map((c) => c.trim()) } : {}),
      parallel,
      workDir: resolve(values["work-dir"]),
      config,
      ...(values["secrets-provider"] ? { secretsProvider: values["secrets-provider"] } : {}),
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  const commandLine = parseCommandLine(argv);
  if ("help" in commandLine) {
    console.log(USAGE);
    return 0;
  }
  if ("usageError" in commandLine) {
    console.error(commandLine.usageError);
    return 2;
  }
  const results = await deploy({ ...commandLine.options, log: (line) => console.log(line) });
  console.log(`\n${renderSummary(results)}`);
  for (const r of results.filter((r) => r.error && r.outcome === "failed")) console.error(`\n${r.stack} failed:\n${r.error}`);
  return results.every((r) => r.outcome === "succeeded") ? 0 : 1;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
