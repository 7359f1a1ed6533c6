// One client per member cluster, made from its kubeconfig Secret and made
// again when the Secret changes (rotated credentials need no restart).
// Members are independent: each has its own connection pool and rate limit,
// so a slow or dead member never holds up another.
import type { Cluster } from "../api/generated.ts";
import type { Informer } from "../runtime/informer.ts";
import { KubeClient, type KubeClientOptions, type KubeObject } from "../runtime/kube-client.ts";
import { parseKubeConfig } from "../runtime/kubeconfig.ts";

export interface Secret extends KubeObject {
  data?: Record<string, string>;
}

export const DEFAULT_KUBECONFIG_KEY = "kubeconfig";

export type Connection = { client: KubeClient } | { problem: "SecretNotFound" | "InvalidKubeconfig"; message: string };

export class MemberClients {
  private readonly hub: KubeClient;
  private readonly secrets: Informer<Secret>;
  private readonly options: KubeClientOptions;
  private readonly namespace: string;
  /** By cluster name: the client, and the Secret version it was made from. */
  private readonly clients = new Map<string, { client: KubeClient; secretVersion: string }>();

  /** `secrets`: the Secrets of `namespace`, the operator's, where kubeconfig Secrets live. */
  constructor(deps: { hub: KubeClient; secrets: Informer<Secret>; namespace: string; options: KubeClientOptions }) {
    this.hub = deps.hub;
    this.secrets = deps.secrets;
    this.namespace = deps.namespace;
    this.options = deps.options;
  }

  /** The client for `cluster`: the hub's own for a Cluster without a kubeconfig Secret. */
  connect(cluster: Cluster): Connection {
    const ref = cluster.spec.kubeconfigSecretRef;
    const name = cluster.metadata.name;
    if (!ref) return { client: this.hub };
    const namespace = this.namespace;
    const where = `Secret ${namespace}/${ref.name}`;
    const secret = this.secrets.get(ref.name, namespace);
    if (!secret) {
      this.forget(name);
      return { problem: "SecretNotFound", message: `${where}, which holds this cluster's kubeconfig, does not exist; create it (kubectl -n ${namespace} create secret generic ${ref.name} --from-file=${ref.key ?? DEFAULT_KUBECONFIG_KEY}=<kubeconfig>)` };
    }
    const current = this.clients.get(name);
    if (current && current.secretVersion === secret.metadata.resourceVersion) return { client: current.client };
    const key = ref.key ?? DEFAULT_KUBECONFIG_KEY;
    const encoded = secret.data?.[key];
    if (!encoded) {
      this.forget(name);
      return { problem: "InvalidKubeconfig", message: `${where} has no key ${key}; its keys: ${Object.keys(secret.data ?? {}).join(", ") || "none"}` };
    }
    try {
      const credentials = parseKubeConfig(Buffer.from(encoded, "base64").toString("utf8"), `${where} key ${key}`);
      const client = new KubeClient(credentials, { ...this.options, userAgent: `yunshu-operator/cluster/${name}` });
      this.forget(name);
      this.clients.set(name, { client, secretVersion: secret.metadata.resourceVersion ?? "" });
      return { client };
    } catch (err) {
      this.forget(name);
      return { problem: "InvalidKubeconfig", message: (err as Error).message };
    }
  }

  /**
   * Drops a cluster's client (deleted Cluster, or credentials gone or
   * replaced). The member's runtime, which uses it, closes it when it stops:
   * closing it here would break requests the runtime still has in flight.
   */
  forget(name: string): void {
    this.clients.delete(name);
  }
}
