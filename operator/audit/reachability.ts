// Which pod may open a connection to which other pod, on which ports, under
// a set of networking.k8s.io/v1 NetworkPolicies: what `yunshu audit`
// reports. Pure. A connection src→dst needs both ends to allow it: src's
// egress (everything, unless some policy isolates src for egress) and dst's
// ingress (likewise); within a direction, whatever any rule of any policy
// selecting the pod allows adds up.
//
// The work follows the rules, not the pairs: a source isolated for egress
// (every tenant pod, under yunshu's default deny) is checked against the
// pods its egress rules name only, any other source against the pods open
// for ingress and those whose ingress rules name it. A cluster of isolated
// tenants then costs about the size of the answer, not the square of the
// number of pods, even when many of them accept traffic from anywhere.
import type { Namespace, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod } from "../api/core-types.ts";
import { ClusterIndex, type IndexedPod } from "./cluster-index.ts";
import { ALL_PORTS, intersect, union, type PortRange } from "./port-ranges.ts";
import { compileRulePorts, type RulePorts } from "./rule-ports.ts";

export type { PortRange } from "./port-ranges.ts";
export { formatPorts } from "./port-ranges.ts";

export interface Connection {
  /** "namespace/pod" */
  src: string;
  dst: string;
  /** Sorted by protocol then first port, merged; never empty. */
  ports: PortRange[];
}

export interface ReachabilityInput {
  namespaces: Namespace[];
  pods: Pod[];
  policies: NetworkPolicy[];
}

type Direction = "Ingress" | "Egress";

/** One rule of one policy: the pods the policy selects, the pods its from/to names ("all" when it names none), its ports. */
interface Rule {
  owners: readonly IndexedPod[];
  peers: readonly IndexedPod[] | "all";
  /** The ids of `peers`, to ask whether the rule names a pod. */
  peerIds: ReadonlySet<number> | "all";
  ports: RulePorts;
}

const names = (rule: Rule, pod: IndexedPod) => rule.peerIds === "all" || rule.peerIds.has(pod.id);

/** The API server's default: Ingress always, Egress when there are egress rules (an empty list is none). */
function policyTypes(policy: NetworkPolicy): readonly Direction[] {
  if (policy.spec.policyTypes && policy.spec.policyTypes.length > 0) return policy.spec.policyTypes;
  return (policy.spec.egress ?? []).length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

function compileRule(index: ClusterIndex, policy: NetworkPolicy, owners: readonly IndexedPod[], peers: NetworkPolicyPeer[] | undefined, ports: NetworkPolicyPort[] | undefined): Rule {
  const namespace = policy.metadata.namespace ?? "default";
  // No from/to (or an empty list) matches every peer.
  if (!peers || peers.length === 0) return { owners, peers: "all", peerIds: "all", ports: compileRulePorts(ports) };
  const named = new Map<number, IndexedPod>();
  for (const peer of peers) for (const pod of index.podsOfPeer(peer, namespace)) named.set(pod.id, pod);
  return { owners, peers: [...named.values()], peerIds: new Set(named.keys()), ports: compileRulePorts(ports) };
}

/**
 * Per pod and direction, whether some policy isolates it and the rules that
 * then apply to it; and, for sources that no policy isolates for egress, the
 * ingress rules that name each pod, which lead to the pods that let it in.
 */
class Isolation {
  readonly egressIsolated: boolean[];
  readonly ingressIsolated: boolean[];
  readonly egressRulesOf: Rule[][];
  readonly ingressRulesOf: Rule[][];
  readonly ingressRulesNaming: Rule[][];
  readonly ingressRulesNamingAll: Rule[] = [];

  constructor(index: ClusterIndex, policies: readonly NetworkPolicy[]) {
    const count = index.pods.length;
    const lists = () => Array.from({ length: count }, (): Rule[] => []);
    this.egressIsolated = new Array<boolean>(count).fill(false);
    this.ingressIsolated = new Array<boolean>(count).fill(false);
    this.egressRulesOf = lists();
    this.ingressRulesOf = lists();
    this.ingressRulesNaming = lists();
    for (const policy of policies) {
      const owners = index.podsSelectedIn(policy.metadata.namespace ?? "default", policy.spec.podSelector);
      if (owners.length === 0) continue;
      const types = policyTypes(policy);
      if (types.includes("Egress")) {
        const rules = (policy.spec.egress ?? []).map((r) => compileRule(index, policy, owners, r.to, r.ports));
        for (const pod of owners) {
          this.egressIsolated[pod.id] = true;
          this.egressRulesOf[pod.id]!.push(...rules);
        }
      }
      if (types.includes("Ingress")) {
        const rules = (policy.spec.ingress ?? []).map((r) => compileRule(index, policy, owners, r.from, r.ports));
        for (const pod of owners) {
          this.ingressIsolated[pod.id] = true;
          this.ingressRulesOf[pod.id]!.push(...rules);
        }
        for (const rule of rules) {
          if (rule.peers === "all") this.ingressRulesNamingAll.push(rule);
          else for (const peer of rule.peers) this.ingressRulesNaming[peer.id]!.push(rule);
        }
      }
    }
  }

  /** What dst's ingress rules let in from src, dst being isolated for ingress; empty when nothing. */
  ingressPorts(src: IndexedPod, dst: IndexedPod): readonly PortRange[] {
    const sets: (readonly PortRange[])[] = [];
    for (const rule of this.ingressRulesOf[dst.id]!) if (names(rule, src)) sets.push(rule.ports(dst));
    return unionOf(sets);
  }

  /** The pods isolated for ingress whose rules name src. */
  podsLettingIn(src: IndexedPod): IndexedPod[] {
    const pods = new Map<number, IndexedPod>();
    for (const rule of [...this.ingressRulesNaming[src.id]!, ...this.ingressRulesNamingAll]) for (const pod of rule.owners) pods.set(pod.id, pod);
    return [...pods.values()];
  }

  /** What src's egress rules let out, per destination pod, src being isolated for egress: to be added up with `unionOf`. */
  egressPorts(src: IndexedPod, pods: readonly IndexedPod[]): Map<IndexedPod, (readonly PortRange[])[]> {
    const sets = new Map<IndexedPod, (readonly PortRange[])[]>();
    for (const rule of this.egressRulesOf[src.id]!) {
      for (const dst of rule.peers === "all" ? pods : rule.peers) {
        const ports = rule.ports(dst);
        if (ports.length === 0) continue;
        const forDst = sets.get(dst);
        if (forDst) forDst.push(ports);
        else sets.set(dst, [ports]);
      }
    }
    return sets;
  }
}

/** Most pairs get their ports from one rule: `union` only when there are several. */
const unionOf = (sets: readonly (readonly PortRange[])[]): readonly PortRange[] => (sets.length === 0 ? [] : sets.length === 1 ? sets[0]! : union(...sets));

export function computeReachability(input: ReachabilityInput): Connection[] {
  const index = new ClusterIndex(input.namespaces, input.pods);
  const isolation = new Isolation(index, input.policies);
  const { pods } = index;
  const openForIngress = pods.filter((pod) => !isolation.ingressIsolated[pod.id]);
  const connections: Connection[] = [];

  for (const src of pods) {
    // An egress-isolated src reaches only pods its egress rules name; any other src, the pods open for
    // ingress and those isolated ones whose ingress rules name it.
    const egress = isolation.egressIsolated[src.id] ? isolation.egressPorts(src, pods) : undefined;
    const candidates = egress ? egress.keys() : [...openForIngress, ...isolation.podsLettingIn(src)];
    for (const dst of candidates) {
      if (dst === src) continue;
      const out = egress ? unionOf(egress.get(dst)!) : ALL_PORTS;
      const into = isolation.ingressIsolated[dst.id] ? isolation.ingressPorts(src, dst) : ALL_PORTS;
      if (into.length === 0) continue;
      const ports = intersect(out, into);
      if (ports.length > 0) connections.push({ src: src.key, dst: dst.key, ports });
    }
  }
  return connections.sort((a, b) => compareStrings(a.src, b.src) || compareStrings(a.dst, b.dst));
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
