// The stack program under Pulumi's mocks: what each adapter and role
// creates, that every Kubernetes resource goes through the cluster's own
// provider, and that kubeconfigs and tokens never leave a secret. No cloud
// and no cluster: the mocks answer for the engine. The real engine, CLI and
// Kubernetes provider run in test/infra/infra.int.test.ts.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { loadManifests } from "../operator/api/manifests.ts";
import { clusterProgram, stackProgram } from "./program.ts";
import { renderTokenKubeconfig } from "./bootstrap/kubeconfig.ts";
import type { StackSettings } from "./stacks.ts";
import { validateTopology, type ClusterSpec, type Topology } from "./topology/topology.ts";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider?: string;
  custom?: boolean;
}

const ADMIN_KUBECONFIG = renderTokenKubeconfig({ cluster: "x", user: "admin", endpoint: { server: "https://10.1.2.3:6443", caData: "Q0E=" }, token: "admin-secret-token" });
const SA_TOKEN = "sa-secret-token";
/** The members these tests run stacks for, each with a registrar in the hub's stack outputs. */
const MEMBERS = ["changsha", "yueyang", "hengyang"];
const registrarKubeconfig = (member: string) =>
  renderTokenKubeconfig({ cluster: "hunan", user: `yunshu-registrar-${member}`, endpoint: { server: "https://10.1.2.3:6443", caData: "Q0E=" }, token: `registrar-${member}-token` });

function base64(s: string): string {
  return Buffer.from(s).toString("base64");
}

/** Fills in what the cloud or the cluster would: ids, a token controller, Magnum's kubeconfig, the hub stack's outputs. */
function outputsFor(args: { type: string; name: string; inputs: Record<string, unknown> }): Record<string, unknown> {
  const inputs = args.inputs;
  switch (args.type) {
    case "kubernetes:core/v1:Secret":
      return inputs.type === "kubernetes.io/service-account-token" ? { ...inputs, data: { token: base64(SA_TOKEN), "ca.crt": base64("CA") } } : inputs;
    case "openstack:containerinfra/cluster:Cluster":
      return { ...inputs, kubeconfig: { rawConfig: ADMIN_KUBECONFIG, host: "https://10.1.2.3:6443" } };
    case "pulumi:pulumi:StackReference":
      return { ...inputs, outputs: { registrarKubeconfigs: Object.fromEntries(MEMBERS.map((m) => [m, registrarKubeconfig(m)])) }, secretOutputNames: ["registrarKubeconfigs"] };
    default:
      return inputs;
  }
}

async function runProgram(
  settings: StackSettings,
  config: Record<string, string> = {},
  program: () => Promise<Record<string, unknown>> = () => clusterProgram(settings),
): Promise<{ resources: Registered[]; outputs: Record<string, unknown>; retainedOnDelete: string[]; transforms: Record<string, pulumi.ResourceTransform[]> }> {
  const resources: Registered[] = [];
  const retainedOnDelete: string[] = [];
  const transforms: Record<string, pulumi.ResourceTransform[]> = {};
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, ...(args.provider ? { provider: args.provider } : {}), ...(args.custom !== undefined ? { custom: args.custom } : {}) });
        return { id: `${args.name}-id`, state: outputsFor(args) };
      },
      call(args) {
        if (args.token === "alicloud:cs/getClusterCredential:getClusterCredential") return { kubeConfig: ADMIN_KUBECONFIG, clusterId: args.inputs.clusterId };
        if (args.token === "openstack:containerinfra/getClusterTemplate:getClusterTemplate") return { id: "template-id", name: args.inputs.name };
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "yunshu-infra",
    `test.${settings.cluster}`,
    false,
    "organization",
  );
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`yunshu-infra:${k}`, v])),
    Object.keys(config).map((k) => `yunshu-infra:${k}`),
  );
  // As the CLI runs a program: under the stack's root resource. Resource
  // options never reach the mocks; a stack transformation sees them.
  let outputs: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      if (args.opts.retainOnDelete) retainedOnDelete.push(`${args.type}::${args.name}`);
      if (args.opts.transforms) transforms[`${args.type}::${args.name}`] = args.opts.transforms;
      return undefined;
    });
    outputs = await program();
    return outputs;
  });
  // Every registration the program started has reached the mocks once this resolves.
  await pulumi.runtime.disconnect();
  return { resources, outputs, retainedOnDelete, transforms };
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const isSecretValue = (v: unknown) => typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] === SECRET;

/** The inputs as anyone reading the state in plain text would see them: every secret value blanked out. */
function visible(value: unknown): unknown {
  if (isSecretValue(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(visible);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visible(v)]));
  return value;
}

const unwrap = <T>(o: unknown) => new Promise<T>((resolve) => (o as pulumi.Output<T>).apply(resolve));

const existing = (name: string, tier: ClusterSpec["tier"] = "city"): ClusterSpec => ({ name, displayName: `${name} cloud`, tier, region: name, adapter: "existing" });

function topology(clusters: ClusterSpec[]): Topology {
  return validateTopology({
    name: "hunan",
    hub: "hunan",
    operator: { image: { repository: "harbor.example/yunshu/operator", tag: "0.1.0" }, replicas: 2 },
    platformNamespaces: ["monitoring"],
    clusters,
  });
}

const settings = (t: Topology, cluster: string): StackSettings => ({
  topology: t,
  environment: "test",
  cluster,
  keepCrdsOnDestroy: true,
  awaitOperator: true,
  awaitOperatorTimeoutSeconds: 300,
});

const byType = (resources: Registered[], type: string) => resources.filter((r) => r.type === type);
const names = (resources: Registered[], type: string) => byType(resources, type).map((r) => r.name).sort();

describe("the hub's stack", () => {
  const t = topology([existing("hunan", "province"), existing("changsha")]);

  it("installs the CRDs, platform namespaces, the chart, a registrar per member and the hub's Cluster, all through its own provider", async () => {
    const manifests = await loadManifests();
    const { resources, outputs } = await runProgram(settings(t, "hunan"), { kubeconfig: ADMIN_KUBECONFIG });

    const providers = byType(resources, "pulumi:providers:kubernetes");
    expect(providers.map((p) => p.name)).toEqual(["hunan"]);
    expect(providers[0]!.inputs.clusterIdentifier).toBe("hunan/hunan");

    const crdNames = manifests.filter((m) => m.kind === "CustomResourceDefinition").map((m) => m.metadata.name);
    expect(names(resources, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition")).toEqual([...crdNames].sort());
    expect(names(resources, "kubernetes:core/v1:Namespace")).toEqual(["monitoring", "yunshu-clusters", "yunshu-system"]);

    const [chart] = byType(resources, "kubernetes:helm.sh/v4:Chart");
    expect(chart?.inputs).toMatchObject({ namespace: "yunshu-system", skipCrds: true, skipAwait: false, values: { image: { repository: "harbor.example/yunshu/operator", tag: "0.1.0" }, replicas: 2, clusterCredentials: { createNamespace: false } } });
    expect(String(chart?.inputs.chart)).toMatch(/charts\/yunshu$/);

    // The member's registrar writes its own Cluster object and its own Secret in yunshu-clusters, nothing else;
    // never Secrets where the operator's identity lives.
    expect(names(resources, "kubernetes:core/v1:ServiceAccount")).toEqual(["yunshu-registrar-changsha"]);
    expect(byType(resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")[0]?.inputs.rules).toEqual([
      { apiGroups: ["yunshu.io"], resources: ["clusters"], verbs: ["create"] },
      { apiGroups: ["yunshu.io"], resources: ["clusters"], verbs: ["get", "list", "watch", "update", "patch", "delete"], resourceNames: ["changsha"] },
      { apiGroups: ["yunshu.io"], resources: ["clusters"], verbs: ["list", "watch"] },
    ]);
    const roles = byType(resources, "kubernetes:rbac.authorization.k8s.io/v1:Role");
    expect(roles.map((r) => r.inputs.metadata)).toMatchObject([{ name: "yunshu-registrar-changsha", namespace: "yunshu-clusters" }]);
    expect(roles[0]?.inputs.rules).toEqual([
      { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
      { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch", "update", "patch", "delete"], resourceNames: ["cluster-changsha"] },
    ]);
    expect(byType(resources, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").map((r) => r.inputs.metadata)).toMatchObject([{ name: "yunshu-registrar-changsha", namespace: "yunshu-clusters" }]);
    const [hubCluster] = byType(resources, "kubernetes:yunshu.io/v1alpha1:Cluster");
    expect(hubCluster?.inputs).toMatchObject({ metadata: { name: "hunan" }, spec: { displayName: "hunan cloud", tier: "province", region: "hunan" } });
    expect((hubCluster?.inputs.spec as Record<string, unknown>).kubeconfigSecretRef).toBeUndefined();

    // The member ClusterRoles and policies come with the chart on the hub, not one by one.
    expect(byType(resources, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy")).toEqual([]);

    const k8sResources = resources.filter((r) => r.type.startsWith("kubernetes:") && r.custom !== false);
    expect(k8sResources.length).toBeGreaterThan(10);
    for (const r of k8sResources) expect(r.provider, `${r.type} ${r.name}`).toMatch(/pulumi:providers:kubernetes::hunan::/);

    expect(await pulumi.isSecret(outputs.registrarKubeconfigs as pulumi.Output<Record<string, string>>)).toBe(true);
    const registrars = await unwrap<Record<string, string>>(outputs.registrarKubeconfigs);
    expect(Object.keys(registrars)).toEqual(["changsha"]);
    expect(registrars.changsha).toContain(SA_TOKEN);
    expect(registrars.changsha).toContain("https://10.1.2.3:6443");
    expect(registrars.changsha).toContain("yunshu-registrar-changsha");
  });

  it("keeps the CRDs, and with them every Tenant, when the stack is destroyed, unless keepCrdsOnDestroy is false", async () => {
    const crds = (await loadManifests()).filter((m) => m.kind === "CustomResourceDefinition").map((m) => `kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition::${m.metadata.name}`);
    const kept = await runProgram(settings(t, "hunan"), { kubeconfig: ADMIN_KUBECONFIG });
    expect(kept.retainedOnDelete.sort()).toEqual(crds.sort());
    const dropped = await runProgram({ ...settings(t, "hunan"), keepCrdsOnDestroy: false }, { kubeconfig: ADMIN_KUBECONFIG });
    expect(dropped.retainedOnDelete).toEqual([]);
  });

  it("waits for the operator's Deployment unless told not to (a control plane without nodes)", async () => {
    const waits = await runProgram(settings(t, "hunan"), { kubeconfig: ADMIN_KUBECONFIG });
    expect(byType(waits.resources, "kubernetes:helm.sh/v4:Chart")[0]?.inputs.skipAwait).toBe(false);
    const skips = await runProgram({ ...settings(t, "hunan"), awaitOperator: false }, { kubeconfig: ADMIN_KUBECONFIG });
    expect(byType(skips.resources, "kubernetes:helm.sh/v4:Chart")[0]?.inputs.skipAwait).toBe(true);
  });

  it("gives up waiting for the chart's objects after awaitOperatorTimeoutSeconds from the stack's config, 300 unless set", async () => {
    const dir = await mkdtemp(join(tmpdir(), "yunshu-infra-"));
    const topologyFile = join(dir, "topology.yaml");
    await writeFile(topologyFile, stringify(t));
    /** What the chart's transforms do to an object it renders, and to the Chart itself. */
    const transformed = async (config: Record<string, string>) => {
      const { transforms } = await runProgram(settings(t, "hunan"), { kubeconfig: ADMIN_KUBECONFIG, topology: topologyFile, ...config }, stackProgram);
      const chartTransforms = transforms["kubernetes:helm.sh/v4:Chart::yunshu"] ?? [];
      const apply = async (custom: boolean, type: string) => {
        let args: pulumi.ResourceTransformArgs = { custom, type, name: "yunshu-system/yunshu-operator", props: { metadata: { name: "yunshu-operator" } }, opts: { dependsOn: [] } };
        for (const transform of chartTransforms) args = { ...args, ...(await transform(args)) };
        return { props: args.props, opts: args.opts };
      };
      return { deployment: await apply(true, "kubernetes:apps/v1:Deployment"), chart: await apply(false, "kubernetes:helm.sh/v4:Chart") };
    };
    const byDefault = await transformed({});
    expect(byDefault.deployment).toEqual({ props: { metadata: { name: "yunshu-operator" } }, opts: { dependsOn: [], customTimeouts: { create: "300s", update: "300s" } } });
    expect(byDefault.chart.opts).toEqual({ dependsOn: [] });
    expect((await transformed({ awaitOperatorTimeoutSeconds: "60" })).deployment.opts.customTimeouts).toEqual({ create: "60s", update: "60s" });

    await pulumi.runtime.setMocks({ newResource: (args) => ({ id: args.name, state: args.inputs }), call: () => ({}) }, "yunshu-infra", "test.hunan", false, "organization");
    pulumi.runtime.setAllConfig({ "yunshu-infra:topology": topologyFile, "yunshu-infra:awaitOperatorTimeoutSeconds": "0" });
    expect(() => stackProgram()).toThrow(/yunshu-infra:awaitOperatorTimeoutSeconds' value '0' is outside of the legal range \(min 1/);
  });
});

describe("a member's stack", () => {
  it("installs what `yunshu install` does, mints the operator's token and registers the member in the hub as a secret", async () => {
    const t = topology([existing("hunan", "province"), { ...existing("changsha"), capacity: { allocatable: { pods: "4000" } } }]);
    const manifests = await loadManifests();
    const { resources, retainedOnDelete } = await runProgram(settings(t, "changsha"), { kubeconfig: ADMIN_KUBECONFIG });

    expect(names(resources, "pulumi:providers:kubernetes")).toEqual(["changsha", "hub"]);
    expect(byType(resources, "kubernetes:helm.sh/v4:Chart")).toEqual([]);
    for (const kind of ["ClusterRole", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]) {
      const expected = manifests.filter((m) => m.kind === kind).map((m) => m.metadata.name);
      const group = kind === "ClusterRole" ? "rbac.authorization.k8s.io" : "admissionregistration.k8s.io";
      const created = byType(resources, `kubernetes:${group}/v1:${kind}`).map((r) => (r.inputs.metadata as { name: string }).name);
      expect(created.sort(), kind).toEqual(expected.sort());
    }
    const [token] = byType(resources, "kubernetes:core/v1:Secret").filter((s) => s.inputs.type === "kubernetes.io/service-account-token");
    expect(token?.inputs.metadata).toMatchObject({ namespace: "yunshu-system", annotations: { "kubernetes.io/service-account.name": "yunshu-operator" } });
    for (const r of resources.filter((r) => r.type.startsWith("kubernetes:") && r.name !== "hub" && r.custom !== false)) {
      expect(r.provider, `${r.type} ${r.name}`).toMatch(/pulumi:providers:kubernetes::(changsha|hub)::/);
    }

    // Registration in the hub, through the hub's provider. The Secret belongs to its Cluster, which deletes it.
    const [registration] = byType(resources, "kubernetes:core/v1:Secret").filter((s) => s.name === "cluster-changsha");
    expect(registration?.provider).toMatch(/pulumi:providers:kubernetes::hub::/);
    expect(registration?.inputs.metadata).toMatchObject({
      name: "cluster-changsha",
      namespace: "yunshu-clusters",
      ownerReferences: [{ apiVersion: "yunshu.io/v1alpha1", kind: "Cluster", name: "changsha" }],
    });
    expect(retainedOnDelete).toContain("kubernetes:core/v1:Secret::cluster-changsha");
    const [clusterObject] = byType(resources, "kubernetes:yunshu.io/v1alpha1:Cluster");
    expect(clusterObject?.provider).toMatch(/pulumi:providers:kubernetes::hub::/);
    expect(clusterObject?.inputs.spec).toEqual({
      displayName: "changsha cloud",
      region: "changsha",
      tier: "city",
      capacity: { allocatable: { pods: "4000" } },
      kubeconfigSecretRef: { name: "cluster-changsha", key: "kubeconfig" },
    });
    const stackRef = byType(resources, "pulumi:pulumi:StackReference")[0];
    expect(stackRef?.name).toBe("organization/yunshu-infra/test.hunan");
    // It registers with its own registrar, the one the hub made for changsha.
    const hubProvider = byType(resources, "pulumi:providers:kubernetes").find((p) => p.name === "hub");
    expect(isSecretValue(hubProvider?.inputs.kubeconfig)).toBe(true);
    expect((hubProvider?.inputs.kubeconfig as { value?: string }).value).toBe(registrarKubeconfig("changsha"));
  });

  it("never lets a kubeconfig or token out of a secret", async () => {
    const t = topology([existing("hunan", "province"), existing("changsha")]);
    const { resources } = await runProgram(settings(t, "changsha"), { kubeconfig: ADMIN_KUBECONFIG });
    const shown = JSON.stringify(visible(resources));
    expect(shown).not.toContain(SA_TOKEN);
    expect(shown).not.toContain("admin-secret-token");
    // ...yet they are there, inside the secrets: the registration carries the member operator's token.
    const registration = byType(resources, "kubernetes:core/v1:Secret").find((s) => s.name === "cluster-changsha");
    expect(isSecretValue(registration?.inputs.stringData)).toBe(true);
    expect(JSON.stringify(registration?.inputs.stringData)).toContain(SA_TOKEN);
    for (const p of byType(resources, "pulumi:providers:kubernetes")) expect(isSecretValue(p.inputs.kubeconfig), p.name).toBe(true);
  });
});

describe("adapters", () => {
  it("alicloud: an ACK managed cluster and a node pool through a regional provider, the kubeconfig from its credential", async () => {
    const t = topology([
      existing("hunan", "province"),
      {
        ...existing("yueyang"),
        adapter: "alicloud",
        alicloud: {
          region: "cn-hunan-gov-1",
          clusterSpec: "ack.pro.small",
          vswitchIds: ["vsw-a", "vsw-b"],
          podCidr: "10.30.0.0/16",
          serviceCidr: "192.168.0.0/16",
          nodePool: { instanceTypes: ["ecs.g7.4xlarge"], desiredSize: 6, systemDiskCategory: "cloud_essd", systemDiskSize: 120 },
        },
      },
    ]);
    const { resources } = await runProgram(settings(t, "yueyang"));
    const [provider] = byType(resources, "pulumi:providers:alicloud");
    expect(provider?.inputs.region).toBe("cn-hunan-gov-1");
    const [ack] = byType(resources, "alicloud:cs/managedKubernetes:ManagedKubernetes");
    expect(ack?.inputs).toMatchObject({ name: "yunshu-yueyang", clusterSpec: "ack.pro.small", vswitchIds: ["vsw-a", "vsw-b"], deletionProtection: true, slbInternetEnabled: false });
    expect(ack?.provider).toMatch(/pulumi:providers:alicloud::yueyang-alicloud::/);
    const [pool] = byType(resources, "alicloud:cs/nodePool:NodePool");
    expect(pool?.inputs).toMatchObject({ clusterId: "yueyang-id", desiredSize: "6", instanceTypes: ["ecs.g7.4xlarge"] });
    const [k8sProvider] = byType(resources, "pulumi:providers:kubernetes").filter((p) => p.name === "yueyang");
    expect(isSecretValue(k8sProvider?.inputs.kubeconfig)).toBe(true);
    expect(byType(resources, "kubernetes:yunshu.io/v1alpha1:Cluster")).toHaveLength(1);
  });

  it("openstack: a Magnum cluster from the named template, through the cloud's provider", async () => {
    const t = topology([
      existing("hunan", "province"),
      { ...existing("hengyang"), adapter: "openstack", openstack: { cloud: "hengyang", clusterTemplate: "k8s-1.33-ubuntu", masterCount: 3, nodeCount: 6, flavor: "m1.xlarge" } },
    ]);
    const { resources } = await runProgram(settings(t, "hengyang"));
    expect(byType(resources, "pulumi:providers:openstack")[0]?.inputs.cloud).toBe("hengyang");
    const [magnum] = byType(resources, "openstack:containerinfra/cluster:Cluster");
    expect(magnum?.inputs).toMatchObject({ name: "yunshu-hengyang", clusterTemplateId: "template-id", masterCount: 3, nodeCount: 6, flavor: "m1.xlarge" });
    expect(magnum?.provider).toMatch(/pulumi:providers:openstack::hengyang-openstack::/);
    const [k8sProvider] = byType(resources, "pulumi:providers:kubernetes").filter((p) => p.name === "hengyang");
    expect(isSecretValue(k8sProvider?.inputs.kubeconfig)).toBe(true);
  });

  it("existing: the kubeconfig from a file, wrapped as a secret", async () => {
    const dir = await mkdtemp(join(tmpdir(), "yunshu-infra-"));
    await writeFile(join(dir, "changsha.yaml"), ADMIN_KUBECONFIG);
    const t = topology([existing("hunan", "province"), { ...existing("changsha"), existing: { kubeconfigFile: join(dir, "changsha.yaml") } }]);
    const { resources } = await runProgram(settings(t, "changsha"));
    const provider = byType(resources, "pulumi:providers:kubernetes").find((p) => p.name === "changsha");
    expect(isSecretValue(provider?.inputs.kubeconfig)).toBe(true);
    expect(JSON.stringify(provider?.inputs.kubeconfig)).toContain("admin-secret-token");
    expect(JSON.stringify(visible(resources))).not.toContain("admin-secret-token");
  });

  it("existing without a file and without the stack's kubeconfig secret fails and names the setting", async () => {
    const t = topology([existing("hunan", "province"), existing("changsha")]);
    await pulumi.runtime.setMocks({ newResource: (args) => ({ id: args.name, state: args.inputs }), call: () => ({}) }, "yunshu-infra", "test.changsha", false, "organization");
    await expect(clusterProgram(settings(t, "changsha"))).rejects.toThrow(/yunshu-infra:kubeconfig/);
  });
});
