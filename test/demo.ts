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
import { installYunshu, startOperator, tenantsApi, waitForReady } from "./support/yunshu.ts";

const USERS = [
  { name: "alice", groups: ["data-bureau-ops"] },
  { name: "bob", groups: [] },
  { name: "chen", groups: [] },
  { name: "zhou", groups: ["yueyang-education-ops"] },
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

Press Ctrl-C to stop; everything this demo started is removed.`);
  if (process.argv.includes("--once")) await stop();
} catch (err) {
  appendFileSync(join(plane.dir, "logs", "demo.log"), String(err));
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  await stop(1);
}
