// A Magnum cluster on a city's OpenStack cloud, from a cluster template the
// cloud's operators maintain. Credentials come from clouds.yaml (the entry
// named by `cloud`), never from the topology.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAdapter } from "./adapter.ts";

export const provisionOpenstack: ClusterAdapter = (cluster) => {
  const spec = cluster.openstack!;
  const region = spec.region ? { region: spec.region } : {};
  const provider = new openstack.Provider(`${cluster.name}-openstack`, { cloud: spec.cloud, ...region });
  const template = openstack.containerinfra.getClusterTemplateOutput({ name: spec.clusterTemplate, ...region }, { provider });
  const magnum = new openstack.containerinfra.Cluster(
    cluster.name,
    {
      name: `yunshu-${cluster.name}`,
      clusterTemplateId: template.id,
      masterCount: spec.masterCount,
      nodeCount: spec.nodeCount,
      ...(spec.flavor ? { flavor: spec.flavor } : {}),
      ...(spec.masterFlavor ? { masterFlavor: spec.masterFlavor } : {}),
      ...(spec.keypair ? { keypair: spec.keypair } : {}),
      ...region,
      labels: { "yunshu.io/cluster": cluster.name },
      mergeLabels: true,
    },
    { provider },
  );
  const kubeconfig = magnum.kubeconfig.apply((k) => {
    const raw = k["rawConfig"];
    if (!raw) throw new Error(`cluster ${cluster.name}: Magnum returned no kubeconfig (rawConfig) for ${spec.clusterTemplate}`);
    return raw;
  });
  return { kubeconfig: pulumi.secret(kubeconfig), ready: [magnum] };
};
