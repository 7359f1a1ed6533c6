// yunshu's own manifests (crds/) as Pulumi resources, one typed resource per
// object, so that a preview names each ClusterRole and policy it changes and
// the unit tests can see them. crds/ stays the one source: the chart and
// `yunshu install` read the same files.
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { CLUSTER_API_VERSION, CLUSTER_KIND } from "../../operator/api/generated.ts";
import type { KubeObject } from "../../operator/api/meta.ts";
import { CLUSTER_CREDENTIALS_NAMESPACE, OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT } from "../../operator/api/names.ts";
import type { ClusterSpec } from "../topology/topology.ts";

export { CLUSTER_CREDENTIALS_NAMESPACE, OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT };

type Create = (name: string, obj: never, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The kinds crds/ holds besides CRDs and Namespaces, which the bootstrap creates itself. */
const CONSTRUCTORS: Record<string, Create> = {
  ServiceAccount: (n, o, opts) => new k8s.core.v1.ServiceAccount(n, o, opts),
  ClusterRole: (n, o, opts) => new k8s.rbac.v1.ClusterRole(n, o, opts),
  ClusterRoleBinding: (n, o, opts) => new k8s.rbac.v1.ClusterRoleBinding(n, o, opts),
  Role: (n, o, opts) => new k8s.rbac.v1.Role(n, o, opts),
  RoleBinding: (n, o, opts) => new k8s.rbac.v1.RoleBinding(n, o, opts),
  ValidatingAdmissionPolicy: (n, o, opts) => new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(n, o, opts),
  ValidatingAdmissionPolicyBinding: (n, o, opts) => new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(n, o, opts),
  // The SDK has no typed v1 class for these yet; the provider applies them by kind.
  MutatingAdmissionPolicy: (n, o, opts) => new k8s.apiextensions.CustomResource(n, o, opts),
  MutatingAdmissionPolicyBinding: (n, o, opts) => new k8s.apiextensions.CustomResource(n, o, opts),
};

/** The kinds the hub's chart leaves to the bootstrap (tenantFinalizerPolicy: false). */
export const isMutatingPolicy = (m: KubeObject) => m.kind === "MutatingAdmissionPolicy" || m.kind === "MutatingAdmissionPolicyBinding";

export interface InstalledManifest {
  kind: string;
  resource: pulumi.CustomResource;
}

/**
 * Creates the resources for a member's share of crds/: its ClusterRoles,
 * bindings, admission policies and the operator's identity. Resource names
 * carry the kind, since a Role and a RoleBinding often share a name.
 */
export function installManifests(manifests: KubeObject[], opts: pulumi.CustomResourceOptions): InstalledManifest[] {
  return manifests
    .filter((m) => m.kind !== "CustomResourceDefinition" && m.kind !== "Namespace")
    .map((m) => {
      const create = CONSTRUCTORS[m.kind!];
      if (!create) throw new Error(`crds/: the bootstrap does not know kind ${m.kind} (${m.metadata.name}); add it to infra/bootstrap/manifests.ts`);
      const name = `${m.kind!.toLowerCase()}-${m.metadata.namespace ? `${m.metadata.namespace}-` : ""}${m.metadata.name}`;
      return { kind: m.kind!, resource: create(name, m as never, opts) };
    });
}

/** The Cluster object that registers a cluster in the hub; no Secret for the hub itself. */
export function clusterResource(cluster: ClusterSpec, kubeconfigSecret: string | undefined, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    `cluster-${cluster.name}`,
    {
      apiVersion: CLUSTER_API_VERSION,
      kind: CLUSTER_KIND,
      metadata: { name: cluster.name, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
      spec: {
        displayName: cluster.displayName,
        region: cluster.region,
        tier: cluster.tier,
        ...(cluster.capacity ? { capacity: cluster.capacity } : {}),
        ...(kubeconfigSecret ? { kubeconfigSecretRef: { name: kubeconfigSecret, key: "kubeconfig" } } : {}),
      },
    },
    opts,
  );
}
