// Names that cannot be squatted or confused (issue 14): the Tenant and
// TenantRequest CRDs refuse, at admission in a real API server, a short
// namespace name that is not one word (so `<tenant>-<name>` reads one way
// only) or is `system`, a tenant name that is Kubernetes' or the platform's,
// and an owner that is a Kubernetes system identity. Each refusal is checked
// as the people involved meet it: the platform team creating a Tenant, a
// department filing a request; and nothing is stored.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantOwner, TenantSpec } from "../../operator/api/generated.ts";
import { TENANT_REQUESTS, TENANTS } from "../../operator/api/resources.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { fileRequest, type Request, type RequestSpec } from "../../tools/local/requests.ts";
import { installYunshu, tenant } from "../../tools/local/yunshu.ts";
import { refusal } from "../support/api-errors.ts";

const SELF_SERVICE = fileURLToPath(new URL("../../crds/samples/self-service.yaml", import.meta.url));
const DEPARTMENT = "changsha-clerk";
const PLATFORM = "platform-li";

const SHORT_NAME = "is not a short namespace name: short namespace names are one word of lower-case letters and digits, without '-', so that <tenant>-<name> reads one way only";
const SYSTEM = '"system" is reserved: <tenant>-system would read as a platform component\'s namespace, like kube-system or yunshu-system; use another word, such as ops or infra';
const RESERVED = "is reserved: default, kube, yunshu and names starting with kube- or yunshu- are Kubernetes' and the platform's, and the tenant's namespaces would pass for theirs";
const SYSTEM_IDENTITY = "is a Kubernetes system identity: system: names stand for Kubernetes components or for everyone of a kind";

/** One refused name, in a Tenant and in a TenantRequest; `message` names the field in the Tenant, `requestMessage` in the request. */
interface NameCase {
  breaks: string;
  tenant: string;
  namespaces?: string[];
  owners?: TenantOwner[];
  message: string;
  requestMessage: string;
}

const operatorUser = "system:serviceaccount:yunshu-system:yunshu-operator";
const cases: NameCase[] = [
  {
    breaks: "namespace system (istio-system)",
    tenant: "istio",
    namespaces: ["system"],
    message: `spec.namespaces[0].name: Forbidden: ${SYSTEM}`,
    requestMessage: `spec.namespaces[0]: Forbidden: ${SYSTEM}`,
  },
  {
    breaks: "a short name with '-' (dept + a-staging would read as dept-a's staging)",
    tenant: "dept",
    namespaces: ["prod", "a-staging"],
    message: `spec.namespaces[1].name: Invalid value: "a-staging": "a-staging" ${SHORT_NAME}; use "astaging" or another single word`,
    requestMessage: `spec.namespaces[1]: Invalid value: "a-staging": "a-staging" ${SHORT_NAME}; use "astaging" or another single word`,
  },
  {
    breaks: "a short name that is not lower-case letters and digits",
    tenant: "dept",
    namespaces: ["Prod_1"],
    message: `"Prod_1" ${SHORT_NAME}; use a word such as prod, test or staging`,
    requestMessage: `"Prod_1" ${SHORT_NAME}; use a word such as prod, test or staging`,
  },
  { breaks: "tenant kube-tools", tenant: "kube-tools", message: `metadata.name: Forbidden: tenant name "kube-tools" ${RESERVED}`, requestMessage: `spec.tenant: Forbidden: tenant name "kube-tools" ${RESERVED}` },
  { breaks: "tenant yunshu-x", tenant: "yunshu-x", message: `tenant name "yunshu-x" ${RESERVED}; name the tenant after the department`, requestMessage: `tenant name "yunshu-x" ${RESERVED}` },
  { breaks: "tenant default", tenant: "default", message: `tenant name "default" ${RESERVED}`, requestMessage: `tenant name "default" ${RESERVED}` },
  { breaks: "tenant kube (kube-public)", tenant: "kube", namespaces: ["public"], message: `tenant name "kube" ${RESERVED}`, requestMessage: `tenant name "kube" ${RESERVED}` },
  { breaks: "tenant yunshu (yunshu-clusters)", tenant: "yunshu", namespaces: ["clusters"], message: `tenant name "yunshu" ${RESERVED}`, requestMessage: `tenant name "yunshu" ${RESERVED}` },
  {
    breaks: "owner Group system:authenticated",
    tenant: "open-to-all",
    owners: [{ kind: "User", name: "alice" }, { kind: "Group", name: "system:authenticated" }],
    message: `spec.owners[1].name: Forbidden: owner Group "system:authenticated" ${SYSTEM_IDENTITY}`,
    requestMessage: `spec.owners[1].name: Forbidden: owner Group "system:authenticated" ${SYSTEM_IDENTITY}`,
  },
  {
    breaks: "owner User system:anonymous",
    tenant: "anonymous",
    owners: [{ kind: "User", name: "system:anonymous" }],
    message: `spec.owners[0].name: Forbidden: owner User "system:anonymous" ${SYSTEM_IDENTITY}`,
    requestMessage: `owner User "system:anonymous" ${SYSTEM_IDENTITY}`,
  },
  {
    breaks: "owner Group system:unauthenticated",
    tenant: "unauthenticated",
    owners: [{ kind: "Group", name: "system:unauthenticated" }],
    message: `owner Group "system:unauthenticated" ${SYSTEM_IDENTITY}`,
    requestMessage: `owner Group "system:unauthenticated" ${SYSTEM_IDENTITY}`,
  },
  {
    breaks: "a service account declared as a User",
    tenant: "robots",
    owners: [{ kind: "User", name: operatorUser }],
    message: `spec.owners[0].name: Forbidden: owner User "${operatorUser}" is a service account: declare it as {kind: ServiceAccount, namespace: yunshu-system, name: yunshu-operator}`,
    requestMessage: `owner User "${operatorUser}" is a service account: declare it as {kind: ServiceAccount, namespace: yunshu-system, name: yunshu-operator}`,
  },
];

/** Names the rules must not refuse: hyphens in tenant names, and names that only resemble the reserved ones. */
const admitted: { shows: string; tenant: string; namespaces: string[]; owners: TenantOwner[] }[] = [
  {
    shows: "tenant changsha-yuelu with namespace prod, a Group dept-a and a ServiceAccount owner",
    tenant: "changsha-yuelu",
    namespaces: ["prod"],
    owners: [{ kind: "Group", name: "dept-a" }, { kind: "ServiceAccount", namespace: "changsha-yuelu-prod", name: "deployer" }],
  },
  {
    shows: "names that only resemble reserved ones (kubeflow, systems, system-ops, oidc:system:x)",
    tenant: "kubeflow",
    namespaces: ["systems", "sys"],
    owners: [{ kind: "Group", name: "system-ops" }, { kind: "User", name: "oidc:system:x" }],
  },
];

let plane: ControlPlane;
let admin: KubeClient;
let platform: KubeClient;
let department: KubeClient;

function tenantSpec(c: { namespaces?: string[]; owners?: TenantOwner[] }): Partial<TenantSpec> {
  return { ...(c.namespaces ? { namespaces: c.namespaces.map((name) => ({ name })) } : {}), ...(c.owners ? { owners: c.owners } : {}) };
}

function createRequest(c: { tenant: string; namespaces?: string[]; owners?: TenantOwner[] }): RequestSpec {
  return {
    tenant: c.tenant,
    action: "Create",
    reason: "新系统上云",
    displayName: "测试部门",
    level: "county",
    ...(c.namespaces ? { namespaces: c.namespaces } : {}),
    ...(c.owners ? { owners: c.owners } : {}),
  };
}

const requestsFor = async (name: string) => (await admin.list<Request>(TENANT_REQUESTS)).items.filter((r) => r.spec.tenant === name);

beforeAll(async () => {
  plane = await ControlPlane.start({
    name: "names-admission",
    users: [
      { name: DEPARTMENT, groups: ["departments", "changsha"] },
      { name: PLATFORM, groups: ["platform-team"] },
    ],
  });
  await installYunshu(plane);
  const bound = await plane.kubectl(["apply", "-f", SELF_SERVICE]);
  expect(bound.stderr).toBe("");
  admin = new KubeClient(plane.credentials());
  platform = new KubeClient(plane.credentials(PLATFORM));
  department = new KubeClient(plane.credentials(DEPARTMENT));
  // RBAC and the new resources are served a moment after they are written.
  await eventually("the department to be allowed to file requests", () => fileRequest(department, DEPARTMENT, createRequest({ tenant: "warm-up" })));
});

afterAll(async () => {
  await plane?.stop();
});

describe("a Tenant created by the platform team", () => {
  it.each(cases)("is refused for $breaks, and not stored", async (c) => {
    const err = await refusal(platform.create(TENANTS, tenant(c.tenant, tenantSpec(c)) as Tenant & KubeObject));
    expect(err.status).toBe(422);
    expect(err.message).toContain(c.message);
    expect(await admin.get(TENANTS, c.tenant)).toBeUndefined();
  });

  it.each(admitted)("is admitted with $shows", async (c) => {
    const created = await platform.create(TENANTS, tenant(c.tenant, tenantSpec(c)) as Tenant & KubeObject);
    expect(created.spec).toMatchObject(tenantSpec(c));
  });

  it("cannot gain a short name with '-' by an update, and stays as it was", async () => {
    const before = await platform.create(TENANTS, tenant("changsha-kaifu", { namespaces: [{ name: "prod" }] }) as Tenant & KubeObject);
    const err = await refusal(platform.mergePatch(TENANTS, "changsha-kaifu", { spec: { namespaces: [{ name: "prod" }, { name: "a-staging" }] } }));
    expect(err.status).toBe(422);
    expect(err.message).toContain(`spec.namespaces[1].name: Invalid value: "a-staging": "a-staging" ${SHORT_NAME}`);
    const after = await admin.get<Tenant & KubeObject>(TENANTS, "changsha-kaifu");
    expect(after?.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after?.spec.namespaces).toEqual([{ name: "prod" }]);
  });

  it("is explained: kubectl explain states the rules", async () => {
    const explain = async (field: string) => {
      const result = await plane.kubectl(["explain", field]);
      expect(result.stderr).toBe("");
      return result.stdout.replace(/\s+/g, " ");
    };
    expect(await explain("tenant")).toContain("not default, kube or yunshu and does not start with kube- or yunshu-");
    expect(await explain("tenant.spec.namespaces.name")).toContain("one word of lower-case letters and digits, without '-', and not `system`");
    expect(await explain("tenant.spec.owners.name")).toContain("A User or Group name may not start with system:");
    expect(await explain("tenantrequest.spec.namespaces")).toContain("one word of lower-case letters and digits each, without '-', and not system");
    expect(await explain("tenantrequest.spec.tenant")).toContain("not default, kube or yunshu, nor starting with kube- or yunshu-");
  });
});

describe("a TenantRequest filed by a department", () => {
  it.each(cases)("is refused for $breaks, and not stored", async (c) => {
    const err = await refusal(fileRequest(department, DEPARTMENT, createRequest(c)));
    expect(err.status).toBe(422);
    expect(err.message).toContain(c.requestMessage);
    expect(await requestsFor(c.tenant)).toEqual([]);
  });

  it("is refused for a short name with '-' in AddNamespaces and RemoveNamespaces too", async () => {
    for (const action of ["AddNamespaces", "RemoveNamespaces"] as const) {
      const err = await refusal(fileRequest(department, DEPARTMENT, { tenant: "changsha-xiangjiang", action, reason: "预发布环境", namespaces: ["pre-prod"] }));
      expect(err.status).toBe(422);
      expect(err.message).toContain(`"pre-prod" ${SHORT_NAME}; use "preprod" or another single word`);
    }
    expect(await requestsFor("changsha-xiangjiang")).toEqual([]);
  });

  it.each(admitted)("is admitted with $shows", async (c) => {
    const filed = await fileRequest(department, DEPARTMENT, createRequest(c));
    expect(filed.spec).toMatchObject({ tenant: c.tenant, namespaces: c.namespaces, owners: c.owners, requester: { username: DEPARTMENT } });
  });
});
