// The parts of built-in Kubernetes kinds that yunshu renders, as raw JSON.
import type { KubeObject } from "./meta.ts";

export type QuantityMap = Record<string, string>;

export interface Namespace extends KubeObject {
  apiVersion: "v1";
  kind: "Namespace";
}

export interface ResourceQuota extends KubeObject {
  apiVersion: "v1";
  kind: "ResourceQuota";
  spec: {
    hard: QuantityMap;
    scopeSelector?: { matchExpressions: { scopeName: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[] };
  };
  status?: { hard?: QuantityMap; used?: QuantityMap };
}

export interface LimitRangeItem {
  type: "Container" | "Pod" | "PersistentVolumeClaim";
  default?: QuantityMap;
  defaultRequest?: QuantityMap;
  max?: QuantityMap;
  min?: QuantityMap;
}

export interface LimitRange extends KubeObject {
  apiVersion: "v1";
  kind: "LimitRange";
  spec: { limits: LimitRangeItem[] };
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export type Protocol = "TCP" | "UDP" | "SCTP";

export interface NetworkPolicyPort {
  /** TCP when omitted. */
  protocol?: Protocol;
  /** A number, or the name of a container port of the destination pod. */
  port?: number | string;
  /** With a numeric port: the last port of the range it starts. */
  endPort?: number;
}

export interface NetworkPolicy extends KubeObject {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  spec: {
    podSelector: LabelSelector;
    /** When omitted: Ingress, plus Egress if there are egress rules (the API server's default). */
    policyTypes?: ("Ingress" | "Egress")[];
    ingress?: { from?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[];
    egress?: { to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[];
  };
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  /** TCP when omitted. */
  protocol?: Protocol;
}

/** Only what network policies read of a pod: its labels (metadata) and its named ports. */
export interface Pod extends KubeObject {
  apiVersion: "v1";
  kind: "Pod";
  spec: { containers: { name: string; ports?: ContainerPort[] }[] };
}

export interface Subject {
  kind: "User" | "Group" | "ServiceAccount";
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleBinding extends KubeObject {
  apiVersion: "rbac.authorization.k8s.io/v1";
  kind: "RoleBinding";
  roleRef: { apiGroup: "rbac.authorization.k8s.io"; kind: "ClusterRole" | "Role"; name: string };
  subjects: Subject[];
}
