// What a provider adapter gives the bootstrap: a way into the cluster it
// created or found. Adapters differ only in how they get there.
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec } from "../topology/topology.ts";

export interface ProvisionedCluster {
  /** An admin kubeconfig for the cluster; always a secret Output. */
  kubeconfig: pulumi.Output<string>;
  /** Resources that must exist before anything is installed in the cluster (its nodes). */
  ready: pulumi.Resource[];
}

export interface AdapterContext {
  /** The stack's config in the yunshu-infra namespace. */
  config: pulumi.Config;
}

export type ClusterAdapter = (cluster: ClusterSpec, context: AdapterContext) => ProvisionedCluster;
