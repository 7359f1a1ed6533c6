// Child processes of a local control plane that cannot outlive the process
// that started them: not after stop(), not after Ctrl-C, not after the test
// runner is killed with SIGKILL.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";

// setpriv (util-linux) sets the parent-death signal and then execs the
// binary, so the kernel kills the child when its parent dies, however it
// dies. Node has no prctl of its own.
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));

const live = new Set<ChildProcess>();

/** Whether a process exists (EPERM: it does, but is someone else's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

// 'exit' handlers must be synchronous: a SIGKILL is, and the kernel's
// parent-death signal covers the cases where even this does not run.
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

export interface Supervised {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
  stop(graceMs?: number): Promise<void>;
  logTail(lines?: number): Promise<string>;
}

export function startSupervised(name: string, binary: string, args: string[], logFile: string): Supervised {
  const out = openSync(logFile, "a");
  const [command, argv] = SETPRIV ? [SETPRIV, ["--pdeathsig", "KILL", "--", binary, ...args]] : [binary, args];
  let child: ChildProcess;
  try {
    child = spawn(command, argv, { stdio: ["ignore", out, out] });
  } finally {
    closeSync(out);
  }
  live.add(child);
  let done = false;
  const exited = new Promise<string>((resolve) => {
    child.on("exit", (code, signal) => {
      done = true;
      live.delete(child);
      resolve(signal ?? `exit code ${code}`);
    });
    child.on("error", (err) => {
      done = true;
      live.delete(child);
      resolve(`failed to start: ${err.message}`);
    });
  });

  return {
    name,
    pid: child.pid ?? -1,
    logFile,
    exited,
    hasExited: () => done,
    async stop(graceMs = 10_000) {
      if (done) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async logTail(lines = 30) {
      const text = await readFile(logFile, "utf8").catch(() => "");
      return text.trimEnd().split("\n").slice(-lines).join("\n");
    },
  };
}
