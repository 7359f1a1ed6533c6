// Member clusters for tests and the demo, registered the way the platform
// team (or the Pulumi bootstrap) registers them: yunshu installed on the
// member, a token of the member's own yunshu-operator ServiceAccount in a
// kubeconfig Secret in the hub's yunshu-clusters, and a Cluster naming it.
import type { Cluster } from "../../operator/api/generated.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { CLUSTERS, SECRETS } from "../../operator/api/resources.ts";
import type { ControlPlane } from "../controlplane/controlplane.ts";
import { CLUSTER_CREDENTIALS_NAMESPACE } from "../../operator/api/names.ts";
import { installYunshu } from "./yunshu.ts";

export function kubeconfigSecret(name: string, kubeconfig: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: CLUSTER_CREDENTIALS_NAMESPACE },
    data: { kubeconfig: Buffer.from(kubeconfig).toString("base64") },
  } as KubeObject;
}

export const clusterObject = (name: string, spec: Cluster["spec"]) => ({ apiVersion: "yunshu.io/v1alpha1", kind: "Cluster", metadata: { name }, spec }) as Cluster & KubeObject;

/**
 * Installs yunshu on `member` and registers it in `hub` as Cluster `name`,
 * acting on the hub as `registrar` (the admin unless given, e.g. the
 * registrar ServiceAccount the Pulumi bootstrap creates); returns the
 * member's operator identity. yunshu must be installed on the hub already:
 * the kubeconfig Secret goes into its yunshu-clusters.
 */
export async function registerMember(
  hub: ControlPlane,
  member: ControlPlane,
  name: string,
  spec: Omit<Cluster["spec"], "kubeconfigSecretRef">,
  registrar?: string,
): Promise<string> {
  const identity = await installYunshu(member);
  const writer = new KubeClient(hub.credentials(registrar));
  await writer.apply(SECRETS, kubeconfigSecret(`cluster-${name}`, member.renderKubeconfig(identity)), "yunshu-test");
  await writer.apply(CLUSTERS, clusterObject(name, { ...spec, kubeconfigSecretRef: { name: `cluster-${name}` } }), "yunshu-test");
  return identity;
}

/** Registers the hub as a member of its own fleet: a Cluster without a kubeconfig Secret. */
export async function registerHub(hub: ControlPlane, name: string, spec: Omit<Cluster["spec"], "kubeconfigSecretRef">): Promise<void> {
  await new KubeClient(hub.credentials()).apply(CLUSTERS, clusterObject(name, spec), "yunshu-test");
}
