// The departments the sharing and audit tests play with, on one control
// plane: the health commission offers a service, the big-data bureau
// consumes it, the finance department is the outsider, and the public
// security department is at MLPS level 4. Each has pods to reach and be
// reached (Pending: no kubelet runs them, but policies select them all the
// same), and their owners are groups of the department users.
import type { Namespace, NetworkPolicy, Pod } from "../../operator/api/core-types.ts";
import type { KubeObject } from "../../operator/api/meta.ts";
import { NAMESPACES, NETWORK_POLICIES, PODS, TENANTS } from "../../operator/api/resources.ts";
import { computeReachability } from "../../operator/audit/reachability.ts";
import { formatPorts } from "../../operator/audit/port-ranges.ts";
import type { KubeClient } from "../../operator/runtime/kube-client.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import type { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { bindRequestGroups } from "../../tools/local/requests.ts";
import { restrictedPod, tenant, waitForReady } from "../../tools/local/yunshu.ts";
import { analyzeConnectivity, ensureNetpolAnalyzer } from "../../tools/toolchain/netpol-analyzer.ts";

export const USERS = [
  { name: "alice", groups: ["departments", "health-ops"] },
  { name: "bob", groups: ["departments", "bigdata-ops"] },
  { name: "mallory", groups: ["departments", "finance-ops"] },
  { name: "sam", groups: ["departments", "security-ops"] },
  { name: "pat", groups: ["platform-team"] },
  { name: "quinn", groups: ["platform-team"] },
];

const QUOTA = { hard: { "requests.cpu": "4", "requests.memory": "4Gi", "limits.cpu": "4", "limits.memory": "4Gi", pods: "20" } };

export const TENANT_SPECS: Tenant[] = [
  tenant("hunan-health", { displayName: "湖南省卫生健康委员会", owners: [{ kind: "Group", name: "health-ops" }], namespaces: [{ name: "prod" }, { name: "dev" }], quota: QUOTA, network: { egressCIDRs: ["10.30.0.0/16"] } }),
  tenant("hunan-bigdata", { displayName: "湖南省大数据局", owners: [{ kind: "Group", name: "bigdata-ops" }], namespaces: [{ name: "prod" }, { name: "etl" }], quota: QUOTA }),
  tenant("hunan-finance", { displayName: "湖南省财政厅", owners: [{ kind: "Group", name: "finance-ops" }], quota: QUOTA }),
  tenant("hunan-security", { displayName: "湖南省公安厅", owners: [{ kind: "Group", name: "security-ops" }], securityLevel: 4, quota: QUOTA }),
];

/** Pods by namespace: name, labels and container ports. */
export const PODS_BY_NAMESPACE: Record<string, { name: string; labels: Record<string, string>; ports?: { name?: string; containerPort: number }[] }[]> = {
  "hunan-health-prod": [
    { name: "api", labels: { app: "api" }, ports: [{ name: "https", containerPort: 8443 }] },
    { name: "web", labels: { app: "web" }, ports: [{ containerPort: 8080 }] },
  ],
  "hunan-health-dev": [{ name: "tester", labels: { app: "tester" } }],
  "hunan-bigdata-prod": [{ name: "client", labels: { app: "client" } }],
  "hunan-bigdata-etl": [{ name: "etl", labels: { app: "etl" } }],
  "hunan-finance-prod": [{ name: "spy", labels: { app: "spy" } }],
  "hunan-security-prod": [{ name: "vault", labels: { app: "vault" }, ports: [{ containerPort: 8200 }] }],
};

export function labelledPod(namespace: string, name: string, labels: Record<string, string>, ports: { name?: string; containerPort: number }[] = []): Pod {
  const base = restrictedPod(name);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels },
    spec: { ...base.spec, containers: base.spec.containers.map((c) => ({ ...c, ports })) },
  } as unknown as Pod;
}

/** Creates the four tenants, binds the department and platform groups, and places the pods. */
export async function setUpDepartments(plane: ControlPlane, admin: KubeClient): Promise<void> {
  await bindRequestGroups(plane);
  for (const t of TENANT_SPECS) await admin.create(TENANTS, t as Tenant & KubeObject);
  for (const t of TENANT_SPECS) await waitForReady(plane, t.metadata.name);
  for (const [namespace, pods] of Object.entries(PODS_BY_NAMESPACE)) {
    for (const p of pods) await admin.create(PODS, labelledPod(namespace, p.name, p.labels, p.ports) as unknown as KubeObject, undefined);
  }
}

export interface Reach {
  /** "src → dst: ports" for every pair between pods of different namespaces, sorted. */
  engine: string[];
  analyzer: string[];
}

const line = (c: { src: string; dst: string; ports: Parameters<typeof formatPorts>[0] }) => `${c.src} → ${c.dst}: ${formatPorts(c.ports)}`;

const tenantOfPod = (key: string) => TENANT_SPECS.find((t) => key.startsWith(`${t.metadata.name}-`))?.metadata.name;

/**
 * What reaches what on `plane` now, by yunshu's engine and by np-guard's
 * analyzer, read from the API server: between pods of different tenants, or
 * (`among`) between pods of different namespaces of those named.
 */
export async function reachability(admin: KubeClient, among?: readonly string[]): Promise<Reach> {
  const [namespaces, pods, policies] = await Promise.all([admin.list<Namespace>(NAMESPACES), admin.list<Pod>(PODS), admin.list<NetworkPolicy>(NETWORK_POLICIES)]);
  const nsOf = (key: string) => key.split("/")[0]!;
  const keep = among
    ? (c: { src: string; dst: string }) => among.includes(nsOf(c.src)) && among.includes(nsOf(c.dst)) && nsOf(c.src) !== nsOf(c.dst)
    : (c: { src: string; dst: string }) => tenantOfPod(c.src) !== undefined && tenantOfPod(c.dst) !== undefined && tenantOfPod(c.src) !== tenantOfPod(c.dst);
  const input = { namespaces: namespaces.items, pods: pods.items, policies: policies.items };
  const engine = computeReachability(input).filter(keep).map(line).sort();
  const analyzer = (await analyzeConnectivity(await ensureNetpolAnalyzer(), [...input.namespaces, ...input.pods, ...input.policies])).filter(keep).map(line).sort();
  return { engine, analyzer };
}
