// infra/ for real: the Pulumi CLI and Kubernetes provider built from their Go
// modules, a file:// backend, and the driver (`node infra/deploy.ts`, what
// the platform team runs) bringing up a hub and two city members, all local
// control planes, with the existing adapter, and a third city that cannot be
// reached, which must fail alone. Then the operator, out of cluster, places a
// tenant on a member through the registration Pulumi made; a second `up`
// changes nothing; `destroy` leaves nothing behind. Last, a hub that waits
// for its operator, which no node will ever run, says what it waits for and
// gives up after awaitOperatorTimeoutSeconds.
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { Operator } from "../../operator/operator.ts";
import { parseKubeConfig } from "../../operator/runtime/kubeconfig.ts";
import { KubeClient, type KubeObject, type ResourceType } from "../../operator/runtime/kube-client.ts";
import { CLUSTERS, NAMESPACES, SECRETS, TENANTS } from "../../operator/api/resources.ts";
import { CLUSTER_CREDENTIALS_NAMESPACE } from "../../operator/api/names.ts";
import { ControlPlane, freePort } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";
import { ensurePulumi, type PulumiToolchain } from "../../tools/toolchain/pulumi.ts";

const REPO = resolve(import.meta.dirname, "../..");
const CRDS: ResourceType = { group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false };
const CLUSTER_ROLES: ResourceType = { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false };
const POLICIES: ResourceType = { group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingAdmissionPolicy", plural: "validatingadmissionpolicies", namespaced: false };
const DEPLOYMENTS: ResourceType = { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true };

const planes: Record<string, ControlPlane> = {};
const admin: Record<string, KubeClient> = {};
let toolchain: PulumiToolchain;
let work: string;
let topologyFile: string;
const timings: Record<string, number> = {};

interface DriverRun {
  code: number;
  output: string;
  seconds: number;
}

/** Runs `node infra/deploy.ts` as the platform team would, with the built CLI and provider on PATH. */
function driver(operation: string, ...args: string[]): Promise<DriverRun> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ["infra/deploy.ts", operation, "--env", "e2e", "--topology", topologyFile, "--work-dir", join(work, "project"), "--set", "awaitOperator=false", "--set", "keepCrdsOnDestroy=false", ...args],
      {
        cwd: REPO,
        env: {
          ...process.env,
          PATH: toolchain.path,
          PULUMI_BACKEND_URL: `file://${join(work, "state")}`,
          PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
          PULUMI_HOME: join(work, "pulumi-home"),
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    const collect = (c: Buffer) => {
      output += c.toString();
      appendFileSync(join(work, "driver.log"), c);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? -1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

function summaryRows(output: string): Record<string, string> {
  const rows: Record<string, string> = {};
  for (const line of output.split("\n")) {
    const m = /^(e2e\.[a-z0-9-]+)\s+(succeeded|failed|skipped)\s/.exec(line);
    if (m) rows[m[1]!] = m[2]!;
  }
  return rows;
}

/** Every stack's checkpoint, as the backend keeps it on disk. */
async function stateFiles(): Promise<string[]> {
  const dir = join(work, "state", ".pulumi", "stacks", "yunshu-infra");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".json"));
  return Promise.all(files.map((f) => readFile(join(dir, f), "utf8")));
}

beforeAll(async () => {
  toolchain = await ensurePulumi();
  const [hunan, changsha, zhuzhou] = await Promise.all(["hunan", "changsha", "zhuzhou"].map((n) => ControlPlane.start({ name: `infra-${n}` })));
  Object.assign(planes, { hunan, changsha, zhuzhou });
  for (const [name, plane] of Object.entries(planes)) admin[name] = new KubeClient(plane.credentials());
  work = await mkdtemp(join(tmpdir(), "yunshu-infra-e2e-"));
  await mkdir(join(work, "state"));
  topologyFile = join(work, "topology.yaml");
  const brokenKubeconfig = join(work, "xiangtan.yaml");
  await writeFile(brokenKubeconfig, planes.zhuzhou!.renderKubeconfig().replace(planes.zhuzhou!.server, `https://127.0.0.1:${await freePort()}`));
  const cluster = (name: string, displayName: string, tier: string, kubeconfigFile = planes[name]?.kubeconfigPath()) => ({
    name,
    displayName,
    tier,
    region: name,
    adapter: "existing",
    existing: { kubeconfigFile },
    capacity: { allocatable: { "requests.cpu": "64", pods: "1000" } },
  });
  await writeFile(
    topologyFile,
    stringify({
      name: "hunan",
      hub: "hunan",
      operator: { image: { repository: "registry.invalid/yunshu/operator", tag: "e2e" }, replicas: 1 },
      platformNamespaces: ["monitoring"],
      clusters: [
        cluster("hunan", "湖南省政务云", "province"),
        cluster("changsha", "长沙市政务云", "city"),
        cluster("zhuzhou", "株洲市政务云", "city"),
        // A city whose API server cannot be reached: its stack fails, the others must not.
        cluster("xiangtan", "湘潭市政务云", "city", brokenKubeconfig),
      ],
    }),
  );
});

afterAll(async () => {
  await Promise.all(Object.values(planes).map((p) => p.stop()));
  if (work) await rm(work, { recursive: true, force: true });
  if (Object.keys(timings).length > 0) console.log(`infra e2e timings (s): ${JSON.stringify(timings)}`);
});

describe("infra/ against a hub and two members", () => {
  let operator: Operator | undefined;
  afterAll(async () => operator?.stop());

  it("`up` bootstraps the hub, then installs yunshu on each member and registers it in the hub; an unreachable city fails alone", async () => {
    const run = await driver("up");
    timings.up = run.seconds;
    expect(run.code, run.output).toBe(1);
    expect(summaryRows(run.output)).toEqual({ "e2e.hunan": "succeeded", "e2e.changsha": "succeeded", "e2e.zhuzhou": "succeeded", "e2e.xiangtan": "failed" });
    expect(run.output).toMatch(/^e2e\.xiangtan\s+failed\s+\S+\s+error: configured Kubernetes cluster is unreachable/m);

    // The hub: CRDs from crds/, the chart's operator, its own Cluster and one per member.
    expect(await admin.hunan!.get(CRDS, "tenants.yunshu.io")).toBeDefined();
    const deployment = await admin.hunan!.get<KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } }>(DEPLOYMENTS, "yunshu-operator", OPERATOR_NAMESPACE);
    expect(deployment?.spec.template.spec.containers[0]?.image).toBe("registry.invalid/yunshu/operator:e2e");
    const clusters = await admin.hunan!.list<KubeObject & { spec: { displayName: string; kubeconfigSecretRef?: { name: string } } }>(CLUSTERS);
    // xiangtan, never reached, is not registered.
    expect(clusters.items.map((c) => [c.metadata.name, c.spec.displayName, c.spec.kubeconfigSecretRef?.name]).sort()).toEqual([
      ["changsha", "长沙市政务云", "cluster-changsha"],
      ["hunan", "湖南省政务云", undefined],
      ["zhuzhou", "株洲市政务云", "cluster-zhuzhou"],
    ]);

    // Each member: the ClusterRoles and admission policies `yunshu install` applies.
    for (const member of ["changsha", "zhuzhou"]) {
      expect(await admin[member]!.get(POLICIES, "yunshu-managed-objects"), member).toBeDefined();
      expect(await admin[member]!.get(CLUSTER_ROLES, "yunshu-operator"), member).toBeDefined();
      expect((await admin[member]!.get(NAMESPACES, "monitoring"))?.metadata.labels?.["yunshu.io/platform"], member).toBe("true");
    }

    // The registered kubeconfig is the member's own yunshu-operator, and it works.
    const secret = await admin.hunan!.get<KubeObject & { data: { kubeconfig: string } }>(SECRETS, "cluster-changsha", CLUSTER_CREDENTIALS_NAMESPACE);
    // Written by the registrar, which may not write Secrets where the operator's ServiceAccount lives.
    expect(await admin.hunan!.get(SECRETS, "cluster-changsha", OPERATOR_NAMESPACE)).toBeUndefined();
    const kubeconfig = Buffer.from(secret!.data.kubeconfig, "base64").toString();
    const asOperator = new KubeClient(parseKubeConfig(kubeconfig, "cluster-changsha"));
    const review = (await asOperator.create(
      { group: "authentication.k8s.io", version: "v1", kind: "SelfSubjectReview", plural: "selfsubjectreviews", namespaced: false },
      { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview", metadata: { name: "" } } as KubeObject,
    )) as KubeObject & { status: { userInfo: { username: string } } };
    expect(review.status.userInfo.username).toBe(`system:serviceaccount:${OPERATOR_NAMESPACE}:${OPERATOR_SERVICE_ACCOUNT}`);
    await asOperator.close();

    // Secrets end to end: neither token nor admin credentials in any stack's state in plain text.
    const token = /token: (\S+)/.exec(kubeconfig)![1]!;
    const adminToken = planes.changsha!.token("admin");
    for (const state of await stateFiles()) {
      expect(state).not.toContain(token);
      expect(state).not.toContain(adminToken);
      expect(state).toContain("ciphertext");
    }
  });

  it("the operator, run out of cluster as the chart's ServiceAccount, places a tenant on a member registered by Pulumi", async () => {
    const identity = await planes.hunan!.serviceAccountIdentity(OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT);
    operator = await startOperator(planes.hunan!, identity, { clusterProbeIntervalMs: 1_000 });
    await eventually("both members connected", () => operator!.fleet?.runtimes.size === 2 && [...operator!.fleet.runtimes.values()].every((r) => r.synced), {
      timeoutMs: 60_000,
    });
    await tenantsApi(planes.hunan!).create(tenant("finance", { placement: { clusters: ["changsha"] }, quota: { hard: { pods: "10" } } }));
    const ready = await waitForReady(planes.hunan!, "finance", 60_000);
    expect(ready.status?.clusters).toEqual([expect.objectContaining({ name: "changsha", ready: true })]);
    expect(await admin.changsha!.get(NAMESPACES, "finance-prod")).toBeDefined();
    expect(await admin.zhuzhou!.get(NAMESPACES, "finance-prod")).toBeUndefined();

    await tenantsApi(planes.hunan!).delete("finance");
    await eventually("the tenant gone", async () => (await admin.hunan!.get(TENANTS, "finance")) === undefined, { timeoutMs: 60_000 });
    await operator.stop();
    operator = undefined;
  });

  it("a second `up` changes nothing, and a city that is left out is not run at all", async () => {
    const run = await driver("up", "--clusters", "hunan,changsha,zhuzhou");
    timings.upAgain = run.seconds;
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain("e2e.xiangtan");
    for (const stack of ["e2e.hunan", "e2e.changsha", "e2e.zhuzhou"]) {
      expect(run.output).toMatch(new RegExp(`^${stack.replace(".", "\\.")}\\s+succeeded\\s+\\S+\\s+no changes$`, "m"));
    }
  });

  // Deleting a CRD waits for the API server's finalizer to remove every
  // object of its kind; on a loaded machine its retries back off, now and
  // then for minutes, beyond the usual 20 s: hence the longer timeout.
  it("`destroy` removes the members' registrations and installs, then the hub's, leaving nothing behind", async () => {
    const run = await driver("destroy");
    timings.destroy = run.seconds;
    expect(run.code, run.output).toBe(0);
    expect(summaryRows(run.output)).toEqual({ "e2e.hunan": "succeeded", "e2e.changsha": "succeeded", "e2e.zhuzhou": "succeeded", "e2e.xiangtan": "succeeded" });
    // Members first, the hub last.
    expect(run.output.indexOf("e2e.hunan")).toBeGreaterThan(run.output.indexOf("e2e.changsha"));

    for (const [name, client] of Object.entries(admin)) {
      expect(await client.get(CRDS, "tenants.yunshu.io"), name).toBeUndefined();
      expect(await client.get(CLUSTER_ROLES, "yunshu-operator"), name).toBeUndefined();
      expect(await client.get(POLICIES, "yunshu-managed-objects"), name).toBeUndefined();
      // The namespace controller finishes deleting what Pulumi deleted.
      await eventually(
        `${name}: yunshu-system, yunshu-clusters and monitoring gone`,
        async () => !(await client.get(NAMESPACES, OPERATOR_NAMESPACE)) && !(await client.get(NAMESPACES, CLUSTER_CREDENTIALS_NAMESPACE)) && !(await client.get(NAMESPACES, "monitoring")),
        { timeoutMs: 60_000 },
      );
    }
    for (const member of ["changsha", "zhuzhou", "xiangtan"]) expect(await admin.hunan!.get(CLUSTER_ROLES, `yunshu-registrar-${member}`), member).toBeUndefined();
    for (const state of await stateFiles()) {
      const checkpoint = JSON.parse(state) as { checkpoint: { latest?: { resources?: unknown[] } } };
      expect(checkpoint.checkpoint.latest?.resources ?? []).toEqual([]);
    }
  }, 300_000);

  it("a hub waiting for an operator that no node runs says what it waits for, and gives up after awaitOperatorTimeoutSeconds", async () => {
    const settings = ["--env", "nodes", "--clusters", "hunan", "--set", "awaitOperator=true", "--set", "awaitOperatorTimeoutSeconds=35"];
    const run = await driver("up", ...settings);
    timings.upWithoutNodes = run.seconds;
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/^\[hunan\] still waiting for nodes\.hunan after \d+s: .*creating kubernetes:apps\/v1:Deployment yunshu:yunshu-system\/yunshu-operator for \d+s/m);
    expect(run.output).toMatch(/^nodes\.hunan\s+failed\s+\S+\s+error: .*kubernetes:apps\/v1:Deployment yunshu:yunshu-system\/yunshu-operator .*timed out waiting to be Ready/m);
    expect(run.output).toContain("if it has none (a bare control plane, make cluster-up), run with --set awaitOperator=false");
    expect(run.seconds).toBeLessThan(90);
    expect((await driver("destroy", ...settings)).code).toBe(0);
  });
});
