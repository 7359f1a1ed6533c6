// The fleet registry against real API servers: a hub and a member control
// plane on loopback, the member reached through a kubeconfig Secret holding
// a real token of its own yunshu-operator ServiceAccount. The member's API
// server goes away and comes back, and its credentials are rotated, while
// the operator runs: the Cluster's status follows without a restart, and the
// hub's own Cluster stays Ready throughout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cluster } from "../../operator/api/generated.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { CLUSTERS, SECRETS } from "../../operator/api/resources.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { clusterObject, kubeconfigSecret } from "../../tools/local/fleet.ts";
import { installYunshu, OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT, startOperator } from "../../tools/local/yunshu.ts";

let hub: ControlPlane;
let member: ControlPlane;
let operator: Operator;
let admin: KubeClient;

async function readiness(name: string): Promise<{ status?: string; reason?: string; message?: string; version?: string }> {
  const c = await admin.get<Cluster & KubeObject>(CLUSTERS, name);
  const ready = c?.status?.conditions?.find((x) => x.type === "Ready");
  return { status: ready?.status, reason: ready?.reason, message: ready?.message, version: c?.status?.kubernetesVersion };
}

const waitForReadiness = (name: string, reason: string, timeoutMs = 20_000) =>
  eventually(`cluster ${name} to report ${reason}`, async () => ((await readiness(name)).reason === reason ? readiness(name) : undefined), { timeoutMs });

beforeAll(async () => {
  [hub, member] = await Promise.all([ControlPlane.start({ name: "fleet-hub" }), ControlPlane.start({ name: "fleet-changsha" })]);
  const [identity, memberIdentity] = await Promise.all([installYunshu(hub), installYunshu(member)]);
  admin = new KubeClient(hub.credentials());
  await admin.apply(SECRETS, kubeconfigSecret("cluster-changsha", member.renderKubeconfig(memberIdentity)), "test");
  operator = await startOperator(hub, identity, { clusterProbeIntervalMs: 1_000 });
  await admin.create(CLUSTERS, clusterObject("hunan", { region: "hunan", tier: "province" }));
  await admin.create(CLUSTERS, clusterObject("changsha", { region: "changsha", tier: "city", kubeconfigSecretRef: { name: "cluster-changsha" } }));
});

afterAll(async () => {
  await operator?.stop();
  await Promise.all([hub?.stop(), member?.stop()]);
});

describe("the fleet registry", () => {
  it("reaches the hub with its own identity and a member through its kubeconfig Secret", async () => {
    const [h, c] = await Promise.all([waitForReadiness("hunan", "Reachable"), waitForReadiness("changsha", "Reachable")]);
    expect(h).toMatchObject({ status: "True", version: "v1.37.2" });
    expect(c).toMatchObject({ status: "True", version: "v1.37.2" });
    const table = await hub.kubectl(["get", "clusters.yunshu.io"]);
    expect(table.stdout).toMatch(/^changsha\s+.*changsha\s+city\s+True\s+v1\.37\.2/m);
  });

  it("says which Secret is missing", async () => {
    await admin.create(CLUSTERS, clusterObject("zhuzhou", { region: "zhuzhou", tier: "city", kubeconfigSecretRef: { name: "cluster-zhuzhou" } }));
    const z = await waitForReadiness("zhuzhou", "SecretNotFound");
    expect(z.status).toBe("False");
    expect(z.message).toContain("Secret yunshu-clusters/cluster-zhuzhou, which holds this cluster's kubeconfig, does not exist");
  });

  it("marks a member whose API server is down Unreachable, keeps the hub Ready, and sees it come back without a restart", async () => {
    await member.stopApiServer();
    const down = await waitForReadiness("changsha", "Unreachable");
    expect(down.status).toBe("False");
    expect(down.message).toContain(`the API server at ${member.server} does not answer`);
    // The last version seen stays: it is still what runs there.
    expect(down.version).toBe("v1.37.2");
    expect((await readiness("hunan")).status).toBe("True");
    await member.startApiServer();
    expect((await waitForReadiness("changsha", "Reachable")).status).toBe("True");
  });

  it("follows a rotated kubeconfig Secret: bad credentials show as Unauthorized, good ones as Reachable", async () => {
    const good = member.renderKubeconfig(await member.serviceAccountIdentity(OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT));
    const bad = good.replace(/token: .*/, "token: not-a-valid-token");
    await admin.apply(SECRETS, kubeconfigSecret("cluster-changsha", bad), "test");
    const refused = await waitForReadiness("changsha", "Unauthorized");
    expect(refused.message).toContain("refuses yunshu's credentials");
    await admin.apply(SECRETS, kubeconfigSecret("cluster-changsha", good), "test");
    expect((await waitForReadiness("changsha", "Reachable")).status).toBe("True");
  });

  it("refuses a kubeconfig that points at files on the operator's disk", async () => {
    await admin.apply(SECRETS, kubeconfigSecret("cluster-zhuzhou", "apiVersion: v1\nkind: Config\nclusters: [{name: z, cluster: {server: 'https://127.0.0.1:1', certificate-authority: /etc/ca.crt}}]\n"), "test");
    const z = await waitForReadiness("zhuzhou", "InvalidKubeconfig");
    expect(z.message).toContain("refers to files (certificate-authority)");
  });
});
