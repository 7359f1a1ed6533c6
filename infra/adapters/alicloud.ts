// An ACK managed cluster with one node pool, on Alibaba Cloud or an Apsara
// Stack government cloud. Credentials come from the environment
// (ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY, or a RAM role), never from the
// topology; an Apsara Stack's endpoints go in the stack config
// alicloud:endpoints, which this explicit provider does not override.
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAdapter } from "./adapter.ts";

export const provisionAlicloud: ClusterAdapter = (cluster) => {
  const spec = cluster.alicloud!;
  const provider = new alicloud.Provider(`${cluster.name}-alicloud`, { region: spec.region });
  const tags = { "yunshu.io/cluster": cluster.name, "yunshu.io/tier": cluster.tier };
  const ack = new alicloud.cs.ManagedKubernetes(
    cluster.name,
    {
      name: `yunshu-${cluster.name}`,
      clusterSpec: spec.clusterSpec,
      ...(spec.kubernetesVersion ? { version: spec.kubernetesVersion } : {}),
      vswitchIds: spec.vswitchIds,
      podCidr: spec.podCidr,
      serviceCidr: spec.serviceCidr,
      // A government cluster's API server stays on the private network.
      slbInternetEnabled: false,
      newNatGateway: false,
      // Departments' workloads live here: deleting the cluster takes a deliberate second step.
      deletionProtection: true,
      tags,
    },
    { provider },
  );
  const pool = new alicloud.cs.NodePool(
    `${cluster.name}-default`,
    {
      clusterId: ack.id,
      nodePoolName: "default",
      vswitchIds: spec.vswitchIds,
      instanceTypes: spec.nodePool.instanceTypes,
      desiredSize: String(spec.nodePool.desiredSize),
      systemDiskCategory: spec.nodePool.systemDiskCategory,
      systemDiskSize: spec.nodePool.systemDiskSize,
      labels: [{ key: "yunshu.io/cluster", value: cluster.name }],
      tags,
    },
    { provider },
  );
  const credential = alicloud.cs.getClusterCredentialOutput({ clusterId: ack.id }, { provider });
  return { kubeconfig: pulumi.secret(credential.kubeConfig), ready: [pool] };
};
