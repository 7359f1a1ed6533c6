// `make demo`: yunshu running for real on this machine. A local Kubernetes
// control plane, yunshu installed into it, the operator running as its own
// ServiceAccount, and a few Hunan departments as tenants; then what each
// tenant became and how to act as a department. Runs until Ctrl-C, which
// removes everything; `--once` stops after printing (the demo's test uses it).
import { readFile } from "node:fs/promises";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { CRDS_DIR } from "../operator/install.ts";
import type { Tenant } from "../operator/tenant/types.ts";
import { ControlPlane } from "./controlplane/controlplane.ts";
import { KubeClient } from "../operator/runtime/kube-client.ts";
import { decide, fileRequest, requestCondition, waitForRequestCondition } from "./support/requests.ts";
import { installYunshu, startOperator, tenantsApi, waitForReady } from "./support/yunshu.ts";

const USERS = [
  { name: "alice", groups: ["data-bureau-ops", "departments"] },
  { name: "bob", groups: ["departments"] },
  { name: "chen", groups: ["departments"] },
  { name: "zhou", groups: ["yueyang-education-ops", "departments"] },
  { name: "platform-li", groups: ["platform-team"] },
  { name: "platform-wang", groups: ["platform-team"] },
];

const say = (line = "") => process.stdout.write(line + "\n");

const plane = await ControlPlane.start({ name: "yunshu-demo", users: USERS });
let stopping = false;
const stop = async (code = 0) => {
  if (stopping) return;
  stopping = true;
  await operator?.stop();
  await plane.stop();
  process.exit(code);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

let operator: Awaited<ReturnType<typeof startOperator>> | undefined;
try {
  say(`local Kubernetes ${plane.binaries.dir.split("/").at(-2)} control plane ready at ${plane.server} in ${(plane.timings.totalMs / 1000).toFixed(1)}s`);
  const identity = await installYunshu(plane);
  say("installed yunshu: CRDs, ClusterRoles, admission policies (crds/)");
  operator = await startOperator(plane, identity);
  say(`operator running as ${identity}; its JSON log: ${join(plane.dir, "logs", "operator.log")}`);

  const samples = join(CRDS_DIR, "samples", "hunan-departments.yaml");
  const tenants = parseAllDocuments(await readFile(samples, "utf8")).map((d) => d.toJS() as Tenant);
  const api = tenantsApi(plane);
  for (const t of tenants) await api.create(t);
  say(`created ${tenants.length} tenants from ${samples}`);
  const ready = await Promise.all(tenants.map((t) => waitForReady(plane, t.metadata.name)));

  say();
  say("What each tenant became:");
  for (const t of ready) {
    const quotaByNamespace = await Promise.all(
      (t.status?.namespaces ?? []).map(async (ns) => {
        const q = await plane.kubectl(["get", "resourcequota", "yunshu-tenant-quota", "-n", ns.name, "-o", "jsonpath={.spec.hard}"]);
        return `    ${ns.name.padEnd(28)} quota ${q.stdout}`;
      }),
    );
    const owners = t.spec.owners.map((o) => `${o.kind} ${o.name}`).join(", ");
    say(`  ${t.metadata.name} (${t.spec.displayName}, ${t.spec.level}, MLPS level ${t.spec.securityLevel ?? 3}, deletionPolicy ${t.spec.deletionPolicy ?? "Retain"})`);
    say(`    owners: ${owners}; tenant-wide quota ${JSON.stringify(t.status?.quota?.hard ?? {})}`);
    for (const line of quotaByNamespace) say(line);
  }

  say();
  await showSelfService();
  say();
  say((await plane.kubectl(["get", "tenants"])).stdout.trimEnd());

  say(`
Try it, in another terminal:
  export PATH=${plane.binaries.dir}:$PATH
  export KUBECONFIG=${plane.kubeconfigPath("admin")}     # the platform team (cluster admin)
  kubectl get tenants; kubectl describe tenant hunan-data-bureau
  kubectl get networkpolicy,resourcequota,limitrange,rolebinding -n hunan-data-bureau-prod

Act as a department: alice owns 湖南省数据局 (hunan-data-bureau), bob owns 湖南省财政厅 (hunan-finance).
  kubectl --kubeconfig ${plane.kubeconfigPath("alice")} -n hunan-data-bureau-prod create configmap hello --from-literal=a=b   # allowed
  kubectl --kubeconfig ${plane.kubeconfigPath("alice")} -n hunan-finance-prod get pods                                        # Forbidden: another department
  kubectl --kubeconfig ${plane.kubeconfigPath("alice")} -n hunan-data-bureau-prod delete resourcequota yunshu-tenant-quota    # Forbidden: managed by yunshu

Change a tenant and watch yunshu follow (as admin):
  kubectl patch tenant hunan-finance --type merge -p '{"spec":{"namespaces":[{"name":"prod"},{"name":"test"}]}}'
  kubectl get ns -l yunshu.io/tenant=hunan-finance

Self-service with the kubectl plugin (bin/kubectl-yunshu): chen asks, platform-wang decides.
  export PATH=${join(import.meta.dirname, "..", "bin")}:$PATH
  KUBECONFIG=${plane.kubeconfigPath("chen")} kubectl yunshu request --tenant changsha-health --quota pods=80 --reason "flu season"
  KUBECONFIG=${plane.kubeconfigPath("platform-wang")} kubectl yunshu requests
  KUBECONFIG=${plane.kubeconfigPath("platform-wang")} kubectl yunshu approve <name> --reason "seasonal peak"
  kubectl yunshu tree; kubectl yunshu usage changsha-health

Press Ctrl-C to stop; everything this demo started is removed.`);
  if (process.argv.includes("--once")) await stop();
} catch (err) {
  appendFileSync(join(plane.dir, "logs", "demo.log"), String(err));
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  await stop(1);
}

/** A department asks for a county bureau under its city tenant; a platform admin approves; yunshu creates it. */
async function showSelfService(): Promise<void> {
  const applied = await plane.kubectl(["apply", "-f", join(CRDS_DIR, "samples", "self-service.yaml")]);
  if (applied.code !== 0) throw new Error(`applying the self-service sample failed: ${applied.stderr}`);
  say("Self-service: chen (长沙市卫生健康委员会) asks for a county bureau carved from its quota; platform-li approves.");
  const chen = new KubeClient(plane.credentials("chen"));
  const li = new KubeClient(plane.credentials("platform-li"));
  const filed = await fileRequest(chen, "chen", {
    tenant: "changsha-kaifu-health",
    action: "Create",
    reason: "开福区卫生健康局 needs its own namespaces for the clinic booking system",
    displayName: "开福区卫生健康局",
    level: "county",
    parent: "changsha-health",
    namespaces: ["prod"],
    quota: { hard: { "requests.cpu": "2", "requests.memory": "4Gi", pods: "20" } },
  });
  const judged = await waitForRequestCondition(li, filed.metadata.name, "Fits");
  say(`  chen filed ${filed.metadata.name}; yunshu's verdict: Fits=${requestCondition(judged, "Fits")!.status}, ${requestCondition(judged, "Fits")!.message}`);
  await decide(li, "platform-li", filed.metadata.name, true, "within the city's plan");
  await waitForRequestCondition(li, filed.metadata.name, "Applied", "True");
  const child = await waitForReady(plane, "changsha-kaifu-health");
  const parent = await waitForReady(plane, "changsha-health");
  say(`  approved by platform-li; changsha-kaifu-health is Ready with ${child.status?.namespaces?.map((n) => n.name).join(", ")}`);
  say(`  changsha-health keeps ${JSON.stringify(parent.status?.quota?.hard)}, of which its children hold ${JSON.stringify(parent.status?.quota?.children)}`);
  say((await plane.kubectl(["get", "tenantrequests"])).stdout.trimEnd());
}
