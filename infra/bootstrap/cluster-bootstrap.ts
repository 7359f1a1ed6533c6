// Everything yunshu needs in one cluster, as one ComponentResource: an
// explicit Kubernetes provider for it, yunshu's CRDs, its platform
// namespaces (the credentials namespace among them), and then either the operator's chart (the hub) or the
// ClusterRoles, admission policies and operator identity that
// `yunshu install` applies (a member), with a token for that identity.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubeObject } from "../../operator/api/meta.ts";
import type { ClusterSpec, OperatorSpec } from "../topology/topology.ts";
import { endpointOf, renderTokenKubeconfig, type ClusterEndpoint } from "./kubeconfig.ts";
import { CLUSTER_CREDENTIALS_NAMESPACE, clusterResource, installManifests, isMutatingPolicy, OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT } from "./manifests.ts";
import { registrarName, registrarObjects } from "./registrar.ts";

export type ClusterRole = "hub" | "member";

export interface ClusterBootstrapArgs {
  cluster: ClusterSpec;
  role: ClusterRole;
  /** Admin kubeconfig from the adapter; a secret Output. */
  kubeconfig: pulumi.Output<string>;
  /** Stable across kubeconfig rotations, so that new credentials never replace what the provider manages. */
  clusterIdentifier: string;
  /** Everything in crds/ (not its samples). */
  manifests: KubeObject[];
  platformNamespaces: string[];
  /**
   * The hub's chart: charts/yunshu and the operator's settings; whether to
   * wait for its objects to become ready, and for how long at most.
   */
  chart?: { path: string; operator: OperatorSpec; awaitOperator: boolean; awaitTimeoutSeconds: number };
  /** Hub: the member clusters of the topology, each of which gets its own registrar. */
  members?: string[];
  /** Keep yunshu's CRDs, and so every Tenant, when the stack is destroyed. */
  keepCrdsOnDestroy: boolean;
  /** What must exist before anything is installed (the cluster's nodes). */
  ready: pulumi.Resource[];
}

const MANAGED_BY = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "yunshu" };

/**
 * A chart's objects give up waiting to become ready after `seconds`, with the
 * provider's message, where the operator can never run (a control plane
 * without nodes, a registry the cluster cannot pull from). Options of the
 * Chart itself do not reach the objects it renders; a transform does.
 */
function boundedAwait(seconds: number): pulumi.ResourceTransform {
  const timeout = `${seconds}s`;
  return ({ custom, props, opts }) => (custom ? { props, opts: { ...opts, customTimeouts: { create: timeout, update: timeout } } } : undefined);
}

export class ClusterBootstrap extends pulumi.ComponentResource {
  readonly provider: k8s.Provider;
  /** Member: a kubeconfig for the member's yunshu-operator, for the hub's operator to use. */
  readonly operatorKubeconfig?: pulumi.Output<string>;
  /** Hub: a kubeconfig per member, for its stack to register with (its own registrar). */
  readonly registrarKubeconfigs?: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: ClusterBootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
    super("yunshu:infra:ClusterBootstrap", name, {}, opts);
    const { cluster } = args;
    this.provider = new k8s.Provider(
      name,
      { kubeconfig: args.kubeconfig, clusterIdentifier: args.clusterIdentifier, enableServerSideApply: true },
      { parent: this, dependsOn: args.ready },
    );
    const on = (extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({ parent: this, provider: this.provider, ...extra });

    const crds = args.manifests
      .filter((m) => m.kind === "CustomResourceDefinition")
      .map((m) => new k8s.apiextensions.v1.CustomResourceDefinition(m.metadata.name, m as k8s.apiextensions.v1.CustomResourceDefinitionArgs, on({ retainOnDelete: args.keepCrdsOnDestroy })));

    // The credentials namespace on members too: crds/ puts the operator's Role there everywhere.
    const namespaces = [OPERATOR_NAMESPACE, CLUSTER_CREDENTIALS_NAMESPACE, ...args.platformNamespaces].map(
      (ns) =>
        new k8s.core.v1.Namespace(
          ns,
          {
            metadata: {
              name: ns,
              labels: {
                ...MANAGED_BY,
                "yunshu.io/platform": "true",
                // The operator needs nothing more than the restricted profile; nothing runs among the credentials.
                ...(ns === OPERATOR_NAMESPACE || ns === CLUSTER_CREDENTIALS_NAMESPACE ? { "pod-security.kubernetes.io/enforce": "restricted" } : {}),
              },
            },
          },
          on(),
        ),
    );
    const foundations = [...crds, ...namespaces];
    const endpoint = args.kubeconfig.apply((k) => endpointOf(k, `cluster ${cluster.name}`));

    if (args.role === "hub") {
      if (!args.chart) throw new Error(`cluster ${cluster.name}: the hub needs the operator's chart`);
      const { operator } = args.chart;
      new k8s.helm.v4.Chart(
        "yunshu",
        {
          chart: args.chart.path,
          namespace: OPERATOR_NAMESPACE,
          // Installed above from crds/, before anything that uses them.
          skipCrds: true,
          skipAwait: !args.chart.awaitOperator,
          values: {
            ...operator.values,
            image: { ...(operator.values?.image as object | undefined), ...operator.image },
            ...(operator.replicas ? { replicas: operator.replicas } : {}),
            // Created above with the platform namespaces; two owners of one Namespace would delete it under each other.
            clusterCredentials: { createNamespace: false },
            // Created below: the SDK cannot take a MutatingAdmissionPolicy from a chart ("unknown resource type").
            tenantFinalizerPolicy: false,
          },
        },
        { parent: this, providers: { kubernetes: this.provider }, dependsOn: foundations, transforms: [boundedAwait(args.chart.awaitTimeoutSeconds)] },
      );
      installManifests(args.manifests.filter(isMutatingPolicy), on({ dependsOn: crds }));
      const registrars = Object.fromEntries((args.members ?? []).map((member) => [member, this.registrar(member, on, foundations, endpoint, cluster.name)]));
      this.registrarKubeconfigs = pulumi.secret(pulumi.all(registrars));
      clusterResource(cluster, undefined, on({ dependsOn: crds }));
    } else {
      const installed = installManifests(args.manifests, on({ dependsOn: foundations }));
      const serviceAccounts = installed.filter((m) => m.kind === "ServiceAccount").map((m) => m.resource);
      this.operatorKubeconfig = this.tokenKubeconfig(OPERATOR_SERVICE_ACCOUNT, on({ dependsOn: serviceAccounts }), endpoint, cluster.name);
    }
    this.registerOutputs({});
  }

  /** A long-lived token for a ServiceAccount, from a Secret the token controller fills in. */
  private tokenKubeconfig(serviceAccount: string, opts: pulumi.CustomResourceOptions, endpoint: pulumi.Output<ClusterEndpoint>, cluster: string): pulumi.Output<string> {
    const secret = new k8s.core.v1.Secret(
      `${serviceAccount}-token`,
      {
        metadata: { name: `${serviceAccount}-token`, namespace: OPERATOR_NAMESPACE, labels: MANAGED_BY, annotations: { "kubernetes.io/service-account.name": serviceAccount } },
        type: "kubernetes.io/service-account-token",
      },
      opts,
    );
    const token = secret.data.apply((data) => {
      const encoded = data?.token;
      if (!encoded) throw new Error(`cluster ${cluster}: ${OPERATOR_NAMESPACE}/${serviceAccount}-token has no token: is kube-controller-manager's token controller running?`);
      return Buffer.from(encoded, "base64").toString("utf8");
    });
    return pulumi.secret(pulumi.all([endpoint, token]).apply(([ep, t]) => renderTokenKubeconfig({ cluster, user: serviceAccount, endpoint: ep, token: t })));
  }

  /** The identity `member`'s stack registers with (./registrar.ts), and a kubeconfig for it. */
  private registrar(
    member: string,
    on: (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions,
    foundations: pulumi.Resource[],
    endpoint: pulumi.Output<ClusterEndpoint>,
    cluster: string,
  ): pulumi.Output<string> {
    const objects = registrarObjects(member, MANAGED_BY);
    const name = registrarName(member);
    const sa = new k8s.core.v1.ServiceAccount(name, objects.serviceAccount, on({ dependsOn: foundations }));
    const role = new k8s.rbac.v1.Role(name, objects.role, on({ dependsOn: foundations }));
    const clusterRole = new k8s.rbac.v1.ClusterRole(name, objects.clusterRole, on({ dependsOn: foundations }));
    const bindings = [
      new k8s.rbac.v1.RoleBinding(name, objects.roleBinding, on({ dependsOn: [role, sa] })),
      new k8s.rbac.v1.ClusterRoleBinding(name, objects.clusterRoleBinding, on({ dependsOn: [clusterRole, sa] })),
    ];
    return this.tokenKubeconfig(name, on({ dependsOn: [sa, ...bindings] }), endpoint, cluster);
  }
}
