// Suspending a tenant (Tenant spec.suspension, the platform's): nothing new
// happens in its namespaces, for its owner and for a cluster admin alike,
// while reads, deletes and running workloads go on and its requests are
// held; lifting it restores everything. Each refusal checks that nothing was
// created or changed, next to what is still allowed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResourceType } from "../../operator/api/meta.ts";
import { NAMESPACES, RESOURCE_QUOTAS, SERVICE_ACCOUNTS, TENANTS } from "../../operator/api/resources.ts";
import { RESOURCE_QUOTA_NAME } from "../../operator/tenant/resource-quota.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { bindRequestGroups, fileRequest, requestCondition, waitForRequestCondition } from "../../tools/local/requests.ts";
import { installYunshu, restrictedPod, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";
import { refusal, untilAdmissionRefuses } from "../support/api-errors.ts";

const PODS: ResourceType = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };
const CONFIG_MAPS: ResourceType = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };
const NS = "audit-prod";
const REASON = "审计冻结：省审计厅 2026 年第 12 号";

let plane: ControlPlane;
let operator: Operator;
let admin: KubeClient;
let owner: KubeClient;

const pod = (name: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: NS }, spec: restrictedPod(name).spec }) as KubeObject;
const configMap = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: NS }, data: { k: "v" } }) as KubeObject;
const suspend = (reason: string | undefined) => tenantsApi(plane).update("audit", (s) => ({ ...s, suspension: reason ? { reason } : undefined }));
/** The namespace is labelled, and the API server's admission (which reads the label from its own cache) refuses a dry-run pod. */
async function suspended(): Promise<void> {
  await eventually("the namespace to be suspended", async () => (await admin.get(NAMESPACES, NS))?.metadata.labels?.["yunshu.io/suspended"] === "true");
  await untilAdmissionRefuses("admission to see the label", () => owner.create(PODS, pod("probe"), undefined, { dryRun: true }), "is suspended");
}

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "suspend", users: [{ name: "auditee", groups: ["departments"] }] });
  operator = await startOperator(plane, await installYunshu(plane));
  await bindRequestGroups(plane);
  await tenantsApi(plane).create(tenant("audit", { owners: [{ kind: "User", name: "auditee" }], quota: { hard: { pods: "10" } } }));
  await waitForReady(plane, "audit");
  admin = new KubeClient(plane.credentials());
  owner = new KubeClient(plane.credentials("auditee"));
  await owner.create(PODS, pod("running"));
  await owner.create(CONFIG_MAPS, configMap("settings"));
});

afterAll(async () => {
  await Promise.all([admin, owner].map((c) => c?.close()));
  await operator?.stop();
  await plane?.stop();
});

describe("a suspended tenant", () => {
  it("refuses new pods, changes and new tokens with the reason, to its owner and to a cluster admin", async () => {
    await suspend(REASON);
    await suspended();
    for (const [who, client] of [
      ["owner", owner],
      ["cluster admin", admin],
    ] as const) {
      const err = await refusal(client.create(PODS, pod(`new-${who.replace(" ", "-")}`)));
      expect(err.message, who).toContain(`tenant audit is suspended (${REASON}): new pods, changes and new tokens in ${NS} are refused`);
      expect(await admin.get(PODS, `new-${who.replace(" ", "-")}`, NS)).toBeUndefined();
    }
    const before = await admin.get(CONFIG_MAPS, "settings", NS);
    expect((await refusal(owner.mergePatch(CONFIG_MAPS, "settings", { data: { k: "changed" } }, NS))).message).toContain("is suspended");
    expect((await admin.get(CONFIG_MAPS, "settings", NS))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
    expect((await refusal(owner.create(CONFIG_MAPS, configMap("more")))).message).toContain("is suspended");
    const tokenRequest = { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", metadata: { name: "default", namespace: NS }, spec: { audiences: [] } } as unknown as KubeObject;
    const tokens: ResourceType = { ...SERVICE_ACCOUNTS, plural: "serviceaccounts/default/token" };
    expect((await refusal(owner.create(tokens, tokenRequest))).message).toContain("is suspended");
  });

  it("still lets its owner read, and delete, and keeps running workloads", async () => {
    expect((await owner.list(PODS, { namespace: NS })).items.map((p) => p.metadata.name)).toContain("running");
    expect(await owner.get(CONFIG_MAPS, "settings", NS)).toBeDefined();
    await owner.delete(CONFIG_MAPS, "settings", NS);
    expect(await admin.get(CONFIG_MAPS, "settings", NS)).toBeUndefined();
    expect(await admin.get(PODS, "running", NS)).toBeDefined();
  });

  it("holds its requests, with the reason, until it is lifted; nobody but the platform lifts it", async () => {
    const filed = await fileRequest(owner, "auditee", { tenant: "audit", action: "AddNamespaces", namespaces: ["dev"], reason: "more room" });
    const held = await waitForRequestCondition(admin, filed.metadata.name, "Fits");
    expect(requestCondition(held, "Fits")).toMatchObject({ status: "False", reason: "TenantSuspended", message: `tenant audit is suspended (${REASON}); its requests are held until the platform lifts the suspension` });
    // The owner can neither lift it on the Tenant nor take the label off its namespace.
    expect((await refusal(owner.mergePatch(TENANTS, "audit", { spec: { suspension: null } }))).status).toBe(403);
    expect((await refusal(admin.mergePatch(NAMESPACES, NS, { metadata: { labels: { "yunshu.io/suspended": null } } }))).message).toContain("set by the yunshu operator only");
    expect(((await admin.get<Tenant & KubeObject>(TENANTS, "audit"))!.spec.suspension)?.reason).toBe(REASON);
    expect(await operator.metrics.registry.metrics()).toMatch(/^yunshu_tenants_suspended 1$/m);

    await suspend(undefined);
    const judged = await waitForRequestCondition(admin, filed.metadata.name, "Fits", "True");
    expect(requestCondition(judged, "Fits")?.reason).toBe("NoQuotaChange");
  });

  it("keeps its quota from growing while suspended, and lets it grow once lifted", async () => {
    const quotaOf = async () => (await admin.get<KubeObject & { spec?: { hard?: Record<string, string> } }>(RESOURCE_QUOTAS, RESOURCE_QUOTA_NAME, NS))?.spec?.hard?.pods;
    try {
      await suspend(REASON);
      await tenantsApi(plane).update("audit", (s) => ({ ...s, quota: { hard: { pods: "20" } } }));
      const allocated = await eventually("the raise to be held", async () => {
        const c = (await tenantsApi(plane).get("audit")).status?.conditions?.find((x) => x.type === "QuotaAllocated");
        return c?.reason === "Suspended" ? c : undefined;
      });
      expect(allocated.message).toContain(`the tenant is suspended (${REASON}), so its quota does not grow (pods)`);
      expect(await quotaOf()).toBe("10");
    } finally {
      await suspend(undefined);
    }
    await eventually("the raise to apply once lifted", async () => (await quotaOf()) === "20");
    await tenantsApi(plane).update("audit", (s) => ({ ...s, quota: { hard: { pods: "10" } } }));
  });

  it("is itself again once lifted: new pods and changes are admitted", async () => {
    await eventually("new pods to be admitted again", () =>
      owner.create(PODS, pod("after")).then(
        () => true,
        () => false,
      ),
    );
    await owner.create(CONFIG_MAPS, configMap("settings"));
    expect((await admin.get(NAMESPACES, NS))?.metadata.labels).not.toHaveProperty(["yunshu.io/suspended"]);
    expect(await operator.metrics.registry.metrics()).toMatch(/^yunshu_tenants_suspended 0$/m);
  });
});
