// Two replicas of `yunshu operator --leader-elect` against one control plane:
// only the leader reconciles; SIGKILL the leader and the standby finishes the
// pending work within the lease duration plus a few seconds; a leader whose
// lease is taken away stops and exits.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CoordinationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";

const yunshu = join(import.meta.dirname, "../../bin/yunshu.js");
const LEASE_SECONDS = 15;

interface Replica {
  child: ChildProcess;
  logFile: string;
  port: number;
}

let plane: ControlPlane;
let kubeconfig: string;
const replicas: Replica[] = [];

async function startReplica(n: number): Promise<Replica> {
  const logFile = join(plane.dir, "logs", `operator-${n}.log`);
  const fd = openSync(logFile, "a");
  const child = spawn(process.execPath, [yunshu, "operator", "--kubeconfig", kubeconfig, "--leader-elect", "--http-bind-address", "127.0.0.1:0"], {
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const port = await eventually(`replica ${n} to serve metrics`, () => {
    const line = readFileSync(logFile, "utf8").split("\n").find((l) => l.includes("serving /metrics"));
    return line ? (JSON.parse(line) as { port: number }).port : undefined;
  });
  const replica = { child, logFile, port };
  replicas.push(replica);
  return replica;
}

async function metric(replica: Replica, name: string): Promise<number> {
  // Admin may get /metrics; the replica asks the API server (TokenReview, SubjectAccessReview), standby or not.
  const response = await fetch(`http://127.0.0.1:${replica.port}/metrics`, { headers: { authorization: `Bearer ${plane.token("admin")}` } });
  expect(response.status).toBe(200);
  const text = await response.text();
  return text
    .split("\n")
    .filter((l) => l.startsWith(name + "{") || l.startsWith(name + " "))
    .reduce((sum, l) => sum + Number(l.split(" ").at(-1)), 0);
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "leader" });
  kubeconfig = plane.kubeconfigPath(await installYunshu(plane));
});

afterAll(async () => {
  for (const r of replicas) r.child.kill("SIGKILL");
  await plane?.stop();
});

describe("leader election", () => {
  let leader: Replica;
  let standby: Replica;

  it("lets only the leader reconcile", async () => {
    const [a, b] = [await startReplica(1), await startReplica(2)];
    [leader, standby] = await eventually("one replica to lead", async () => {
      const [la, lb] = [await metric(a, "leader_election_master_status"), await metric(b, "leader_election_master_status")];
      if (la + lb !== 1) return undefined;
      return la === 1 ? [a, b] : [b, a];
    });
    await tenantsApi(plane).create(tenant("led", { securityLevel: 2 }));
    await waitForReady(plane, "led");
    expect(await metric(leader, "controller_runtime_reconcile_total")).toBeGreaterThan(0);
    expect(await metric(standby, "controller_runtime_reconcile_total")).toBe(0);
    expect(await metric(standby, "leader_election_master_status")).toBe(0);
    // The standby is ready (caches synced) so that it can take over at once.
    expect((await fetch(`http://127.0.0.1:${standby.port}/readyz`)).status).toBe(200);
  });

  it("hands over to the standby when the leader is killed, which then finishes the pending work", async () => {
    leader.child.kill("SIGKILL");
    await exited(leader.child);
    const killedAt = Date.now();
    await tenantsApi(plane).create(tenant("after-failover", { securityLevel: 2 }));
    await waitForReady(plane, "after-failover", (LEASE_SECONDS + 15) * 1000);
    const seconds = (Date.now() - killedAt) / 1000;
    expect(seconds).toBeLessThan(LEASE_SECONDS + 10);
    expect(await metric(standby, "leader_election_master_status")).toBe(1);
    console.log(`failover: the standby finished pending work ${seconds.toFixed(1)}s after the leader was killed (lease ${LEASE_SECONDS}s)`);
  });

  it("makes a leader whose lease is taken away stop and exit", async () => {
    // Another holder keeps renewing the lease, as a partitioned leader would
    // find on its return.
    const steal = async () => {
      const renewTime = new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
      const patch = JSON.stringify({ spec: { holderIdentity: "someone-else", renewTime, leaseDurationSeconds: 60 } });
      return plane.kubectl(["patch", "lease", "yunshu-operator", "-n", "yunshu-system", "--type", "merge", "-p", patch]);
    };
    const stolenAt = Date.now();
    const theft = setInterval(() => void steal(), 1_000);
    try {
      expect((await steal()).code).toBe(0);
      const holder = await plane.kubeConfig().makeApiClient(CoordinationV1Api).readNamespacedLease({ name: "yunshu-operator", namespace: "yunshu-system" });
      expect(holder.spec?.holderIdentity).toBe("someone-else");
      expect(await exited(standby.child)).toBe(1);
    } finally {
      clearInterval(theft);
    }
    expect((Date.now() - stolenAt) / 1000).toBeLessThan(LEASE_SECONDS + 5);
    expect(readFileSync(standby.logFile, "utf8")).toContain("lost the leader lease");
  });
});
