// Finds or builds np-guard's netpol-analyzer and asks it which pods may reach
// which: the tests compare yunshu's own NetworkPolicy reachability with it, so
// a mistake in yunshu's reading of the policy semantics cannot hide behind a
// test written with the same mistake. Built once from the Go module proxy
// into the per-version cache, like the other Go tools.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { isIPv4 } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { stringify } from "yaml";
import {
  ensureGoTools,
  missingBinaries,
  parseUpstreamGoMod,
  renderWrapperGoMod,
  runGo,
  stderrLog,
  ToolchainError,
  type Log,
} from "./go-tools.ts";

const MODULE = "github.com/np-guard/netpol-analyzer";

export const NETPOL_ANALYZER_VERSION = "v1.4.4";

/**
 * The `h1:` hashes of NETPOL_ANALYZER_VERSION's zip and go.mod. np-guard's
 * modules are not reliably in the checksum database (github.com/np-guard/models
 * v0.5.7, which this one requires, is missing from it), so this module is
 * exempted from it and checked against these hashes instead, and its
 * dependencies against its own go.sum, which the wrapper module's go.sum
 * starts from, so that go never has to look them up.
 */
export const NETPOL_ANALYZER_SUM = "h1:ut8Cg4/uqsqrskwIEDLTYNOISatxX60/gqQNyUC/UPo=";
export const NETPOL_ANALYZER_GO_MOD_SUM = "h1:T31vBeTIBl1ksQr9NTW5GJBMHpmP2AdlsHB/4s7SE3o=";

/** The environment variable naming an existing netpol-analyzer binary (upstream calls it netpolicy or k8snetpolicy). */
export const NETPOL_ANALYZER_BIN = "NETPOL_ANALYZER_BIN";

const COMMAND = { pkg: `${MODULE}/cmd/netpolicy`, binary: "netpolicy", ldflags: ["-s", "-w"] };

export class NetpolAnalyzerError extends Error {
  override name = "NetpolAnalyzerError";
}

/**
 * What `go` needs beyond the user's environment: the exemption from the
 * checksum database for this one module, -mod=readonly so that a go.sum the
 * build would have to change fails instead, and no cgo, so no C compiler.
 */
export function netpolAnalyzerGoEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  // GONOSUMDB defaults to GOPRIVATE; setting it must not lose what that exempted.
  const exempted = env.GONOSUMDB ?? env.GOPRIVATE;
  return {
    GONOSUMDB: exempted ? `${exempted},${MODULE}` : MODULE,
    GOFLAGS: [env.GOFLAGS?.trim(), "-mod=readonly"].filter(Boolean).join(" "),
    CGO_ENABLED: "0",
  };
}

/** Refuses a download whose hashes are not the pinned ones: the release was changed after yunshu pinned it. */
export function checkPinnedHashes(download: { Sum?: string; GoModSum?: string }): void {
  const wrong: string[] = [];
  if (download.Sum !== NETPOL_ANALYZER_SUM) wrong.push(`zip ${download.Sum ?? "(no hash)"}, pinned ${NETPOL_ANALYZER_SUM}`);
  if (download.GoModSum !== NETPOL_ANALYZER_GO_MOD_SUM) wrong.push(`go.mod ${download.GoModSum ?? "(no hash)"}, pinned ${NETPOL_ANALYZER_GO_MOD_SUM}`);
  if (wrong.length > 0) {
    throw new ToolchainError(
      `${MODULE}@${NETPOL_ANALYZER_VERSION} is not the release yunshu pinned (${wrong.join("; ")}): ` +
        "upstream's module changed, so it is not built; check the release before updating the pinned hashes in tools/toolchain/netpol-analyzer.ts",
    );
  }
}

/**
 * The wrapper module: upstream's go directive and replaces, and a go.sum of
 * the pinned hashes followed by upstream's own go.sum, so every dependency is
 * verified against the hashes np-guard built and tested with.
 */
export function renderNetpolAnalyzerModule(upstreamGoMod: string, upstreamGoSum: string): { goMod: string; minimumGo: string; files: Record<string, string> } {
  const { goDirective, replaces } = parseUpstreamGoMod(upstreamGoMod);
  const lines = upstreamGoSum.split("\n").filter((l) => l.trim() !== "");
  const malformed = lines.find((l) => !/^\S+ v\S+ h1:[A-Za-z0-9+/]+=*$/.test(l));
  if (malformed !== undefined) throw new ToolchainError(`${MODULE}@${NETPOL_ANALYZER_VERSION}'s go.sum has a line that is not a module hash: ${JSON.stringify(malformed)}`);
  const goSum = [
    `${MODULE} ${NETPOL_ANALYZER_VERSION} ${NETPOL_ANALYZER_SUM}`,
    `${MODULE} ${NETPOL_ANALYZER_VERSION}/go.mod ${NETPOL_ANALYZER_GO_MOD_SUM}`,
    ...lines,
    "",
  ].join("\n");
  const goMod = renderWrapperGoMod({
    module: "yunshu.local/netpol-analyzer",
    goDirective,
    requires: [`${MODULE} ${NETPOL_ANALYZER_VERSION}`],
    replaces,
    tools: [COMMAND.pkg],
  });
  return { goMod, minimumGo: goDirective, files: { "go.sum": goSum } };
}

async function resolveModule(log: Log): Promise<{ goMod: string; minimumGo: string; files: Record<string, string> }> {
  const target = `${MODULE}@${NETPOL_ANALYZER_VERSION}`;
  log(`fetching ${target} from the Go module proxy`);
  let out: string;
  try {
    out = await runGo(["mod", "download", "-json", target], { cwd: process.cwd(), env: netpolAnalyzerGoEnv(), log, label: "go mod download" });
  } catch (err) {
    throw new ToolchainError(
      `could not download ${target} (GOPROXY=${process.env.GOPROXY ?? "go's default"}): ${(err as Error).message}\n` +
        `Make the Go module proxy reachable for this one build, or set ${NETPOL_ANALYZER_BIN} to a netpol-analyzer binary.`,
      { cause: err },
    );
  }
  const download = JSON.parse(out) as { GoMod?: string; Dir?: string; Sum?: string; GoModSum?: string; Error?: string };
  if (!download.GoMod || !download.Dir) throw new ToolchainError(`go mod download ${target}: ${download.Error ?? "no go.mod or source directory"}`);
  checkPinnedHashes(download);
  return renderNetpolAnalyzerModule(await readFile(download.GoMod, "utf8"), await readFile(join(download.Dir, "go.sum"), "utf8"));
}

/** The netpol-analyzer binary: `$NETPOL_ANALYZER_BIN` when set, otherwise yunshu's cached build of NETPOL_ANALYZER_VERSION. */
export async function ensureNetpolAnalyzer(log: Log = stderrLog, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const userBinary = env[NETPOL_ANALYZER_BIN];
  if (userBinary) {
    if ((await missingBinaries(dirname(userBinary), [basename(userBinary)])).length > 0) {
      throw new ToolchainError(
        `${NETPOL_ANALYZER_BIN}=${userBinary} is not an executable file: name a netpol-analyzer binary, ` +
          `or unset ${NETPOL_ANALYZER_BIN} to let yunshu build netpol-analyzer ${NETPOL_ANALYZER_VERSION} once`,
      );
    }
    return userBinary;
  }
  const { binDir } = await ensureGoTools(
    { cacheKey: join("netpol-analyzer", NETPOL_ANALYZER_VERSION), tools: [COMMAND], env: netpolAnalyzerGoEnv(), resolveModule },
    log,
  );
  return join(binDir, COMMAND.binary);
}

export type Protocol = "TCP" | "UDP" | "SCTP";

export interface PortRange {
  protocol: Protocol;
  from: number;
  to: number;
}

export interface AnalyzerConnection {
  /** `namespace/podName` */
  src: string;
  dst: string;
  /** Sorted by protocol then port, adjacent and overlapping ranges merged. */
  ports: PortRange[];
}

const PROTOCOLS: readonly Protocol[] = ["SCTP", "TCP", "UDP"];

/** "All Connections": every port of every protocol a NetworkPolicy can name. */
export const ALL_PORTS: readonly PortRange[] = PROTOCOLS.map((protocol) => ({ protocol, from: 1, to: 65535 }));

/** Sorts ranges by protocol (SCTP, TCP, UDP) then first port, and merges those that overlap or touch. */
export function normalisePortRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.from - b.from);
  const merged: PortRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && last.protocol === range.protocol && range.from <= last.to + 1) last.to = Math.max(last.to, range.to);
    else merged.push({ ...range });
  }
  return merged;
}

/**
 * Reads the analyzer's connection string (common.ConnStrFromConnProperties
 * upstream): "All Connections", or comma-separated items where an item
 * starting with a protocol opens that protocol's ports, e.g.
 * "TCP 80,8000-8080,UDP 53".
 */
export function parseConnectionString(conn: string): PortRange[] {
  if (conn === "All Connections") return normalisePortRanges(ALL_PORTS);
  const ranges: PortRange[] = [];
  let protocol: Protocol | undefined;
  for (const item of conn.split(",")) {
    const match = /^(?:(TCP|UDP|SCTP) )?([1-9]\d*)(?:-([1-9]\d*))?$/.exec(item);
    if (!match) throw new NetpolAnalyzerError(`${JSON.stringify(item)} is neither "PROTOCOL PORTS" nor a port or port range`);
    protocol = (match[1] as Protocol | undefined) ?? protocol;
    if (!protocol) throw new NetpolAnalyzerError(`port ${JSON.stringify(item)} comes before any protocol`);
    const from = Number(match[2]);
    const to = Number(match[3] ?? match[2]);
    if (to > 65535 || from > to) throw new NetpolAnalyzerError(`${JSON.stringify(item)} is not a port range within 1-65535`);
    ranges.push({ protocol, from, to });
  }
  return normalisePortRanges(ranges);
}

/**
 * Reads a peer as the analyzer prints it: a pod that no controller owns is
 * `namespace/name[Pod]` (WorkloadPeer.String upstream), an IP block is
 * comma-separated IPv4 ranges `a.b.c.d-e.f.g.h` (IPBlock.ToIPRanges).
 * Returns `namespace/name`, or undefined for an IP block.
 */
export function parsePeer(peer: string): string | undefined {
  const pod = /^([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9.]*)\[Pod\]$/.exec(peer);
  if (pod) return `${pod[1]}/${pod[2]}`;
  const isIPRanges = peer.split(",").every((range) => {
    const ends = range.split("-");
    return ends.length === 2 && ends.every((ip) => isIPv4(ip));
  });
  if (isIPRanges) return undefined;
  throw new NetpolAnalyzerError(`${JSON.stringify(peer)} is neither namespace/name[Pod] nor IP ranges`);
}

/**
 * The pod-to-pod connections in the analyzer's `-o json` output, an array of
 * {src, dst, conn}: connections with an IP block and of a pod to itself are
 * dropped; anything unreadable is an error quoting the line it came from.
 */
export function parseConnlist(json: string): AnalyzerConnection[] {
  let entries: unknown;
  try {
    entries = JSON.parse(json);
  } catch {
    throw new NetpolAnalyzerError(`netpol-analyzer printed something that is not JSON: ${JSON.stringify(json.slice(0, 500))}`);
  }
  if (!Array.isArray(entries)) throw new NetpolAnalyzerError(`netpol-analyzer printed JSON that is not a list of connections: ${JSON.stringify(json.slice(0, 500))}`);
  const connections: AnalyzerConnection[] = [];
  for (const entry of entries as unknown[]) {
    const { src, dst, conn } = (entry ?? {}) as Record<string, unknown>;
    if (typeof src !== "string" || typeof dst !== "string" || typeof conn !== "string") {
      throw new NetpolAnalyzerError(`netpol-analyzer printed a connection without src, dst and conn: ${JSON.stringify(entry)}`);
    }
    try {
      const srcPod = parsePeer(src);
      const dstPod = parsePeer(dst);
      const ports = parseConnectionString(conn);
      if (srcPod !== undefined && dstPod !== undefined && srcPod !== dstPod) connections.push({ src: srcPod, dst: dstPod, ports });
    } catch (err) {
      throw new NetpolAnalyzerError(`cannot read netpol-analyzer's line ${JSON.stringify(`${src} => ${dst} : ${conn}`)}: ${(err as Error).message}`, { cause: err });
    }
  }
  return connections.sort((a, b) => (a.src === b.src ? compare(a.dst, b.dst) : compare(a.src, b.src)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const KINDS = new Set(["Namespace", "Pod", "NetworkPolicy"]);

/**
 * The analyzer's input, as multi-document YAML. It needs nothing the objects
 * may lack: it fills in a missing status.hostIP and status.podIPs itself
 * (127.0.0.1; it never matches pod IPs against ipBlocks), uses containers only
 * to resolve named ports, and gives a pod's namespace its
 * kubernetes.io/metadata.name label without a Namespace object. Controllers
 * are removed from the copy, since the analyzer reports a controlled pod as
 * its owner (`ns/owner[ReplicaSet]`) with the owner's other pods merged into
 * it, where yunshu compares pods.
 */
export function renderAnalyzerInput(objects: readonly object[]): string {
  return objects
    .map((object) => {
      const { kind } = object as { kind?: unknown };
      if (typeof kind !== "string" || !KINDS.has(kind)) {
        throw new NetpolAnalyzerError(`analyzeConnectivity takes Namespaces, Pods and NetworkPolicies, not ${JSON.stringify(kind)}`);
      }
      const copy = structuredClone(object) as { metadata?: { ownerReferences?: unknown } };
      if (kind === "Pod") delete copy.metadata?.ownerReferences;
      return stringify(copy);
    })
    .join("---\n");
}

/**
 * Which pods may connect to which, and on which ports, according to
 * netpol-analyzer, given Namespaces, Pods and NetworkPolicies.
 */
export async function analyzeConnectivity(binary: string, objects: object[]): Promise<AnalyzerConnection[]> {
  const input = renderAnalyzerInput(objects);
  // Without pods the analyzer reports an error (no workloads found) rather than no connections.
  if (!objects.some((o) => (o as { kind?: unknown }).kind === "Pod")) return [];
  const dir = await mkdtemp(join(tmpdir(), "yunshu-netpol-analyzer-"));
  try {
    await writeFile(join(dir, "objects.yaml"), input);
    // --quiet leaves only errors on stderr: one there means an object was
    // skipped (the analyzer goes on without it), so it fails the analysis.
    const { code, stdout, stderr } = await run(binary, ["list", "--dirpath", dir, "--output", "json", "--quiet"]);
    if (code !== 0 || stderr.trim() !== "") {
      throw new NetpolAnalyzerError(`${binary} list ${code === 0 ? "reported an error" : `exited ${code}`}:\n${stderr.trim()}`);
    }
    return parseConnlist(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(binary: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (err) => reject(new NetpolAnalyzerError(`could not run ${binary}: ${err.message}`)));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

// `node tools/toolchain/netpol-analyzer.ts` builds (or finds) the analyzer
// and prints its path; `make netpol-analyzer` uses it.
if (import.meta.main) {
  ensureNetpolAnalyzer().then(
    (binary) => process.stdout.write(`${binary}\n`),
    (err: unknown) => {
      process.stderr.write(`[yunshu] ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
