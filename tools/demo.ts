// `make demo`: yunshu running for real on this machine, as a small 1+14+N
// fleet. Three local Kubernetes control planes (the provincial hub and two
// city members: the Clusters of crds/samples/fleet.yaml), yunshu installed
// in each, the operator running in the hub as its own ServiceAccount, and a
// few Hunan departments as tenants; then the fleet, where each tenant landed
// and what it became there, and how to act as a department. Runs until
// Ctrl-C, which removes everything; `--once` stops after printing (the
// demo's test uses it).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { ResourceQuota } from "../operator/api/core-types.ts";
import type { Cluster } from "../operator/api/generated.ts";
import { hubName } from "../operator/fleet/placement.ts";
import { CRDS_DIR } from "../operator/api/manifests.ts";
import type { Operator } from "../operator/operator.ts";
import { RESOURCE_QUOTA_NAME } from "../operator/tenant/resource-quota.ts";
import { KubeClient, type KubeObject } from "../operator/runtime/kube-client.ts";
import { CLUSTERS, RESOURCE_QUOTAS } from "../operator/api/resources.ts";
import type { Tenant } from "../operator/tenant/types.ts";
import { ControlPlane } from "./controlplane/controlplane.ts";
import { eventually } from "./local/eventually.ts";
import { registerHub, registerMember } from "./local/fleet.ts";
import { decide, fileRequest, requestCondition, waitForRequestCondition } from "./local/requests.ts";
import { installYunshu, startOperator, tenantsApi, waitForReady } from "./local/yunshu.ts";
import { serveDepartmentView, startLocalConsole } from "./local/console.ts";
import type { RunningConsole } from "../console/server/server.ts";
import type { Server } from "node:http";

// Every plane knows every user: a department's owners are bound wherever its tenant lands.
const USERS = [
  { name: "alice", groups: ["data-bureau-ops", "departments"] },
  { name: "bob", groups: ["departments"] },
  { name: "chen", groups: ["departments"] },
  { name: "zhou", groups: ["yueyang-education-ops", "departments"] },
  { name: "zhao", groups: ["departments"] },
  { name: "platform-li", groups: ["platform-team"] },
  { name: "platform-wang", groups: ["platform-team"] },
];

const say = (line = "") => process.stdout.write(line + "\n");

const SAMPLES = join(CRDS_DIR, "samples");
const FLEET_SAMPLE = join(SAMPLES, "fleet.yaml");
const sampleClusters = parseAllDocuments(await readFile(FLEET_SAMPLE, "utf8"))
  .map((d) => d.toJS() as Cluster)
  .filter((d) => d.kind === "Cluster");
const HUB = hubName(sampleClusters);
const MEMBERS = sampleClusters.map((c) => c.metadata.name).filter((name) => name !== HUB);
const CLUSTER_NAMES = [HUB, ...MEMBERS];
// The sample's Secret references are what registering creates; registerMember adds its own.
const specOf = (name: string) => {
  const { kubeconfigSecretRef: _, ...spec } = sampleClusters.find((c) => c.metadata.name === name)!.spec;
  return spec;
};

const planes = new Map<string, ControlPlane>();
const on = (cluster: string) => planes.get(cluster)!;
let operator: Operator | undefined;
let consoleServer: RunningConsole | undefined;
let viewServer: Server | undefined;
let stopping = false;
const stop = async (code = 0) => {
  if (stopping) return;
  stopping = true;
  await consoleServer?.close();
  viewServer?.close();
  await operator?.stop();
  await Promise.all([...planes.values()].map((p) => p.stop()));
  process.exit(code);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

try {
  const started = Date.now();
  // Settled, not all: one plane failing must not leave the others running unseen by stop().
  const starts = await Promise.allSettled(
    CLUSTER_NAMES.map(async (name) => planes.set(name, await ControlPlane.start({ name: `demo-${name}`, users: USERS }))),
  );
  const failed = starts.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  const hub = on(HUB);
  say(`${planes.size} local Kubernetes ${hub.binaries.dir.split("/").at(-2)} control planes ready in ${((Date.now() - started) / 1000).toFixed(1)}s:`);
  for (const name of CLUSTER_NAMES) say(`  ${name.padEnd(9)} ${(name === HUB ? "the hub" : "a member").padEnd(9)} ${on(name).server}`);

  const identity = await installYunshu(hub);
  // After the hub's install: registering a member writes its kubeconfig Secret into the hub's yunshu-clusters.
  await Promise.all(MEMBERS.map((name) => registerMember(hub, on(name), name, specOf(name))));
  await registerHub(hub, HUB, specOf(HUB));
  say(`installed yunshu in each (CRDs, ClusterRoles, admission policies: crds/); registered the Clusters of ${FLEET_SAMPLE} in the hub`);
  const op = await startOperator(hub, identity, { clusterProbeIntervalMs: 2_000 });
  operator = op;
  await eventually(
    "the operator to connect to every member",
    () => op.fleet?.runtimes.size === MEMBERS.length && [...op.fleet.runtimes.values()].every((r) => r.synced),
    { timeoutMs: 60_000 },
  );
  say(`operator running in the hub as ${identity}, connected to ${MEMBERS.join(" and ")}; its JSON log: ${join(hub.dir, "logs", "operator.log")}`);

  const samples = join(SAMPLES, "hunan-departments.yaml");
  const tenants = parseAllDocuments(await readFile(samples, "utf8")).map((d) => d.toJS() as Tenant);
  const api = tenantsApi(hub);
  for (const t of tenants) await api.create(t);
  say(`created ${tenants.length} tenants from ${samples}`);
  // A placed tenant is Ready only once every cluster it is placed on is; members take longer on 2 cores.
  const ready = await Promise.all(tenants.map((t) => waitForReady(hub, t.metadata.name, 60_000)));
  const landed = await quotasByTenant();
  const hubAdmin = new KubeClient(hub.credentials());
  await eventually(
    "every Cluster to be Ready",
    async () => {
      const { items } = await hubAdmin.list<Cluster & KubeObject>(CLUSTERS);
      return items.length === CLUSTER_NAMES.length && items.every((c) => c.status?.conditions?.some((x) => x.type === "Ready" && x.status === "True"));
    },
    { timeoutMs: 30_000 },
  );
  // A Cluster's tenant count is refreshed at its next probe, not when a tenant lands: give the
  // probes a few rounds to catch up, and show the overview as it is if they have not.
  const landings = (cluster: string) => [...landed.values()].filter((where) => where.some((w) => w.cluster === cluster)).length;
  await eventually(
    "every Cluster to count the tenants on it",
    async () => (await hubAdmin.list<Cluster & KubeObject>(CLUSTERS)).items.every((c) => c.status?.tenants === landings(c.metadata.name)),
    { timeoutMs: 10_000 },
  ).catch(() => undefined);

  say();
  say("The fleet (kubectl get clusters.yunshu.io, in the hub):");
  say((await hub.kubectl(["get", "clusters.yunshu.io"])).stdout.trimEnd());

  say();
  say("Where each tenant landed, and what it became there:");
  for (const t of ready) {
    const owners = t.spec.owners.map((o) => `${o.kind} ${o.name}`).join(", ");
    const where = landed.get(t.metadata.name) ?? [];
    const clusters = [...new Set(where.map((w) => w.cluster))];
    say(`  ${t.metadata.name} (${t.spec.displayName}, ${t.spec.level}, MLPS level ${t.spec.securityLevel ?? 3}, deletionPolicy ${t.spec.deletionPolicy ?? "Retain"})`);
    say(`    owners: ${owners}; tenant-wide quota ${JSON.stringify(t.status?.quota?.hard ?? {})}`);
    say(`    on ${clusters.join(", ") || "no cluster"} (${placementText(t, clusters.length)})`);
    // The tenant's own resources, then how many limits its MLPS profile adds (kubectl yunshu usage shows them).
    const named = new Set(Object.keys(t.status?.quota?.hard ?? {}));
    for (const w of where) {
      const own = Object.fromEntries(Object.entries(w.hard).filter(([r]) => named.has(r)));
      const added = Object.keys(w.hard).length - Object.keys(own).length;
      say(`    ${w.cluster.padEnd(9)} ${w.namespace.padEnd(28)} quota ${JSON.stringify(own)} (+ ${added} count and storage limits of profile mlps-${t.spec.securityLevel ?? 3})`);
    }
  }

  say();
  await showSelfService();
  say();
  say((await hub.kubectl(["get", "tenants"])).stdout.trimEnd());

  const view = await serveDepartmentView(hub, op);
  viewServer = view.server;
  consoleServer = await startLocalConsole(hub, view.url);
  say(`
The department console (yunshu console), in Chinese; sign in with a token:
  ${consoleServer.url}
  a department, chen (owns 长沙市卫生健康委员会):   ${hub.token("chen")}
  another department, alice (湖南省数据局):        ${hub.token("alice")}
  an approver, platform-wang (platform team):     ${hub.token("platform-wang")}
yunshu's department view, which the console reads through: ${view.url} (kubectl yunshu mine --yunshu-url ${view.url})`);

  const kubeconfig = (cluster: string, identity = "admin") => on(cluster).kubeconfigPath(identity);
  say(`
Try it, in another terminal:
  export PATH=${hub.binaries.dir}:$PATH
  export KUBECONFIG=${kubeconfig(HUB)}     # the platform team, in the hub (cluster admin)
  kubectl get clusters.yunshu.io -o wide     # the fleet with each cluster's capacity and what its tenants hold
  kubectl get tenants; kubectl describe tenant changsha-health     # status.clusters: the tenant on each cluster
  kubectl get networkpolicy,resourcequota,limitrange,rolebinding -n hunan-data-bureau-prod

Each member is a cluster of its own, with its own admin:
  kubectl --kubeconfig ${kubeconfig("changsha")} get ns -l yunshu.io/tenant=changsha-health
  kubectl --kubeconfig ${kubeconfig("zhuzhou")} get resourcequota -A -l yunshu.io/tenant=zhuzhou-transport

Act as a department: alice owns 湖南省数据局 (hunan-data-bureau), bob owns 湖南省财政厅 (hunan-finance).
  kubectl --kubeconfig ${kubeconfig(HUB, "alice")} -n hunan-data-bureau-prod create configmap hello --from-literal=a=b   # allowed
  kubectl --kubeconfig ${kubeconfig(HUB, "alice")} -n hunan-finance-prod get pods                                        # Forbidden: another department
  kubectl --kubeconfig ${kubeconfig(HUB, "alice")} -n hunan-data-bureau-prod delete resourcequota yunshu-tenant-quota    # Forbidden: managed by yunshu
zhao owns 株洲市交通运输局 (zhuzhou-transport), which runs on zhuzhou only:
  kubectl --kubeconfig ${kubeconfig("zhuzhou", "zhao")} -n zhuzhou-transport-prod create configmap hello --from-literal=a=b   # allowed

Change a tenant and watch yunshu follow (as admin, in the hub):
  kubectl patch tenant hunan-finance --type merge -p '{"spec":{"namespaces":[{"name":"prod"},{"name":"test"}]}}'
  kubectl get ns -l yunshu.io/tenant=hunan-finance
  kubectl patch tenant zhuzhou-transport --type merge -p '{"spec":{"placement":{"clusters":["changsha"]}}}'   # move it
  kubectl --kubeconfig ${kubeconfig("changsha")} get ns -l yunshu.io/tenant=zhuzhou-transport
  kubectl --kubeconfig ${kubeconfig("zhuzhou")} get ns -l yunshu.io/tenant=zhuzhou-transport -L yunshu.io/released   # kept, released (deletionPolicy Retain)

Self-service with the kubectl plugin (bin/kubectl-yunshu): chen asks, platform-wang decides.
  export PATH=${join(import.meta.dirname, "..", "bin")}:$PATH
  KUBECONFIG=${kubeconfig(HUB, "chen")} kubectl yunshu request --tenant changsha-health --quota pods=80 --reason "flu season"
  KUBECONFIG=${kubeconfig(HUB, "platform-wang")} kubectl yunshu requests
  KUBECONFIG=${kubeconfig(HUB, "platform-wang")} kubectl yunshu approve <name> --reason "seasonal peak"
  kubectl yunshu tree; kubectl yunshu usage changsha-health

Press Ctrl-C to stop; everything this demo started is removed.`);
  if (process.argv.includes("--once")) await stop();
} catch (err) {
  // The planes' directories, logs included, go with stop(): say everything here.
  process.stderr.write(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await stop(1);
}

function placementText(t: Tenant, clusters: number): string {
  const p = t.spec.placement;
  if (!p) return "no placement: the hub";
  const by = [
    p.clusters?.length && `cluster ${p.clusters.join(", ")}`,
    p.regions?.length && `region ${p.regions.join(", ")}`,
    p.tiers?.length && `tier ${p.tiers.join(", ")}`,
  ].filter(Boolean);
  const split = clusters < 2 ? "" : p.quotas?.length ? ", its quota split as placement.quotas says" : ", its quota split evenly";
  return `placed by ${by.join(" and ")}${split}`;
}

interface Landing {
  cluster: string;
  namespace: string;
  hard: Record<string, string>;
}

/** Each tenant's namespaces on every cluster, with their ResourceQuota, as the clusters themselves have them. */
async function quotasByTenant(): Promise<Map<string, Landing[]>> {
  const byTenant = new Map<string, Landing[]>();
  const perCluster = await Promise.all(
    CLUSTER_NAMES.map(async (cluster) => ({ cluster, quotas: (await new KubeClient(on(cluster).credentials()).list<ResourceQuota>(RESOURCE_QUOTAS, { labelSelector: "yunshu.io/tenant" })).items })),
  );
  for (const { cluster, quotas } of perCluster) {
    const shares = quotas.filter((q) => q.metadata.name === RESOURCE_QUOTA_NAME);
    for (const q of shares.sort((a, b) => a.metadata.namespace!.localeCompare(b.metadata.namespace!))) {
      const tenant = q.metadata.labels!["yunshu.io/tenant"]!;
      byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), { cluster, namespace: q.metadata.namespace!, hard: q.spec.hard }]);
    }
  }
  return byTenant;
}

/** A department asks for a county bureau under its city tenant; a platform admin approves; yunshu creates it. */
async function showSelfService(): Promise<void> {
  const hub = on(HUB);
  const applied = await hub.kubectl(["apply", "-f", join(SAMPLES, "self-service.yaml")]);
  if (applied.code !== 0) throw new Error(`applying the self-service sample failed: ${applied.stderr}`);
  say("Self-service: chen (长沙市卫生健康委员会) asks for a county bureau carved from its quota; platform-li approves.");
  const chen = new KubeClient(hub.credentials("chen"));
  const li = new KubeClient(hub.credentials("platform-li"));
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
  const child = await waitForReady(hub, "changsha-kaifu-health");
  const parent = await waitForReady(hub, "changsha-health", 60_000);
  say(`  approved by platform-li; changsha-kaifu-health is Ready with ${child.status?.namespaces?.map((n) => n.name).join(", ")} (no placement: on the hub)`);
  say(`  changsha-health keeps ${JSON.stringify(parent.status?.quota?.hard)}, of which its children hold ${JSON.stringify(parent.status?.quota?.children)}`);
  say((await hub.kubectl(["get", "tenantrequests"])).stdout.trimEnd());
}
