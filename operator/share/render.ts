// The paired policies of an active Share, and what a tenant namespace says
// about its Shares. At the provider's namespace an ingress policy lets the
// consumer's namespaces (and pods) reach the offered pods on the offered
// ports; at each consumer namespace an egress policy lets its pods reach
// them. Both are needed: every tenant namespace denies by default in both
// directions. The peers name namespaces by name *and* tenant label, which
// only yunshu sets, so a namespace of the same name elsewhere matches
// nothing. Rendered in every cluster where the tenant has the namespace:
// where the other side is not placed, the selector matches no pod.
import type { LabelSelector, NetworkPolicy } from "../api/core-types.ts";
import type { Share } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import { namespaceName, TENANT_LABEL, tenantLabels } from "../tenant/labels.ts";
import type { Tenant } from "../tenant/types.ts";
import { consumerNamespaces } from "./decision.ts";

/** Annotations on a tenant namespace that the yunshu-tenant-network-policies policy reads: Share peers its own policies may name. */
export const SHARE_INGRESS_FROM_ANNOTATION = "yunshu.io/share-ingress-from";
export const SHARE_EGRESS_TO_ANNOTATION = "yunshu.io/share-egress-to";

export const SHARE_POLICY_PREFIX = "yunshu-share-";

export const isActive = (share: Share) => share.status?.phase === "Active";

type TenantLookup = (name: string) => Tenant | undefined;

const namespacePeer = (tenant: string, namespace: string): LabelSelector => ({
  matchLabels: { "kubernetes.io/metadata.name": namespace, [TENANT_LABEL]: tenant },
});

const selector = (s: Share["spec"]["provider"]["podSelector"] | undefined): LabelSelector => {
  const out: LabelSelector = {};
  if (s?.matchLabels && Object.keys(s.matchLabels).length > 0) out.matchLabels = s.matchLabels;
  if (s?.matchExpressions && s.matchExpressions.length > 0) out.matchExpressions = s.matchExpressions;
  return out;
};

const ports = (share: Share) =>
  share.spec.provider.ports.map((p) => ({ protocol: p.protocol ?? "TCP", port: p.port, ...(p.endPort !== undefined && p.endPort !== p.port ? { endPort: p.endPort } : {}) }));

function policy(share: Share & KubeObject, tenant: string, namespace: string, spec: NetworkPolicy["spec"]): NetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: `${SHARE_POLICY_PREFIX}${share.metadata.name}`, namespace, labels: tenantLabels(tenant), annotations: { "yunshu.io/share": share.metadata.name } },
    spec,
  };
}

/** The consumer's namespaces a share reaches from, by full name. */
function consumerNamespaceNames(share: Share, tenants: TenantLookup): string[] {
  const consumer = share.spec.consumer.tenant;
  return consumerNamespaces(share, tenants(consumer)).map((n) => namespaceName(consumer, n));
}

/** The share policies of `tenant`'s namespace `shortName`, from the active shares it is a side of. */
export function renderSharePolicies(tenant: Tenant, shortName: string, shares: readonly (Share & KubeObject)[], tenants: TenantLookup): NetworkPolicy[] {
  const me = tenant.metadata.name;
  const namespace = namespaceName(me, shortName);
  const out: NetworkPolicy[] = [];
  for (const share of shares) {
    if (!isActive(share)) continue;
    const { provider, consumer } = share.spec;
    if (provider.tenant === me && provider.namespace === shortName) {
      const from = consumerNamespaceNames(share, tenants).map((ns) => ({ namespaceSelector: namespacePeer(consumer.tenant, ns), podSelector: selector(consumer.podSelector) }));
      if (from.length > 0) out.push(policy(share, me, namespace, { podSelector: selector(provider.podSelector), policyTypes: ["Ingress"], ingress: [{ from, ports: ports(share) }] }));
    }
    if (consumer.tenant === me && consumerNamespaces(share, tenant).includes(shortName)) {
      const to = [{ namespaceSelector: namespacePeer(provider.tenant, namespaceName(provider.tenant, provider.namespace)), podSelector: selector(provider.podSelector) }];
      out.push(policy(share, me, namespace, { podSelector: selector(consumer.podSelector), policyTypes: ["Egress"], egress: [{ to, ports: ports(share) }] }));
    }
  }
  return out;
}

/** Which namespaces the tenant's own policies in `shortName` may name as Share peers, one per line, per direction. */
export function shareAnnotations(tenant: Tenant, shortName: string, shares: readonly (Share & KubeObject)[], tenants: TenantLookup): Record<string, string> {
  const me = tenant.metadata.name;
  const ingressFrom = new Set<string>();
  const egressTo = new Set<string>();
  for (const share of shares) {
    if (!isActive(share)) continue;
    const { provider, consumer } = share.spec;
    if (provider.tenant === me && provider.namespace === shortName) for (const ns of consumerNamespaceNames(share, tenants)) ingressFrom.add(ns);
    if (consumer.tenant === me && consumerNamespaces(share, tenant).includes(shortName)) egressTo.add(namespaceName(provider.tenant, provider.namespace));
  }
  const out: Record<string, string> = {};
  if (ingressFrom.size > 0) out[SHARE_INGRESS_FROM_ANNOTATION] = [...ingressFrom].sort().join("\n");
  if (egressTo.size > 0) out[SHARE_EGRESS_TO_ANNOTATION] = [...egressTo].sort().join("\n");
  return out;
}
