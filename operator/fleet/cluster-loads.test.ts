import { describe, expect, it } from "vitest";
import type { Cluster, TenantPlacement } from "../api/generated.ts";
import { parseResourceList, type ResourceList } from "../api/quantity.ts";
import type { Informer } from "../runtime/informer.ts";
import type { KubeObject } from "../runtime/kube-client.ts";
import { BY_PARENT } from "../tenant/directory.ts";
import type { Tenant } from "../tenant/types.ts";
import { ClusterLoads } from "./cluster-loads.ts";
import { Fleet, type FleetDeps } from "./fleet.ts";
import { placeTenant, tenantsOnChangedCluster } from "./placement.ts";

describe("ClusterLoads", () => {
  const shares = new Map<string, Map<string, ResourceList>>([
    ["finance", new Map([["hunan", { pods: 10_000n, "requests.cpu": 2_000n }]])],
    ["health", new Map([["hunan", { pods: 5_000n }], ["changsha", { pods: 5_000n }]])],
  ]);
  const loads = () => new ClusterLoads((t) => shares.get(t), () => shares.keys());

  it("sums the shares of the tenants placed on each cluster, working every tenant out once at first and none again until one is stale", () => {
    const l = loads();
    expect(l.of("hunan")).toEqual({ tenants: 2, allocated: { pods: 15_000n, "requests.cpu": 2_000n } });
    expect(l.of("changsha")).toEqual({ tenants: 1, allocated: { pods: 5_000n } });
    expect(l.of("zhuzhou")).toEqual({ tenants: 0, allocated: {} });
    expect(l.recomputed).toBe(2);
    for (const cluster of ["hunan", "changsha", "zhuzhou"]) l.of(cluster);
    expect(l.recomputed).toBe(2);
  });

  it("works out again only the tenants said to be stale, and drops a resource once no share names it", () => {
    const l = loads();
    l.of("hunan");
    shares.set("finance", new Map([["changsha", { pods: 1_000n }]]));
    l.invalidate("finance");
    expect(l.of("hunan")).toEqual({ tenants: 1, allocated: { pods: 5_000n } });
    expect(l.of("changsha")).toEqual({ tenants: 2, allocated: { pods: 6_000n } });
    expect(l.recomputed).toBe(3);
    shares.delete("health");
    l.invalidate("health");
    expect(l.of("hunan")).toEqual({ tenants: 0, allocated: {} });
    expect(l.of("changsha")).toEqual({ tenants: 1, allocated: { pods: 1_000n } });
  });
});

/** Just what the fleet reads of an informer. */
function cache<T extends KubeObject>(objects: T[]): Informer<T> {
  return {
    list: () => objects,
    get: (name: string) => objects.find((o) => o.metadata.name === name),
    byIndex: (index: string, value: string) => (index === BY_PARENT ? objects.filter((o) => (o as unknown as Tenant).spec.parent === value) : []),
  } as unknown as Informer<T>;
}

const city = (name: string): Cluster & KubeObject => ({ apiVersion: "yunshu.io/v1alpha1", kind: "Cluster", metadata: { name }, spec: { region: name, tier: "city", kubeconfigSecretRef: { name: `cluster-${name}` } } });
const CITIES = ["changsha", "zhuzhou", "xiangtan", "hengyang", "yueyang"];

function department(i: number): Tenant & KubeObject {
  const placement: TenantPlacement | undefined = i % 3 === 0 ? undefined : { regions: [CITIES[i % 5]!, CITIES[(i + 1) % 5]!] };
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name: `dept-${i}` },
    spec: { displayName: `部门 ${i}`, level: "city", owners: [{ kind: "User", name: "alice" }], quota: { hard: { pods: "20", "requests.cpu": "3" } }, ...(placement ? { placement } : {}) },
  } as Tenant & KubeObject;
}

describe("Fleet.load in a probe round", () => {
  const clusters = [{ ...city("hunan"), spec: { region: "hunan", tier: "province" as const } }, ...CITIES.map(city)];
  const tenants = Array.from({ length: 60 }, (_, i) => department(i));
  const fleet = new Fleet({ tenants: cache(tenants), clusters: cache(clusters) } as unknown as FleetDeps);
  const round = () => new Map(clusters.map((c) => [c.metadata.name, fleet.load(c.metadata.name, 0)]));

  /** The load as it was worked out before it was kept: every tenant placed afresh for this one cluster. */
  function fresh(cluster: string): { tenants: number; allocated: ResourceList } {
    const placed = tenants.map((t) => placeTenant(t, parseResourceList(t.spec.quota?.hard), clusters).perCluster.get(cluster)).filter((s) => s !== undefined);
    const allocated: ResourceList = {};
    for (const share of placed) for (const [r, v] of Object.entries(share)) allocated[r] = (allocated[r] ?? 0n) + v;
    return { tenants: placed.length, allocated };
  }

  it("schedules no tenant recomputation in an unchanged round, and exactly the tenants placed on a changed cluster", () => {
    const first = round();
    expect(fleet.loadRecomputations).toBe(60);
    for (const c of clusters) expect(first.get(c.metadata.name), c.metadata.name).toMatchObject(fresh(c.metadata.name));

    expect(round()).toEqual(first);
    expect(fleet.loadRecomputations).toBe(60);

    // Changsha becomes unreachable: the tenant controller wakes the tenants placed on it, and only their loads are worked out again.
    const changsha = clusters[1]!;
    const down = { ...changsha, status: { conditions: [{ type: "Ready", status: "False" as const, reason: "Unreachable", message: "", lastTransitionTime: "2026-11-27T10:00:00Z" }] } };
    const woken = tenantsOnChangedCluster(tenants, clusters, changsha, down);
    expect(woken).toEqual(tenants.filter((t) => t.spec.placement?.regions?.includes("changsha")).map((t) => t.metadata.name));
    for (const name of woken) fleet.add(name);
    expect(round()).toEqual(first);
    expect(fleet.loadRecomputations).toBe(60 + woken.length);
  });

  it("follows a tenant that moves, working out that tenant alone", () => {
    round();
    const before = fleet.loadRecomputations;
    tenants[1]!.spec.placement = { regions: ["hunan"] };
    fleet.add("dept-1");
    const after = round();
    expect(fleet.loadRecomputations).toBe(before + 1);
    for (const c of clusters) expect(after.get(c.metadata.name), c.metadata.name).toMatchObject(fresh(c.metadata.name));
  });
});
