import { describe, expect, it } from "vitest";
import { loadTopology, rolloutOrder } from "../stacks.ts";
import { parseTopology, TopologyError, validateTopology } from "./topology.ts";

const CITIES = ["长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州", "永州", "怀化", "娄底", "湘西"];

function problemsOf(raw: unknown): string[] {
  try {
    validateTopology(raw, "test.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(TopologyError);
    return (err as TopologyError).problems;
  }
  throw new Error("the topology was accepted");
}

const hub = { name: "hunan", displayName: "湖南省政务云", tier: "province", region: "hunan", adapter: "existing" };
const valid = { name: "hunan", hub: "hunan", operator: { image: { repository: "r/o" } }, clusters: [hub] };

describe("the sample topology", () => {
  it("is Hunan's 1+14+N: the provincial hub, the fourteen cities and two industry clouds, every adapter used", () => {
    const t = loadTopology("topology/hunan.yaml");
    expect(t.hub).toBe("hunan");
    expect(t.clusters.filter((c) => c.tier === "province").map((c) => c.name)).toEqual(["hunan"]);
    const cities = t.clusters.filter((c) => c.tier === "city");
    expect(cities).toHaveLength(14);
    for (const city of CITIES) expect(cities.some((c) => c.displayName.startsWith(city)), city).toBe(true);
    expect(t.clusters.filter((c) => c.tier === "industry")).toHaveLength(2);
    expect(new Set(t.clusters.map((c) => c.adapter))).toEqual(new Set(["existing", "alicloud", "openstack"]));
  });

  it("rolls out the hub first, whatever order the clusters are asked in", () => {
    const t = loadTopology("topology/hunan.yaml");
    expect(rolloutOrder(t, ["zhuzhou", "hunan", "changsha"])).toEqual(["hunan", "changsha", "zhuzhou"]);
    expect(rolloutOrder(t)).toHaveLength(17);
    expect(() => rolloutOrder(t, ["changsa"])).toThrow(/not in topology hunan: changsa/);
  });
});

describe("a bad topology", () => {
  it("is refused with every problem at its path", () => {
    const problems = problemsOf({
      name: "Hunan",
      hub: "hunan",
      operator: { image: { repository: "r/o", digest: "latest" } },
      platformNamespaces: ["monitoring", "yunshu-system"],
      clusters: [
        hub,
        { name: "changsha", displayName: "长沙市政务云", tier: "town", region: "changsha", adapter: "existing", kubeconfig: "x" },
        { name: "changsha", displayName: "长沙", tier: "city", region: "changsha", adapter: "gcp" },
        {
          name: "hengyang",
          displayName: "衡阳市政务云",
          tier: "city",
          region: "hengyang",
          adapter: "openstack",
          openstack: { cloud: "hengyang", clusterTemplate: "k8s", masterCount: 2, nodeCount: 0 },
        },
        {
          name: "yueyang",
          displayName: "岳阳市政务云",
          tier: "city",
          region: "yueyang",
          adapter: "alicloud",
          alicloud: { region: "cn-hunan", clusterSpec: "ack.pro.small", vswitchIds: [], podCidr: "10.300.0.0/16", serviceCidr: "192.168.0.0/16" },
          openstack: { cloud: "x" },
        },
      ],
    });
    expect(problems).toEqual([
      'name: "Hunan" is not a DNS label (lower-case letters, digits and \'-\', at most 63)',
      'operator.image.digest: "latest" is not a digest sha256:<64 hex>',
      "platformNamespaces: yunshu-system is always created; do not list it",
      "clusters[1].kubeconfig: unknown field (known: name, displayName, tier, region, adapter, existing, alicloud, openstack, capacity)",
      'clusters[1].tier: "town" is not one of province, city, industry',
      'clusters[2].adapter: "gcp" is not one of existing, alicloud, openstack',
      "clusters[3].openstack.nodeCount: must be an integer >= 1",
      "clusters[3].openstack.masterCount: must be odd, so that etcd keeps a quorum",
      "clusters[4].openstack: set, but the adapter is alicloud: remove it or set adapter: openstack",
      "clusters[4].alicloud.nodePool: required",
      "clusters[4].alicloud.vswitchIds: must not be empty",
      'clusters[4].alicloud.podCidr: "10.300.0.0/16" is not an IPv4 CIDR such as 172.20.0.0/16',
      'clusters[2].name: "changsha" is also the name of clusters[1]',
    ]);
  });

  it("needs its hub among the clusters, and the hub to be the provincial cluster", () => {
    expect(problemsOf({ ...valid, hub: "changsha" })).toEqual(['hub: "changsha" names no cluster in clusters']);
    expect(problemsOf({ ...valid, clusters: [{ ...hub, tier: "city" }] })).toEqual(['hub: the hub "hunan" must be the provincial cluster (tier province), not city']);
    expect(problemsOf({ ...valid, clusters: [] })).toEqual(["clusters: must not be empty"]);
  });

  it("that is not YAML, or not a mapping, says so and where", () => {
    expect(() => parseTopology("clusters: [", "bad.yaml")).toThrow(/^bad\.yaml: 1 problem in the topology:\n {2}- not valid YAML/);
    expect(problemsOf(["a"])).toEqual(["topology: must be a mapping"]);
  });

  it("names the file and the missing settings when a stack loads it", () => {
    expect(() => loadTopology("/nonexistent/topology.yaml")).toThrow(/cannot read the topology file \/nonexistent\/topology\.yaml/);
    const ok = validateTopology({ ...valid, clusters: [{ ...hub, capacity: { allocatable: { pods: 4000, cpu: "64" } } }] });
    // YAML numbers become the strings Kubernetes quantities are.
    expect(ok.clusters[0]!.capacity).toEqual({ allocatable: { pods: "4000", cpu: "64" } });
    expect(ok.platformNamespaces).toEqual([]);
  });
});
