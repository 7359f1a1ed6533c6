import { describe, expect, it } from "vitest";
import type { Cluster } from "../api/generated.ts";
import { clusterStatus } from "./cluster-status.ts";

const cluster: Cluster = { apiVersion: "yunshu.io/v1alpha1", kind: "Cluster", metadata: { name: "changsha", generation: 2 }, spec: { region: "changsha", tier: "city" } };
const t1 = new Date("2026-11-27T10:00:00Z");
const t2 = new Date("2026-11-27T10:05:00Z");

describe("clusterStatus", () => {
  it("is Ready with the version when reachable, and keeps the transition time while nothing changes", () => {
    const first = clusterStatus(cluster, { reachable: true, version: "v1.37.2" }, t1);
    expect(first).toMatchObject({ observedGeneration: 2, kubernetesVersion: "v1.37.2", conditions: [{ type: "Ready", status: "True", reason: "Reachable", lastTransitionTime: "2026-11-27T10:00:00Z" }] });
    const again = clusterStatus({ ...cluster, status: first }, { reachable: true, version: "v1.37.2" }, t2);
    expect(again).toEqual(first);
  });

  it("keeps the last version seen while the cluster is away, and says why it is not Ready", () => {
    const up = clusterStatus(cluster, { reachable: true, version: "v1.37.2" }, t1);
    const down = clusterStatus({ ...cluster, status: up }, { reachable: false, reason: "Unreachable", message: "no answer within 5s" }, t2);
    expect(down).toMatchObject({ kubernetesVersion: "v1.37.2", conditions: [{ status: "False", reason: "Unreachable", message: "no answer within 5s", lastTransitionTime: "2026-11-27T10:05:00Z" }] });
  });

  it("leaves out an allocated map that has become empty (apply would store it as null, which the schema refuses)", () => {
    const busy = clusterStatus(cluster, { reachable: true, version: "v1.37.2" }, t1, { tenants: 1, namespaces: 2, allocated: { pods: 2000n } });
    expect(busy.allocated).toEqual({ pods: "2" });
    const idle = clusterStatus({ ...cluster, status: busy }, { reachable: true, version: "v1.37.2" }, t2, { tenants: 0, namespaces: 0, allocated: {} });
    expect(idle).not.toHaveProperty("allocated");
    expect(idle).not.toHaveProperty("capacity");
    expect(idle).toMatchObject({ tenants: 0, namespaces: 0 });
  });
});
