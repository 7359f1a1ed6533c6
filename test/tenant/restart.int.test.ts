// A crash at any point converges on restart: the operator, as a real
// `yunshu operator` process, is killed with SIGKILL in the middle of creating
// many tenants, started again, and finishes the job; SIGTERM stops it cleanly.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { join } from "node:path";
import { CoreV1Api, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, tenant, tenantsApi } from "../../tools/local/yunshu.ts";

const yunshu = join(import.meta.dirname, "../../bin/yunshu.js");
const TENANTS = 40;

let plane: ControlPlane;
let kubeconfig: string;
const children: ChildProcess[] = [];

function startOperatorProcess(): ChildProcess {
  const log = openSync(join(plane.dir, "logs", "operator-process.log"), "a");
  const child = spawn(process.execPath, [yunshu, "operator", "--kubeconfig", kubeconfig, "--workers", "2", "--http-bind-address", "127.0.0.1:0"], { stdio: ["ignore", log, log] });
  closeSync(log);
  children.push(child);
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once("exit", (code, signal) => resolve({ code, signal }));
  });

async function readyCount(): Promise<number> {
  const list = (await plane.kubectl(["get", "tenants", "-o", "json"])).stdout;
  const items = (JSON.parse(list) as { items: { status?: { conditions?: { type: string; status: string }[] } }[] }).items;
  return items.filter((t) => t.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
}

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "restart" });
  kubeconfig = plane.kubeconfigPath(await installYunshu(plane));
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await plane?.stop();
});

describe("an operator killed mid-reconcile", () => {
  it("converges after a restart, with every tenant complete", async () => {
    const first = startOperatorProcess();
    const api = tenantsApi(plane);
    const creating = (async () => {
      for (let i = 0; i < TENANTS; i++) {
        await api.create(tenant(`dept-${String(i).padStart(2, "0")}`, { namespaces: [{ name: "prod" }, { name: "test" }], quota: { hard: { pods: "10" } }, securityLevel: 2 }));
      }
    })();
    // Kill it as soon as it is part-way through, while tenants still arrive.
    await eventually("some tenants to be ready", async () => ((await readyCount()) > 0 ? true : undefined), { intervalMs: 20 });
    first.kill("SIGKILL");
    await creating;
    expect((await exited(first)).signal).toBe("SIGKILL");
    const readyAtCrash = await readyCount();
    expect(readyAtCrash).toBeLessThan(TENANTS);

    startOperatorProcess();
    await eventually("every tenant to be ready after the restart", async () => (await readyCount()) === TENANTS || undefined, { timeoutMs: 120_000 });
    const core = plane.kubeConfig().makeApiClient(CoreV1Api);
    const rbac = plane.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    const namespaces = await core.listNamespace({ labelSelector: "app.kubernetes.io/managed-by=yunshu" });
    expect(namespaces.items).toHaveLength(TENANTS * 2);
    // Per namespace: its share of the tenant's quota, and the zero for system priority classes.
    const quotas = await core.listResourceQuotaForAllNamespaces({ labelSelector: "app.kubernetes.io/managed-by=yunshu" });
    expect(quotas.items.filter((q) => q.metadata?.name === "yunshu-tenant-quota")).toHaveLength(TENANTS * 2);
    expect(quotas.items.filter((q) => q.metadata?.name === "yunshu-system-priority")).toHaveLength(TENANTS * 2);
    const bindings = await rbac.listRoleBindingForAllNamespaces({ labelSelector: "app.kubernetes.io/managed-by=yunshu" });
    expect(bindings.items).toHaveLength(TENANTS * 2);
  });

  it("shuts down cleanly on SIGTERM", async () => {
    const running = children.at(-1)!;
    running.kill("SIGTERM");
    const started = Date.now();
    expect(await exited(running)).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe("a Tenant created or deleted while no operator runs", () => {
  it("is born holding yunshu's finalizer, so its deletion waits for the operator, which lets go of it once its namespaces are handled", async () => {
    expect(children.every((c) => c.exitCode !== null || c.signalCode !== null)).toBe(true);
    const api = tenantsApi(plane);
    // The admission policy adds it at creation: no operator write, and no window without it.
    const born = await api.create(tenant("born-held", { namespaces: [{ name: "prod" }] }));
    expect(born.metadata?.finalizers).toEqual(["yunshu.io/namespaces"]);
    const other = await api.create({ ...tenant("born-shared"), metadata: { name: "born-shared", finalizers: ["example.com/keep"] } });
    expect(other.metadata?.finalizers).toEqual(["example.com/keep", "yunshu.io/namespaces"]);

    // A tenant converged before, and the new one, both deleted while the operator is down: both wait.
    await api.delete("dept-00");
    await api.delete("born-held");
    for (const name of ["dept-00", "born-held"]) expect((await api.get(name)).metadata?.deletionTimestamp).toBeDefined();

    startOperatorProcess();
    const gone = async (name: string) => api.get(name).then(() => false, (err: { code?: number }) => err.code === 404);
    await eventually("both deleted tenants to be let go", async () => ((await gone("dept-00")) && (await gone("born-held"))) || undefined, { timeoutMs: 60_000 });
    // deletionPolicy Retain (the default): dept-00's namespaces stay, released.
    const core = plane.kubeConfig().makeApiClient(CoreV1Api);
    for (const ns of ["dept-00-prod", "dept-00-test"]) expect((await core.readNamespace({ name: ns })).metadata?.labels?.["yunshu.io/released"]).toBe("true");
    // Another controller's finalizer is left where it was.
    await eventually("born-shared to be ready", async () => (await api.get("born-shared")).status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") || undefined, { timeoutMs: 60_000 });
    expect((await api.get("born-shared")).metadata?.finalizers).toEqual(["example.com/keep", "yunshu.io/namespaces"]);
  });
});
