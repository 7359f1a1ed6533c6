import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { Cluster, ClusterSpec, Tenant, TenantPlacement } from "../api/generated.ts";
import { formatResourceList, parseResourceList, type ResourceList } from "../api/quantity.ts";
import { HUB, clusterCapacity, hubName, placedOn, selectClusters, splitQuota, tenantsOnChangedCluster } from "./placement.ts";

function cluster(name: string, region: string, tier: ClusterSpec["tier"], secret = true): Cluster {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Cluster",
    metadata: { name },
    spec: { region, tier, ...(secret ? { kubeconfigSecretRef: { name: `cluster-${name}` } } : {}) },
  };
}

function tenant(placement?: TenantPlacement): Tenant {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name: "changsha-data-bureau" },
    spec: { displayName: "长沙市数据资源局", level: "city", owners: [{ kind: "User", name: "alice" }], ...(placement ? { placement } : {}) },
  };
}

// The province's hub, two city clusters, a second cluster in Changsha and an industry cloud.
const fleet = [
  cluster("hunan", "hunan", "province", false),
  cluster("zhuzhou", "zhuzhou", "city"),
  cluster("changsha", "changsha", "city"),
  cluster("changsha-2", "changsha", "city"),
  cluster("health", "changsha", "industry"),
];

const milli = (list: Record<string, string | number>) => parseResourceList(list);

describe("hubName", () => {
  it("is the Cluster without a kubeconfig Secret, or the built-in name when none is registered", () => {
    expect(hubName(fleet)).toBe("hunan");
    expect(hubName(fleet.filter((c) => c.spec.kubeconfigSecretRef))).toBe(HUB);
    expect(hubName([])).toBe("hub");
  });

  it("takes the first by name when several Clusters leave the Secret out, so every caller agrees", () => {
    expect(hubName([cluster("yueyang", "yueyang", "city", false), cluster("hengyang", "hengyang", "city", false)])).toBe("hengyang");
  });
});

describe("selectClusters", () => {
  it("keeps a tenant without placement on the hub, registered or not", () => {
    expect(selectClusters(tenant(), fleet)).toEqual({ placed: ["hunan"], unknown: [] });
    expect(selectClusters(tenant(), [])).toEqual({ placed: [HUB], unknown: [] });
  });

  it("places by name, sorted, and reports names no Cluster answers to", () => {
    expect(selectClusters(tenant({ clusters: ["zhuzhou", "hunan", "xiangtan", "loudi"] }), fleet)).toEqual({
      placed: ["hunan", "zhuzhou"],
      unknown: ["loudi", "xiangtan"],
    });
  });

  it("lets a placement name the hub before any Cluster describes it", () => {
    expect(selectClusters(tenant({ clusters: [HUB] }), [])).toEqual({ placed: [HUB], unknown: [] });
    expect(selectClusters(tenant({ clusters: [HUB] }), fleet)).toEqual({ placed: [], unknown: [HUB] });
  });

  it("selects by region alone, by tier alone, and by both together", () => {
    expect(selectClusters(tenant({ regions: ["changsha"] }), fleet).placed).toEqual(["changsha", "changsha-2", "health"]);
    expect(selectClusters(tenant({ tiers: ["city"] }), fleet).placed).toEqual(["changsha", "changsha-2", "zhuzhou"]);
    expect(selectClusters(tenant({ regions: ["changsha"], tiers: ["city"] }), fleet).placed).toEqual(["changsha", "changsha-2"]);
    expect(selectClusters(tenant({ regions: ["yueyang"] }), fleet).placed).toEqual([]);
  });

  it("adds named clusters to the selected ones, once each", () => {
    expect(selectClusters(tenant({ clusters: ["hunan", "changsha"], regions: ["changsha"], tiers: ["city"] }), fleet)).toEqual({
      placed: ["changsha", "changsha-2", "hunan"],
      unknown: [],
    });
  });
});

describe("splitQuota", () => {
  const hard = milli({ "requests.cpu": "10", "requests.memory": "16Gi", pods: "100" });
  const sum = (perCluster: Map<string, ResourceList>, resource: string) => [...perCluster.values()].reduce((total, list) => total + list[resource]!, 0n);

  it("splits evenly without explicit entries: CPU to the milli-core, the rest in whole units, the odd ones to the first clusters", () => {
    const { perCluster, problems } = splitQuota(milli({ "requests.cpu": "1", pods: "11", "requests.memory": "1Gi" }), ["zhuzhou", "changsha", "hunan"], {});
    expect(problems).toEqual([]);
    expect([...perCluster.keys()]).toEqual(["changsha", "hunan", "zhuzhou"]);
    expect(perCluster.get("changsha")).toEqual({ "requests.cpu": 334n, pods: 4000n, "requests.memory": 357913942000n });
    expect(perCluster.get("hunan")).toEqual({ "requests.cpu": 333n, pods: 4000n, "requests.memory": 357913941000n });
    expect(perCluster.get("zhuzhou")).toEqual({ "requests.cpu": 333n, pods: 3000n, "requests.memory": 357913941000n });
    expect(sum(perCluster, "requests.memory")).toBe(1024n ** 3n * 1000n);
  });

  it("gives explicit amounts as written and shares the remainder among the clusters without one, per resource", () => {
    const { perCluster, problems } = splitQuota(hard, ["hunan", "changsha", "zhuzhou"], {
      hunan: milli({ "requests.cpu": "4", pods: "40" }),
      changsha: milli({ pods: "50" }),
    });
    expect(problems).toEqual([]);
    expect(perCluster.get("changsha")).toEqual(milli({ "requests.cpu": "3", "requests.memory": "5726623062", pods: "50" }));
    expect(perCluster.get("hunan")).toEqual(milli({ "requests.cpu": "4", "requests.memory": "5726623061", pods: "40" }));
    expect(perCluster.get("zhuzhou")).toEqual(milli({ "requests.cpu": "3", "requests.memory": "5726623061", pods: "10" }));
    for (const resource of Object.keys(hard)) expect(sum(perCluster, resource)).toBe(hard[resource]);
  });

  it("keeps what is finer than a unit, so that the parts still add up to the whole", () => {
    const { perCluster } = splitQuota(milli({ pods: "10" }), ["a", "b", "c"], { a: milli({ pods: "2500m" }) });
    expect([...perCluster.values()].map((l) => l.pods)).toEqual([2500n, 4500n, 3000n]);
    expect(sum(perCluster, "pods")).toBe(10_000n);
  });

  it("leaves a remainder unassigned when every cluster has an explicit amount", () => {
    const { perCluster, problems } = splitQuota(milli({ pods: "10" }), ["a", "b"], { a: milli({ pods: "3" }), b: milli({ pods: "3" }) });
    expect(problems).toEqual([]);
    expect(sum(perCluster, "pods")).toBe(6000n);
  });

  it("says by how much explicit amounts exceed the tenant's quota, and gives the other clusters nothing", () => {
    const { perCluster, problems } = splitQuota(hard, ["hunan", "changsha", "zhuzhou"], {
      hunan: milli({ "requests.cpu": "7", "requests.memory": "10Gi" }),
      changsha: milli({ "requests.cpu": "5000m", "requests.memory": "6Gi" }),
    });
    expect(problems).toEqual(["requests.cpu: the per-cluster quotas add up to 12, more than the tenant's 10"]);
    expect(perCluster.get("zhuzhou")).toEqual(milli({ "requests.cpu": "0", "requests.memory": "0", pods: "33" }));
  });

  it("names amounts for clusters the tenant is not on, and resources its quota does not name, and ignores them", () => {
    const { perCluster, problems } = splitQuota(hard, ["hunan", "changsha"], {
      zhuzhou: milli({ pods: "100" }),
      hunan: milli({ pods: "20", "limits.cpu": "8" }),
    });
    expect(problems).toEqual([
      "placement.quotas gives hunan limits.cpu, which the tenant's quota does not name; it is ignored",
      "placement.quotas has an entry for zhuzhou, which the tenant is not placed on; it is ignored",
    ]);
    expect(perCluster.get("hunan")).toEqual(milli({ "requests.cpu": "5", "requests.memory": "8Gi", pods: "20" }));
    expect(perCluster.get("changsha")?.pods).toBe(80_000n);
    expect([...perCluster.keys()]).toEqual(["changsha", "hunan"]);
  });

  it("gives every placed cluster an empty list when the tenant has no quota", () => {
    expect(splitQuota({}, ["hunan"], {})).toEqual({ perCluster: new Map([["hunan", {}]]), problems: [] });
  });
});

describe("clusterCapacity", () => {
  it("multiplies allocatable by overcommit exactly, as the capacity pool does", () => {
    const changsha = cluster("changsha", "changsha", "city");
    changsha.spec.capacity = { allocatable: { "requests.cpu": "3", "limits.cpu": 64, "requests.memory": "1Ti" }, overcommit: { "requests.cpu": "1.333", "limits.cpu": "2" } };
    expect(clusterCapacity(changsha)).toEqual(milli({ "requests.cpu": "3999m", "limits.cpu": "128", "requests.memory": "1Ti" }));
  });

  it("limits nothing when the cluster declares no capacity", () => {
    expect(clusterCapacity(cluster("zhuzhou", "zhuzhou", "city"))).toEqual({});
  });
});

describe("the sample fleet (crds/samples/fleet.yaml)", () => {
  it("places the Changsha department and splits its quota as the sample's comment says", () => {
    const docs = parseAllDocuments(readFileSync(new URL("../../crds/samples/fleet.yaml", import.meta.url), "utf8")).map((d) => d.toJS() as Cluster | Tenant);
    const clusters = docs.filter((d): d is Cluster => d.kind === "Cluster");
    const department = docs.find((d): d is Tenant => d.kind === "Tenant")!;

    const { placed, unknown } = selectClusters(department, clusters);
    expect({ hub: hubName(clusters), placed, unknown }).toEqual({ hub: "hunan", placed: ["changsha", "hunan"], unknown: [] });

    const explicit = Object.fromEntries((department.spec.placement?.quotas ?? []).map((q) => [q.cluster, milli(q.hard)]));
    const { perCluster, problems } = splitQuota(milli(department.spec.quota?.hard ?? {}), placed, explicit);
    expect(problems).toEqual([]);
    expect(formatResourceList(perCluster.get("changsha")!)).toEqual({ "requests.cpu": "20", "requests.memory": "40Gi", "limits.cpu": "40", "limits.memory": "80Gi", pods: "250" });
  });
});

describe("placedOn", () => {
  it("answers for one cluster what selectClusters answers for the fleet", () => {
    const placements: (TenantPlacement | undefined)[] = [undefined, { clusters: ["zhuzhou", "hunan"] }, { regions: ["changsha"] }, { tiers: ["city"] }, { regions: ["changsha"], tiers: ["industry"] }, { clusters: ["health"], tiers: ["province"] }];
    for (const placement of placements) {
      const placed = selectClusters(tenant(placement), fleet).placed;
      for (const c of fleet) expect(placedOn(tenant(placement), c, hubName(fleet)), `${JSON.stringify(placement)} on ${c.metadata.name}`).toBe(placed.includes(c.metadata.name));
    }
  });
});

describe("tenantsOnChangedCluster", () => {
  const named = (name: string, placement?: TenantPlacement) => ({ ...tenant(placement), metadata: { name } });
  const tenants = [named("province-finance"), named("changsha-health", { regions: ["changsha"] }), named("zhuzhou-transport", { clusters: ["zhuzhou"] }), named("cities", { tiers: ["city"] }), named("industry", { tiers: ["industry"] })];
  const changsha = fleet.find((c) => c.metadata.name === "changsha")!;
  const withStatus = (c: Cluster, ready: "True" | "False"): Cluster => ({ ...c, status: { conditions: [{ type: "Ready", status: ready, reason: "Probed", message: "", lastTransitionTime: "2026-11-27T10:00:00Z" }] } });

  it("names exactly the tenants placed on a cluster whose readiness or capacity changed", () => {
    expect(tenantsOnChangedCluster(tenants, fleet, withStatus(changsha, "True"), withStatus(changsha, "False"))).toEqual(["changsha-health", "cities"]);
    const bigger = { ...changsha, spec: { ...changsha.spec, capacity: { allocatable: { pods: "12000" } } } };
    expect(tenantsOnChangedCluster(tenants, fleet, changsha, bigger)).toEqual(["changsha-health", "cities"]);
  });

  it("names the tenants placed on it before or after a change of region or tier, and on a cluster that comes or goes", () => {
    const industrial = { ...changsha, spec: { ...changsha.spec, region: "zhuzhou", tier: "industry" as const } };
    expect(tenantsOnChangedCluster(tenants, fleet, changsha, industrial)).toEqual(["changsha-health", "cities", "industry"]);
    const xiangtan = cluster("xiangtan", "xiangtan", "city");
    expect(tenantsOnChangedCluster(tenants, [...fleet, xiangtan], undefined, xiangtan)).toEqual(["cities"]);
    expect(tenantsOnChangedCluster(tenants, fleet.filter((c) => c.metadata.name !== "zhuzhou"), fleet.find((c) => c.metadata.name === "zhuzhou"), undefined)).toEqual(["zhuzhou-transport", "cities"]);
  });

  it("names every tenant when another cluster becomes the hub, where tenants without placement live", () => {
    const hub = cluster("anhua", "hunan", "province", false);
    expect(tenantsOnChangedCluster(tenants, [...fleet, hub], undefined, hub)).toEqual(tenants.map((t) => t.metadata.name));
    const hunan = fleet.find((c) => c.metadata.name === "hunan")!;
    expect(tenantsOnChangedCluster(tenants, fleet, withStatus(hunan, "True"), withStatus(hunan, "False"))).toEqual(["province-finance"]);
  });
});
