// Network isolation of a tenant namespace, as two policies:
// - yunshu-default-deny selects every pod for ingress and egress with no
//   rule, so nothing flows unless another policy allows it (policies add up);
// - yunshu-baseline allows what every department needs: its own traffic, DNS,
//   scraping by the platform's monitoring, and its declared egress CIDRs.
// Nothing here lets another tenant's pods in or out.
import type { NetworkPolicy, NetworkPolicyPeer } from "../api/core-types.ts";
import type { Tenant } from "./types.ts";
import { TENANT_LABEL, tenantLabels } from "./labels.ts";
import type { PlatformSettings } from "./platform.ts";

export const DEFAULT_DENY_POLICY = "yunshu-default-deny";
export const BASELINE_POLICY = "yunshu-baseline";

const byName = (namespace: string) => ({ matchLabels: { "kubernetes.io/metadata.name": namespace } });

export function renderNetworkPolicies(tenant: Tenant, namespace: string, platform: PlatformSettings): NetworkPolicy[] {
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
  const cidrs = tenant.spec.network?.egressCIDRs ?? [];
  if (cidrs.length > 0) egress.push({ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })) });
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
        ingress: [{ from: [own] }, { from: [{ namespaceSelector: byName(platform.monitoringNamespace) }] }],
        egress,
      },
    },
  ];
}
