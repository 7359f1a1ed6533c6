// `yunshu install`, the real command, through an API server outage in the
// middle of its work: kube-apiserver restarted, install waits it out and
// completes; kube-apiserver gone for good, install gives up within its bound
// with a message naming the cause, the endpoint and how far it got. The
// install process is frozen (SIGSTOP) right after its first CRD, so the
// outage always falls in the middle, however fast the machine.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadManifests } from "../../operator/api/manifests.ts";
import { INSTALL_RETRY } from "../../operator/install.ts";
import { sleep } from "../../operator/runtime/sleep.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";

const yunshu = join(import.meta.dirname, "../../bin/yunshu.js");

let plane: ControlPlane;
const children: ChildProcess[] = [];

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "install-outage" });
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await plane?.stop();
});

interface Install {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves once the process is frozen, right after it printed its first "applied CustomResourceDefinition". */
  frozen: Promise<void>;
  exited: Promise<number | null>;
}

function startInstall(): Install {
  const child = spawn(process.execPath, [yunshu, "install", "--kubeconfig", plane.kubeconfigPath()], { stdio: ["ignore", "ignore", "pipe"] });
  children.push(child);
  let stderr = "";
  let freeze: () => void;
  const frozen = new Promise<void>((resolve) => (freeze = resolve));
  child.stderr!.on("data", (chunk: Buffer) => {
    const before = stderr;
    stderr += chunk.toString();
    // At once, in the same tick: every request install sends from here on meets the outage.
    if (!before.includes("applied CustomResourceDefinition") && stderr.includes("applied CustomResourceDefinition")) {
      child.kill("SIGSTOP");
      freeze();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, stderr: () => stderr, frozen, exited };
}

/** Freezes install after its first CRD and stops kube-apiserver; install carries on into the outage. */
async function outageAfterFirstCrd(install: Install): Promise<void> {
  await install.frozen;
  expect(install.child.exitCode, `install finished before the outage:\n${install.stderr()}`).toBeNull();
  await plane.stopApiServer();
  install.child.kill("SIGCONT");
}

/** The objects of crds/ that the cluster does not have, each with kubectl's complaint. */
async function missingObjects(): Promise<string[]> {
  const missing: string[] = [];
  for (const obj of await loadManifests()) {
    const { namespace, name } = obj.metadata;
    const got = await plane.kubectl(["get", obj.kind!.toLowerCase(), name, ...(namespace ? ["-n", namespace] : []), "-o", "name"]);
    if (got.code !== 0) missing.push(`${obj.kind} ${namespace ? `${namespace}/` : ""}${name}: ${got.stderr.trim()}`);
  }
  return missing;
}

describe("yunshu install through an API server outage", () => {
  it("completes when kube-apiserver is restarted in the middle, every object applied", async () => {
    const install = startInstall();
    await outageAfterFirstCrd(install);
    await sleep(1_000);
    await plane.startApiServer();

    const code = await install.exited;
    const stderr = install.stderr();
    expect(code, stderr).toBe(0);
    // It met the outage, and said so with the cause.
    expect(stderr).toMatch(
      new RegExp(`: attempt 1 failed, retrying in 0\\.2s: [A-Z]+ /\\S+ on ${plane.server} failed: .*\\((ECONNREFUSED|ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_INFO)\\); `),
    );
    expect(stderr).toContain(`yunshu installed into ${plane.server}`);
    expect(await missingObjects()).toEqual([]);
    const established = await plane.kubectl(["wait", "--for=condition=Established", "customresourcedefinitions", "--all", "--timeout=0s"]);
    expect(established.code, established.stderr).toBe(0);
  });

  it("fails within its bound when kube-apiserver stays down, naming the object, how far it got, the cause and the endpoint", async () => {
    const install = startInstall();
    await outageAfterFirstCrd(install);
    const resumed = Date.now();

    const code = await install.exited;
    const tookMs = Date.now() - resumed;
    const stderr = install.stderr();
    expect(code, stderr).toBe(1);
    const total = (await loadManifests()).length;
    const port = new URL(plane.server).port;
    const last = stderr.trimEnd().split("\n").at(-1)!;
    expect(last).toMatch(
      new RegExp(
        `^yunshu: install failed while (applying|waiting for) [A-Za-z]+ \\S+ .*\\(object (\\d+) of ${total}; (\\d+) applied\\): ` +
          `gave up after \\d+ attempts in \\d+\\.\\ds: [A-Z]+ /\\S+ on ${plane.server} failed: connect ECONNREFUSED 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\); ` +
          "nothing accepts connections there: check that the API server is running and that the kubeconfig's server address is right\\. " +
          "Re-running yunshu install is safe",
      ),
    );
    // Part-way: past the first CRD, short of the end.
    const applied = Number(/; (\d+) applied\)/.exec(last)![1]);
    expect(applied).toBeGreaterThanOrEqual(1);
    expect(applied).toBeLessThan(total);
    // It kept trying for its whole budget (counted from the call's first
    // attempt, which may have begun before the freeze), then stopped.
    const gaveUpAfterMs = Number(/gave up after \d+ attempts in (\d+\.\d)s/.exec(last)![1]) * 1000;
    expect(gaveUpAfterMs).toBeGreaterThanOrEqual(INSTALL_RETRY.maxElapsedMs);
    expect(gaveUpAfterMs).toBeLessThan(INSTALL_RETRY.maxElapsedMs + 2_000);
    expect(tookMs).toBeLessThan(INSTALL_RETRY.maxElapsedMs + 5_000);
    expect(stderr).not.toContain("fetch failed");
  });
});
