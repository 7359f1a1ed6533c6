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

export interface LabelSelector {
  matchLabels?: Record<string, string>;
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface NetworkPolicyPort {
  protocol: "TCP" | "UDP" | "SCTP";
  port?: number | string;
}

export interface NetworkPolicy extends KubeObject {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  spec: {
    podSelector: LabelSelector;
    policyTypes: ("Ingress" | "Egress")[];
    ingress?: { from?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[];
    egress?: { to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[];
  };
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
