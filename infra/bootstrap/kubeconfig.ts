// Kubeconfigs the bootstrap hands on: the address and CA of a cluster read
// from the kubeconfig Pulumi reaches it with, and a token kubeconfig for a
// ServiceAccount there. Pure functions: the callers keep every value they
// touch inside a secret Output.
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

export interface ClusterEndpoint {
  server: string;
  /** Base64 PEM, as in certificate-authority-data. */
  caData?: string;
}

type Named<T> = { name: string } & T;
interface KubeconfigDoc {
  "current-context"?: string;
  contexts?: Named<{ context?: { cluster?: string } }>[];
  clusters?: Named<{ cluster?: { server?: string; "certificate-authority-data"?: string } }>[];
}

/**
 * The server and CA of the current context's cluster. Credentials are not
 * read, so a kubeconfig that authenticates with an exec plugin works too.
 */
export function endpointOf(kubeconfig: string, origin: string): ClusterEndpoint {
  let doc: KubeconfigDoc;
  try {
    doc = (parseYaml(kubeconfig) ?? {}) as KubeconfigDoc;
  } catch (err) {
    throw new Error(`${origin}: the kubeconfig is not valid YAML: ${(err as Error).message.split("\n")[0]}`, { cause: err });
  }
  const contextName = doc["current-context"] ?? doc.contexts?.[0]?.name;
  const context = doc.contexts?.find((c) => c.name === contextName)?.context;
  const clusterName = context?.cluster ?? doc.clusters?.[0]?.name;
  const cluster = doc.clusters?.find((c) => c.name === clusterName)?.cluster;
  if (!cluster?.server) {
    throw new Error(`${origin}: the kubeconfig names no server for context ${JSON.stringify(contextName ?? "")}; give a kubeconfig with a current-context and its cluster`);
  }
  return cluster["certificate-authority-data"] ? { server: cluster.server, caData: cluster["certificate-authority-data"] } : { server: cluster.server };
}

/** A self-contained kubeconfig for one ServiceAccount token: what yunshu's operator can load. */
export function renderTokenKubeconfig(opts: { cluster: string; user: string; endpoint: ClusterEndpoint; token: string }): string {
  return stringifyYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: opts.cluster,
        cluster: { server: opts.endpoint.server, ...(opts.endpoint.caData ? { "certificate-authority-data": opts.endpoint.caData } : {}) },
      },
    ],
    users: [{ name: opts.user, user: { token: opts.token } }],
    contexts: [{ name: opts.cluster, context: { cluster: opts.cluster, user: opts.user } }],
    "current-context": opts.cluster,
  });
}
