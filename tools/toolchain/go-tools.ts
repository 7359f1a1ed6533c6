// Builds Go programs (the Kubernetes binaries, helm, Pulumi, Prometheus)
// from the Go module proxy into a per-version cache outside the work tree.
// These machines have no Docker and no internet beyond package registries, so
// building from Go modules is the one way to get real binaries; it is slow
// once and must be instant afterwards.
import { spawn } from "node:child_process";
import { constants as fsConstants } from "node:fs";
import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { isAlive } from "../controlplane/processes.ts";

export type Log = (message: string) => void;

export const stderrLog: Log = (message) => process.stderr.write(`[yunshu] ${message}\n`);

/** Root of yunshu's tool cache; outside the work tree so clones share it. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.YUNSHU_CACHE_DIR) return env.YUNSHU_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "yunshu");
}

export class ToolchainError extends Error {
  override name = "ToolchainError";
}

export interface GoTool {
  /** Import path of a main package. */
  pkg: string;
  /** File name of the binary in the cache's bin directory. */
  binary: string;
  ldflags?: string[];
}

export interface GoToolsBuild {
  /** Names the cache entry, e.g. `kubernetes/v1.37.2`. */
  cacheKey: string;
  /**
   * Works out the wrapper module's go.mod, the minimum Go version it needs
   * and any files of its own (paths relative to the module); called only
   * when a build is needed, since it may download.
   */
  resolveModule: (log: Log) => Promise<{ goMod: string; minimumGo: string; files?: Record<string, string> }>;
  tools: GoTool[];
  tags?: string[];
  /** Extra environment for `go` (e.g. CGO_ENABLED=0). */
  env?: Record<string, string>;
}

export interface CachedTools {
  binDir: string;
  built: boolean;
}

const STAMP = "complete.json";

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function missingBinaries(dir: string, names: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const name of names) if (!(await isExecutable(join(dir, name)))) missing.push(name);
  return missing;
}

function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** Runs `go …`, printing a heartbeat so a long build never looks hung. */
export async function runGo(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; log: Log; label: string; heartbeatMs?: number },
): Promise<string> {
  const started = Date.now();
  const heartbeat = setInterval(
    () => opts.log(`${opts.label}: still working, ${formatElapsed(Date.now() - started)} elapsed`),
    opts.heartbeatMs ?? 20_000,
  );
  try {
    return await new Promise<string>((resolve, reject) => {
      const child = spawn("go", args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("error", (err) => reject(new ToolchainError(`${opts.label}: could not run go: ${err.message}`)));
      child.on("close", (code) => {
        if (code === 0) resolve(output);
        else {
          const tail = output.trim().split("\n").slice(-25).join("\n");
          reject(new ToolchainError(`${opts.label} failed (go ${args[0]} exited ${code}):\n${tail}`));
        }
      });
    });
  } finally {
    clearInterval(heartbeat);
  }
}

export interface DownloadedModule {
  /** The module's go.mod. */
  goMod: string;
  /** Where its source was extracted in the module cache. */
  dir?: string;
}

/**
 * Fetches `module@version` from the Go module proxy. `alternative` ends the
 * error a cold cache without a reachable proxy gets: what else to set.
 */
export async function downloadModule(module: string, version: string, log: Log, alternative: string): Promise<DownloadedModule> {
  const target = `${module}@${version}`;
  log(`fetching ${target} from the Go module proxy`);
  let out: string;
  try {
    out = await runGo(["mod", "download", "-json", target], { cwd: process.cwd(), log, label: "go mod download" });
  } catch (err) {
    throw new ToolchainError(
      `could not download ${target} (GOPROXY=${process.env.GOPROXY ?? "go's default"}): ${(err as Error).message}\n` +
        `Make the Go module proxy reachable for this one build${alternative ? `, or ${alternative}` : ""}.`,
      { cause: err },
    );
  }
  const info = JSON.parse(out) as { GoMod?: string; Dir?: string; Error?: string };
  if (!info.GoMod) throw new ToolchainError(`go mod download ${target}: ${info.Error ?? "no go.mod"}`);
  return { goMod: await readFile(info.GoMod, "utf8"), ...(info.Dir ? { dir: info.Dir } : {}) };
}

/**
 * The go directive and the replace directives of an upstream go.mod that a
 * wrapper module must repeat: Go ignores a dependency's replaces, and local
 * ones (`=> ../sdk`) point into the upstream repository, so only those that
 * name another module version are kept.
 */
export function parseUpstreamGoMod(goMod: string): { goDirective: string; replaces: string[] } {
  const goDirective = /^go\s+(\d+\.\d+(?:\.\d+)?)/m.exec(goMod)?.[1];
  if (!goDirective) throw new ToolchainError("upstream go.mod has no go directive");
  const replaces: string[] = [];
  const lines = goMod.split("\n").map((l) => l.trim());
  for (let i = 0, inBlock = false; i < lines.length; i++) {
    const line = lines[i]!.replace(/\/\/.*$/, "").trim();
    if (line === "replace (") inBlock = true;
    else if (inBlock && line === ")") inBlock = false;
    else if (inBlock || line.startsWith("replace ")) {
      const spec = inBlock ? line : line.slice("replace ".length).trim();
      const target = spec.split("=>")[1]?.trim();
      if (target && !target.startsWith(".") && !target.startsWith("/")) replaces.push(spec);
    }
  }
  return { goDirective, replaces };
}

/**
 * The go.mod of a module that exists only to build upstream commands; its
 * `tool` lines keep `go mod tidy` from dropping requirements it sees no
 * import of.
 */
export function renderWrapperGoMod(opts: { module: string; goDirective: string; requires: string[]; replaces: string[]; tools: string[] }): string {
  return [
    "// Generated by yunshu (tools/toolchain/); do not edit.",
    `module ${opts.module}`,
    "",
    `go ${opts.goDirective}`,
    "",
    ...block("require", opts.requires),
    ...block("tool", opts.tools),
    ...block("replace", opts.replaces),
  ].join("\n");
}

function block(directive: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : [`${directive} (`, ...lines.map((l) => `\t${l}`), ")", ""];
}

/** The installed Go version as [major, minor], or undefined without a Go toolchain. */
export async function installedGoVersion(): Promise<[number, number] | undefined> {
  try {
    const out = await runGo(["env", "GOVERSION"], { cwd: process.cwd(), log: () => {}, label: "go env" });
    const match = /go(\d+)\.(\d+)/.exec(out);
    return match ? [Number(match[1]), Number(match[2])] : undefined;
  } catch {
    return undefined;
  }
}

export function versionAtLeast(have: [number, number], want: string): boolean {
  const [major = 0, minor = 0] = want.split(".").map(Number);
  return have[0] > major || (have[0] === major && have[1] >= minor);
}

/**
 * A lock directory so that two runs (say `make test` and `make demo` started
 * together) do not build the same cache entry at once. A lock left by a dead
 * process is taken over.
 */
async function withLock<T>(dir: string, log: Log, fn: () => Promise<T>): Promise<T> {
  const lock = join(dir, "build.lock");
  let announced = false;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, "pid"), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number(await readFile(join(lock, "pid"), "utf8").catch(() => "0"));
      if (owner && !isAlive(owner)) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (!announced) log(`waiting for another build of ${dir} (pid ${owner || "?"}) to finish`);
      announced = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/**
 * Returns the cache's bin directory holding every tool, building what is
 * missing. A build goes to a scratch directory and is renamed into place with
 * a stamp, so an interrupted build is never mistaken for a complete one.
 */
export async function ensureGoTools(spec: GoToolsBuild, log: Log = stderrLog): Promise<CachedTools> {
  const entry = join(cacheRoot(), spec.cacheKey);
  const binDir = join(entry, "bin");
  const names = spec.tools.map((t) => t.binary);
  const complete = async () =>
    (await readFile(join(entry, STAMP)).then(() => true, () => false)) && (await missingBinaries(binDir, names)).length === 0;
  if (await complete()) return { binDir, built: false };

  await mkdir(entry, { recursive: true });
  return withLock(entry, log, async () => {
    if (await complete()) return { binDir, built: false };
    const goVersion = await installedGoVersion();
    if (!goVersion) {
      throw new ToolchainError(
        `no Go toolchain found: install Go (https://go.dev/dl/) so that yunshu can build ${names.join(", ")} once into ${entry}.`,
      );
    }
    const { goMod, minimumGo, files = {} } = await spec.resolveModule(log);
    if (!versionAtLeast(goVersion, minimumGo)) {
      throw new ToolchainError(
        `Go ${goVersion.join(".")} is too old to build ${spec.cacheKey}: it needs Go >= ${minimumGo}. Install a newer Go from https://go.dev/dl/.`,
      );
    }
    const moduleDir = join(entry, "module");
    const scratch = join(entry, "bin.partial");
    await rm(scratch, { recursive: true, force: true });
    await mkdir(moduleDir, { recursive: true });
    await mkdir(scratch, { recursive: true });
    await writeFile(join(moduleDir, "go.mod"), goMod);
    await rm(join(moduleDir, "go.sum"), { force: true });
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(moduleDir, path)), { recursive: true });
      await writeFile(join(moduleDir, path), content);
    }

    const started = Date.now();
    log(`building ${names.join(", ")} for ${spec.cacheKey} into ${entry} (once; later runs reuse it)`);
    log("resolving Go modules (go mod tidy)…");
    await runGo(["mod", "tidy"], { cwd: moduleDir, env: spec.env, log, label: "go mod tidy" });
    for (const [i, tool] of spec.tools.entries()) {
      const toolStarted = Date.now();
      const label = `building ${tool.binary} (${i + 1}/${spec.tools.length})`;
      log(`${label}…`);
      const args = ["build", "-trimpath", "-o", join(scratch, tool.binary)];
      if (spec.tags?.length) args.push("-tags", spec.tags.join(","));
      if (tool.ldflags?.length) args.push("-ldflags", tool.ldflags.join(" "));
      args.push(tool.pkg);
      await runGo(args, { cwd: moduleDir, env: spec.env, log, label });
      log(`built ${tool.binary} in ${formatElapsed(Date.now() - toolStarted)} (total ${formatElapsed(Date.now() - started)})`);
    }
    await rm(binDir, { recursive: true, force: true });
    await rename(scratch, binDir);
    await writeFile(
      join(entry, STAMP),
      JSON.stringify({ tools: names, go: goVersion.join("."), builtAt: new Date().toISOString(), seconds: (Date.now() - started) / 1000 }, null, 2),
    );
    log(`${spec.cacheKey} ready in ${formatElapsed(Date.now() - started)}`);
    return { binDir, built: true };
  });
}
