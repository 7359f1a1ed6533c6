// Tenant, TenantRequest and Cluster specs, random but reproducible from a
// seed: a valid sample, varied within what the CRDs allow, then (mostly)
// one or two known-bad mutations from the CRDs' schemas, CEL rules and
// admission policies. Each spec says whether it should be admitted where
// that is knowable, and which words a refusal's message must contain for a
// person to find what to fix. Pure: no cluster, no clock.
import type { Random } from "../audit/prng.ts";

export type SpecKind = "Tenant" | "TenantRequest" | "Cluster";
export type Expectation = "valid" | "invalid" | "either";

export interface GeneratedSpec {
  kind: SpecKind;
  name: string;
  body: Record<string, unknown>;
  /** What was done to the valid sample, for the report. */
  mutations: string[];
  expect: Expectation;
  /** A refusal's message must contain at least one of these (the field, or the value that is wrong). */
  mentions: string[];
}

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Mutation {
  name: string;
  expect: Expectation;
  mentions: string[];
  /** Changes the body in place. */
  apply: (body: Body, random: Random) => void;
}

export interface RequestContext {
  /** The department user that files requests, and its groups exactly as the API server authenticates it. */
  username: string;
  groups: string[];
  /** A tenant that exists, for requests that change one. */
  existingTenant: string;
}

const SHORT = ["prod", "test", "dev", "data", "ops"];
const long = (n: number, c = "a") => c.repeat(n);

function validTenant(random: Random, name: string): Body {
  const spec: Body = {
    displayName: random.pick(["湖南省数据局", "长沙市卫生健康委员会", "Department of Transport", "株洲市交通运输局"]),
    level: random.pick(["province", "city", "county", "township", "village"]),
    owners: [{ kind: "User", name: `${name}-owner` }, ...(random.chance(0.3) ? [{ kind: "Group", name: `${name}-ops` }] : [])],
    namespaces: random.sample(SHORT, random.int(1, 2)).map((n) => ({ name: n })),
    quota: { hard: { pods: String(random.int(1, 50)), "requests.cpu": `${random.int(1, 40) * 100}m`, "requests.memory": `${random.int(1, 16)}Gi` } },
    securityLevel: random.pick([2, 3, 4]),
    deletionPolicy: random.pick(["Retain", "Delete"]),
  };
  if (random.chance(0.4)) spec.limits = { defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" } };
  if (random.chance(0.3)) spec.members = [{ kind: "User", name: `${name}-dev`, role: random.pick(["admin", "developer", "viewer"]) }];
  if (random.chance(0.2)) spec.network = { egressCIDRs: ["10.20.0.0/24"] };
  if (random.chance(0.2)) spec.code = "11430000MB1234567X";
  return { apiVersion: "yunshu.io/v1alpha1", kind: "Tenant", metadata: { name }, spec };
}

function validRequest(random: Random, name: string, ctx: RequestContext): Body {
  const spec: Body = random.chance(0.7)
    ? {
        tenant: name,
        action: "Create",
        displayName: "岳麓区数据局",
        level: random.pick(["county", "township"]),
        namespaces: random.sample(SHORT, random.int(1, 2)),
        quota: { hard: { "requests.cpu": String(random.int(1, 8)), "requests.memory": `${random.int(1, 16)}Gi` } },
      }
    : random.pick([
        { tenant: ctx.existingTenant, action: "ChangeQuota", quota: { hard: { "requests.cpu": String(random.int(1, 8)) } } },
        { tenant: ctx.existingTenant, action: "AddNamespaces", namespaces: ["extra"] },
        { tenant: ctx.existingTenant, action: "ChangeSecurityLevel", securityLevel: random.pick([2, 3, 4]) },
      ]);
  spec.reason = "需要一个新的业务系统环境";
  spec.requester = { username: ctx.username, groups: ctx.groups };
  return { apiVersion: "yunshu.io/v1alpha1", kind: "TenantRequest", metadata: { name }, spec };
}

function validCluster(random: Random, name: string): Body {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Cluster",
    metadata: { name },
    spec: {
      displayName: `${name} 政务云`,
      region: random.pick(["changsha", "zhuzhou", "xiangtan", "hengyang"]),
      tier: random.pick(["city", "industry"]),
      kubeconfigSecretRef: { name: `cluster-${name}` },
      capacity: { allocatable: { "requests.cpu": String(random.int(16, 512)), pods: String(random.int(100, 5000)) }, overcommit: { "requests.cpu": "1.5" } },
    },
  };
}

const TENANT_MUTATIONS: Mutation[] = [
  { name: "name with capitals", expect: "invalid", mentions: ["metadata.name", "name"], apply: (b) => (b.metadata.name = `Gen-${b.metadata.name}`) },
  { name: "name with a dot", expect: "invalid", mentions: ["metadata.name"], apply: (b) => (b.metadata.name = `${b.metadata.name}.x`) },
  { name: "name over 63", expect: "invalid", mentions: ["metadata.name", "63"], apply: (b) => (b.metadata.name = `${b.metadata.name}-${long(60, "x")}`) },
  { name: "reserved name kube-", expect: "invalid", mentions: ["reserved", "metadata.name"], apply: (b) => (b.metadata.name = `kube-${b.metadata.name}`) },
  { name: "reserved name yunshu-", expect: "invalid", mentions: ["reserved", "metadata.name"], apply: (b) => (b.metadata.name = `yunshu-${b.metadata.name}`) },
  { name: "empty displayName", expect: "invalid", mentions: ["displayName"], apply: (b) => (b.spec.displayName = "") },
  { name: "displayName over 128", expect: "invalid", mentions: ["displayName"], apply: (b) => (b.spec.displayName = long(129, "省")) },
  { name: "displayName a number", expect: "invalid", mentions: ["displayName"], apply: (b) => (b.spec.displayName = 42) },
  { name: "no displayName", expect: "invalid", mentions: ["displayName"], apply: (b) => delete b.spec.displayName },
  { name: "bad level", expect: "invalid", mentions: ["level"], apply: (b) => (b.spec.level = "state") },
  { name: "no owners", expect: "invalid", mentions: ["owners"], apply: (b) => delete b.spec.owners },
  { name: "owners not a list", expect: "invalid", mentions: ["owners"], apply: (b) => (b.spec.owners = { kind: "User", name: "x" }) },
  { name: "owner kind Robot", expect: "invalid", mentions: ["kind", "owners"], apply: (b) => (b.spec.owners[0].kind = "Robot") },
  { name: "ServiceAccount owner without namespace", expect: "invalid", mentions: ["namespace", "owners"], apply: (b) => (b.spec.owners[0] = { kind: "ServiceAccount", name: "deployer" }) },
  { name: "system: owner", expect: "invalid", mentions: ["system:", "owners"], apply: (b) => (b.spec.owners[0].name = "system:authenticated") },
  { name: "member role boss", expect: "invalid", mentions: ["role", "members"], apply: (b) => (b.spec.members = [{ kind: "User", name: "m", role: "boss" }]) },
  { name: "namespace with capitals", expect: "invalid", mentions: ["namespaces", "name"], apply: (b) => (b.spec.namespaces = [{ name: "Prod" }]) },
  { name: "namespace with a dash", expect: "invalid", mentions: ["namespaces", "name"], apply: (b) => (b.spec.namespaces = [{ name: "pro-d" }]) },
  { name: "namespace system", expect: "invalid", mentions: ["system", "namespaces"], apply: (b) => (b.spec.namespaces = [{ name: "system" }]) },
  { name: "duplicate namespaces", expect: "invalid", mentions: ["namespaces", "prod", "Duplicate"], apply: (b) => (b.spec.namespaces = [{ name: "prod" }, { name: "prod" }]) },
  { name: "namespace name too long for the tenant", expect: "invalid", mentions: ["63", "namespaces"], apply: (b) => (b.spec.namespaces = [{ name: long(60, "n") }]) },
  { name: "namespaces a string", expect: "invalid", mentions: ["namespaces"], apply: (b) => (b.spec.namespaces = "prod") },
  { name: "negative quota", expect: "invalid", mentions: ["negative", "quota", "-3"], apply: (b) => (b.spec.quota.hard.pods = "-3") },
  { name: "garbage quota", expect: "invalid", mentions: ["not a quantity", "quota", "lots"], apply: (b) => (b.spec.quota.hard["requests.cpu"] = "lots") },
  { name: "unknown quota key", expect: "invalid", mentions: ["gpus", "resource name"], apply: (b) => (b.spec.quota.hard.gpus = "2") },
  { name: "quota value over 64 characters", expect: "invalid", mentions: ["quota", "64", "hard"], apply: (b) => (b.spec.quota.hard.pods = long(65, "9")) },
  { name: "quota as an integer", expect: "valid", mentions: [], apply: (b) => (b.spec.quota.hard.pods = 7) },
  { name: "quota in exponent notation", expect: "valid", mentions: [], apply: (b) => (b.spec.quota.hard.pods = "1e2") },
  { name: "quota hard a list", expect: "invalid", mentions: ["hard", "quota"], apply: (b) => (b.spec.quota.hard = ["pods"]) },
  { name: "defaultRequest above default", expect: "invalid", mentions: ["defaultRequest", "default"], apply: (b) => (b.spec.limits = { defaultRequest: { cpu: "2" }, default: { cpu: "1" } }) },
  { name: "min above max", expect: "invalid", mentions: ["min", "max"], apply: (b) => (b.spec.limits = { min: { memory: "2Gi" }, max: { memory: "1Gi" } }) },
  { name: "limit on gpu", expect: "invalid", mentions: ["gpu", "container resource"], apply: (b) => (b.spec.limits = { default: { gpu: "1" } }) },
  // Nothing forbids a container default larger than the whole quota: the quota then refuses such pods, which is the department's to see.
  { name: "container default above the quota", expect: "either", mentions: ["limits", "quota"], apply: (b) => (b.spec.limits = { default: { cpu: "64", memory: "512Gi" } }) },
  { name: "securityLevel 5", expect: "invalid", mentions: ["securityLevel"], apply: (b) => (b.spec.securityLevel = 5) },
  { name: "securityLevel a string", expect: "invalid", mentions: ["securityLevel"], apply: (b) => (b.spec.securityLevel = "3") },
  { name: "deletionPolicy Destroy", expect: "invalid", mentions: ["deletionPolicy"], apply: (b) => (b.spec.deletionPolicy = "Destroy") },
  { name: "egress to everything at level 3", expect: "invalid", mentions: ["0.0.0.0/0", "egress"], apply: (b) => ((b.spec.securityLevel = 3), (b.spec.network = { egressCIDRs: ["0.0.0.0/0"] })) },
  { name: "egress not a CIDR", expect: "invalid", mentions: ["CIDR", "egressCIDRs"], apply: (b) => (b.spec.network = { egressCIDRs: ["10.0.0.300/8"] }) },
  { name: "bad social credit code", expect: "invalid", mentions: ["code"], apply: (b) => (b.spec.code = "ABC") },
  { name: "own parent", expect: "invalid", mentions: ["parent"], apply: (b) => (b.spec.parent = b.metadata.name) },
  // Admitted: the parent may come later. The tenant waits and says so.
  { name: "parent that does not exist", expect: "valid", mentions: [], apply: (b) => (b.spec.parent = "no-such-parent") },
  { name: "placement selecting nothing", expect: "invalid", mentions: ["placement", "clusters"], apply: (b) => (b.spec.placement = {}) },
  // Admitted: the cluster may be registered later. The tenant says it is not placed.
  { name: "placement on an unknown cluster", expect: "valid", mentions: [], apply: (b) => (b.spec.placement = { clusters: ["nowhere"] }) },
  { name: "placement tier galaxy", expect: "invalid", mentions: ["tiers"], apply: (b) => (b.spec.placement = { tiers: ["galaxy"] }) },
  // Unknown fields are pruned (the API server's default field validation warns, it does not refuse).
  { name: "unknown spec field", expect: "valid", mentions: [], apply: (b) => (b.spec.colour = "red") },
  { name: "spec a string", expect: "invalid", mentions: ["spec"], apply: (b) => (b.spec = "everything") },
  { name: "null owners entry", expect: "invalid", mentions: ["owners"], apply: (b) => (b.spec.owners = [null]) },
  { name: "unicode everywhere valid", expect: "valid", mentions: [], apply: (b) => (b.spec.displayName = "湘西土家族苗族自治州 🏔️ 数据局") },
];

/** Turns a request into one of `action`, without the fields only a Create may carry. */
function asAction(b: Body, action: string): void {
  for (const field of ["displayName", "level", "parent", "owners", "placement", "namespaces", "quota", "securityLevel"]) delete b.spec[field];
  b.spec.action = action;
}

const REQUEST_MUTATIONS: Mutation[] = [
  { name: "another requester", expect: "invalid", mentions: ["requester"], apply: (b) => (b.spec.requester = { username: "someone-else" }) },
  { name: "groups not the caller's", expect: "invalid", mentions: ["groups"], apply: (b) => (b.spec.requester.groups = ["platform-team"]) },
  { name: "bad action", expect: "invalid", mentions: ["action"], apply: (b) => (b.spec.action = "Explode") },
  { name: "Create without displayName", expect: "invalid", mentions: ["displayName"], apply: (b) => (asAction(b, "Create"), (b.spec.level = "county"), (b.spec.tenant = b.metadata.name)) },
  { name: "quota with AddNamespaces", expect: "invalid", mentions: ["quota"], apply: (b) => (asAction(b, "AddNamespaces"), (b.spec.namespaces = ["x"]), (b.spec.quota = { hard: { pods: "1" } })) },
  { name: "ChangeQuota without quota", expect: "invalid", mentions: ["quota"], apply: (b) => asAction(b, "ChangeQuota") },
  { name: "empty reason", expect: "invalid", mentions: ["reason"], apply: (b) => (b.spec.reason = "") },
  { name: "reason over 2048", expect: "invalid", mentions: ["reason"], apply: (b) => (b.spec.reason = long(2049, "理")) },
  { name: "tenant name with capitals", expect: "invalid", mentions: ["tenant"], apply: (b) => (b.spec.tenant = "Bad-Name") },
  { name: "reserved tenant name", expect: "invalid", mentions: ["reserved"], apply: (b) => (b.spec.tenant = "kube-system") },
  { name: "negative quota", expect: "invalid", mentions: ["negative", "-1"], apply: (b) => (asAction(b, "ChangeQuota"), (b.spec.quota = { hard: { "requests.cpu": "-1" } })) },
  { name: "securityLevel 7", expect: "invalid", mentions: ["securityLevel"], apply: (b) => (asAction(b, "ChangeSecurityLevel"), (b.spec.securityLevel = 7)) },
  { name: "namespace system", expect: "invalid", mentions: ["system"], apply: (b) => (asAction(b, "AddNamespaces"), (b.spec.namespaces = ["system"])) },
  // Admitted: judged by the operator (Authorized/Fits), which says why not.
  { name: "a tenant that does not exist", expect: "valid", mentions: [], apply: (b) => (asAction(b, "ChangeQuota"), (b.spec.tenant = "never-was"), (b.spec.quota = { hard: { pods: "3" } })) },
  { name: "more than the pool", expect: "valid", mentions: [], apply: (b) => (asAction(b, "Create"), (b.spec.tenant = b.metadata.name), (b.spec.displayName = "大部门"), (b.spec.level = "county"), (b.spec.quota = { hard: { "requests.cpu": "100000" } })) },
  { name: "unknown spec field", expect: "valid", mentions: [], apply: (b) => (b.spec.priority = "urgent") },
];

const CLUSTER_MUTATIONS: Mutation[] = [
  { name: "name with capitals", expect: "invalid", mentions: ["metadata.name", "name"], apply: (b) => (b.metadata.name = `X${b.metadata.name}`) },
  { name: "no region", expect: "invalid", mentions: ["region"], apply: (b) => delete b.spec.region },
  { name: "region with capitals", expect: "invalid", mentions: ["region"], apply: (b) => (b.spec.region = "ChangSha") },
  { name: "tier galaxy", expect: "invalid", mentions: ["tier"], apply: (b) => (b.spec.tier = "galaxy") },
  { name: "negative capacity", expect: "invalid", mentions: ["non-negative", "-5"], apply: (b) => (b.spec.capacity.allocatable.pods = "-5") },
  { name: "garbage capacity", expect: "invalid", mentions: ["quantity", "many"], apply: (b) => (b.spec.capacity.allocatable["requests.cpu"] = "many") },
  { name: "overcommit not a ratio", expect: "invalid", mentions: ["ratio", "overcommit"], apply: (b) => (b.spec.capacity.overcommit = { "requests.cpu": "1.5x" }) },
  { name: "overcommit on what is not allocatable", expect: "invalid", mentions: ["overcommit", "allocatable"], apply: (b) => (b.spec.capacity.overcommit = { "limits.memory": "2" }) },
  { name: "capacity without allocatable", expect: "invalid", mentions: ["allocatable"], apply: (b) => (b.spec.capacity = { overcommit: { pods: "2" } }) },
  { name: "secret ref without a name", expect: "invalid", mentions: ["name", "kubeconfigSecretRef"], apply: (b) => (b.spec.kubeconfigSecretRef = { key: "kubeconfig" }) },
  { name: "secret key with a slash", expect: "invalid", mentions: ["key"], apply: (b) => (b.spec.kubeconfigSecretRef.key = "a/b") },
  { name: "displayName over 128", expect: "invalid", mentions: ["displayName"], apply: (b) => (b.spec.displayName = long(129)) },
  // Admitted: a Cluster whose Secret is not there yet is registered and says it cannot connect.
  { name: "secret that does not exist", expect: "valid", mentions: [], apply: (b) => (b.spec.kubeconfigSecretRef = { name: "no-such-secret" }) },
  { name: "unknown spec field", expect: "valid", mentions: [], apply: (b) => (b.spec.location = "湘江") },
];

const REWRITES_ACTION = new Set(
  REQUEST_MUTATIONS.filter((m) =>
    ["bad action", "Create without displayName", "quota with AddNamespaces", "ChangeQuota without quota", "negative quota", "securityLevel 7", "namespace system", "a tenant that does not exist", "more than the pool"].includes(m.name),
  ),
);

const MUTATIONS: Record<SpecKind, Mutation[]> = { Tenant: TENANT_MUTATIONS, TenantRequest: REQUEST_MUTATIONS, Cluster: CLUSTER_MUTATIONS };

/** The paths (a.b.c) where `after` differs from `before`. */
function changedPaths(before: unknown, after: unknown, path = ""): string[] {
  if (before === after) return [];
  if (typeof before !== "object" || typeof after !== "object" || before === null || after === null || Array.isArray(before) !== Array.isArray(after)) return [path];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].flatMap((k) => changedPaths((before as Body)[k], (after as Body)[k], `${path}.${k}`));
}

/** What a mutation changes in `body`, tried on a copy. */
function touched(body: Body, m: Mutation, random: Random): string[] {
  const copy = structuredClone(body);
  try {
    m.apply(copy, random);
  } catch {
    return [];
  }
  return changedPaths(body, copy);
}

const overlap = (a: string[], b: string[]) => a.some((x) => b.some((y) => x === y || x.startsWith(`${y}.`) || y.startsWith(`${x}.`)));

/** `count` specs, about three in four mutated, one in four of those twice; names unique within the run. */
export function generateSpecs(random: Random, count: number, ctx: RequestContext): GeneratedSpec[] {
  const out: GeneratedSpec[] = [];
  for (let i = 0; i < count; i++) {
    const kind: SpecKind = random.pick(["Tenant", "Tenant", "Tenant", "TenantRequest", "TenantRequest", "Cluster"] as const);
    const name = `gen-${kind === "Tenant" ? "t" : kind === "Cluster" ? "c" : "r"}${i}`;
    const body = kind === "Tenant" ? validTenant(random, name) : kind === "TenantRequest" ? validRequest(random, name, ctx) : validCluster(random, name);
    const drawn = random.chance(0.75) ? random.sample(MUTATIONS[kind], random.chance(0.25) ? 2 : 1) : [];
    // A mutation that rewrites a request's action redoes the request, and one
    // that changes what an earlier one broke (a negative quota, then one in
    // exponent notation) mends it: a later one that would undo an earlier
    // one's point is not made. So is one left with nothing to work on (the
    // first replaced spec with a string).
    const applied: Mutation[] = [];
    const broken: string[] = [];
    for (const m of drawn) {
      if (REWRITES_ACTION.has(m) && applied.some((d) => REWRITES_ACTION.has(d))) continue;
      const paths = touched(body, m, random);
      if (applied.length > 0 && overlap(broken, paths)) continue;
      const before = structuredClone(body);
      try {
        m.apply(body, random);
      } catch {
        Object.assign(body, before);
        continue;
      }
      applied.push(m);
      broken.push(...paths);
    }
    const expects = applied.map((m) => m.expect);
    const expect: Expectation = expects.includes("invalid") ? "invalid" : expects.every((e) => e === "valid") ? "valid" : "either";
    out.push({ kind, name: String(body.metadata.name), body, mutations: applied.map((m) => m.name), expect, mentions: applied.filter((m) => m.expect !== "valid").flatMap((m) => m.mentions) });
  }
  return out;
}
