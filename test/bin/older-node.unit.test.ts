// yunshu's executables on a machine whose own Node is older than yunshu
// needs: found on PATH through a symlink (as kubectl plugins are installed),
// started by that Node through `#!/usr/bin/env node`, they run again on the
// repository's Node 24 (node_modules/.bin/node) with the same arguments,
// stdio, exit code and signals; without it, they stop and say what to do.
//
// The older Node is, everywhere, this Node 24 with a preload that makes it
// report v20.0.0 (the one thing scripts/require-node.js looks at) and takes
// itself out of NODE_OPTIONS, so that whatever it starts is Node 24 as it
// is. Where the machine has a Node that really is older (here /usr/bin/node),
// the same is also done with that one.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../chart/helm.ts";

const work = mkdtempSync(join(tmpdir(), "yunshu-older-node-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SYSTEM_PATH = ["/usr/bin", "/bin"];

/** A directory with a `node` that is this Node 24 reporting itself as v20.0.0. */
function pretendOlderNode(): string {
  const dir = join(work, "older-node");
  mkdirSync(dir);
  const preload = join(dir, "pretend-v20.mjs");
  writeFileSync(
    preload,
    [
      'Object.defineProperty(process.versions, "node", { value: "20.0.0" });',
      'Object.defineProperty(process, "version", { value: "v20.0.0" });',
      "delete process.env.NODE_OPTIONS;",
    ].join("\n"),
  );
  writeFileSync(join(dir, "node"), `#!/bin/sh\nNODE_OPTIONS="--import=${preload}" exec "${process.execPath}" "$@"\n`);
  chmodSync(join(dir, "node"), 0o755);
  return dir;
}
const olderNodeDir = pretendOlderNode();

/** A Node older than 22.19 that the machine itself has, outside any node_modules, if there is one. */
function machineOlderNode(): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/local/bin", ...SYSTEM_PATH];
  for (const candidate of dirs.filter(Boolean).map((d) => join(d, "node"))) {
    if (!existsSync(candidate) || realpathSync(candidate).includes("/node_modules/")) continue;
    const [major, minor] = execFileSync(candidate, ["--version"], { encoding: "utf8" }).trim().slice(1).split(".").map(Number);
    if (major! < 22 || (major === 22 && minor! < 19)) return candidate;
  }
  return undefined;
}
const machineNode = machineOlderNode();

/** A directory of symlinks to executables, as `ln -s …/bin/kubectl-yunshu ~/bin` makes. */
function linkDir(name: string, links: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir);
  for (const [link, target] of Object.entries(links)) symlinkSync(target, join(dir, link));
  return dir;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command found on `path` only, with a clean environment; `onStdout` sees output as it comes. */
function run(path: string[], command: string, args: string[], opts: { input?: string; onStdout?: (text: string, pid: number) => void } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: path.join(delimiter), HOME: work }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      opts.onStdout?.(stdout, child.pid!);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

describe("kubectl-yunshu and yunshu, on PATH through symlinks, with an older node first on PATH", () => {
  const links = linkDir("links", { "kubectl-yunshu": join(REPO_ROOT, "bin", "kubectl-yunshu"), yunshu: join(REPO_ROOT, "bin", "yunshu.js") });

  const runsOnTheRepositorysNode = async (nodeDir: string) => {
    const path = [links, nodeDir, ...SYSTEM_PATH];
    const help = await run(path, "kubectl-yunshu", ["--help"]);
    expect(help.stderr).toBe("");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^kubectl yunshu — self-service for yunshu tenants/);
    const unknown = await run(path, "kubectl-yunshu", ["bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown command "bogus"/);
    const yunshu = await run(path, "yunshu", ["help"]);
    expect(yunshu.code, yunshu.stderr).toBe(0);
    expect(yunshu.stdout).toMatch(/^yunshu — tenancy control plane/);
  };

  it("run on the repository's Node 24 (an older node standing in)", () => runsOnTheRepositorysNode(olderNodeDir));

  it.runIf(machineNode)(`run on the repository's Node 24 (the machine's own ${machineNode ?? "older node: none here"})`, () => runsOnTheRepositorysNode(dirname(machineNode!)));
});

describe("the second run (a repository of its own with a probe executable)", () => {
  /** A repository with scripts/require-node.js, a probe that reports how it ran, and maybe node_modules/.bin/node. */
  function repository(name: string, projectNode?: string): string[] {
    const repo = join(work, name);
    mkdirSync(join(repo, "scripts"), { recursive: true });
    mkdirSync(join(repo, "bin"));
    writeFileSync(join(repo, "package.json"), JSON.stringify({ type: "module" }));
    copyFileSync(join(REPO_ROOT, "scripts", "require-node.js"), join(repo, "scripts", "require-node.js"));
    writeFileSync(
      join(repo, "bin", "probe.js"),
      [
        "#!/usr/bin/env node",
        'import "../scripts/require-node.js";',
        "const [mode, ...rest] = process.argv.slice(2);",
        'if (mode === "exit") process.exit(Number(rest[0]));',
        'if (mode === "wait") { console.log(`waiting ${process.pid}`); setInterval(() => {}, 1000); }',
        'let input = ""; process.stdin.on("data", (c) => (input += c)).on("end", () =>',
        "  console.log(JSON.stringify({ version: process.version, execPath: process.execPath, argv: process.argv.slice(2), input, rerun: process.env.YUNSHU_RERUN_NODE ?? null })));",
      ].join("\n"),
    );
    chmodSync(join(repo, "bin", "probe.js"), 0o755);
    if (projectNode) {
      mkdirSync(join(repo, "node_modules", ".bin"), { recursive: true });
      symlinkSync(projectNode, join(repo, "node_modules", ".bin", "node"));
    }
    return [linkDir(`${name}-links`, { probe: join(repo, "bin", "probe.js") }), olderNodeDir, ...SYSTEM_PATH];
  }

  const withNode24 = repository("with-node24", process.execPath);

  it("passes the arguments and stdin on, and the program runs on node_modules/.bin/node", async () => {
    const r = await run(withNode24, "probe", ["two words", "--flag=x", ""], { input: "from stdin" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ version: process.version, execPath: process.execPath, argv: ["two words", "--flag=x", ""], input: "from stdin", rerun: null });
  });

  it("ends with the program's exit code", async () => {
    expect((await run(withNode24, "probe", ["exit", "7"])).code).toBe(7);
  });

  it("passes a signal on, and ends by the signal the program ended by", async () => {
    let programPid = 0;
    const r = await run(withNode24, "probe", ["wait"], {
      onStdout: (text, pid) => {
        const m = /^waiting (\d+)/.exec(text);
        if (m && !programPid) {
          programPid = Number(m[1]);
          process.kill(pid, "SIGTERM");
        }
      },
    });
    expect(programPid).toBeGreaterThan(0);
    expect(r).toMatchObject({ code: null, signal: "SIGTERM", stderr: "" });
    expect(() => process.kill(programPid, 0)).toThrow(/ESRCH/);
  });

  it("without node_modules/.bin/node, stops with what to do", async () => {
    const r = await run(repository("without-node"), "probe", []);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^yunshu needs Node\.js >= 22\.19 \(Node 24 LTS is what it is tested on\); \S+ is v20\.0\.0\.\nRun `npm ci` in \S+without-node: it installs Node 24/);
  });

  it("with a node_modules/.bin/node that is too old as well, stops once instead of starting it again", async () => {
    const r = await run(repository("with-older-node", join(olderNodeDir, "node")), "probe", []);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/needs Node\.js >= 22\.19/g)).toHaveLength(1);
  });

  it("never looks for it when the Node that started it is recent (the image, `npm install -g`)", async () => {
    const [links] = repository("image");
    const r = await run([dirname(process.execPath), ...SYSTEM_PATH], join(links!, "probe"), ["x"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: process.version, argv: ["x"] });
  });
});
