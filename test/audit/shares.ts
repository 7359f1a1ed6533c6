// Random Shares for generated scenarios: yunshu's paired policies for
// active ones (share/render.ts), so that the oracle judges what yunshu
// really renders between tenants, levels 3 and 4 alike. Ports come from the
// scenario's blocks (ports.ts), for the reason given there.
import type { NetworkPolicy } from "../../operator/api/core-types.ts";
import type { Share } from "../../operator/api/generated.ts";
import type { KubeObject } from "../../operator/api/meta.ts";
import { renderSharePolicies } from "../../operator/share/render.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { PORT_RANGES, PORTS } from "./ports.ts";
import type { Random } from "./prng.ts";
import type { ExtraPolicies } from "./scenarios.ts";
import { APPS } from "./workloads.ts";

function randomShare(random: Random, tenants: readonly Tenant[], index: number): Share & KubeObject {
  const [provider, consumer] = random.sample(tenants, 2) as [Tenant, Tenant];
  const consumerNamespaces = (consumer.spec.namespaces ?? []).map((n) => n.name);
  const range = random.pick(PORT_RANGES);
  const ports = random.chance(0.25) ? [{ protocol: "TCP" as const, port: range[0], endPort: range[1] }] : random.sample(PORTS, random.int(1, 2)).map((port) => ({ protocol: random.pick(["TCP", "UDP"] as const), port }));
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Share",
    metadata: { name: `share-${index}` },
    spec: {
      provider: {
        tenant: provider.metadata.name,
        namespace: random.pick((provider.spec.namespaces ?? []).map((n) => n.name)),
        podSelector: random.chance(0.7) ? { matchLabels: { app: random.pick(APPS) } } : {},
        ports,
      },
      consumer: {
        tenant: consumer.metadata.name,
        ...(random.chance(0.5) ? { namespaces: random.sample(consumerNamespaces, random.int(1, consumerNamespaces.length)) } : {}),
        ...(random.chance(0.4) ? { podSelector: { matchExpressions: [{ key: "tier", operator: random.pick(["In", "NotIn"] as const), values: ["frontend"] }] } } : {}),
      },
      offeredBy: { username: `${provider.metadata.name}-owner` },
      purpose: "generated",
    },
    // Revoked and merely offered shares must render nothing: the oracle sees it if they do.
    status: { phase: random.pick(["Active", "Active", "Offered", "Revoked"] as const) },
  };
}

/** Up to three Shares among the scenario's tenants, and the policies yunshu renders for them in every tenant namespace. */
export const sharePolicies: ExtraPolicies = (_scenario, { tenants, random }): NetworkPolicy[] => {
  if (tenants.length < 2) return [];
  const shares = Array.from({ length: random.int(0, 3) }, (_, i) => randomShare(random, tenants, i));
  const lookup = (name: string) => tenants.find((t) => t.metadata.name === name);
  return tenants.flatMap((t) => (t.spec.namespaces ?? []).flatMap(({ name }) => renderSharePolicies(t, name, shares, lookup)));
};
