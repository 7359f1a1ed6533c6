// Random NetworkPolicies as the people running workloads write them in their
// own namespaces (beside yunshu's): every kind of selector, peer and port the
// API allows, towards their own pods, other tenants and the platform's
// namespaces.
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from "../../operator/api/core-types.ts";
import { MANAGED_BY, MANAGED_BY_LABEL, TENANT_LABEL } from "../../operator/tenant/labels.ts";
import { SECURITY_LEVEL_LABEL } from "../../operator/tenant/profile.ts";
import { PORT_RANGES, PORTS } from "./ports.ts";
import type { Random } from "./prng.ts";
import { APPS, ENVIRONMENTS, PORT_NAMES, TIERS } from "./workloads.ts";

export interface PolicyContext {
  namespace: string;
  /** Every tenant's name, the policy's own included. */
  tenants: readonly string[];
  /** Every namespace's name, tenant or not. */
  namespaces: readonly string[];
}

type Rule = { peers?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] };

function podSelector(random: Random): LabelSelector {
  switch (random.int(0, 3)) {
    case 0:
      return {};
    case 1:
      return { matchLabels: { app: random.pick(APPS), ...(random.chance(0.3) ? { tier: random.pick(TIERS) } : {}) } };
    default: {
      const expressions: NonNullable<LabelSelector["matchExpressions"]> = [
        { key: "app", operator: "In", values: random.sample(APPS, random.int(1, 3)) },
        { key: "tier", operator: "NotIn", values: random.sample(TIERS, random.int(1, 2)) },
        { key: "env", operator: random.pick(["Exists", "DoesNotExist"] as const) },
        { key: "env", operator: "In", values: [random.pick(ENVIRONMENTS)] },
        { key: "yunshu.io/exposed", operator: "Exists" },
      ];
      return { matchExpressions: random.sample(expressions, random.int(1, 2)), ...(random.chance(0.3) ? { matchLabels: { tier: random.pick(TIERS) } } : {}) };
    }
  }
}

function namespaceSelector(random: Random, context: PolicyContext): LabelSelector {
  switch (random.int(0, 6)) {
    case 0:
      return {};
    case 1:
      // Another tenant, or its own: departments try to open themselves to each other.
      return { matchLabels: { [TENANT_LABEL]: random.pick(context.tenants) } };
    case 2:
      return { matchLabels: { "kubernetes.io/metadata.name": random.pick(context.namespaces) } };
    case 3:
      return { matchLabels: { [MANAGED_BY_LABEL]: MANAGED_BY } };
    case 4:
      return { matchExpressions: [{ key: TENANT_LABEL, operator: random.pick(["In", "NotIn"] as const), values: random.sample(context.tenants, random.int(1, 2)) }] };
    case 5:
      return { matchExpressions: [{ key: SECURITY_LEVEL_LABEL, operator: "In", values: [random.pick(["3", "4"])] }] };
    default:
      // The platform's own namespaces, which carry no tenant label.
      return { matchExpressions: [{ key: TENANT_LABEL, operator: "DoesNotExist" }] };
  }
}

function peer(random: Random, context: PolicyContext, { ipBlocks }: { ipBlocks: boolean }): NetworkPolicyPeer {
  switch (random.int(0, ipBlocks ? 6 : 5)) {
    case 0:
    case 1:
      return { podSelector: podSelector(random) };
    case 2:
    case 3:
      return { namespaceSelector: namespaceSelector(random, context) };
    case 4:
    case 5:
      return { namespaceSelector: namespaceSelector(random, context), podSelector: podSelector(random) };
    default:
      return { ipBlock: { cidr: "10.0.0.0/8", ...(random.chance(0.5) ? { except: ["10.96.0.0/12"] } : {}) } };
  }
}

function port(random: Random): NetworkPolicyPort {
  switch (random.int(0, 8)) {
    case 0:
      return { port: random.pick(PORTS) };
    case 1:
      return { protocol: "TCP", port: random.pick(PORTS) };
    case 2: {
      const [from, endPort] = random.pick(PORT_RANGES);
      return { protocol: random.pick(["TCP", "UDP"] as const), port: from, endPort };
    }
    case 3:
      return { port: random.pick(PORT_NAMES) };
    case 4:
      // Names a pod rarely declares, or declares for another protocol: these must allow nothing.
      return random.chance(0.5) ? { port: "admin" } : { protocol: "UDP", port: random.pick(PORT_NAMES) };
    case 5:
      return { protocol: "UDP", port: 53 };
    case 6:
      return { protocol: random.pick(["UDP", "SCTP"] as const), port: random.pick(PORTS) };
    default:
      return { protocol: random.pick(["TCP", "UDP", "SCTP"] as const) };
  }
}

/** A rule's peers and ports, before they become an ingress rule's `from` or an egress rule's `to`. */
function rule(random: Random, context: PolicyContext, direction: "Ingress" | "Egress"): Rule {
  const ports = random.chance(0.3) ? undefined : random.chance(0.05) ? [] : Array.from({ length: random.int(1, 3) }, () => port(random));
  // Kubernetes accepts a named port in an egress rule that also reaches IP
  // addresses (an ipBlock peer, or no peers: everything), and resolves it
  // for the pods among them. netpol-analyzer v1.4.4 instead rejects the
  // whole input ("cannot convert named port for an IP destination",
  // getPortsRange in pkg/netpol/eval/internal/k8s/netpols_common.go), so
  // such rules name pods only here: the pod-to-pod answer is the same.
  const podsOnly = direction === "Egress" && (ports ?? []).some((p) => typeof p.port === "string");
  const peerList = () => Array.from({ length: random.int(1, 2) }, () => peer(random, context, { ipBlocks: !podsOnly }));
  const peers = podsOnly ? peerList() : random.chance(0.2) ? undefined : random.chance(0.05) ? [] : peerList();
  return { ...(peers ? { peers } : {}), ...(ports ? { ports } : {}) };
}

const rules = (random: Random, context: PolicyContext, direction: "Ingress" | "Egress") =>
  Array.from({ length: random.int(0, 2) }, () => rule(random, context, direction));
const ingressRule = ({ peers, ports }: Rule) => ({ ...(peers ? { from: peers } : {}), ...(ports ? { ports } : {}) });
const egressRule = ({ peers, ports }: Rule) => ({ ...(peers ? { to: peers } : {}), ...(ports ? { ports } : {}) });

function policy(random: Random, context: PolicyContext, name: string): NetworkPolicy {
  const direction = random.pick(["Ingress", "Egress", "Both"] as const);
  const policyTypes: ("Ingress" | "Egress")[] = direction === "Both" ? ["Ingress", "Egress"] : [direction];
  // Now and then rules of a direction the policy does not name: they must be ignored.
  const withIngress = direction !== "Egress" || random.chance(0.1);
  const withEgress = direction !== "Ingress" || random.chance(0.1);
  const spec: NetworkPolicy["spec"] = {
    podSelector: podSelector(random),
    // Left out, the API server derives it from the egress rules present.
    ...(random.chance(0.7) ? { policyTypes } : {}),
    ...(withIngress ? { ingress: rules(random, context, "Ingress").map(ingressRule) } : {}),
    ...(withEgress ? { egress: rules(random, context, "Egress").map(egressRule) } : {}),
  };
  return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: context.namespace }, spec };
}

export function randomAuthoredPolicies(random: Random, context: PolicyContext, count: number): NetworkPolicy[] {
  return Array.from({ length: count }, (_, i) => policy(random, context, `app-policy-${i}`));
}
