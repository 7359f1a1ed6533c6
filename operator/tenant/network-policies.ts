// Network isolation of a tenant namespace, as two policies:
// - yunshu-default-deny selects every pod for ingress and egress with no
//   rule, so nothing flows unless another policy allows it (policies add up);
// - yunshu-baseline allows what every department needs: its own traffic, DNS,
//   scraping of its declared metrics ports by the platform's monitoring, and
//   its declared egress CIDRs as far as its MLPS profile allows them.
// Nothing here lets another tenant's pods in or out.
import type { NetworkPolicy, NetworkPolicyPeer } from "../api/core-types.ts";
import type { Tenant } from "./types.ts";
import { TENANT_LABEL, tenantLabels } from "./labels.ts";
import type { PlatformSettings } from "./platform.ts";
import type { EgressDecision, SecurityProfile } from "./profile.ts";

export const DEFAULT_DENY_POLICY = "yunshu-default-deny";
export const BASELINE_POLICY = "yunshu-baseline";

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
  // MLPS level 4 keeps even a department's own namespaces apart.
  const own: NetworkPolicyPeer =
    (tenant.spec.securityLevel ?? 3) >= 4 ? { podSelector: {} } : { namespaceSelector: { matchLabels: { [TENANT_LABEL]: tenant.metadata.name } } };
  const egress: NonNullable<NetworkPolicy["spec"]["egress"]> = [
    { to: [own] },
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
        ingress: [{ from: [own] }, ...monitoringRules(tenant, platform, profile)],
        egress,
      },
    },
  ];
}
