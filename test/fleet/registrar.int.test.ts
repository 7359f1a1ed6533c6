// The hub's registrars, one identity per member stack, can neither be
// turned into the operator nor reach another member's registration: tested
// with real tokens of two members' registrar ServiceAccounts, created with
// exactly the objects the Pulumi bootstrap creates
// (infra/bootstrap/registrar.ts), on a hub with yunshu installed.
// Writing a token Secret for yunshu-operator would have kube-controller-manager
// fill it with a token of the identity every admission policy exempts; so
// would a TokenRequest. Each refusal is checked on the very object, and that
// the object is absent or unchanged after. The same holds for an anonymous
// client, a tenant owner and a platform user whose RBAC allows these writes
// (only the admission policy stops them), while the registrar still
// registers a member the operator connects, and an admin still mints the
// operator's token as the bootstrap does on members.
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1Secret } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cluster } from "../../operator/api/generated.ts";
import { MANIFEST_KINDS } from "../../operator/api/manifests.ts";
import { CLUSTER_CREDENTIALS_NAMESPACE, OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT } from "../../operator/api/names.ts";
import { CLUSTERS, SECRETS } from "../../operator/api/resources.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type ApiError, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { registrarName, registrarObjects } from "../../infra/bootstrap/registrar.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { clusterObject, kubeconfigSecret, registerMember } from "../../tools/local/fleet.ts";
import { installYunshu, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";
import { apiFailure } from "../support/api-errors.ts";

const TOKEN_TYPE = "kubernetes.io/service-account-token";
/** A platform user granted Secrets and token requests in yunshu-system by RBAC, but not a cluster admin. */
const PLATFORM_USER = "platform-ci";

let hub: ControlPlane;
let member: ControlPlane;
let operator: Operator;
let registrar: string;
/** zhuzhou's registrar: zhuzhou's stack, which must not reach changsha's registration. */
let otherRegistrar: string;
let admin: CoreV1Api;
const as: Record<string, CoreV1Api> = {};

beforeAll(async () => {
  [hub, member] = await Promise.all([
    ControlPlane.start({ name: "registrar-hub", users: [{ name: "alice" }, { name: PLATFORM_USER }] }),
    ControlPlane.start({ name: "registrar-changsha" }),
  ]);
  operator = await startOperator(hub, await installYunshu(hub), { clusterProbeIntervalMs: 1_000 });
  const adminClient = new KubeClient(hub.credentials());
  for (const member of ["changsha", "zhuzhou"]) {
    for (const obj of Object.values(registrarObjects(member, { "app.kubernetes.io/part-of": "yunshu" }))) {
      await adminClient.apply(MANIFEST_KINDS[obj.kind]!, obj as KubeObject, "yunshu-test");
    }
  }
  registrar = await hub.serviceAccountIdentity(OPERATOR_NAMESPACE, registrarName("changsha"));
  otherRegistrar = await hub.serviceAccountIdentity(OPERATOR_NAMESPACE, registrarName("zhuzhou"));

  const rbac = hub.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({
    namespace: OPERATOR_NAMESPACE,
    body: {
      metadata: { name: PLATFORM_USER },
      rules: [
        { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "create", "update", "patch"] },
        { apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] },
      ],
    },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: OPERATOR_NAMESPACE,
    body: { metadata: { name: PLATFORM_USER }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: PLATFORM_USER }, subjects: [{ kind: "User", name: PLATFORM_USER }] },
  });

  await tenantsApi(hub).create(tenant("finance", { owners: [{ kind: "User", name: "alice" }] }));
  await waitForReady(hub, "finance");

  admin = hub.kubeConfig().makeApiClient(CoreV1Api);
  const anonymous = new KubeConfig();
  anonymous.loadFromClusterAndUser(hub.kubeConfig().getCurrentCluster()!, { name: "anonymous" });
  as.registrar = hub.kubeConfig(registrar).makeApiClient(CoreV1Api);
  as.otherRegistrar = hub.kubeConfig(otherRegistrar).makeApiClient(CoreV1Api);
  as.anonymous = anonymous.makeApiClient(CoreV1Api);
  as.alice = hub.kubeConfig("alice").makeApiClient(CoreV1Api);
  as[PLATFORM_USER] = hub.kubeConfig(PLATFORM_USER).makeApiClient(CoreV1Api);
}, 180_000);

afterAll(async () => {
  await operator?.stop();
  await Promise.all([hub?.stop(), member?.stop()]);
});

const tokenSecret = (name: string, namespace: string, serviceAccount = OPERATOR_SERVICE_ACCOUNT): V1Secret => ({
  metadata: { name, namespace, annotations: { "kubernetes.io/service-account.name": serviceAccount } },
  type: TOKEN_TYPE,
});

const absent = async (name: string, namespace: string) => (await apiFailure(admin.readNamespacedSecret({ name, namespace }))).code === 404;

/** Refused: 403, or 401 for a client the API server does not know. */
const refused = (code: number) => expect([401, 403]).toContain(code);

describe("the registrar", () => {
  it("registers a member: an Opaque kubeconfig Secret in yunshu-clusters and a Cluster, which the operator connects", async () => {
    await registerMember(hub, member, "changsha", { region: "changsha", tier: "city" }, registrar);
    const hubAdmin = new KubeClient(hub.credentials());
    const ready = await eventually(
      "Cluster changsha to be Ready",
      async () => (await hubAdmin.get<Cluster & KubeObject>(CLUSTERS, "changsha"))?.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True"),
      { timeoutMs: 30_000 },
    );
    expect(ready.reason).toBe("Reachable");
    // Rotating the credentials is a plain update.
    const current = await as.registrar!.readNamespacedSecret({ name: "cluster-changsha", namespace: CLUSTER_CREDENTIALS_NAMESPACE });
    const rotated = await as.registrar!.replaceNamespacedSecret({
      name: "cluster-changsha",
      namespace: CLUSTER_CREDENTIALS_NAMESPACE,
      body: { ...current, metadata: { ...current.metadata, labels: { "yunshu.io/rotated": "1" } } },
    });
    expect(rotated.metadata?.labels?.["yunshu.io/rotated"]).toBe("1");
  });

  it("cannot write any Secret in yunshu-system, where the operator's identity lives", async () => {
    const failure = await apiFailure(as.registrar!.createNamespacedSecret({ namespace: OPERATOR_NAMESPACE, body: kubeconfigSecret("cluster-x", "apiVersion: v1\nkind: Config\n") as V1Secret }));
    expect(failure.code).toBe(403);
    expect(await absent("cluster-x", OPERATOR_NAMESPACE)).toBe(true);
  });
});

describe.each(["registrar", "anonymous", "alice", PLATFORM_USER])("as %s", (who) => {
  it("a token Secret for yunshu-operator in yunshu-system is refused and never exists", async () => {
    const name = `operator-token-${who}`;
    const failure = await apiFailure(as[who]!.createNamespacedSecret({ namespace: OPERATOR_NAMESPACE, body: tokenSecret(name, OPERATOR_NAMESPACE) }));
    refused(failure.code);
    if (who === PLATFORM_USER) expect(failure.message).toContain("only the cluster's admins (group system:masters) may mint one");
    expect(await absent(name, OPERATOR_NAMESPACE)).toBe(true);
  });

  it("a token Secret in yunshu-clusters is refused and never exists", async () => {
    for (const serviceAccount of [OPERATOR_SERVICE_ACCOUNT, "default"]) {
      const name = `token-${who}-${serviceAccount}`;
      const failure = await apiFailure(as[who]!.createNamespacedSecret({ namespace: CLUSTER_CREDENTIALS_NAMESPACE, body: tokenSecret(name, CLUSTER_CREDENTIALS_NAMESPACE, serviceAccount) }));
      refused(failure.code);
      // Two policies refuse the registrar here (no token Secrets; only its own name); the API server names either.
      if (who === "registrar") expect(failure.message).toMatch(/Secrets of type kubernetes\.io\/service-account-token are not allowed in yunshu-clusters|writes only the Secret yunshu-clusters\/cluster-changsha/);
      expect(await absent(name, CLUSTER_CREDENTIALS_NAMESPACE)).toBe(true);
    }
  });

  it("a token request for yunshu-operator is refused, with no token", async () => {
    const request = as[who]!.createNamespacedServiceAccountToken({ name: OPERATOR_SERVICE_ACCOUNT, namespace: OPERATOR_NAMESPACE, body: { spec: { audiences: [], expirationSeconds: 600 } } });
    const failure = await apiFailure(request);
    refused(failure.code);
    if (who === PLATFORM_USER) expect(failure.message).toContain("a token for the ServiceAccount yunshu-system/yunshu-operator is refused");
  });
});

describe("another member's registrar", () => {
  it("cannot register in changsha's name: neither its Secret nor its Cluster, nor a name of its own making", async () => {
    const other = new KubeClient(hub.credentials(otherRegistrar));
    const fake = kubeconfigSecret("cluster-changsha-fake", "apiVersion: v1\nkind: Config\n");
    const secretRefused = await apiFailure(as.otherRegistrar!.createNamespacedSecret({ namespace: CLUSTER_CREDENTIALS_NAMESPACE, body: fake as V1Secret }));
    expect(secretRefused.code).toBe(403);
    expect(secretRefused.message).toContain("the registrar of member zhuzhou writes only the Secret yunshu-clusters/cluster-zhuzhou");
    expect(await absent("cluster-changsha-fake", CLUSTER_CREDENTIALS_NAMESPACE)).toBe(true);
    const clusterRefused = await other.create(CLUSTERS, clusterObject("changsha-2", { region: "changsha", tier: "city", kubeconfigSecretRef: { name: "cluster-zhuzhou" } })).then(() => undefined, (e: unknown) => e as ApiError);
    expect(clusterRefused?.status).toBe(403);
    expect(clusterRefused?.message).toContain("writes only the Cluster zhuzhou");
    expect(await new KubeClient(hub.credentials()).get(CLUSTERS, "changsha-2")).toBeUndefined();
  });

  it("cannot read or change changsha's credentials or Cluster, which stay as they were", async () => {
    const hubAdmin = new KubeClient(hub.credentials());
    const before = await admin.readNamespacedSecret({ name: "cluster-changsha", namespace: CLUSTER_CREDENTIALS_NAMESPACE });
    const clusterBefore = await hubAdmin.get<Cluster & KubeObject>(CLUSTERS, "changsha");
    expect((await apiFailure(as.otherRegistrar!.readNamespacedSecret({ name: "cluster-changsha", namespace: CLUSTER_CREDENTIALS_NAMESPACE }))).code).toBe(403);
    expect((await apiFailure(as.otherRegistrar!.listNamespacedSecret({ namespace: CLUSTER_CREDENTIALS_NAMESPACE }))).code).toBe(403);
    const replaced = as.otherRegistrar!.replaceNamespacedSecret({ name: "cluster-changsha", namespace: CLUSTER_CREDENTIALS_NAMESPACE, body: { ...before, data: { kubeconfig: Buffer.from("x").toString("base64") } } });
    expect((await apiFailure(replaced)).code).toBe(403);
    const other = new KubeClient(hub.credentials(otherRegistrar));
    const patched = await other.mergePatch(CLUSTERS, "changsha", { spec: { region: "zhuzhou" } }).then(() => undefined, (e: unknown) => e as ApiError);
    expect(patched?.status).toBe(403);
    const after = await admin.readNamespacedSecret({ name: "cluster-changsha", namespace: CLUSTER_CREDENTIALS_NAMESPACE });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect((await hubAdmin.get<Cluster & KubeObject>(CLUSTERS, "changsha"))?.metadata.resourceVersion).toBe(clusterBefore?.metadata.resourceVersion);
  });

  it("still registers its own member (the positive control)", async () => {
    const other = new KubeClient(hub.credentials(otherRegistrar));
    await other.apply(SECRETS, kubeconfigSecret("cluster-zhuzhou", "apiVersion: v1\nkind: Config\n"), "yunshu-test");
    const created = await other.apply(CLUSTERS, clusterObject("zhuzhou", { region: "zhuzhou", tier: "city", kubeconfigSecretRef: { name: "cluster-zhuzhou" } }), "yunshu-test");
    expect(created.metadata.uid).toBeTruthy();
  });
});

describe.each(["anonymous", "alice"])("as %s, a registered member's credentials", (who) => {
  it("cannot be read or replaced, and stay unchanged", async () => {
    const before = await admin.readNamespacedSecret({ name: "cluster-changsha", namespace: CLUSTER_CREDENTIALS_NAMESPACE });
    refused((await apiFailure(as[who]!.readNamespacedSecret({ name: "cluster-changsha", namespace: CLUSTER_CREDENTIALS_NAMESPACE }))).code);
    const replaced = as[who]!.replaceNamespacedSecret({
      name: "cluster-changsha",
      namespace: CLUSTER_CREDENTIALS_NAMESPACE,
      body: { ...before, data: { kubeconfig: Buffer.from("apiVersion: v1\nkind: Config\n").toString("base64") } },
    });
    refused((await apiFailure(replaced)).code);
    const after = await admin.readNamespacedSecret({ name: "cluster-changsha", namespace: CLUSTER_CREDENTIALS_NAMESPACE });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(after.data).toEqual(before.data);
  });
});

describe("a cluster admin (system:masters)", () => {
  it("still mints the operator's token: a TokenRequest, and the token Secret the bootstrap creates on members, which kube-controller-manager fills in and which can be deleted", async () => {
    const token = await admin.createNamespacedServiceAccountToken({ name: OPERATOR_SERVICE_ACCOUNT, namespace: OPERATOR_NAMESPACE, body: { spec: { audiences: [], expirationSeconds: 600 } } });
    expect(token.status?.token).toBeTruthy();
    await admin.createNamespacedSecret({ namespace: OPERATOR_NAMESPACE, body: tokenSecret(`${OPERATOR_SERVICE_ACCOUNT}-token`, OPERATOR_NAMESPACE) });
    const filled = await eventually("the token controller to fill in the operator's token Secret", async () => {
      const secret = await admin.readNamespacedSecret({ name: `${OPERATOR_SERVICE_ACCOUNT}-token`, namespace: OPERATOR_NAMESPACE });
      return secret.data?.token;
    });
    expect(filled).toBeTruthy();
    // As Pulumi deletes it: the garbage collector removes the foreground finalizer, which changes no token.
    await admin.deleteNamespacedSecret({ name: `${OPERATOR_SERVICE_ACCOUNT}-token`, namespace: OPERATOR_NAMESPACE, propagationPolicy: "Foreground" });
    await eventually("the operator's token Secret to be gone", () => absent(`${OPERATOR_SERVICE_ACCOUNT}-token`, OPERATOR_NAMESPACE));
  });

  it("is refused a token Secret in yunshu-clusters too: nothing there needs one", async () => {
    const failure = await apiFailure(admin.createNamespacedSecret({ namespace: CLUSTER_CREDENTIALS_NAMESPACE, body: tokenSecret("admin-token", CLUSTER_CREDENTIALS_NAMESPACE, "default") }));
    expect(failure.code).toBe(403);
    expect(await absent("admin-token", CLUSTER_CREDENTIALS_NAMESPACE)).toBe(true);
  });
});
