// Reproducible clusters as yunshu shapes them, for testing reachability:
// tenants at MLPS levels 3 and 4 with the network policies yunshu renders
// for their namespaces, the platform's namespaces (cluster DNS, monitoring,
// an unmanaged one), random workloads and random policies written by the
// departments themselves. The same seed and size always give the same
// scenario, so a failure is reproduced from its seed.
import type { Namespace, NetworkPolicy, Pod } from "../../operator/api/core-types.ts";
import { shippedProfile } from "../../operator/api/manifests.ts";
import { renderNamespace } from "../../operator/tenant/namespace.ts";
import { renderNetworkPolicies } from "../../operator/tenant/network-policies.ts";
import { DEFAULT_PLATFORM } from "../../operator/tenant/platform.ts";
import { tenantProfile, type SecurityProfile } from "../../operator/tenant/profile.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { Random } from "./prng.ts";
import { randomAuthoredPolicies } from "./authored-policies.ts";
import { pod, randomPods } from "./workloads.ts";

export interface Scenario {
  seed: number;
  namespaces: Namespace[];
  pods: Pod[];
  policies: NetworkPolicy[];
}

/** Upper bounds; each scenario draws its own figures below them. */
export interface ScenarioSize {
  tenants: number;
  podsPerNamespace: number;
  /** Policies a department writes in each of its namespaces, besides yunshu's. */
  policiesPerNamespace: number;
}

const DEFAULT_SIZE: ScenarioSize = { tenants: 4, podsPerNamespace: 3, policiesPerNamespace: 2 };

/**
 * Policies to add to a scenario, such as those of Shares between its
 * tenants; `random` continues the scenario's own sequence, so they are as
 * reproducible as the rest.
 */
export type ExtraPolicies = (scenario: Scenario, context: { tenants: readonly Tenant[]; random: Random }) => NetworkPolicy[];

const DEPARTMENTS: readonly (readonly [string, string])[] = [
  ["hunan-data-bureau", "湖南省数据局"],
  ["hunan-finance", "湖南省财政厅"],
  ["hunan-public-security", "湖南省公安厅"],
  ["changsha-health", "长沙市卫生健康委员会"],
  ["zhuzhou-transport", "株洲市交通运输局"],
  ["yuelu-civil-affairs", "岳麓区民政局"],
  ["hunan-education", "湖南省教育厅"],
  ["hunan-tax", "国家税务总局湖南省税务局"],
];
const SHORT_NAMES = ["prod", "test", "data", "web", "ops"];
const PLAIN_NAMESPACE = "legacy-apps";

function tenant(random: Random, index: number): Tenant {
  const [base, displayName] = DEPARTMENTS[index % DEPARTMENTS.length]!;
  const name = index < DEPARTMENTS.length ? base : `${base}-${Math.floor(index / DEPARTMENTS.length)}`;
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name },
    spec: {
      displayName,
      level: random.pick(["province", "city", "county"] as const),
      owners: [{ kind: "User", name: `${name}-admin` }],
      namespaces: random.sample(SHORT_NAMES, random.int(1, 3)).map((short) => ({ name: short })),
      securityLevel: random.pick([3, 4] as const),
      network: {
        metricsPorts: random.sample([9090, 9100, 9113], random.int(0, 2)),
        // A /16 is refused at level 4: yunshu drops it from the policy, which the scenario then shows.
        egressCIDRs: random.sample(["10.20.0.0/16", "10.30.5.0/24", "2001:db8::/48"], random.int(0, 2)),
      },
    },
  };
}

/** The shipped profile of the tenant's level; now and then tuned by the platform to let monitoring scrape every port. */
function profileOf(random: Random, tenant: Tenant, shipped: ReadonlyMap<number, SecurityProfile>): SecurityProfile {
  const profile = shipped.get(tenant.spec.securityLevel ?? 3)!;
  if (!random.chance(0.25)) return profile;
  return { ...profile, spec: { ...profile.spec, network: { ...profile.spec.network, monitoring: "AllPorts" } } };
}

const namespace = (name: string, labels: Record<string, string> = {}): Namespace => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });

/** Cluster DNS and the platform's monitoring, where yunshu's baseline policies point, with the policies a platform team puts there. */
function platform(random: Random): Pick<Scenario, "namespaces" | "pods" | "policies"> {
  const { dnsNamespace, dnsPodSelector, monitoringNamespace } = DEFAULT_PLATFORM;
  const dnsPorts = [
    { name: "dns", containerPort: 53, protocol: "UDP" as const },
    { name: "dns-tcp", containerPort: 53 },
    { name: "metrics", containerPort: 9153 },
  ];
  const pods = [
    pod(dnsNamespace, "coredns-0", { ...dnsPodSelector }, dnsPorts),
    pod(dnsNamespace, "coredns-1", { ...dnsPodSelector }, dnsPorts),
    pod(dnsNamespace, "metrics-server-0", { "k8s-app": "metrics-server" }, [{ name: "https", containerPort: 10250 }]),
    pod(monitoringNamespace, "prometheus-0", { "app.kubernetes.io/name": "prometheus" }, [{ name: "web", containerPort: 9090 }]),
    pod(monitoringNamespace, "grafana-0", { "app.kubernetes.io/name": "grafana" }, [{ name: "http", containerPort: 3000 }]),
  ];
  const policies: NetworkPolicy[] = [];
  if (random.chance(0.5)) {
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-dns", namespace: dnsNamespace },
      spec: {
        podSelector: { matchLabels: dnsPodSelector },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: "UDP", port: "dns" }, { port: "dns-tcp" }] }],
      },
    });
  }
  if (random.chance(0.5)) {
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "grafana-from-monitoring", namespace: monitoringNamespace },
      spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "grafana" } }, ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 3000 }] }] },
    });
  }
  return { namespaces: [namespace(dnsNamespace), namespace(monitoringNamespace, { "app.kubernetes.io/part-of": "platform" })], pods, policies };
}

export function generateScenario(seed: number, size: Partial<ScenarioSize> = {}, extraPolicies?: ExtraPolicies): Scenario {
  const { tenants: maxTenants, podsPerNamespace, policiesPerNamespace } = { ...DEFAULT_SIZE, ...size };
  const random = new Random(seed);
  const shipped = new Map(([3, 4] as const).map((level) => [level, shippedProfile(level)]));
  const tenants = Array.from({ length: random.int(Math.ceil(maxTenants / 2), maxTenants) }, (_, i) => tenant(random, i));

  const scenario: Scenario = { seed, ...platform(random) };
  scenario.namespaces.push(namespace(PLAIN_NAMESPACE));
  scenario.pods.push(...randomPods(random, PLAIN_NAMESPACE, random.int(1, podsPerNamespace)));

  const tenantNamespaces: string[] = [];
  for (const t of tenants) {
    const guardrails = tenantProfile(t, profileOf(random, t, shipped));
    for (const { name: short } of t.spec.namespaces ?? []) {
      const ns = renderNamespace(t, short, guardrails);
      scenario.namespaces.push(ns);
      scenario.policies.push(...renderNetworkPolicies(t, ns.metadata.name, DEFAULT_PLATFORM, guardrails.profile, guardrails.egress.allowed));
      scenario.pods.push(...randomPods(random, ns.metadata.name, random.int(1, podsPerNamespace)));
      tenantNamespaces.push(ns.metadata.name);
    }
  }

  // Written once every namespace exists, so that departments can name each other's. The unmanaged
  // namespace's team writes its own too: with no default deny under them, they decide what is isolated.
  const context = { tenants: tenants.map((t) => t.metadata.name), namespaces: scenario.namespaces.map((ns) => ns.metadata.name) };
  for (const name of [...tenantNamespaces, PLAIN_NAMESPACE]) {
    scenario.policies.push(...randomAuthoredPolicies(random, { ...context, namespace: name }, random.int(0, policiesPerNamespace)));
  }
  if (extraPolicies) scenario.policies.push(...extraPolicies(scenario, { tenants, random }));
  return scenario;
}
