// The TenantRequest and CapacityPool CRDs refuse bad input at admission with
// a message that says what is wrong (the admission policies, which need the
// whole of yunshu installed, are tested in test/request/).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { ApiError, KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { CAPACITY_POOLS, TENANT_REQUESTS } from "../../operator/api/resources.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";

const CRDS = ["yunshu.io_tenantrequests.yaml", "yunshu.io_capacitypools.yaml"].map((f) => fileURLToPath(new URL(`../../crds/${f}`, import.meta.url)));

const request = (spec: Record<string, unknown>) => ({
  apiVersion: "yunshu.io/v1alpha1",
  kind: "TenantRequest",
  metadata: { generateName: "r-" },
  spec: { tenant: "changsha-yuelu", reason: "needed", requester: { username: "clerk" }, ...spec },
});
const pool = (name: string, spec: Record<string, unknown>) => ({ apiVersion: "yunshu.io/v1alpha1", kind: "CapacityPool", metadata: { name }, spec });

const invalidRequests: { breaks: string; spec: Record<string, unknown>; message: string }[] = [
  { breaks: "a Create without displayName and level", spec: { action: "Create" }, message: "a Create request needs displayName and level" },
  { breaks: "a ChangeQuota without quota", spec: { action: "ChangeQuota" }, message: "a ChangeQuota request needs quota.hard with at least one resource" },
  { breaks: "tenant fields on a ChangeQuota", spec: { action: "ChangeQuota", quota: { hard: { pods: "1" } }, parent: "changsha" }, message: "they are only allowed with action Create" },
  { breaks: "an AddNamespaces without namespaces", spec: { action: "AddNamespaces" }, message: "an AddNamespaces request needs at least one entry in namespaces" },
  { breaks: "quota on an AddNamespaces", spec: { action: "AddNamespaces", namespaces: ["dev"], quota: { hard: { pods: "1" } } }, message: "quota is only allowed with action Create or ChangeQuota" },
  { breaks: "a quantity that is not one", spec: { action: "ChangeQuota", quota: { hard: { "requests.cpu": "lots" } } }, message: '"lots" is not a quantity' },
  { breaks: "an unknown action", spec: { action: "Delete" }, message: 'spec.action: Unsupported value: "Delete"' },
  { breaks: "an empty reason", spec: { action: "AddNamespaces", namespaces: ["dev"], reason: "" }, message: "spec.reason: Invalid value" },
];

describe("TenantRequest and CapacityPool admission", () => {
  let plane: ControlPlane;
  let client: KubeClient;

  beforeAll(async () => {
    plane = await ControlPlane.start({ name: "self-service-admission" });
    client = new KubeClient(plane.credentials());
    for (const crd of CRDS) expect((await plane.kubectl(["apply", "--server-side", "-f", crd])).code).toBe(0);
    await eventually("the CRDs to be served", () => Promise.all([client.list(TENANT_REQUESTS), client.list(CAPACITY_POOLS)]).then(() => true, () => false));
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it.each(invalidRequests)("refuses a request with $breaks", async ({ spec, message }) => {
    const err = await client.create(TENANT_REQUESTS, request(spec) as unknown as KubeObject).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(422);
    expect((err as ApiError).message).toContain(message);
  });

  it("accepts each action in its valid form", async () => {
    for (const spec of [
      { action: "Create", displayName: "岳麓区数据局", level: "county", parent: "changsha", namespaces: ["prod"], quota: { hard: { "requests.cpu": 2 } } },
      { action: "ChangeQuota", quota: { hard: { "requests.memory": "8Gi" } } },
      { action: "AddNamespaces", namespaces: ["dev", "test"] },
      { action: "RemoveNamespaces", namespaces: ["dev"] },
    ]) {
      const created = await client.create(TENANT_REQUESTS, request(spec) as unknown as KubeObject);
      expect(created.metadata.name).toMatch(/^r-/);
    }
  });

  it("refuses a pool with overcommit below 1, on a resource it does not allocate, or not named default", async () => {
    const cases: [KubeObject, string][] = [
      [pool("default", { allocatable: { "limits.cpu": "100" }, overcommit: { "limits.cpu": "0.5" } }) as KubeObject, "an overcommit ratio below 1"],
      [pool("default", { allocatable: { "limits.cpu": "100" }, overcommit: { "requests.cpu": "2" } }) as KubeObject, "overcommit names requests.cpu, which allocatable does not"],
      [pool("changsha", { allocatable: { "limits.cpu": "100" } }) as KubeObject, 'must be named "default"'],
      [pool("default", { allocatable: { "limits.cpu": "-1" } }) as KubeObject, '"-1" is not a non-negative quantity'],
    ];
    for (const [body, message] of cases) {
      const err = await client.create(CAPACITY_POOLS, body).then(() => undefined, (e: unknown) => e);
      expect((err as ApiError).message).toContain(message);
    }
    const ok = await client.create(CAPACITY_POOLS, pool("default", { allocatable: { "limits.cpu": "100", "requests.memory": "2Ti" }, overcommit: { "limits.cpu": "2.5" } }) as KubeObject);
    expect(ok.metadata.name).toBe("default");
  });
});
