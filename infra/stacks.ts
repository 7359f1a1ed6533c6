// One stack per cluster per environment, named <environment>.<cluster>
// (prod.changsha): a city whose cloud API is down fails its own stack and
// no other, a change can be rolled to one city first, and each stack's state
// and lock are its own. The hub's stack comes first; members read the
// kubeconfig of their own registrar from it.
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DNS_LABEL, parseTopology, type Topology } from "./topology/topology.ts";

export const PROJECT = "yunshu-infra";
export const INFRA_DIR = dirname(fileURLToPath(import.meta.url));

export function stackName(environment: string, cluster: string): string {
  return `${environment}.${cluster}`;
}

export function parseStackName(stack: string): { environment: string; cluster: string } {
  const parts = stack.split(".");
  if (parts.length !== 2 || !parts.every((p) => DNS_LABEL.test(p))) {
    throw new Error(`stack ${JSON.stringify(stack)}: name stacks <environment>.<cluster>, for example prod.changsha`);
  }
  return { environment: parts[0]!, cluster: parts[1]! };
}

/** The hub first, then the members in topology order: the order `up` runs them in. */
export function rolloutOrder(topology: Topology, only?: readonly string[]): string[] {
  const names = topology.clusters.map((c) => c.name);
  const unknown = (only ?? []).filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new Error(`not in topology ${topology.name}: ${unknown.join(", ")} (clusters: ${names.join(", ")})`);
  const selected = only ? names.filter((n) => only.includes(n)) : names;
  return [...selected.filter((n) => n === topology.hub), ...selected.filter((n) => n !== topology.hub)];
}

export interface StackSettings {
  topology: Topology;
  environment: string;
  cluster: string;
  /** Keep yunshu's CRDs (and so every Tenant) when the stack is destroyed. */
  keepCrdsOnDestroy: boolean;
  /** Wait for the operator's Deployment to become ready (not on a control plane without nodes). */
  awaitOperator: boolean;
  /** How long that wait may take before the stack fails. */
  awaitOperatorTimeoutSeconds: number;
}

/** Reads a topology file; a relative path is relative to infra/, where Pulumi.yaml is. */
export function loadTopology(path: string): Topology {
  const full = isAbsolute(path) ? path : resolve(INFRA_DIR, path);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch (err) {
    throw new Error(`cannot read the topology file ${full}: ${(err as Error).message}`, { cause: err });
  }
  return parseTopology(text, full);
}
