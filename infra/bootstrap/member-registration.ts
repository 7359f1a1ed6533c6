// Registers a member in the hub the way the operator expects (see the
// README's fleet section): a Cluster, and its kubeconfig in a Secret in the
// hub's yunshu-clusters that the Cluster names. Runs in the member's stack,
// as the member's own registrar on the hub, so that each city registers and
// deregisters itself and no city's stack touches another's.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_API_VERSION, CLUSTER_KIND } from "../../operator/api/generated.ts";
import type { ClusterSpec } from "../topology/topology.ts";
import { CLUSTER_CREDENTIALS_NAMESPACE, clusterResource } from "./manifests.ts";
import { memberSecretName } from "./registrar.ts";

export interface MemberRegistrationArgs {
  cluster: ClusterSpec;
  /** The hub, reached as this member's registrar. */
  hub: k8s.Provider;
  /** The member's yunshu-operator kubeconfig; a secret Output. */
  kubeconfig: pulumi.Output<string>;
}

export class MemberRegistration extends pulumi.ComponentResource {
  readonly secretName: string;

  constructor(name: string, args: MemberRegistrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("yunshu:infra:MemberRegistration", name, {}, opts);
    this.secretName = memberSecretName(args.cluster.name);
    const cluster = clusterResource(args.cluster, this.secretName, { parent: this, provider: args.hub });
    // The Secret belongs to its Cluster: deleting the Cluster has the
    // garbage collector delete the Secret. Pulumi itself never deletes it,
    // because its provider awaits a deletion with a watch of the whole
    // namespace, and the registrar may see only its own Secret there (the
    // others are the other members' credentials): that wait would never end.
    new k8s.core.v1.Secret(
      this.secretName,
      {
        metadata: {
          name: this.secretName,
          namespace: CLUSTER_CREDENTIALS_NAMESPACE,
          labels: { "app.kubernetes.io/managed-by": "pulumi", "yunshu.io/cluster": args.cluster.name },
          ownerReferences: [{ apiVersion: CLUSTER_API_VERSION, kind: CLUSTER_KIND, name: cluster.metadata.name, uid: cluster.metadata.uid }],
        },
        type: "Opaque",
        stringData: { kubeconfig: pulumi.secret(args.kubeconfig) },
      },
      { parent: this, provider: args.hub, retainOnDelete: true },
    );
    this.registerOutputs({});
  }
}
