// Random pods of the kinds a department runs: labelled by app and tier like
// Helm charts label them, with container ports that are sometimes named.
import type { ContainerPort, Pod } from "../../operator/api/core-types.ts";
import type { Random } from "./prng.ts";

export const APPS = ["web", "api", "db", "cache", "worker", "gateway"] as const;
export const TIERS = ["frontend", "backend", "data"] as const;
export const ENVIRONMENTS = ["prod", "staging"] as const;

/** Ports a container may declare, all in PORTS (ports.ts); the names are the ones policies refer to. */
export const PORT_CATALOGUE: readonly ContainerPort[] = [
  { name: "http", containerPort: 8080 },
  { name: "https", containerPort: 8443 },
  { name: "grpc", containerPort: 9000 },
  { name: "metrics", containerPort: 9090 },
  { name: "postgres", containerPort: 5432 },
  { name: "syslog", containerPort: 514, protocol: "UDP" },
  { name: "diameter", containerPort: 3868, protocol: "SCTP" },
  { containerPort: 80 },
  { containerPort: 6379 },
  { containerPort: 9100 },
  { containerPort: 53, protocol: "UDP" },
];
export const PORT_NAMES = PORT_CATALOGUE.flatMap((p) => (p.name ? [p.name] : []));

/** A pod whose ports are split between its main container and, when `sidecarPorts` is given, a sidecar. */
export function pod(namespace: string, name: string, labels: Record<string, string>, ports: ContainerPort[], sidecarPorts?: ContainerPort[]): Pod {
  const containers = [{ name: "main", ports }, ...(sidecarPorts ? [{ name: "sidecar", ports: sidecarPorts }] : [])];
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels }, spec: { containers } };
}

/**
 * `count` pods for `namespace`. Catalogue entries are distinct, so a port
 * name appears once per pod. Kubernetes checks names per container only, but
 * a name two containers share has no one meaning: netpol-analyzer resolves
 * it to the first declaration (Pod.ConvertPodNamedPort), the engine to every
 * declaration of the rule's protocol.
 */
export function randomPods(random: Random, namespace: string, count: number): Pod[] {
  return Array.from({ length: count }, (_, i) => {
    const app = random.pick(APPS);
    const labels: Record<string, string> = { app, tier: random.pick(TIERS) };
    if (random.chance(0.5)) labels.env = random.pick(ENVIRONMENTS);
    if (random.chance(0.2)) labels["yunshu.io/exposed"] = "true";
    // Out of the tenant-wide allow (network-policies.ts): only its department's own policies reach it.
    if (random.chance(0.15)) labels["yunshu.io/network"] = "declared";
    const ports = random.sample(PORT_CATALOGUE, random.int(0, 3));
    // Named ports resolve across all of a pod's containers, not just the first.
    const sidecar = ports.length > 1 && random.chance(0.3) ? ports.splice(0, 1) : undefined;
    return pod(namespace, `${app}-${i}`, labels, ports, sidecar);
  });
}
