// What a rule's `ports` allow towards one destination pod. Numbers and
// ranges are the same for every destination; a named port is looked up
// among the destination pod's container ports, for ingress rules (the
// policy's own pod) and egress rules (the peer) alike, as the API documents:
// "a named port on a pod".
import type { NetworkPolicyPort, Protocol } from "../api/core-types.ts";
import type { IndexedPod } from "./cluster-index.ts";
import { ALL_PORTS, allPortsOf, union, type PortRange } from "./port-ranges.ts";

export type RulePorts = (destination: IndexedPod) => readonly PortRange[];

export function compileRulePorts(ports: readonly NetworkPolicyPort[] | undefined): RulePorts {
  // No ports: every port of every protocol.
  if (!ports || ports.length === 0) return () => ALL_PORTS;
  const fixed: PortRange[] = [];
  const named: { name: string; protocol: Protocol }[] = [];
  for (const { protocol = "TCP", port, endPort } of ports) {
    if (port === undefined) fixed.push(allPortsOf(protocol));
    else if (typeof port === "string") named.push({ name: port, protocol });
    else fixed.push({ protocol, from: port, to: endPort ?? port });
  }
  const numbered = union(fixed);
  if (named.length === 0) return () => numbered;
  return (destination) => {
    // A name the destination does not declare, or declares for another protocol, allows nothing.
    const resolved = named.flatMap(({ name, protocol }) =>
      (destination.namedPorts.get(name) ?? []).filter((p) => p.protocol === protocol).map((p) => ({ protocol, from: p.port, to: p.port })),
    );
    return resolved.length === 0 ? numbered : union(numbered, resolved);
  };
}
