// No orphans: a control plane's processes and data must not outlive the
// process that started it, whether it stops cleanly on Ctrl-C or is killed.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { isAlive } from "../../tools/controlplane/processes.ts";
import { eventually } from "../../tools/local/eventually.ts";

const cli = join(import.meta.dirname, "../../tools/controlplane/cli.ts");

/** Direct children of a process, read from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // Field 4 of /proc/PID/stat is the parent pid; the command name in
        // field 2 may contain spaces, so split after its closing paren.
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

interface Served {
  child: ChildProcess;
  state: { pid: number; dataDir: string; server: string };
  components: number[];
  dir: string;
}

const started: Served[] = [];

async function serveInChildProcess(): Promise<Served> {
  const dir = await mkdtemp(join(tmpdir(), "yunshu-lifecycle-"));
  const child = spawn(process.execPath, [cli, "serve"], {
    env: { ...process.env, YUNSHU_CLUSTER_DIR: dir },
    stdio: "ignore",
  });
  const state = await eventually(
    "the control plane to serve",
    async () => JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as Served["state"],
    { timeoutMs: 120_000 },
  );
  const served = { child, state, components: childrenOf(state.pid), dir };
  started.push(served);
  return served;
}

afterEach(async () => {
  for (const s of started.splice(0)) {
    s.child.kill("SIGKILL");
    await rm(s.dir, { recursive: true, force: true });
  }
});

describe("control plane lifecycle", () => {
  it("stops everything and removes its data on Ctrl-C (SIGINT)", async () => {
    const served = await serveInChildProcess();
    expect(served.components).toHaveLength(3);
    expect(existsSync(served.state.dataDir)).toBe(true);

    const exit = new Promise<number | null>((resolve) => served.child.on("exit", (code) => resolve(code)));
    served.child.kill("SIGINT");
    expect(await exit).toBe(0);
    expect(served.components.filter(isAlive)).toEqual([]);
    expect(existsSync(served.state.dataDir)).toBe(false);
    expect(existsSync(join(served.dir, "state.json"))).toBe(false);
  });

  it("leaves no process behind when its parent is killed (SIGKILL), and the next start sweeps its data", async () => {
    const served = await serveInChildProcess();
    expect(served.components).toHaveLength(3);
    served.child.kill("SIGKILL");
    await eventually("etcd, kube-apiserver and kube-controller-manager to die with their parent", () =>
      served.components.every((pid) => !isAlive(pid)),
    );
    // A SIGKILLed process cleans nothing up itself...
    expect(existsSync(served.state.dataDir)).toBe(true);
    // ...so the next control plane started on this machine does.
    const next = await ControlPlane.start({ name: "sweeper" });
    await next.stop();
    expect(existsSync(served.state.dataDir)).toBe(false);
  });
});
