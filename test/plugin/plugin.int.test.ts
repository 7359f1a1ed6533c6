// kubectl yunshu end to end, as the people who use it: a department files a
// request in its own name and follows it; platform admins see the queue with
// yunshu's verdict, decide (never their own request, never twice, never on
// stale numbers), and the operator turns an approval into a Tenant; tree and
// usage show the hierarchy and its numbers. Every identity is a real
// ServiceAccount token bound to the ClusterRoles in crds/self-service-roles.yaml,
// and the plugin runs as a separate process, once found by kubectl on PATH.
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import type { Server } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tenant, TenantRequest } from "../../operator/api/generated.ts";
import type { Operator } from "../../operator/operator.ts";
import { decide } from "../../operator/plugin/commands/decide.ts";
import { PluginError } from "../../operator/plugin/errors.ts";
import { startHttpServer } from "../../operator/metrics/http-server.ts";
import { DepartmentRequestView } from "../../operator/request/department-view.ts";
import { KubeClient } from "../../operator/runtime/kube-client.ts";
import { createLogger } from "../../operator/runtime/log.ts";
import { TENANT_REQUESTS } from "../../operator/api/resources.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { createPki } from "../../tools/controlplane/pki.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, startOperator, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const execFileAsync = promisify(execFile);
// The plugin's own directory first, so that kubectl finds kubectl-yunshu; Node 24 next, for its #!/usr/bin/env node.
const PATH = [join(repo, "bin"), join(repo, "node_modules", ".bin"), process.env.PATH].join(":");

const NS = "self-service";
let plane: ControlPlane;
let operator: Operator;
let department: string;
let adminLi: string;
let adminWang: string;
/** yunshu's HTTPS endpoint, serving the department view. */
let view: { url: string; ca: string; server: Server };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function exec(file: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { env: { ...process.env, PATH, ...env }, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** bin/kubectl-yunshu as `identity`; --kubeconfig last, as people add it. */
const yunshu = (identity: string, ...args: string[]) => exec(join(repo, "bin", "kubectl-yunshu"), [...args, "--kubeconfig", plane.kubeconfigPath(identity)]);

/** The same, reading requests through yunshu's department view, as a department does (the URL and CA from the environment). */
const throughYunshu = (identity: string, ...args: string[]) =>
  exec(join(repo, "bin", "kubectl-yunshu"), [...args, "--kubeconfig", plane.kubeconfigPath(identity)], { YUNSHU_URL: view.url, YUNSHU_CA: view.ca });

/** `kubectl yunshu …` through the real kubectl, which finds the plugin on PATH and passes $KUBECONFIG on. */
const viaKubectl = (identity: string, ...args: string[]) => exec(plane.binaries.path("kubectl"), ["yunshu", ...args], { KUBECONFIG: plane.kubeconfigPath(identity) });

const filedName = (run: Run) => /^TenantRequest (\S+) filed as /.exec(run.stdout)?.[1];

async function adminApply(yaml: string): Promise<void> {
  const result = await plane.kubectl(["apply", "--server-side", "-f", "-"], undefined, yaml);
  if (result.code !== 0) throw new Error(`kubectl apply failed: ${result.stderr}`);
}

async function readRequest(name: string): Promise<TenantRequest> {
  return (await new KubeClient(plane.credentials()).get<TenantRequest>(TENANT_REQUESTS, name))!;
}

/** Re-runs `requests` until the request's row shows yunshu's verdict. */
async function verdictRow(name: string, identity: string): Promise<string> {
  return eventually(`yunshu's verdict on ${name}`, async () => {
    const run = await yunshu(identity, "requests");
    const row = run.stdout.split("\n").find((l) => l.startsWith(`${name} `));
    return row && !/ - +not assessed yet$/.test(row) ? row : undefined;
  });
}

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "plugin" });
  operator = await startOperator(plane, await installYunshu(plane));
  await adminApply(`
apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
${["changsha-dept", "platform-li", "platform-wang"].map((sa) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${sa}, namespace: ${NS}}`).join("\n---\n")}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: changsha-dept}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: yunshu-department}
subjects: [{kind: ServiceAccount, name: changsha-dept, namespace: ${NS}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: platform-admins}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: yunshu-platform-admin}
subjects:
  - {kind: ServiceAccount, name: platform-li, namespace: ${NS}}
  - {kind: ServiceAccount, name: platform-wang, namespace: ${NS}}
---
apiVersion: yunshu.io/v1alpha1
kind: CapacityPool
metadata: {name: default}
spec:
  allocatable: {requests.cpu: "100", requests.memory: 256Gi}
---
apiVersion: yunshu.io/v1alpha1
kind: Tenant
metadata: {name: hunan}
spec:
  displayName: 湖南省数据局
  level: province
  # The department's ServiceAccount owns the province: it asks for the cities carved from it.
  owners: [{kind: Group, name: hunan-ops}, {kind: ServiceAccount, name: changsha-dept, namespace: ${NS}}]
  namespaces: [{name: prod}]
  quota: {hard: {requests.cpu: "40", requests.memory: 64Gi}}
`);
  department = await plane.serviceAccountIdentity(NS, "changsha-dept");
  adminLi = await plane.serviceAccountIdentity(NS, "platform-li");
  adminWang = await plane.serviceAccountIdentity(NS, "platform-wang");
  await waitForReady(plane, "hunan");
  const pki = await createPki(await mkdtemp(join(plane.dir, "yunshu-tls-")));
  const tls = { cert: await readFile(pki.servingCert, "utf8"), key: await readFile(pki.servingKey, "utf8") };
  const requests = new DepartmentRequestView({ client: new KubeClient(plane.credentials()), requests: operator.requests, tenants: operator.hub.caches.tenants });
  const { server, port } = await startHttpServer("127.0.0.1:0", { registry: operator.metrics.registry, isReady: () => operator.isReady, log: createLogger("error"), auth: undefined, requests, tls });
  view = { url: `https://127.0.0.1:${port}`, ca: pki.caCert, server };
});

afterAll(async () => {
  view?.server.close();
  await operator?.stop();
  await plane?.stop();
});

describe("kubectl yunshu", () => {
  let changsha: string;

  it("lets a department file a request in its own name, and prints the name to follow", async () => {
    const run = await yunshu(
      department,
      "request",
      "--tenant=changsha",
      "--create",
      "--display-name",
      "长沙市数据局",
      "--level",
      "city",
      "--parent",
      "hunan",
      "--owner",
      "Group:changsha-ops",
      "--namespace",
      "prod",
      "--quota",
      "requests.cpu=12",
      "--quota",
      "requests.memory=24Gi",
      "--reason",
      "政务服务系统上云",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    changsha = filedName(run)!;
    expect(changsha).toMatch(/^changsha-[a-z0-9]{5}$/);
    expect(run.stdout).toContain(`filed as ${department}: Create for tenant changsha`);
    expect(run.stdout).toContain(`kubectl yunshu show ${changsha}`);

    const stored = await readRequest(changsha);
    expect(stored.spec).toMatchObject({
      tenant: "changsha",
      action: "Create",
      displayName: "长沙市数据局",
      level: "city",
      parent: "hunan",
      owners: [{ kind: "Group", name: "changsha-ops" }],
      namespaces: ["prod"],
      quota: { hard: { "requests.cpu": "12", "requests.memory": "24Gi" } },
      requester: { username: department },
    });
    expect(stored.spec.requester.groups).toEqual(expect.arrayContaining(["system:serviceaccounts", `system:serviceaccounts:${NS}`, "system:authenticated"]));
  });

  it("refuses bad flags before sending anything (exit code 2)", async () => {
    const run = await yunshu(department, "request", "--tenant", "changsha", "--reason", "x", "--quota", "requests.cpu=lots");
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: --quota requests.cpu: "lots" is not a quantity (examples: 8, 500m, 16Gi)\n');
  });

  it("does not show a department the queue from the API server, but shows it its own request through yunshu", async () => {
    const list = await yunshu(department, "requests");
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/^error: .*cannot list resource "tenantrequests".*; listing every request is for the platform team \(ClusterRole yunshu-platform-admin\); a department reads its own through yunshu: --yunshu-url\n$/);
    const direct = await yunshu(department, "show", changsha);
    expect(direct.code).toBe(1);
    expect(direct.stderr).toMatch(/cannot get resource "tenantrequests".*a department reads its own through yunshu: --yunshu-url/);

    const tree = await yunshu(department, "tree");
    expect(tree.code).toBe(1);
    expect(tree.stderr).toMatch(/listing tenants is for the platform team/);

    const own = await throughYunshu(department, "requests");
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(new RegExp(`^${changsha} +changsha +Create +${department} `, "m"));

    const show = await throughYunshu(department, "show", changsha);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^Asks to: +create tenant changsha$/m);
    expect(show.stdout).toMatch(/^Display name: +长沙市数据局$/m);
    expect(show.stdout).toMatch(new RegExp(`^Requester: +${department} \\(groups: `, "m"));
    expect(show.stdout).toMatch(/^Reason: +政务服务系统上云$/m);
    expect(show.stdout).toMatch(new RegExp(`^Decision: +pending: \`kubectl yunshu approve ${changsha} --reason TEXT\``, "m"));
  });

  it("lists a department its own tenants through yunshu (mine), and nothing for someone who owns none", async () => {
    const own = await throughYunshu(department, "mine");
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toMatch(/^TENANT +NAME +AS +CLUSTER +READY +NAMESPACES +QUOTA USED$/m);
    expect(own.stdout).toMatch(/^hunan +湖南省数据局 +owner +\S+ +\S+ +hunan-prod +requests\.cpu \S+\/40, requests\.memory \S+\/64Gi$/m);
    const none = await throughYunshu(adminLi, "mine");
    expect(none.code).toBe(0);
    expect(none.stderr).toBe(`${adminLi} owns no tenant and is a member of none.\n`);
    const direct = await yunshu(department, "mine");
    expect(direct.code).toBe(2);
    expect(direct.stderr).toContain("mine reads through yunshu");
  });

  it("shows the platform team the queue with yunshu's verdict, and the numbers behind it", async () => {
    const row = await verdictRow(changsha, adminLi);
    expect(row).toMatch(new RegExp(`^${changsha} +changsha +Create +${department} +\\S+ +True +True +fits tenant hunan`));

    const show = await yunshu(adminLi, "show", changsha);
    expect(show.stdout).toMatch(/^Fits: +True \(Fits\) — fits tenant hunan/m);
    expect(show.stdout).toMatch(/^ {2}BUDGET +RESOURCE +REQUESTED +ALLOCATED +LIMIT +FITS$/m);
    expect(show.stdout).toMatch(/^ {2}tenant\/hunan +requests\.cpu +12 +0 +40 +yes$/m);
    expect(show.stdout).toMatch(/^ {2}tenant\/hunan +requests\.memory +24Gi +0 +64Gi +yes$/m);
  });

  it("prints the API objects with -o json", async () => {
    const list = await yunshu(adminLi, "requests", "-o", "json");
    expect(list.code).toBe(0);
    const parsed = JSON.parse(list.stdout) as { kind: string; items: TenantRequest[] };
    expect(parsed.kind).toBe("List");
    const item = parsed.items.find((r) => r.metadata.name === changsha)!;
    expect(item).toMatchObject({ apiVersion: "yunshu.io/v1alpha1", kind: "TenantRequest", spec: { tenant: "changsha", requester: { username: department } } });
    expect(item.status?.conditions?.find((c) => c.type === "Fits")?.status).toBe("True");
    expect(item.metadata.managedFields).toBeUndefined();

    const one = JSON.parse((await throughYunshu(department, "show", changsha, "-o", "json")).stdout) as TenantRequest;
    expect(one.metadata.name).toBe(changsha);
  });

  it("approves through `kubectl yunshu` (kubectl finds the plugin on PATH), and the operator creates the Tenant", async () => {
    const run = await viaKubectl(adminLi, "approve", changsha, "--reason", "符合省级配额，同意");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`TenantRequest ${changsha} approved by ${adminLi}. yunshu now applies it to tenant changsha; follow it with \`kubectl yunshu show ${changsha}\`.\n`);

    const decided = await readRequest(changsha);
    expect(decided.status?.decidedBy).toBe(adminLi);
    expect(decided.status?.conditions?.find((c) => c.type === "Approved")).toMatchObject({ status: "True", reason: "Approved", message: "符合省级配额，同意" });
    expect(decided.metadata.managedFields?.some((f) => f.manager === "kubectl-yunshu" && f.subresource === "status")).toBe(true);

    const created = await waitForReady(plane, "changsha");
    expect(created.spec).toMatchObject({ displayName: "长沙市数据局", level: "city", parent: "hunan" });
    const show = await eventually("Applied in show", async () => {
      const out = (await throughYunshu(department, "show", changsha)).stdout;
      return /^Applied: +True/m.test(out) ? out : undefined;
    });
    expect(show).toMatch(new RegExp(`^Decision: +Approved by ${adminLi}, \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(\\S+ ago\\)$`, "m"));
    expect(show).toMatch(/^Decision reason: +符合省级配额，同意$/m);
    expect(show).toMatch(/^Applied: +True \(Applied\) — created tenant changsha$/m);
  });

  it("refuses to decide twice, locally, naming who decided", async () => {
    const run = await yunshu(adminWang, "deny", changsha, "--reason", "changed my mind");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: TenantRequest ${changsha} was already approved by ${adminLi} at \\S+; a decision is final`));
  });

  it("lets nobody decide their own request (the admission policy's words), and records a denial by another admin", async () => {
    const filed = await yunshu(adminLi, "request", "--tenant", "hunan", "--add-namespace", "test", "--reason", "测试环境");
    expect(filed.code).toBe(0);
    const own = filedName(filed)!;

    const selfApproval = await yunshu(adminLi, "approve", own, "--reason", "mine");
    expect(selfApproval.code).toBe(1);
    expect(selfApproval.stderr).toBe(`error: ${adminLi} filed TenantRequest ${own} and cannot decide it too: another platform admin must approve or deny it\n`);

    const denial = await yunshu(adminWang, "deny", own, "--reason", "请先清理生产环境");
    expect(denial.code).toBe(0);
    expect(denial.stdout).toContain(`TenantRequest ${own} denied by ${adminWang}.`);
    const denied = await readRequest(own);
    expect(denied.status?.decidedBy).toBe(adminWang);
    expect(denied.status?.conditions?.find((c) => c.type === "Approved")).toMatchObject({ status: "False", reason: "Denied", message: "请先清理生产环境" });

    const pending = await yunshu(adminWang, "requests");
    expect(pending.stdout).not.toContain(own);
    const all = await yunshu(adminWang, "requests", "--all");
    expect(all.stdout).toMatch(/^NAME +TENANT +ACTION +REQUESTER +AGE +AUTHORIZED +FITS +DECISION +APPLIED +DETAIL$/m);
    expect(all.stdout).toMatch(new RegExp(`^${own} +hunan +AddNamespaces +${adminLi} +\\S+ +\\S+ +\\S+ +Denied +- +`, "m"));
    expect(all.stdout).toMatch(new RegExp(`^${changsha} +changsha +Create +.* +Approved +\\S+ +fits tenant hunan`, "m"));
  });

  it("cannot approve a request that does not fit: the policy says why", async () => {
    const filed = await yunshu(department, "request", "--tenant", "changsha", "--quota", "requests.cpu=100", "--reason", "大数据平台");
    const big = filedName(filed)!;
    const row = await verdictRow(big, adminWang);
    expect(row).toMatch(/ False +does not fit tenant hunan/);
    const run = await yunshu(adminWang, "approve", big, "--reason", "ok");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: TenantRequest ${big} does not fit, so it cannot be approved: does not fit tenant hunan.*Deny it, or make room first`));
  });

  it("does not record a decision on a request that changed since it was read", async () => {
    const filed = await yunshu(department, "request", "--tenant", "changsha", "--add-namespace", "test", "--reason", "测试环境");
    const name = filedName(filed)!;
    await verdictRow(name, adminLi);
    const seen = await readRequest(name);
    const annotate = await plane.kubectl(["annotate", "tenantrequest", name, "example.com/ticket=42"]);
    expect(annotate.code).toBe(0);

    const ctx = { prog: "kubectl yunshu", command: "approve", session: { server: undefined }, out: () => {}, err: () => {}, now: () => new Date() };
    const attempt = decide(new KubeClient(plane.credentials(adminLi)), seen, "approve", adminLi, "ok", ctx);
    await expect(attempt).rejects.toThrow(PluginError);
    await expect(attempt).rejects.toThrow(`TenantRequest ${name} changed since you looked; run \`kubectl yunshu show ${name}\` again, then decide`);
    expect((await readRequest(name)).status?.conditions?.find((c) => c.type === "Approved")).toBeUndefined();
  });

  it("draws the tenant tree, with a missing parent marked", async () => {
    await tenantsApi(plane).create({
      apiVersion: "yunshu.io/v1alpha1",
      kind: "Tenant",
      metadata: { name: "lost-county" },
      spec: { displayName: "失联县", level: "county", parent: "nowhere", owners: [{ kind: "User", name: "x" }] },
    });
    // The parent's status names what its children hold once it has seen the child.
    await eventually("hunan to report its children's share", async () => ((await tenantsApi(plane).get("hunan")) as Tenant).status?.quota?.children);
    const run = await viaKubectl(adminWang, "tree");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME +LEVEL +QUOTA +CHILDREN +USED +READY$/);
    expect(lines[1]).toMatch(/^hunan \(湖南省数据局\) +province +cpu 40, memory 64Gi +cpu 12, memory 24Gi +cpu 0, memory 0 +True$/);
    expect(lines[2]).toMatch(/^└─ changsha \(长沙市数据局\) +city +cpu 12, memory 24Gi +- +cpu 0, memory 0 +True$/);
    expect(lines[3]).toMatch(/^lost-county \(失联县\) \(parent nowhere missing\) +county +/);
    expect(lines).toHaveLength(4);

    const json = JSON.parse((await yunshu(adminWang, "tree", "-o", "json")).stdout) as { items: Tenant[] };
    expect(json.items.map((t) => t.metadata.name).sort()).toEqual(["changsha", "hunan", "lost-county"]);
  });

  it("shows a tenant's usage: hard, children, own, used, and each namespace's share", async () => {
    const run = await yunshu("admin", "usage", "hunan");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Tenant: +hunan \(湖南省数据局\)$/m);
    expect(run.stdout).toMatch(/^RESOURCE +HARD +CHILDREN +OWN +USED +USED%$/m);
    expect(run.stdout).toMatch(/^requests\.cpu +40 +12 +28 +0 +0%$/m);
    expect(run.stdout).toMatch(/^requests\.memory +64Gi +24Gi +40Gi +0 +0%$/m);
    expect(run.stdout).toMatch(/^NAMESPACE +STATE +RESOURCE +HARD +USED$/m);
    // The level's profile limits (configmaps, …) share each namespace's quota, sorted with the tenant's own.
    expect(run.stdout).toMatch(/^hunan-prod +Active +configmaps +100 +\d+$/m);
    expect(run.stdout).toMatch(/^ +requests\.cpu +28 +0$/m);
    expect(run.stdout).toMatch(/^ +requests\.memory +40Gi +0$/m);

    // The platform role reads every namespace's quota, as usage needs.
    const platform = await yunshu(adminLi, "usage", "hunan");
    expect(platform.code).toBe(0);
    expect(platform.stdout).toMatch(/^ +requests\.cpu +28 +0$/m);

    const yaml = await yunshu("admin", "usage", "changsha", "-o", "yaml");
    expect(yaml.stdout).toMatch(/^kind: List$/m);
    expect(yaml.stdout).toMatch(/^ {2}- apiVersion: v1\n {4}kind: ResourceQuota$/m);

    const missing = await yunshu(adminLi, "usage", "nonesuch");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("error: tenant nonesuch not found (kubectl yunshu tree lists them)\n");
  });
});
