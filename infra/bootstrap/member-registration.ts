// Registers a member in the hub the way the operator expects (see the
// README's fleet section): its kubeconfig in a Secret in the hub's
// yunshu-clusters, and a Cluster naming that Secret. Runs in the member's
// stack, as the hub's registrar, so that each city registers and
// deregisters itself and no city's stack touches another's.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec } from "../topology/topology.ts";
import { CLUSTER_CREDENTIALS_NAMESPACE, clusterResource } from "./manifests.ts";

export interface MemberRegistrationArgs {
  cluster: ClusterSpec;
  /** The hub, reached as its registrar. */
  hub: k8s.Provider;
  /** The member's yunshu-operator kubeconfig; a secret Output. */
  kubeconfig: pulumi.Output<string>;
}

export class MemberRegistration extends pulumi.ComponentResource {
  readonly secretName: string;

  constructor(name: string, args: MemberRegistrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("yunshu:infra:MemberRegistration", name, {}, opts);
    this.secretName = `cluster-${args.cluster.name}`;
    const secret = new k8s.core.v1.Secret(
      this.secretName,
      {
        metadata: { name: this.secretName, namespace: CLUSTER_CREDENTIALS_NAMESPACE, labels: { "app.kubernetes.io/managed-by": "pulumi", "yunshu.io/cluster": args.cluster.name } },
        type: "Opaque",
        stringData: { kubeconfig: pulumi.secret(args.kubeconfig) },
      },
      { parent: this, provider: args.hub },
    );
    clusterResource(args.cluster, this.secretName, { parent: this, provider: args.hub, dependsOn: [secret] });
    this.registerOutputs({});
  }
}
