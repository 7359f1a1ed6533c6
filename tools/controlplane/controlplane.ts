// A real Kubernetes control plane on loopback: etcd, kube-apiserver and
// kube-controller-manager, each on random free ports, with TLS, RBAC,
// service-account keys and token identities. Several can run side by side
// (a hub and its member clusters); each owns a temp directory that stop()
// removes. Light members can share one etcd and do without a controller
// manager (ControlPlaneOptions), so that a province's fleet fits one machine.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { ensureBinaries, type Binaries } from "./binaries.ts";
import { createPki, KUBERNETES_SERVICE_IP, type Pki } from "./pki.ts";
import { isAlive, startSupervised, type Supervised } from "./processes.ts";
import { stderrLog, type Log } from "../toolchain/go-tools.ts";
import { loadKubeConfig, type ClusterCredentials } from "../../operator/runtime/kubeconfig.ts";
import { sleep } from "../../operator/runtime/sleep.ts";

export interface Identity {
  name: string;
  groups?: string[];
}

export interface ControlPlaneOptions {
  /** Names the cluster in kubeconfigs and its temp directory (e.g. `hub`, `changsha`). */
  name?: string;
  /** Token identities besides `admin`; each gets its own kubeconfig. */
  users?: Identity[];
  binaries?: Binaries;
  /** Parent of the temp directory; the system temp dir by default. */
  baseDir?: string;
  log?: Log;
  /** Extra kube-apiserver flags, e.g. to enable a feature gate. */
  apiServerFlags?: string[];
  /**
   * Store in this plane's etcd, under a key prefix of its own
   * (`--etcd-prefix`), instead of starting an etcd: a fleet of light member
   * clusters then costs one etcd, not one each. That plane must be stopped
   * last; this one's data goes with it.
   */
  etcdOf?: ControlPlane;
  /**
   * The kube-controller-manager controllers to run (CONTROLLERS by
   * default); an empty list starts no controller manager at all, for a
   * cluster where nothing needs one: nothing finalizes a deleted namespace
   * there, and no ResourceQuota gets a status.
   */
  controllers?: readonly string[];
}

export interface StartTimings {
  apiServerReadyMs: number;
  controllerManagerReadyMs: number;
  totalMs: number;
}

/** The admin identity, in `system:masters`. */
export const ADMIN = "admin";
const CONTROLLER_MANAGER = "system:kube-controller-manager";

/**
 * The longest a ServiceAccount token issued here lives: a longer TokenRequest
 * (`kubectl create token --duration 8760h`) gets a token of exactly this
 * lifetime, as on a production API server that bounds them.
 */
export const MAX_TOKEN_EXPIRATION_SECONDS = 24 * 60 * 60;

/** What the tests and the operator need from kube-controller-manager. */
export const CONTROLLERS = [
  "namespace-controller",
  "resourcequota-controller",
  "garbage-collector-controller",
  "serviceaccount-controller",
  "serviceaccount-token-controller",
  "root-ca-certificate-publisher-controller",
  "clusterrole-aggregation-controller",
  // Writes each ValidatingAdmissionPolicy's type-checking warnings: tests read them.
  "validatingadmissionpolicy-status-controller",
  // Release the claims and volumes of a deleted namespace, as in any cluster: an offboarding waits for them.
  "persistentvolumeclaim-protection-controller",
  "persistentvolume-protection-controller",
];

const DIR_PREFIX = "yunshu-cp-";
const OWNER_FILE = "owner.pid";
const execFileAsync = promisify(execFile);

const running = new Set<string>();
// Synchronous on purpose: 'exit' handlers cannot await. Children are killed
// by processes.ts's handler and the kernel's parent-death signal.
process.on("exit", () => {
  for (const dir of running) rmSync(dir, { recursive: true, force: true });
});

/** Removes data directories whose owning process died without cleaning up (SIGKILL). */
function sweepStaleDirs(baseDir: string): void {
  for (const entry of readdirSync(baseDir)) {
    if (!entry.startsWith(DIR_PREFIX)) continue;
    const dir = join(baseDir, entry);
    try {
      const owner = Number(readFileSync(join(dir, OWNER_FILE), "utf8"));
      if (owner && !isAlive(owner)) rmSync(dir, { recursive: true, force: true });
    } catch {
      // No owner file yet: either being created right now or very old.
      if (Date.now() - statSync(dir).mtimeMs > 10 * 60_000) rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Waits until the etcd answering on `port` is the one this plane started.
 * Two planes starting at once can pick the same free port: the loser's etcd
 * dies on bind ("address already in use", which start retries), and its
 * API server must not meanwhile store into the winner's etcd, or two test
 * files would share one cluster's state.
 */
async function waitForOwnEtcd(etcd: Supervised, port: number, member: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (etcd.hasExited()) throw new Error(`etcd exited during start-up`);
    const answer = await fetch(`http://127.0.0.1:${port}/v3/cluster/member/list`, { method: "POST", body: "{}" })
      .then((r) => r.json() as Promise<{ members?: { name?: string }[] }>)
      .catch(() => undefined);
    if (answer?.members?.some((m) => m.name === member)) return;
    await sleep(50);
  }
  throw new Error(`etcd ${member} did not answer on 127.0.0.1:${port} within 30s`);
}

/** A port free on 127.0.0.1 right now (someone may take it before it is bound: callers retry). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}


class StartError extends Error {
  readonly portClash: boolean;
  constructor(message: string, portClash: boolean) {
    super(message);
    this.portClash = portClash;
  }
}

interface ControlPlaneParts {
  name: string;
  dir: string;
  server: string;
  binaries: Binaries;
  pki: Pki;
  tokens: Map<string, string>;
  processes: Supervised[];
  apiServerArgs: string[];
  etcdArgs: string[];
}

type Component = "etcd" | "kube-apiserver" | "kube-controller-manager";

export class ControlPlane {
  readonly name: string;
  readonly dir: string;
  /** The API server's URL, https://127.0.0.1:<port>. */
  readonly server: string;
  readonly binaries: Binaries;
  readonly timings: StartTimings = { apiServerReadyMs: 0, controllerManagerReadyMs: 0, totalMs: 0 };
  private readonly pki: Pki;
  private readonly tokens: Map<string, string>;
  private readonly processes: Supervised[];
  private readonly apiServerArgs: string[];
  private readonly etcdArgs: string[];
  private readonly controllerManagerArgs: string[] = [];
  /** Read once: every readiness poll and every kubeconfig needs it. */
  private readonly caPem: Buffer;

  private constructor(parts: ControlPlaneParts) {
    this.name = parts.name;
    this.dir = parts.dir;
    this.server = parts.server;
    this.binaries = parts.binaries;
    this.pki = parts.pki;
    this.tokens = parts.tokens;
    this.processes = parts.processes;
    this.apiServerArgs = parts.apiServerArgs;
    this.etcdArgs = parts.etcdArgs;
    this.caPem = readFileSync(parts.pki.caCert);
  }

  static async start(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
    const log = options.log ?? stderrLog;
    const binaries = options.binaries ?? (await ensureBinaries(log));
    const baseDir = options.baseDir ?? tmpdir();
    sweepStaleDirs(baseDir);
    for (let attempt = 1; ; attempt++) {
      try {
        return await ControlPlane.startOnce(options, binaries, baseDir);
      } catch (err) {
        // Free ports are picked, then bound by another process: another
        // control plane starting at the same moment can take one first.
        if (err instanceof StartError && err.portClash && attempt < 3) {
          log(`control plane ${options.name ?? "local"}: a port was taken meanwhile, retrying with new ports`);
          continue;
        }
        throw err;
      }
    }
  }

  private static async startOnce(options: ControlPlaneOptions, binaries: Binaries, baseDir: string): Promise<ControlPlane> {
    const name = options.name ?? "local";
    const started = Date.now();
    const dir = await mkdtemp(join(baseDir, `${DIR_PREFIX}${name}-`));
    running.add(dir);
    await writeFile(join(dir, OWNER_FILE), String(process.pid));
    for (const sub of ["pki", "logs", "kubeconfigs"]) await mkdir(join(dir, sub));
    const processes: Supervised[] = [];
    try {
      const pki = await createPki(join(dir, "pki"));
      const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
      const server = `https://127.0.0.1:${securePort}`;

      const tokens = new Map<string, string>();
      const identities: Identity[] = [{ name: ADMIN, groups: ["system:masters"] }, { name: CONTROLLER_MANAGER }, ...(options.users ?? [])];
      const csv = identities.map((id) => {
        const token = randomBytes(24).toString("hex");
        tokens.set(id.name, token);
        return `${token},${id.name},${id.name},"${(id.groups ?? []).join(",")}"`;
      });
      await writeFile(join(dir, "pki", "tokens.csv"), csv.join("\n") + "\n", { mode: 0o600 });

      const logFile = (component: string) => join(dir, "logs", `${component}.log`);
      const etcdMember = `yunshu-${randomBytes(6).toString("hex")}`;
      const shared = options.etcdOf;
      const etcdArgs = shared ? [] : [
        `--name=${etcdMember}`,
        `--data-dir=${join(dir, "etcd")}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=${etcdMember}=http://127.0.0.1:${etcdPeer}`,
        // Test data is thrown away on stop: durability buys nothing here.
        "--unsafe-no-fsync=true",
        "--log-level=warn",
      ];
      if (!shared) {
        processes.push(startSupervised("etcd", binaries.path("etcd"), etcdArgs, logFile("etcd")));
        await waitForOwnEtcd(processes[0]!, etcdClient, etcdMember);
      }
      const apiServerArgs = [
        ...(shared ? [`--etcd-servers=${shared.etcdServers}`, `--etcd-prefix=/${basename(dir)}`] : [`--etcd-servers=http://127.0.0.1:${etcdClient}`]),
        "--bind-address=127.0.0.1",
        `--secure-port=${securePort}`,
        // Without a default route the API server cannot pick an advertise
        // address and refuses a loopback one; a documentation address
        // (TEST-NET-2) that nothing connects to, and no endpoint
        // reconciler, keep it honest.
        "--advertise-address=198.51.100.1",
        "--endpoint-reconciler-type=none",
        `--service-cluster-ip-range=${KUBERNETES_SERVICE_IP.replace(/\.1$/, ".0")}/24`,
        `--cert-dir=${join(dir, "pki")}`,
        `--tls-cert-file=${pki.servingCert}`,
        `--tls-private-key-file=${pki.servingKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--token-auth-file=${join(dir, "pki", "tokens.csv")}`,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-account-key-file=${pki.serviceAccountPublicKey}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        `--service-account-max-token-expiration=${MAX_TOKEN_EXPIRATION_SECONDS}s`,
        // Otherwise a token the kubelet projects into a pod is valid for a
        // year whatever the bound says (a transition aid for clients that
        // never re-read their token file). No kubelet runs here; set as a
        // production API server should be, so the bound has no exception.
        "--service-account-extend-token-expiration=false",
        "--allow-privileged=true",
        "--profiling=false",
        ...(options.apiServerFlags ?? []),
      ];
      processes.push(startSupervised("kube-apiserver", binaries.path("kube-apiserver"), apiServerArgs, logFile("kube-apiserver")));

      const plane = new ControlPlane({ name, dir, server, binaries, pki, tokens, processes, apiServerArgs, etcdArgs });
      for (const id of identities) await writeFile(plane.kubeconfigPath(id.name), plane.renderKubeconfig(id.name), { mode: 0o600 });

      await plane.waitFor("kube-apiserver /readyz", async () => (await plane.get("/readyz", ADMIN)).status === 200);
      plane.timings.apiServerReadyMs = Date.now() - started;

      const controllers = options.controllers ?? CONTROLLERS;
      if (controllers.length > 0) {
        plane.controllerManagerArgs.push(
          `--kubeconfig=${plane.kubeconfigPath(CONTROLLER_MANAGER)}`,
          `--controllers=${controllers.join(",")}`,
          `--service-account-private-key-file=${pki.serviceAccountKey}`,
          `--root-ca-file=${pki.caCert}`,
          "--use-service-account-credentials=true",
          "--leader-elect=false",
          // Its own HTTPS endpoint is not needed; serving it would need
          // delegated authentication set up for nothing.
          "--secure-port=0",
          // Usage is recomputed on pod events anyway; the full resync only
          // repairs missed events, and tests should not wait minutes for it.
          "--resource-quota-sync-period=15s",
        );
        processes.push(startSupervised("kube-controller-manager", binaries.path("kube-controller-manager"), plane.controllerManagerArgs, logFile("kube-controller-manager")));
        // The service-account controller creating `default` proves the
        // controller manager is up and acting on the API.
        if (controllers.includes("serviceaccount-controller")) {
          await plane.waitFor(
            "kube-controller-manager (default ServiceAccount)",
            async () => (await plane.get("/api/v1/namespaces/default/serviceaccounts/default", ADMIN)).status === 200,
          );
        }
        plane.timings.controllerManagerReadyMs = Date.now() - started - plane.timings.apiServerReadyMs;
      }
      plane.timings.totalMs = Date.now() - started;
      return plane;
    } catch (err) {
      const died = processes.find((p) => p.hasExited());
      const tail = died ? await died.logTail() : "";
      await Promise.all(processes.map((p) => p.stop(2_000)));
      running.delete(dir);
      await rm(dir, { recursive: true, force: true });
      const message = died ? `${died.name} exited during start-up (${await died.exited}):\n${tail}` : (err as Error).message;
      throw new StartError(`control plane ${name}: ${message}`, /address already in use/.test(tail));
    }
  }

  /** Identities this control plane knows, `admin` included. */
  get identities(): string[] {
    return [...this.tokens.keys()];
  }

  /** The etcd this plane stores in, for another plane to share (ControlPlaneOptions.etcdOf). */
  get etcdServers(): string {
    return this.apiServerArgs.find((a) => a.startsWith("--etcd-servers="))!.slice("--etcd-servers=".length);
  }

  get caCertPath(): string {
    return this.pki.caCert;
  }

  token(identity: string): string {
    const token = this.tokens.get(identity);
    if (!token) throw new Error(`control plane ${this.name} has no identity ${identity}; declare it in ControlPlane.start({ users })`);
    return token;
  }

  kubeconfigPath(identity: string = ADMIN): string {
    this.token(identity);
    return join(this.dir, "kubeconfigs", `${identity.replace(/[^\w.-]/g, "_")}.yaml`);
  }

  renderKubeconfig(identity: string = ADMIN): string {
    const context = `${identity}@${this.name}`;
    return stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: this.name, cluster: { server: this.server, "certificate-authority-data": this.caPem.toString("base64") } }],
      users: [{ name: identity, user: { token: this.token(identity) } }],
      contexts: [{ name: context, context: { cluster: this.name, user: identity } }],
      "current-context": context,
    });
  }

  /** A client-node KubeConfig acting as `identity`. */
  kubeConfig(identity: string = ADMIN): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(this.renderKubeconfig(identity));
    return kc;
  }

  /** yunshu's credentials acting as `identity`, for its KubeClient and Operator, read from the identity's kubeconfig file. */
  credentials(identity: string = ADMIN): ClusterCredentials {
    return loadKubeConfig(this.kubeconfigPath(identity), undefined);
  }

  /** Runs the bundled kubectl as `identity`; never throws on a non-zero exit. */
  async kubectl(args: string[], identity: string = ADMIN, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const child = execFileAsync(this.binaries.path("kubectl"), ["--kubeconfig", this.kubeconfigPath(identity), ...args], { maxBuffer: 64 << 20 });
    if (input !== undefined) {
      child.child.stdin?.end(input);
    }
    try {
      const { stdout, stderr } = await child;
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }

  /** A raw GET against the API server, for readiness and small checks. */
  get(path: string, identity: string = ADMIN): Promise<{ status: number; body: string }> {
    return this.request("GET", path, identity);
  }

  /**
   * A real token for a ServiceAccount (TokenRequest API), registered as an
   * identity with its own kubeconfig, e.g. to run the operator as the
   * ServiceAccount a Helm install would give it. It lives as long as the
   * control plane allows, which outlasts any test run. Returns the
   * identity's name.
   */
  async serviceAccountIdentity(namespace: string, name: string): Promise<string> {
    const response = await this.request("POST", `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, ADMIN, {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { expirationSeconds: MAX_TOKEN_EXPIRATION_SECONDS },
    });
    if (response.status !== 201) throw new Error(`TokenRequest for ${namespace}/${name} failed (${response.status}): ${response.body}`);
    const identity = `system:serviceaccount:${namespace}:${name}`;
    this.tokens.set(identity, (JSON.parse(response.body) as { status: { token: string } }).status.token);
    await writeFile(this.kubeconfigPath(identity), this.renderKubeconfig(identity), { mode: 0o600 });
    return identity;
  }

  private request(method: string, path: string, identity: string, body?: unknown): Promise<{ status: number; body: string }> {
    return new Promise((resolve) => {
      const headers: Record<string, string> = { authorization: `Bearer ${this.token(identity)}` };
      if (body !== undefined) headers["content-type"] = "application/json";
      const req = request(
        `${this.server}${path}`,
        { method, ca: this.caPem, headers, timeout: 5_000 },
        (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => (body += chunk.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      // Not up yet, or going away: report it as no answer rather than throw.
      req.on("error", () => resolve({ status: 0, body: "" }));
      req.on("timeout", () => req.destroy());
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  private async waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const died = this.processes.find((p) => p.hasExited());
      if (died) throw new Error(`${died.name} exited while waiting for ${what}`);
      if (await ready()) return;
      await sleep(100);
    }
    throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}; logs in ${join(this.dir, "logs")}`);
  }

  /**
   * Stops the API server only (etcd and the data stay), as an outage of a
   * member cluster looks to its clients. `startApiServer` brings it back on
   * the same address with the same credentials.
   */
  async stopApiServer(): Promise<void> {
    await this.stopComponent("kube-apiserver");
  }

  async startApiServer(): Promise<void> {
    await this.startComponent("kube-apiserver", this.apiServerArgs, async (apiServer) => {
      const deadline = Date.now() + 60_000;
      while ((await this.get("/readyz", ADMIN)).status !== 200) {
        if (apiServer.hasExited() || Date.now() > deadline) throw new Error(`kube-apiserver did not come back: ${await apiServer.logTail()}`);
        await sleep(100);
      }
    });
  }

  /**
   * Stops etcd only (its data directory stays): the API server keeps
   * running and answers what it can from its watch cache, refusing writes
   * and quorum reads, as when a cluster's etcd is lost for a while.
   * `startEtcd` brings it back with the same data, ports and member name.
   */
  async stopEtcd(): Promise<void> {
    await this.stopComponent("etcd");
  }

  async startEtcd(): Promise<void> {
    const arg = (flag: string) => this.etcdArgs.find((a) => a.startsWith(`--${flag}=`))!.slice(flag.length + 3);
    await this.startComponent("etcd", this.etcdArgs, (etcd) => waitForOwnEtcd(etcd, Number(new URL(arg("listen-client-urls")).port), arg("name")));
  }

  /**
   * Stops kube-controller-manager only: quotas keep their enforced limits
   * (status.hard) and namespaces stop finalizing until
   * `startControllerManager`, as when the controller manager lags.
   */
  async stopControllerManager(): Promise<void> {
    await this.stopComponent("kube-controller-manager");
  }

  async startControllerManager(): Promise<void> {
    await this.startComponent("kube-controller-manager", this.controllerManagerArgs, async () => {});
  }

  private async stopComponent(component: Component): Promise<void> {
    await this.processes[this.slot(component)]!.stop();
  }

  /** Starts a stopped component again with the arguments it first had, in its slot, and waits until `ready` says it serves. */
  private async startComponent(component: Component, args: string[], ready: (process: Supervised) => Promise<void>): Promise<void> {
    const slot = this.slot(component);
    if (!this.processes[slot]!.hasExited()) return;
    const started = startSupervised(component, this.binaries.path(component), args, join(this.dir, "logs", `${component}.log`));
    this.processes[slot] = started;
    await ready(started);
  }

  /** Where `component` is among the processes: a plane may run no etcd of its own (etcdOf) and no controller manager. */
  private slot(component: Component): number {
    const at = this.processes.findIndex((p) => p.name === component);
    if (at < 0) throw new Error(`control plane ${this.name} runs no ${component} of its own`);
    return at;
  }

  /** Stops every process (controller manager first, etcd last) and removes the data directory. */
  async stop(): Promise<void> {
    for (const p of [...this.processes].reverse()) await p.stop();
    running.delete(this.dir);
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Process ids, for tests that check nothing is left behind. */
  get pids(): number[] {
    return this.processes.map((p) => p.pid);
  }

  get stopped(): boolean {
    return !existsSync(this.dir);
  }

  async logTail(component: "etcd" | "kube-apiserver" | "kube-controller-manager", lines = 40): Promise<string> {
    return (await readFile(join(this.dir, "logs", `${component}.log`), "utf8").catch(() => "")).split("\n").slice(-lines).join("\n");
  }
}
