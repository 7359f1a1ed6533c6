// The fleet API at admission, in a real API server: a Cluster, and a Tenant's
// placement on Clusters, refuse bad input with a message that says what is
// wrong, and `kubectl get clusters.yunshu.io` is a fleet overview.
import { CustomObjectsApi } from "@kubernetes/client-node";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  CLUSTER_GROUP,
  CLUSTER_PLURAL,
  CLUSTER_VERSION,
  TENANT_GROUP,
  TENANT_PLURAL,
  TENANT_VERSION,
  type Cluster,
  type ClusterSpec,
  type Tenant,
  type TenantSpec,
} from "../../operator/api/generated.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { apiFailure } from "../support/api-errors.ts";
import { eventually } from "../../tools/local/eventually.ts";

const crd = (file: string) => fileURLToPath(new URL(`../../crds/${file}`, import.meta.url));
const SAMPLE = fileURLToPath(new URL("../../crds/samples/fleet.yaml", import.meta.url));

/** Each invalid case breaks one thing in these. */
const clusterSpec = (): ClusterSpec => ({
  displayName: "株洲市政务云",
  region: "zhuzhou",
  tier: "city",
  kubeconfigSecretRef: { name: "cluster-zhuzhou" },
  capacity: { allocatable: { "requests.cpu": "256", "limits.cpu": 256 }, overcommit: { "limits.cpu": "2" } },
});
const tenantSpec = (): TenantSpec => ({
  displayName: "长沙市数据资源局",
  level: "city",
  owners: [{ kind: "User", name: "chen" }],
  quota: { hard: { "requests.cpu": "10", pods: "100" } },
  placement: { clusters: ["hunan", "changsha"], quotas: [{ cluster: "hunan", hard: { "requests.cpu": "4" } }] },
});

interface InvalidCase<Spec> {
  breaks: string;
  name?: string;
  /** Returns the broken spec; `unknown` so that a case can break the types too. */
  spec: (spec: Spec) => unknown;
  message: string;
}

const invalidClusters: InvalidCase<ClusterSpec>[] = [
  { breaks: "a tier that is not province, city or industry", spec: (s) => ({ ...s, tier: "county" }), message: 'spec.tier: Unsupported value: "county"' },
  { breaks: "a region that is not a DNS label", spec: (s) => ({ ...s, region: "Zhu Zhou" }), message: "spec.region in body should match" },
  { breaks: "no region", spec: ({ region: _, ...s }) => s, message: "spec.region: Required value" },
  {
    breaks: "an overcommit ratio below 1",
    spec: (s) => ({ ...s, capacity: { allocatable: { "limits.cpu": "256" }, overcommit: { "limits.cpu": "0.8" } } }),
    message: "spec.capacity.overcommit: Invalid value: overcommit.limits.cpu is below 1, which would promise less than there is; use 1 or more",
  },
  {
    breaks: "an overcommit ratio that is not a decimal",
    spec: (s) => ({ ...s, capacity: { allocatable: { "limits.cpu": "256" }, overcommit: { "limits.cpu": "2x" } } }),
    message: 'spec.capacity.overcommit[limits.cpu]: Invalid value: "2x": "2x" is not a ratio: write a decimal with at most three places, such as 1.5',
  },
  {
    breaks: "overcommit on a resource that allocatable does not name",
    spec: (s) => ({ ...s, capacity: { allocatable: { "limits.cpu": "256" }, overcommit: { "requests.cpu": "2" } } }),
    message: "overcommit names requests.cpu, which allocatable does not; add it to allocatable or remove it",
  },
  {
    breaks: "an allocatable amount that is not a quantity",
    spec: (s) => ({ ...s, capacity: { allocatable: { "requests.memory": "lots" } } }),
    message: 'spec.capacity.allocatable[requests.memory]: Invalid value: "lots": "lots" is not a non-negative quantity',
  },
  { breaks: "a negative allocatable amount", spec: (s) => ({ ...s, capacity: { allocatable: { pods: -1 } } }), message: '"-1" is not a non-negative quantity' },
  { breaks: "capacity without allocatable", spec: (s) => ({ ...s, capacity: { overcommit: {} } }), message: "spec.capacity.allocatable: Required value" },
  { breaks: "a kubeconfig Secret without a name", spec: (s) => ({ ...s, kubeconfigSecretRef: { key: "config" } }), message: "spec.kubeconfigSecretRef.name: Required value" },
  { breaks: "a Secret name that is not a DNS name", spec: (s) => ({ ...s, kubeconfigSecretRef: { name: "Cluster_Zhuzhou" } }), message: "spec.kubeconfigSecretRef.name in body should match" },
  { breaks: "a cluster name with a dot", name: "zhuzhou.hunan", spec: (s) => s, message: "metadata.name must be a DNS-1123 label" },
  { breaks: "a displayName over 128 characters", spec: (s) => ({ ...s, displayName: "株".repeat(129) }), message: "spec.displayName: Too long: may not be more than 128" },
];

const invalidTenants: InvalidCase<TenantSpec>[] = [
  { breaks: "an empty placement", spec: (s) => ({ ...s, placement: {} }), message: "spec.placement: Invalid value: placement selects no cluster" },
  {
    breaks: "a placement with only quotas",
    spec: (s) => ({ ...s, placement: { quotas: [{ cluster: "hunan", hard: { pods: "10" } }] } }),
    message: "placement selects no cluster: name clusters, or select them by regions and/or tiers",
  },
  { breaks: "an empty list of regions", spec: (s) => ({ ...s, placement: { regions: [] } }), message: "spec.placement.regions in body should have at least 1 items" },
  {
    breaks: "a quotas entry for a cluster that clusters does not list",
    spec: (s) => ({ ...s, placement: { clusters: ["hunan"], quotas: [{ cluster: "hunan", hard: { pods: "10" } }, { cluster: "zhuzhou", hard: { pods: "10" } }] } }),
    message:
      "spec.placement.quotas: Invalid value: quotas has an entry for cluster zhuzhou, which clusters does not list: without regions or tiers the tenant is placed only on the clusters listed there",
  },
  {
    breaks: "quotas without spec.quota",
    spec: ({ quota: _, ...s }) => s,
    message: "spec.placement.quotas: Invalid value: placement.quotas splits spec.quota.hard across clusters, but the tenant has no spec.quota.hard",
  },
  {
    breaks: "a quotas amount that is not a quantity",
    spec: (s) => ({ ...s, placement: { clusters: ["hunan"], quotas: [{ cluster: "hunan", hard: { pods: "many" } }] } }),
    message: 'spec.placement.quotas[0].hard[pods]: Invalid value: "many": "many" is not a quantity',
  },
  {
    breaks: "a negative quotas amount",
    spec: (s) => ({ ...s, placement: { clusters: ["hunan"], quotas: [{ cluster: "hunan", hard: { pods: "-3" } }] } }),
    message: '"-3" is negative; use zero or more',
  },
  {
    breaks: "a quotas resource that is no ResourceQuota resource",
    spec: (s) => ({ ...s, placement: { clusters: ["hunan"], quotas: [{ cluster: "hunan", hard: { gpus: "2" } }] } }),
    message: "spec.placement.quotas[0].hard: Invalid value: not a ResourceQuota resource name: gpus",
  },
  {
    breaks: "a quotas resource that spec.quota.hard does not name",
    spec: (s) => ({ ...s, placement: { clusters: ["hunan"], quotas: [{ cluster: "hunan", hard: { "limits.cpu": "8" } }] } }),
    message: "placement.quotas entry for hunan gives limits.cpu, which spec.quota.hard does not name",
  },
  {
    breaks: "a quotas entry giving more than the whole tenant has",
    spec: (s) => ({ ...s, placement: { clusters: ["hunan", "changsha"], quotas: [{ cluster: "changsha", hard: { "requests.cpu": "12" } }] } }),
    message: "placement.quotas entry for changsha gives requests.cpu 12, more than the 10 of spec.quota.hard for the whole tenant",
  },
  { breaks: "a tier that is not one", spec: (s) => ({ ...s, placement: { tiers: ["county"] } }), message: 'spec.placement.tiers[0]: Unsupported value: "county"' },
  { breaks: "a cluster named twice", spec: (s) => ({ ...s, placement: { clusters: ["hunan", "hunan"] } }), message: 'spec.placement.clusters[1]: Duplicate value: "hunan"' },
  { breaks: "a cluster name that is not a DNS label", spec: (s) => ({ ...s, placement: { clusters: ["Chang Sha"] } }), message: "spec.placement.clusters[0] in body should match" },
  {
    breaks: "two quotas entries for one cluster",
    spec: (s) => ({ ...s, placement: { clusters: ["hunan"], quotas: [{ cluster: "hunan", hard: { pods: "1" } }, { cluster: "hunan", hard: { pods: "2" } }] } }),
    message: 'spec.placement.quotas[1]: Duplicate value: {"cluster":"hunan"}',
  },
];

/** Valid but unusual placements: guards against rules that refuse more than they should. */
const validPlacements: { shows: string; spec: (spec: TenantSpec) => TenantSpec }[] = [
  { shows: "a placement by tier alone, without quota", spec: ({ quota: _, ...s }) => ({ ...s, placement: { tiers: ["city", "industry"] } }) },
  {
    shows: "a quotas entry for a cluster that only regions select",
    spec: (s) => ({ ...s, placement: { regions: ["changsha"], quotas: [{ cluster: "changsha", hard: { "requests.cpu": "10", pods: 0 } }] } }),
  },
  { shows: "explicit amounts that together exceed the quota (reported in status, not refused)", spec: (s) => ({ ...s, placement: { clusters: ["hunan", "changsha"], quotas: [{ cluster: "hunan", hard: { "requests.cpu": "6" } }, { cluster: "changsha", hard: { "requests.cpu": "6000m" } }] } }) },
];

describe("fleet admission", () => {
  let plane: ControlPlane;
  let objects: CustomObjectsApi;

  const createCluster = (body: unknown) =>
    objects.createClusterCustomObject({ group: CLUSTER_GROUP, version: CLUSTER_VERSION, plural: CLUSTER_PLURAL, body, fieldValidation: "Strict" }) as Promise<Cluster>;
  const createTenant = (body: unknown) =>
    objects.createClusterCustomObject({ group: TENANT_GROUP, version: TENANT_VERSION, plural: TENANT_PLURAL, body, fieldValidation: "Strict" }) as Promise<Tenant>;
  const readCluster = (name: string) => objects.getClusterCustomObject({ group: CLUSTER_GROUP, version: CLUSTER_VERSION, plural: CLUSTER_PLURAL, name }) as Promise<Cluster>;
  const readTenant = (name: string) => objects.getClusterCustomObject({ group: TENANT_GROUP, version: TENANT_VERSION, plural: TENANT_PLURAL, name }) as Promise<Tenant>;
  const cluster = (name: string, spec: unknown) => ({ apiVersion: `${CLUSTER_GROUP}/${CLUSTER_VERSION}`, kind: "Cluster", metadata: { name }, spec });
  const tenant = (name: string, spec: unknown) => ({ apiVersion: `${TENANT_GROUP}/${TENANT_VERSION}`, kind: "Tenant", metadata: { name }, spec });
  const kubectl = async (args: string[]) => {
    const result = await plane.kubectl(args);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${result.stderr}`);
    return result.stdout;
  };

  beforeAll(async () => {
    plane = await ControlPlane.start({ name: "fleet-admission" });
    objects = plane.kubeConfig().makeApiClient(CustomObjectsApi);
    // The API server costs every CEL rule here: a rule over budget fails this apply.
    await kubectl(["apply", "--server-side", "-f", crd("yunshu.io_clusters.yaml"), "-f", crd("yunshu.io_tenants.yaml")]);
    await kubectl(["wait", "--for=condition=Established", "--timeout=60s", "crd/clusters.yunshu.io", "crd/tenants.yunshu.io"]);
    await eventually("clusters and tenants to be served", () =>
      Promise.all([
        objects.listClusterCustomObject({ group: CLUSTER_GROUP, version: CLUSTER_VERSION, plural: CLUSTER_PLURAL }),
        objects.listClusterCustomObject({ group: TENANT_GROUP, version: TENANT_VERSION, plural: TENANT_PLURAL }),
      ]).then(() => true),
    );
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it("accepts the sample fleet as written, and fills in the kubeconfig key", async () => {
    await kubectl(["apply", "--server-side", "--validate=strict", "-f", SAMPLE]);
    const docs = parseAllDocuments(readFileSync(SAMPLE, "utf8")).map((d) => d.toJS() as Cluster | Tenant);
    expect(docs.map((d) => d.kind)).toEqual(["Cluster", "Cluster", "Cluster", "Tenant"]);
    for (const doc of docs) {
      if (doc.kind === "Cluster") {
        const { kubeconfigSecretRef: ref, ...rest } = (await readCluster(doc.metadata.name)).spec;
        expect(rest).toEqual({ ...doc.spec, kubeconfigSecretRef: undefined });
        expect(ref).toEqual(doc.spec.kubeconfigSecretRef && { key: "kubeconfig", ...doc.spec.kubeconfigSecretRef });
      } else {
        expect((await readTenant(doc.metadata.name)).spec.placement).toEqual(doc.spec.placement);
      }
    }
  });

  it.each(validPlacements.map((c, i) => ({ ...c, name: `placement-${i}` })))("accepts $shows", async ({ name, spec }) => {
    expect((await createTenant(tenant(name, spec(tenantSpec())))).metadata.name).toBe(name);
  });

  it.each(invalidClusters.map((c, i) => ({ ...c, name: c.name ?? `invalid-${i}` })))("refuses a Cluster with $breaks", async ({ name, spec, message }) => {
    const failure = await apiFailure(createCluster(cluster(name, spec(clusterSpec()))));
    expect(failure.message).toContain(message);
    expect(failure.code).toBe(422);
  });

  it.each(invalidTenants.map((c, i) => ({ ...c, name: `invalid-${i}` })))("refuses a Tenant with $breaks", async ({ name, spec, message }) => {
    const failure = await apiFailure(createTenant(tenant(name, spec(tenantSpec()))));
    expect(failure.message).toContain(message);
    expect(failure.code).toBe(422);
  });

  it("explains where a member's kubeconfig is, and what its absence means", async () => {
    // The OpenAPI document that explain reads is published shortly after the CRD.
    const ref = await eventually("explain ycl.spec.kubeconfigSecretRef", () =>
      plane.kubectl(["explain", "ycl.spec.kubeconfigSecretRef"]).then((r) => r.code === 0 && r.stdout.replace(/\s+/g, " ")),
    );
    expect(ref).toContain("in the namespace yunshu-clusters, kept apart from the operator's yunshu-system");
    expect(ref).toContain("Leave it out for the hub itself");
    const placement = (await kubectl(["explain", "tenant.spec.placement"])).replace(/\s+/g, " ");
    expect(placement).toContain("Without placement the tenant lives on the hub only");
  });

  it("prints a fleet overview, and answers to the short name and category", async () => {
    await kubectl(["apply", "--server-side", "-f", SAMPLE]);
    await kubectl([
      "patch", "clusters.yunshu.io", "changsha", "--subresource=status", "--type=merge", "-p",
      JSON.stringify({
        status: {
          observedGeneration: 1,
          conditions: [{ type: "Ready", status: "True", reason: "Reachable", message: "API server v1.37.2 answers", lastTransitionTime: "2026-01-01T00:00:00Z" }],
          kubernetesVersion: "v1.37.2",
          tenants: 1,
          namespaces: 2,
          capacity: { "requests.cpu": "768", "requests.memory": "3Ti" },
          allocated: { "requests.cpu": "20", "requests.memory": "40Gi" },
        },
      }),
    ]);
    const [header, ...rows] = (await kubectl(["get", "clusters.yunshu.io"])).trimEnd().split("\n");
    expect(header?.split(/\s{2,}/)).toEqual(["NAME", "DISPLAY NAME", "REGION", "TIER", "READY", "VERSION", "TENANTS", "AGE"]);
    expect(rows.find((line) => line.startsWith("changsha "))?.split(/\s+/).slice(0, 7)).toEqual(["changsha", "长沙市政务云", "changsha", "city", "True", "v1.37.2", "1"]);

    const [wideHeader, ...wideRows] = (await kubectl(["get", "clusters.yunshu.io", "-o", "wide"])).trimEnd().split("\n");
    expect(wideHeader?.split(/\s{2,}/)).toEqual([
      "NAME", "DISPLAY NAME", "REGION", "TIER", "READY", "VERSION", "TENANTS", "NAMESPACES", "CPU", "CPU ALLOCATED", "MEMORY", "MEMORY ALLOCATED", "AGE",
    ]);
    expect(wideRows.find((line) => line.startsWith("changsha "))?.split(/\s+/).slice(7, 12)).toEqual(["2", "768", "20", "3Ti", "40Gi"]);

    expect(await kubectl(["get", "ycl", "-o", "name"])).toBe("cluster.yunshu.io/changsha\ncluster.yunshu.io/hunan\ncluster.yunshu.io/zhuzhou\n");
    expect(await kubectl(["get", "yunshu", "-o", "name"])).toContain("cluster.yunshu.io/zhuzhou\n");
  });

  it("takes the per-cluster status of a tenant from the operator", async () => {
    const clusters = [
      { name: "changsha", ready: true, namespaces: 2, quota: { hard: { "requests.cpu": "20" }, used: { "requests.cpu": "3500m" } } },
      { name: "hunan", ready: false, namespaces: 0, message: "cluster hunan is unreachable" },
    ];
    await kubectl(["patch", "tenant", "changsha-data-bureau", "--subresource=status", "--type=merge", "-p", JSON.stringify({ status: { clusters } })]);
    expect((await readTenant("changsha-data-bureau")).status?.clusters).toEqual(clusters);
  });
});
