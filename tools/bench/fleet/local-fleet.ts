// A province's fleet on one machine: the hub (a full control plane, where
// the operator runs and provincial departments live) and light city
// members, named and sized as infra/topology/hunan.yaml names and sizes them.
//
// A light member is one kube-apiserver storing in an etcd shared with the
// other members (under a prefix of its own), and a controller manager
// running one controller. Fourteen full control planes would spend this
// machine's two cores on fourteen etcds and controller managers, none of
// which the benchmark measures. What the operator needs of a member is the
// API server, and the clusterrole-aggregation controller: yunshu's tenant
// roles are aggregated, and it binds them only once they hold their rules.
// The benchmark deletes no namespace (the namespace controller would
// finalize it) and runs no pod (the quota controller would report usage;
// without it a ResourceQuota has no status, which the quota split reads as
// nothing used and nothing enforced beyond the limit yunshu wrote, as it is
// for an empty namespace). The hub keeps the full controller manager: it is
// the cluster every test and `make demo` run, and its quotas get a status.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { inParallel } from "../../../operator/runtime/in-parallel.ts";
import type { Binaries } from "../../controlplane/binaries.ts";
import { ControlPlane } from "../../controlplane/controlplane.ts";
import { registerHub, registerMember } from "../../local/fleet.ts";
import { installYunshu } from "../../local/yunshu.ts";
import { parseTopology, type ClusterSpec } from "../../../infra/topology/topology.ts";

/** What a light member runs of kube-controller-manager (above). */
const MEMBER_CONTROLLERS = ["clusterrole-aggregation-controller"];
const TOPOLOGY = resolve(import.meta.dirname, "../../../infra/topology/hunan.yaml");
/** Members started at a time: an API server's start is mostly CPU, and two cores go round three. */
const START_CONCURRENCY = 3;

export interface LocalFleet {
  hub: ControlPlane;
  hubName: string;
  /** The operator's identity on the hub. */
  identity: string;
  members: { name: string; region: string; plane: ControlPlane }[];
  stop(): Promise<void>;
}

const clusterSpec = (c: ClusterSpec) => ({ displayName: c.displayName, region: c.region, tier: c.tier, ...(c.capacity ? { capacity: c.capacity } : {}) });

/** The hub and the first `count` city clusters of the topology, registered and with yunshu installed. */
export async function startLocalFleet(count: number, binaries: Binaries, say: (line: string) => void): Promise<LocalFleet> {
  const topology = parseTopology(await readFile(TOPOLOGY, "utf8"), TOPOLOGY);
  const hubSpec = topology.clusters.find((c) => c.name === topology.hub)!;
  const cities = topology.clusters.filter((c) => c.tier === "city");
  if (count > cities.length) throw new Error(`${TOPOLOGY} has ${cities.length} city clusters; --members ${count} asks for more`);
  const started = performance.now();
  const hub = await ControlPlane.start({ name: `fleet-${hubSpec.name}`, binaries, log: say });
  const planes: { name: string; region: string; plane: ControlPlane }[] = [];
  const stop = async () => {
    // The first member holds the etcd the others store in: it goes after them, and the hub last.
    await Promise.all(planes.slice(1).map((m) => m.plane.stop()));
    await planes[0]?.plane.stop();
    await hub.stop();
  };
  try {
    const identity = await installYunshu(hub);
    const chosen = cities.slice(0, count);
    const add = async (spec: ClusterSpec, etcdOf?: ControlPlane) => {
      const plane = await ControlPlane.start({ name: `fleet-${spec.name}`, binaries, log: say, controllers: MEMBER_CONTROLLERS, ...(etcdOf ? { etcdOf } : {}) });
      planes.push({ name: spec.name, region: spec.region, plane });
      await registerMember(hub, plane, spec.name, clusterSpec(spec));
      say(`  member ${spec.name} up and registered (${planes.length}/${count}, ${((performance.now() - started) / 1000).toFixed(0)}s)`);
    };
    if (chosen.length > 0) await add(chosen[0]!);
    await inParallel(chosen.slice(1), START_CONCURRENCY, (spec) => add(spec, planes[0]!.plane));
    await registerHub(hub, hubSpec.name, clusterSpec(hubSpec));
    const order = new Map(chosen.map((c, i) => [c.name, i]));
    planes.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
    return { hub, hubName: hubSpec.name, identity, members: planes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
