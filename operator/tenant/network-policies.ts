// Network isolation of a tenant namespace, as three policies:
// - yunshu-default-deny selects every pod for ingress and egress with no
//   rule, so nothing flows unless another policy allows it (policies add up);
// - yunshu-baseline allows what every pod needs: DNS, scraping of its
//   declared metrics ports by the platform's monitoring, and its declared
//   egress CIDRs as far as its MLPS profile allows them;
// - yunshu-same-tenant allows the tenant's own traffic (at MLPS level 4 only
//   within the namespace). Pods the department labels yunshu.io/network=declared
//   are left out of it, so that its own, stricter policies are all they get:
//   policies only ever add, and a blanket allow would make any narrower one moot.
// Nothing here lets another tenant's pods in or out; Shares do that (share/render.ts).
import type { NetworkPolicy, NetworkPolicyPeer } from "../api/core-types.ts";
import type { Tenant } from "./types.ts";
import { TENANT_LABEL, tenantLabels } from "./labels.ts";
import type { PlatformSettings } from "./platform.ts";
import type { EgressDecision, SecurityProfile } from "./profile.ts";

export const DEFAULT_DENY_POLICY = "yunshu-default-deny";
export const BASELINE_POLICY = "yunshu-baseline";
export const SAME_TENANT_POLICY = "yunshu-same-tenant";

/** The pod label with which a department takes a pod out of the tenant-wide allow: only its own policies then let traffic in or out. */
export const NETWORK_MODE_LABEL = "yunshu.io/network";
export const DECLARED_ONLY = "declared";

const byName = (namespace: string) => ({ matchLabels: { "kubernetes.io/metadata.name": namespace } });

type IngressRule = NonNullable<NetworkPolicy["spec"]["ingress"]>[number];

/** What the platform's monitoring may reach: the declared metrics ports, (AllPorts) every port, or nothing. */
function monitoringRules(tenant: Tenant, platform: PlatformSettings, profile: SecurityProfile): IngressRule[] {
  const from = [{ namespaceSelector: byName(platform.monitoringNamespace) }];
  if (profile.spec.network.monitoring === "AllPorts") return [{ from }];
  // No rule at all when no port is declared: a rule without ports would open every port.
  const ports = tenant.spec.network?.metricsPorts ?? [];
  return ports.length > 0 ? [{ from, ports: ports.map((port) => ({ protocol: "TCP", port })) }] : [];
}

export function renderNetworkPolicies(
  tenant: Tenant,
  namespace: string,
  platform: PlatformSettings,
  profile: SecurityProfile,
  egressCIDRs: EgressDecision["allowed"],
): NetworkPolicy[] {
  const labels = tenantLabels(tenant.metadata.name);
  const monitoring = monitoringRules(tenant, platform, profile);
  // MLPS level 4 keeps even a department's own namespaces apart.
  const own: NetworkPolicyPeer =
    (tenant.spec.securityLevel ?? 3) >= 4 ? { podSelector: {} } : { namespaceSelector: { matchLabels: { [TENANT_LABEL]: tenant.metadata.name } } };
  const egress: NonNullable<NetworkPolicy["spec"]["egress"]> = [
    {
      to: [{ namespaceSelector: byName(platform.dnsNamespace), podSelector: { matchLabels: platform.dnsPodSelector } }],
      ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
      ],
    },
  ];
  if (egressCIDRs.length > 0) egress.push({ to: egressCIDRs.map((cidr) => ({ ipBlock: { cidr } })) });
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: DEFAULT_DENY_POLICY, namespace, labels },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: BASELINE_POLICY, namespace, labels },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        // The API server drops an empty list: leaving it out keeps the live object equal to this one.
        ...(monitoring.length > 0 ? { ingress: monitoring } : {}),
        egress,
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: SAME_TENANT_POLICY, namespace, labels },
      spec: {
        podSelector: { matchExpressions: [{ key: NETWORK_MODE_LABEL, operator: "NotIn", values: [DECLARED_ONLY] }] },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [own] }],
        egress: [{ to: [own] }],
      },
    },
  ];
}
