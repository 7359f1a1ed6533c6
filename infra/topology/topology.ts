// The topology file: which clusters make up a province's 1+14+N cloud, which
// one is the hub, and how each is provisioned. Parsed and checked here, with
// every problem reported at once by its path in the file, before Pulumi
// creates anything: a typo must fail a preview, not half a rollout.
import { parse as parseYaml } from "yaml";

export const TIERS = ["province", "city", "industry"] as const;
export type Tier = (typeof TIERS)[number];

export const ADAPTERS = ["existing", "alicloud", "openstack"] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** A cluster that already exists, reached with a kubeconfig. */
export interface ExistingSpec {
  /**
   * A kubeconfig file on the machine that runs Pulumi. Without it, the
   * stack's secret config value `yunshu-infra:kubeconfig` holds the kubeconfig.
   */
  kubeconfigFile?: string;
}

/** An ACK managed cluster (Alibaba Cloud or Apsara Stack) and one node pool. */
export interface AlicloudSpec {
  region: string;
  kubernetesVersion?: string;
  /** ACK edition, e.g. ack.pro.small. */
  clusterSpec: string;
  vswitchIds: string[];
  podCidr: string;
  serviceCidr: string;
  nodePool: {
    instanceTypes: string[];
    desiredSize: number;
    systemDiskCategory: string;
    systemDiskSize: number;
  };
}

/** A Magnum cluster on an OpenStack cloud, from an existing cluster template. */
export interface OpenstackSpec {
  /** The entry in clouds.yaml holding the credentials. */
  cloud: string;
  region?: string;
  clusterTemplate: string;
  masterCount: number;
  nodeCount: number;
  flavor?: string;
  masterFlavor?: string;
  keypair?: string;
}

export interface ClusterSpec {
  /** DNS label: the name of the Cluster object in the hub and of the stack. */
  name: string;
  displayName: string;
  tier: Tier;
  region: string;
  adapter: AdapterName;
  existing?: ExistingSpec;
  alicloud?: AlicloudSpec;
  openstack?: OpenstackSpec;
  /** Passed as is to the Cluster's spec.capacity. */
  capacity?: { allocatable: Record<string, string>; overcommit?: Record<string, string> };
}

export interface OperatorSpec {
  image: { repository: string; tag?: string; digest?: string };
  replicas?: number;
  /** More values for charts/yunshu, merged over the ones above. */
  values?: Record<string, unknown>;
}

export interface Topology {
  /** DNS label naming the cloud, e.g. hunan. */
  name: string;
  /** The cluster where yunshu's operator runs and every member is registered. */
  hub: string;
  operator: OperatorSpec;
  /** Namespaces every cluster gets besides yunshu-system, e.g. monitoring. */
  platformNamespaces: string[];
  clusters: ClusterSpec[];
}

export class TopologyError extends Error {
  override name = "TopologyError";
  readonly origin: string;
  readonly problems: string[];

  constructor(origin: string, problems: string[]) {
    super(`${origin}: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the topology:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.origin = origin;
    this.problems = problems;
  }
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads a value against a small schema while collecting problems, so that
 * one pass reports everything wrong with a file, each under its path.
 */
class Checker {
  readonly problems: string[] = [];

  problem(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  object(value: unknown, path: string, known: readonly string[]): Raw | undefined {
    if (!isObject(value)) {
      this.problem(path, value === undefined ? "required" : "must be a mapping");
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.problem(`${path}.${key}`, `unknown field (known: ${known.join(", ")})`);
    }
    return value;
  }

  string(value: unknown, path: string, opts: { optional?: boolean; pattern?: RegExp; patternName?: string; max?: number } = {}): string | undefined {
    if (value === undefined && opts.optional) return undefined;
    if (typeof value !== "string" || value.length === 0) {
      this.problem(path, value === undefined ? "required" : "must be a non-empty string");
      return undefined;
    }
    if (opts.max && [...value].length > opts.max) this.problem(path, `must be at most ${opts.max} characters`);
    if (opts.pattern && !opts.pattern.test(value)) this.problem(path, `${JSON.stringify(value)} is not ${opts.patternName}`);
    return value;
  }

  dnsLabel(value: unknown, path: string, optional = false): string | undefined {
    return this.string(value, path, { optional, pattern: DNS_LABEL, patternName: "a DNS label (lower-case letters, digits and '-', at most 63)", max: 63 });
  }

  integer(value: unknown, path: string, min: number, optional = false): number | undefined {
    if (value === undefined && optional) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      this.problem(path, value === undefined ? "required" : `must be an integer >= ${min}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    if (typeof value !== "string" || !allowed.includes(value as T)) {
      this.problem(path, value === undefined ? `required (one of ${allowed.join(", ")})` : `${JSON.stringify(value)} is not one of ${allowed.join(", ")}`);
      return undefined;
    }
    return value as T;
  }

  strings(value: unknown, path: string, opts: { optional?: boolean; nonEmpty?: boolean; each?: (v: unknown, p: string) => string | undefined } = {}): string[] | undefined {
    if (value === undefined && opts.optional) return undefined;
    if (!Array.isArray(value)) {
      this.problem(path, value === undefined ? "required" : "must be a list");
      return undefined;
    }
    if (opts.nonEmpty && value.length === 0) this.problem(path, "must not be empty");
    const each = opts.each ?? ((v, p) => this.string(v, p));
    return value.map((v, i) => each(v, `${path}[${i}]`)).filter((v): v is string => v !== undefined);
  }

  stringMap(value: unknown, path: string, optional = false): Record<string, string> | undefined {
    if (value === undefined && optional) return undefined;
    if (!isObject(value)) {
      this.problem(path, value === undefined ? "required" : "must be a mapping");
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      // YAML reads `cpu: 64` as a number; quantities are strings to Kubernetes.
      if (typeof v === "string" || typeof v === "number") out[k] = String(v);
      else this.problem(`${path}.${k}`, "must be a quantity such as 64 or 256Gi");
    }
    return out;
  }

  cidr(value: unknown, path: string): string | undefined {
    const s = this.string(value, path);
    if (s === undefined) return undefined;
    const m = CIDR.exec(s);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) this.problem(path, `${JSON.stringify(s)} is not an IPv4 CIDR such as 172.20.0.0/16`);
    return s;
  }
}

function checkExisting(c: Checker, raw: unknown, path: string): ExistingSpec | undefined {
  if (raw === undefined) return {};
  const o = c.object(raw, path, ["kubeconfigFile"]);
  if (!o) return undefined;
  const kubeconfigFile = c.string(o.kubeconfigFile, `${path}.kubeconfigFile`, { optional: true });
  return kubeconfigFile ? { kubeconfigFile } : {};
}

function checkAlicloud(c: Checker, raw: unknown, path: string): AlicloudSpec | undefined {
  const o = c.object(raw, path, ["region", "kubernetesVersion", "clusterSpec", "vswitchIds", "podCidr", "serviceCidr", "nodePool"]);
  if (!o) return undefined;
  const pool = c.object(o.nodePool, `${path}.nodePool`, ["instanceTypes", "desiredSize", "systemDiskCategory", "systemDiskSize"]);
  const spec = {
    region: c.string(o.region, `${path}.region`),
    kubernetesVersion: c.string(o.kubernetesVersion, `${path}.kubernetesVersion`, { optional: true }),
    clusterSpec: c.string(o.clusterSpec, `${path}.clusterSpec`),
    vswitchIds: c.strings(o.vswitchIds, `${path}.vswitchIds`, { nonEmpty: true }),
    podCidr: c.cidr(o.podCidr, `${path}.podCidr`),
    serviceCidr: c.cidr(o.serviceCidr, `${path}.serviceCidr`),
    nodePool: pool && {
      instanceTypes: c.strings(pool.instanceTypes, `${path}.nodePool.instanceTypes`, { nonEmpty: true }),
      desiredSize: c.integer(pool.desiredSize, `${path}.nodePool.desiredSize`, 1),
      systemDiskCategory: c.string(pool.systemDiskCategory, `${path}.nodePool.systemDiskCategory`),
      systemDiskSize: c.integer(pool.systemDiskSize, `${path}.nodePool.systemDiskSize`, 20),
    },
  };
  if (spec.kubernetesVersion === undefined) delete spec.kubernetesVersion;
  return spec as AlicloudSpec;
}

function checkOpenstack(c: Checker, raw: unknown, path: string): OpenstackSpec | undefined {
  const o = c.object(raw, path, ["cloud", "region", "clusterTemplate", "masterCount", "nodeCount", "flavor", "masterFlavor", "keypair"]);
  if (!o) return undefined;
  const spec: Record<string, unknown> = {
    cloud: c.string(o.cloud, `${path}.cloud`),
    clusterTemplate: c.string(o.clusterTemplate, `${path}.clusterTemplate`),
    masterCount: c.integer(o.masterCount, `${path}.masterCount`, 1),
    nodeCount: c.integer(o.nodeCount, `${path}.nodeCount`, 1),
  };
  if (typeof spec.masterCount === "number" && spec.masterCount % 2 === 0) c.problem(`${path}.masterCount`, "must be odd, so that etcd keeps a quorum");
  for (const key of ["region", "flavor", "masterFlavor", "keypair"] as const) {
    const v = c.string(o[key], `${path}.${key}`, { optional: true });
    if (v !== undefined) spec[key] = v;
  }
  return spec as unknown as OpenstackSpec;
}

function checkCluster(c: Checker, raw: unknown, path: string): ClusterSpec | undefined {
  const o = c.object(raw, path, ["name", "displayName", "tier", "region", "adapter", "existing", "alicloud", "openstack", "capacity"]);
  if (!o) return undefined;
  const adapter = c.oneOf(o.adapter, `${path}.adapter`, ADAPTERS);
  const cluster: Partial<ClusterSpec> = {
    name: c.dnsLabel(o.name, `${path}.name`),
    displayName: c.string(o.displayName, `${path}.displayName`, { max: 128 }),
    tier: c.oneOf(o.tier, `${path}.tier`, TIERS),
    region: c.dnsLabel(o.region, `${path}.region`),
    ...(adapter ? { adapter } : {}),
  };
  for (const other of ADAPTERS) {
    if (other !== adapter && o[other] !== undefined) c.problem(`${path}.${other}`, `set, but the adapter is ${adapter ?? "not given"}: remove it or set adapter: ${other}`);
  }
  if (adapter === "existing") cluster.existing = checkExisting(c, o.existing, `${path}.existing`);
  if (adapter === "alicloud") cluster.alicloud = checkAlicloud(c, o.alicloud, `${path}.alicloud`);
  if (adapter === "openstack") cluster.openstack = checkOpenstack(c, o.openstack, `${path}.openstack`);
  if (o.capacity !== undefined) {
    const cap = c.object(o.capacity, `${path}.capacity`, ["allocatable", "overcommit"]);
    if (cap) {
      const allocatable = c.stringMap(cap.allocatable, `${path}.capacity.allocatable`);
      const overcommit = c.stringMap(cap.overcommit, `${path}.capacity.overcommit`, true);
      if (allocatable) cluster.capacity = overcommit ? { allocatable, overcommit } : { allocatable };
    }
  }
  return cluster as ClusterSpec;
}

function checkOperator(c: Checker, raw: unknown, path: string): OperatorSpec | undefined {
  const o = c.object(raw, path, ["image", "replicas", "values"]);
  if (!o) return undefined;
  const image = c.object(o.image, `${path}.image`, ["repository", "tag", "digest"]);
  const spec: OperatorSpec = { image: { repository: c.string(image?.repository, `${path}.image.repository`) ?? "" } };
  const tag = c.string(image?.tag, `${path}.image.tag`, { optional: true });
  const digest = c.string(image?.digest, `${path}.image.digest`, { optional: true, pattern: /^sha256:[0-9a-f]{64}$/, patternName: "a digest sha256:<64 hex>" });
  if (tag) spec.image.tag = tag;
  if (digest) spec.image.digest = digest;
  const replicas = c.integer(o.replicas, `${path}.replicas`, 1, true);
  if (replicas !== undefined) spec.replicas = replicas;
  if (o.values !== undefined) {
    if (isObject(o.values)) spec.values = o.values;
    else c.problem(`${path}.values`, "must be a mapping of chart values");
  }
  return spec;
}

/** Checks a parsed topology document; throws TopologyError listing every problem. */
export function validateTopology(raw: unknown, origin = "topology"): Topology {
  const c = new Checker();
  const o = c.object(raw, "topology", ["name", "hub", "operator", "platformNamespaces", "clusters"]);
  if (!o) throw new TopologyError(origin, c.problems);
  const name = c.dnsLabel(o.name, "name");
  const hub = c.dnsLabel(o.hub, "hub");
  const operator = checkOperator(c, o.operator, "operator");
  const platformNamespaces =
    c.strings(o.platformNamespaces ?? [], "platformNamespaces", { each: (v, p) => c.dnsLabel(v, p) }) ?? [];
  if (platformNamespaces.includes("yunshu-system")) c.problem("platformNamespaces", "yunshu-system is always created; do not list it");
  let rawClusters: unknown[] = [];
  if (!Array.isArray(o.clusters)) c.problem("clusters", o.clusters === undefined ? "required" : "must be a list");
  else if (o.clusters.length === 0) c.problem("clusters", "must not be empty");
  else rawClusters = o.clusters;
  const clusters = rawClusters.map((raw, i) => checkCluster(c, raw, `clusters[${i}]`)).filter((x): x is ClusterSpec => x !== undefined);

  const seen = new Map<string, number>();
  rawClusters.forEach((raw, i) => {
    const n = isObject(raw) ? raw.name : undefined;
    if (typeof n !== "string") return;
    if (seen.has(n)) c.problem(`clusters[${i}].name`, `${JSON.stringify(n)} is also the name of clusters[${seen.get(n)}]`);
    else seen.set(n, i);
  });
  if (hub && rawClusters.length > 0 && !seen.has(hub)) c.problem("hub", `${JSON.stringify(hub)} names no cluster in clusters`);
  if (hub && seen.has(hub)) {
    const h = clusters.find((x) => x.name === hub);
    if (h && h.tier !== "province") c.problem("hub", `the hub ${JSON.stringify(hub)} must be the provincial cluster (tier province), not ${h.tier}`);
  }
  if (c.problems.length > 0) throw new TopologyError(origin, c.problems);
  return { name: name!, hub: hub!, operator: operator!, platformNamespaces, clusters };
}

/** Parses and checks a topology file's text. */
export function parseTopology(text: string, origin: string): Topology {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new TopologyError(origin, [`not valid YAML: ${(err as Error).message.split("\n")[0]}`]);
  }
  return validateTopology(raw, origin);
}

export function clusterNamed(topology: Topology, name: string): ClusterSpec {
  const cluster = topology.clusters.find((c) => c.name === name);
  if (!cluster) {
    throw new TopologyError("stack", [`cluster ${JSON.stringify(name)} is not in topology ${topology.name} (clusters: ${topology.clusters.map((c) => c.name).join(", ")})`]);
  }
  return cluster;
}
