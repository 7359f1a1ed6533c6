// The program of one stack: provision one cluster with its adapter,
// bootstrap yunshu in it, and, for a member, register it in the hub.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { resolve } from "node:path";
import { loadManifests } from "../operator/api/manifests.ts";
import { ADAPTER_IMPLEMENTATIONS } from "./adapters/index.ts";
import { ClusterBootstrap } from "./bootstrap/cluster-bootstrap.ts";
import { MemberRegistration } from "./bootstrap/member-registration.ts";
import { INFRA_DIR, loadTopology, parseStackName, PROJECT, stackName, type StackSettings } from "./stacks.ts";
import { clusterNamed } from "./topology/topology.ts";

export const CHART_DIR = resolve(INFRA_DIR, "../charts/yunshu");
/** Room for image pulls and a rolling update of the operator's replicas; where they can never run, the stack fails after it. */
export const AWAIT_OPERATOR_TIMEOUT_SECONDS = 300;

export async function clusterProgram(settings: StackSettings): Promise<Record<string, unknown>> {
  const { topology } = settings;
  const cluster = clusterNamed(topology, settings.cluster);
  const role = cluster.name === topology.hub ? "hub" : "member";
  const provisioned = ADAPTER_IMPLEMENTATIONS[cluster.adapter](cluster, { config: new pulumi.Config(PROJECT) });
  const bootstrap = new ClusterBootstrap(cluster.name, {
    cluster,
    role,
    kubeconfig: provisioned.kubeconfig,
    clusterIdentifier: `${topology.name}/${cluster.name}`,
    manifests: await loadManifests(),
    platformNamespaces: topology.platformNamespaces,
    keepCrdsOnDestroy: settings.keepCrdsOnDestroy,
    ready: provisioned.ready,
    ...(role === "hub"
      ? {
          chart: { path: CHART_DIR, operator: topology.operator, awaitOperator: settings.awaitOperator, awaitTimeoutSeconds: settings.awaitOperatorTimeoutSeconds },
          members: topology.clusters.filter((c) => c.name !== topology.hub).map((c) => c.name),
        }
      : {}),
  });
  if (role === "hub") return { cluster: cluster.name, role, registrarKubeconfigs: bootstrap.registrarKubeconfigs };

  const hubStack = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${stackName(settings.environment, topology.hub)}`);
  // This member's own registrar: it can register this member and nothing else.
  const registrar = (hubStack.requireOutput("registrarKubeconfigs") as pulumi.Output<Record<string, string>>).apply((kubeconfigs) => {
    const kubeconfig = kubeconfigs[cluster.name];
    if (!kubeconfig) throw new Error(`the hub's stack ${stackName(settings.environment, topology.hub)} has no registrar for ${cluster.name}: run the hub's stack first (it makes one per member of the topology)`);
    return kubeconfig;
  });
  const hub = new k8s.Provider("hub", {
    kubeconfig: pulumi.secret(registrar),
    clusterIdentifier: `${topology.name}/${topology.hub}`,
    enableServerSideApply: true,
  });
  const registration = new MemberRegistration(cluster.name, { cluster, hub, kubeconfig: bootstrap.operatorKubeconfig! });
  return { cluster: cluster.name, role, hub: topology.hub, kubeconfigSecret: registration.secretName };
}

/** The program as both `pulumi up` (index.ts) and the driver run it: settings from the stack's name and config. */
export function stackProgram(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config(PROJECT);
  const { environment, cluster } = parseStackName(pulumi.getStack());
  return clusterProgram({
    topology: loadTopology(config.require("topology")),
    environment,
    cluster,
    keepCrdsOnDestroy: config.getBoolean("keepCrdsOnDestroy") ?? true,
    awaitOperator: config.getBoolean("awaitOperator") ?? true,
    awaitOperatorTimeoutSeconds: config.getNumber("awaitOperatorTimeoutSeconds", { min: 1 }) ?? AWAIT_OPERATOR_TIMEOUT_SECONDS,
  });
}
