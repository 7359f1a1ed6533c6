// The pods and namespaces a reachability computation looks at, indexed so
// that each selector is evaluated once however many policies repeat it
// (every tenant namespace's baseline names the same DNS pods and the same
// tenant label), and namespace selectors look only at namespaces carrying
// one of their labels.
import type { ContainerPort, LabelSelector, Namespace, NetworkPolicyPeer, Pod, Protocol } from "../api/core-types.ts";
import { selectorKey, selectorMatches, type Labels } from "./label-selectors.ts";

/** Set by the API server on every namespace; selectors name namespaces by it. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export interface IndexedPod {
  id: number;
  /** "namespace/name" */
  key: string;
  namespace: string;
  labels: Labels;
  /** Its containers' ports by name: what a rule's named port resolves to when this pod is the destination. */
  namedPorts: ReadonlyMap<string, readonly { protocol: Protocol; port: number }[]>;
}

function namedPortsOf(pod: Pod): IndexedPod["namedPorts"] {
  const named = new Map<string, { protocol: Protocol; port: number }[]>();
  const ports: ContainerPort[] = pod.spec.containers.flatMap((c) => c.ports ?? []);
  for (const { name, containerPort, protocol = "TCP" } of ports) {
    if (name === undefined) continue;
    named.set(name, [...(named.get(name) ?? []), { protocol, port: containerPort }]);
  }
  return named;
}

export class ClusterIndex {
  readonly pods: readonly IndexedPod[];
  private readonly podsByNamespace = new Map<string, IndexedPod[]>();
  private readonly namespaceLabels = new Map<string, Labels>();
  /** "key=value" → the namespaces with that label. */
  private readonly namespacesByLabel = new Map<string, string[]>();
  private readonly namespaceMemo = new Map<string, readonly string[]>();
  private readonly peerMemo = new Map<string, readonly IndexedPod[]>();

  constructor(namespaces: readonly Namespace[], pods: readonly Pod[]) {
    for (const ns of namespaces) this.addNamespace(ns.metadata.name, ns.metadata.labels ?? {});
    this.pods = pods.map((pod, id) => {
      const namespace = pod.metadata.namespace ?? "default";
      // A pod's namespace exists even when the input leaves it out; it then has only the label the API server sets.
      if (!this.namespaceLabels.has(namespace)) this.addNamespace(namespace, {});
      const indexed: IndexedPod = { id, key: `${namespace}/${pod.metadata.name}`, namespace, labels: pod.metadata.labels ?? {}, namedPorts: namedPortsOf(pod) };
      this.podsIn(namespace).push(indexed);
      return indexed;
    });
  }

  private addNamespace(name: string, labels: Labels): void {
    // The API server keeps this label equal to the name, whatever a client writes.
    const withName = { ...labels, [NAMESPACE_NAME_LABEL]: name };
    this.namespaceLabels.set(name, withName);
    this.podsByNamespace.set(name, []);
    for (const [key, value] of Object.entries(withName)) {
      const label = `${key}=${value}`;
      const holders = this.namespacesByLabel.get(label);
      if (holders) holders.push(name);
      else this.namespacesByLabel.set(label, [name]);
    }
  }

  private podsIn(namespace: string): IndexedPod[] {
    return this.podsByNamespace.get(namespace) ?? [];
  }

  private namespacesMatching(selector: LabelSelector): readonly string[] {
    const key = selectorKey(selector);
    const memo = this.namespaceMemo.get(key);
    if (memo) return memo;
    // Only namespaces carrying every matchLabels pair can match: start from the rarest pair's namespaces.
    let candidates: readonly string[] = [...this.namespaceLabels.keys()];
    for (const [label, value] of Object.entries(selector.matchLabels ?? {})) {
      const holders = this.namespacesByLabel.get(`${label}=${value}`) ?? [];
      if (holders.length < candidates.length) candidates = holders;
    }
    const matching = candidates.filter((ns) => selectorMatches(selector, this.namespaceLabels.get(ns)!));
    this.namespaceMemo.set(key, matching);
    return matching;
  }

  /** The pods of `namespace` that a policy's spec.podSelector selects. */
  podsSelectedIn(namespace: string, podSelector: LabelSelector): readonly IndexedPod[] {
    return this.podsIn(namespace).filter((pod) => selectorMatches(podSelector, pod.labels));
  }

  /**
   * The pods a rule's peer of a policy in `policyNamespace` names: a pod
   * selector alone looks in the policy's namespace, a namespace selector
   * alone takes every pod of the namespaces it selects, both together take
   * the pods of those namespaces that the pod selector selects. An ipBlock
   * never names a pod here: pod IPs are not known, and pod-to-pod traffic is
   * what this index serves.
   */
  podsOfPeer(peer: NetworkPolicyPeer, policyNamespace: string): readonly IndexedPod[] {
    const { podSelector, namespaceSelector } = peer;
    if (!podSelector && !namespaceSelector) return [];
    const key = JSON.stringify([namespaceSelector ? selectorKey(namespaceSelector) : policyNamespace, podSelector ? selectorKey(podSelector) : null]);
    const memo = this.peerMemo.get(key);
    if (memo) return memo;
    const namespaces = namespaceSelector ? this.namespacesMatching(namespaceSelector) : [policyNamespace];
    const pods = namespaces.flatMap((ns) => this.podsIn(ns)).filter((pod) => !podSelector || selectorMatches(podSelector, pod.labels));
    this.peerMemo.set(key, pods);
    return pods;
  }
}
