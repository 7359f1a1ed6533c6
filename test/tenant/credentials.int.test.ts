// No long-lived credentials inside tenants, tested as real token identities:
// a legacy ServiceAccount token Secret (whose token never expires) is refused
// in a tenant's namespaces for its owner, a cluster admin and an anonymous
// client alike, while the tokens that replace it are bounded by the API
// server. Every refusal is checked to have left nothing behind.
import { AdmissionregistrationV1Api, ApiException, CoreV1Api, KubeConfig, type V1Secret } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { install } from "../../operator/install.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient } from "../../operator/runtime/kube-client.ts";
import { ControlPlane, MAX_TOKEN_EXPIRATION_SECONDS } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";
import { apiFailure } from "../support/api-errors.ts";

const LEGACY = "kubernetes.io/service-account-token";
const POLICY = "yunshu-no-legacy-tokens";
const own = "finance-prod";
/** A namespace yunshu does not manage: the platform's own. */
const platform = "platform-tools";

let plane: ControlPlane;
let operator: Operator;
let admin: CoreV1Api;
let alice: CoreV1Api;

function legacyToken(name: string, serviceAccount = "default"): V1Secret {
  return { metadata: { name, annotations: { "kubernetes.io/service-account.name": serviceAccount } }, type: LEGACY };
}

async function secretExists(namespace: string, name: string): Promise<boolean> {
  try {
    await admin.readNamespacedSecret({ namespace, name });
    return true;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return false;
    throw err;
  }
}

/** The admin's dry-run create of a legacy token Secret in the tenant's namespace: refused while the policy is bound. */
async function policyRefuses(): Promise<boolean> {
  try {
    await admin.createNamespacedSecret({ namespace: own, body: legacyToken("probe"), dryRun: "All" });
    return false;
  } catch (err) {
    return err instanceof ApiException && err.code === 403 && String(err.body).includes("never expires");
  }
}

/** The claims of a JWT, unverified: only its lifetime is read. */
function claims(token: string): { iat: number; exp: number; sub: string } {
  const payload = token.split(".")[1];
  if (!payload) throw new Error(`not a JWT: ${token.slice(0, 20)}…`);
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iat: number; exp: number; sub: string };
}

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "credentials", users: [{ name: "alice", groups: ["finance-ops"] }] });
  operator = await startOperator(plane, await installYunshu(plane));
  await tenantsApi(plane).create(tenant("finance", { displayName: "湖南省财政厅", owners: [{ kind: "Group", name: "finance-ops" }], quota: { hard: { pods: "10" } } }));
  await waitForReady(plane, "finance");
  admin = plane.kubeConfig().makeApiClient(CoreV1Api);
  alice = plane.kubeConfig("alice").makeApiClient(CoreV1Api);
  await admin.createNamespace({ body: { metadata: { name: platform } } });
  await alice.createNamespacedServiceAccount({ namespace: own, body: { metadata: { name: "ledger" } } });
});

afterAll(async () => {
  await operator?.stop();
  await plane?.stop();
});

describe("a legacy ServiceAccount token Secret in a tenant's namespace", () => {
  it("is refused for the tenant's owner, saying what to use instead, and is not created", async () => {
    const refused = await apiFailure(alice.createNamespacedSecret({ namespace: own, body: legacyToken("ledger-token", "ledger") }));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain(`ValidatingAdmissionPolicy '${POLICY}'`);
    expect(refused.message).toContain(`Secret ${own}/ledger-token: Secrets of type ${LEGACY} hold a token that never expires`);
    expect(refused.message).toContain(`kubectl create token <serviceaccount> -n ${own}`);
    expect(refused.message).toContain("projected serviceAccountToken volume");
    expect(await secretExists(own, "ledger-token")).toBe(false);
  });

  it("is refused for a cluster admin too", async () => {
    const refused = await apiFailure(admin.createNamespacedSecret({ namespace: own, body: legacyToken("admin-token") }));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain(`Secret ${own}/admin-token: Secrets of type ${LEGACY}`);
    expect(await secretExists(own, "admin-token")).toBe(false);
  });

  it("is refused for an anonymous client, and is not created", async () => {
    const anonymous = new KubeConfig();
    anonymous.loadFromOptions({
      clusters: [{ name: plane.name, server: plane.server, caFile: plane.caCertPath }],
      users: [{ name: "anonymous" }],
      contexts: [{ name: "anonymous", cluster: plane.name, user: "anonymous" }],
      currentContext: "anonymous",
    });
    const refused = await apiFailure(anonymous.makeApiClient(CoreV1Api).createNamespacedSecret({ namespace: own, body: legacyToken("anonymous-token") }));
    expect([401, 403]).toContain(refused.code);
    expect(await secretExists(own, "anonymous-token")).toBe(false);
  });
});

describe("what stays allowed", () => {
  it("the owner keeps ordinary Secrets in its namespace", async () => {
    const created = await alice.createNamespacedSecret({ namespace: own, body: { metadata: { name: "db-password" }, type: "Opaque", stringData: { password: "s3cret" } } });
    expect(created.type).toBe("Opaque");
    expect(await secretExists(own, "db-password")).toBe(true);
  });

  it("outside yunshu's namespaces the legacy kind is the cluster admins' business, and gets its never-expiring token", async () => {
    await admin.createNamespacedSecret({ namespace: platform, body: legacyToken("ci-token") });
    const filled = await eventually("kube-controller-manager to write the token into platform-tools/ci-token", async () => {
      const token = (await admin.readNamespacedSecret({ namespace: platform, name: "ci-token" })).data?.token;
      return token ? Buffer.from(token, "base64").toString("utf8") : undefined;
    });
    // What the policy keeps out of tenants: a token with no expiry at all.
    expect(claims(filled)).not.toHaveProperty("exp");
    expect(claims(filled).sub).toBe(`system:serviceaccount:${platform}:default`);
  });
});

describe("a legacy token Secret that predates the policy", () => {
  it("can be labelled and deleted, but no token can be written into it again", async () => {
    const bindings = plane.kubeConfig().makeApiClient(AdmissionregistrationV1Api);
    await bindings.deleteValidatingAdmissionPolicyBinding({ name: POLICY });
    await eventually("the policy to stop applying", async () => !(await policyRefuses()));
    await admin.createNamespacedSecret({ namespace: own, body: legacyToken("old-token") });
    await eventually("kube-controller-manager to fill old-token", async () => Boolean((await admin.readNamespacedSecret({ namespace: own, name: "old-token" })).data?.token));
    await install(new KubeClient(plane.credentials()));
    await eventually("the policy to apply again", policyRefuses);

    const existing = await admin.readNamespacedSecret({ namespace: own, name: "old-token" });
    const refilled = await apiFailure(admin.replaceNamespacedSecret({ namespace: own, name: "old-token", body: { ...existing, data: { ...existing.data, token: Buffer.from("forged").toString("base64") } } }));
    expect(refilled.code).toBe(403);
    expect(refilled.message).toContain(`Secret ${own}/old-token: Secrets of type ${LEGACY}`);
    expect((await admin.readNamespacedSecret({ namespace: own, name: "old-token" })).data?.token).toBe(existing.data?.token);

    // What kube-controller-manager's legacy token cleaner does before deleting one.
    const labelled = await admin.replaceNamespacedSecret({
      namespace: own,
      name: "old-token",
      body: { ...existing, metadata: { ...existing.metadata, labels: { "kubernetes.io/legacy-token-invalid-since": "2026-01-01" } } },
    });
    expect(labelled.metadata?.labels?.["kubernetes.io/legacy-token-invalid-since"]).toBe("2026-01-01");
    await admin.deleteNamespacedSecret({ namespace: own, name: "old-token" });
    await eventually("old-token to be gone", async () => !(await secretExists(own, "old-token")));
  });
});

describe("the tokens that replace it are bounded", () => {
  it(`the owner's kubectl create token for a year gets one of ${MAX_TOKEN_EXPIRATION_SECONDS / 3600}h, and is told so`, async () => {
    const year = await plane.kubectl(["-n", own, "create", "token", "ledger", "--duration", "8760h"], "alice");
    expect(year.code, year.stderr).toBe(0);
    const { iat, exp, sub } = claims(year.stdout.trim());
    expect(sub).toBe(`system:serviceaccount:${own}:ledger`);
    expect(exp - iat).toBe(MAX_TOKEN_EXPIRATION_SECONDS);
    expect(year.stderr).toContain(`requested expiration of ${365 * 24 * 3600} seconds shortened to ${MAX_TOKEN_EXPIRATION_SECONDS} seconds`);
  });

  it("a lifetime within the bound is issued as asked", async () => {
    const twoHours = await plane.kubectl(["-n", own, "create", "token", "ledger", "--duration", "2h"], "alice");
    expect(twoHours.code, twoHours.stderr).toBe(0);
    const { iat, exp } = claims(twoHours.stdout.trim());
    expect(exp - iat).toBe(2 * 3600);
    expect(twoHours.stderr).not.toContain("shortened");
  });
});
