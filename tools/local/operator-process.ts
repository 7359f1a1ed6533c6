// `yunshu operator` as a process of its own, as it runs in a pod: for the
// benchmarks, which read its CPU time and memory from /proc as any process
// monitor would and its requests from its /metrics, and for the fault
// battery, which kills it and reads its stderr for crashes. Its log goes to
// stdout, so anything on stderr is Node reporting something uncaught, or the
// CLI's own fatal message.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { BUNDLE } from "../../scripts/bundle-operator.ts";
import { sleep } from "../../operator/runtime/sleep.ts";

const SOURCES = join(import.meta.dirname, "../../bin/yunshu.js");
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS = 100;

/** The chart's bound on the operator's old generation (values.yaml heapLimitMiB), in MiB. */
export function chartHeapLimitMiB(): number {
  return (parse(readFileSync(join(import.meta.dirname, "../../charts/yunshu/values.yaml"), "utf8")) as { heapLimitMiB: number }).heapLimitMiB;
}

/**
 * The Node flags the chart runs the operator with (its NODE_OPTIONS): the
 * image's small young generation and the old generation bounded. Without a
 * bound, V8 on a machine of many GiB lets garbage pile up as no container
 * limit would let it.
 */
export function chartNodeFlags(heapMiB = chartHeapLimitMiB()): string[] {
  return ["--max-semi-space-size=4", `--max-old-space-size=${heapMiB}`];
}

/** User and system CPU seconds a process has used so far, from /proc, as a process monitor reads them. */
export function processCpuSeconds(pid: number): number {
  // The command name, in parentheses, may hold spaces: fields are counted after it.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export interface OperatorProcessOptions {
  kubeconfig: string;
  /** Where its stdout (the log) and stderr go, as <name>.stdout.log and <name>.stderr.log. */
  logDir: string;
  name: string;
  /** Flags after the common ones (its kubeconfig, metrics on a free loopback port, info logs). */
  args?: string[];
  /** Node's own flags, before the script. */
  nodeFlags?: string[];
  /** What runs: the TypeScript sources (tests) or the bundle the image runs (benchmarks; build it first with bundleOperator). */
  entry?: "sources" | "bundle";
  env?: NodeJS.ProcessEnv;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One scrape of its /metrics. */
export interface Scrape {
  text: string;
  /** The sum of every series of `name` whose labels include `labels`. */
  value(name: string, labels?: Record<string, string>): number;
}

export function parseScrape(text: string): Scrape {
  const lines = text.split("\n");
  return {
    text,
    value(name, labels = {}) {
      let sum = 0;
      for (const line of lines) {
        if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) continue;
        if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.split(" ").at(-1));
      }
      return sum;
    },
  };
}

export class OperatorProcess {
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  readonly stdoutFile: string;
  readonly stderrFile: string;
  /** Set once the process has exited, however. */
  exit: Exit | undefined;
  readonly exited: Promise<Exit>;
  private killedOnPurpose = false;
  private port = 0;

  constructor(options: OperatorProcessOptions) {
    this.stdoutFile = join(options.logDir, `${options.name}.stdout.log`);
    this.stderrFile = join(options.logDir, `${options.name}.stderr.log`);
    const out = openSync(this.stdoutFile, "a");
    const err = openSync(this.stderrFile, "a");
    const script = options.entry === "bundle" ? BUNDLE : SOURCES;
    const args = ["operator", "--kubeconfig", options.kubeconfig, "--http-bind-address", "127.0.0.1:0", "--log-level", "info", ...(options.args ?? [])];
    this.child = spawn(process.execPath, [...(options.nodeFlags ?? []), script, ...args], { stdio: ["ignore", out, err], env: options.env ?? process.env });
    closeSync(out);
    closeSync(err);
    // Not a control plane's child (processes.ts kills those): it must not outlive whoever started it.
    const orphaned = () => this.child.kill("SIGKILL");
    process.on("exit", orphaned);
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        process.off("exit", orphaned);
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Killed on purpose, not fallen over. */
  get killed(): boolean {
    return this.killedOnPurpose;
  }

  /** Its metrics port, once it says it serves them. */
  async serving(): Promise<number> {
    while (this.port === 0) {
      const line = readFileSync(this.stdoutFile, "utf8").split("\n").find((l) => l.includes("serving /metrics"));
      if (line) this.port = (JSON.parse(line) as { port: number }).port;
      else if (this.exit) throw new Error(`the operator exited (${JSON.stringify(this.exit)}); see ${this.stdoutFile} and ${this.stderrFile}`);
      else await sleep(20);
    }
    return this.port;
  }

  async ready(): Promise<boolean> {
    return fetch(`http://127.0.0.1:${await this.serving()}/readyz`).then((r) => r.status === 200, () => false);
  }

  /** Seconds from its start until /readyz answers 200 (its caches synced). */
  async untilReady(): Promise<number> {
    while (!(await this.ready())) await sleep(20);
    return (performance.now() - this.startedAt) / 1000;
  }

  /** Its /metrics; it must run with --metrics-auth=false (loopback, the one place that is allowed). */
  async scrape(): Promise<Scrape> {
    return parseScrape(await (await fetch(`http://127.0.0.1:${await this.serving()}/metrics`)).text());
  }

  /** Waits until every work queue is empty and no worker busy (with at least `minAdds` keys taken so far), for `quietMs` in a row. */
  async settle(minAdds = 0, quietMs = 1_500): Promise<Scrape> {
    let quietSince = 0;
    for (;;) {
      const s = await this.scrape();
      const quiet = s.value("workqueue_depth") === 0 && s.value("controller_runtime_active_workers") === 0 && s.value("workqueue_adds_total") >= minAdds;
      if (quiet && quietSince && performance.now() - quietSince > quietMs) return s;
      quietSince = quiet ? quietSince || performance.now() : 0;
      await sleep(250);
    }
  }

  /** User and system CPU seconds so far. */
  cpuSeconds(): number {
    return processCpuSeconds(this.pid);
  }

  /** Resident memory now and at its peak, in MiB. */
  memoryMiB(): { rss: number; peak: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
  }

  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<Exit> {
    this.killedOnPurpose = true;
    if (!this.exit) this.child.kill(signal);
    return this.exited;
  }

  /** SIGTERM, as the kubelet stops a pod, and waits for it to exit. */
  stop(): Promise<Exit> {
    return this.kill("SIGTERM");
  }

  /** What Node or the CLI wrote to stderr: an uncaught exception, a fatal error, a crash. */
  stderr(): string {
    return readFileSync(this.stderrFile, "utf8");
  }

  /** Problems that mean the operator crashed or is about to: empty when it is healthy. */
  crashes(): string[] {
    const problems: string[] = [];
    if (this.exit && !this.killedOnPurpose) problems.push(`operator pid ${this.pid} exited by itself: ${JSON.stringify(this.exit)}`);
    const stderr = this.stderr()
      .split("\n")
      // Node's notices about features it runs are not failures.
      .filter((l) => l.trim() && !/ExperimentalWarning|--trace-warnings/.test(l));
    if (stderr.length > 0) problems.push(`operator pid ${this.pid} wrote to stderr:\n${stderr.slice(0, 20).join("\n")}`);
    return problems;
  }

  /** The last lines of its log, for a failure's message. */
  logTail(lines = 20): string {
    return readFileSync(this.stdoutFile, "utf8").split("\n").slice(-lines).join("\n");
  }
}
