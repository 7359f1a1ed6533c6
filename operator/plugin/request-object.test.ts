import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.ts";
import { draftFromFlags, parseOwnerFlag, parseQuotaFlags, tenantRequestFor, type RequestFlags } from "./request-object.ts";

const base = { tenant: "yuelu-data", reason: "政务服务系统上云" };

describe("draftFromFlags", () => {
  it("builds a Create request from every create flag", () => {
    expect(
      draftFromFlags({
        ...base,
        create: true,
        displayName: "岳麓区数据局",
        level: "county",
        parent: "changsha-data",
        code: "11430000MB1234567X",
        owner: ["User:alice", "Group:dept-x", "ServiceAccount:ci:deployer"],
        namespace: ["prod", "test"],
        quota: ["requests.cpu=8", "requests.memory=16Gi"],
      }),
    ).toEqual({
      tenant: "yuelu-data",
      action: "Create",
      reason: "政务服务系统上云",
      displayName: "岳麓区数据局",
      level: "county",
      parent: "changsha-data",
      code: "11430000MB1234567X",
      owners: [
        { kind: "User", name: "alice" },
        { kind: "Group", name: "dept-x" },
        { kind: "ServiceAccount", namespace: "ci", name: "deployer" },
      ],
      namespaces: ["prod", "test"],
      quota: { hard: { "requests.cpu": "8", "requests.memory": "16Gi" } },
    });
  });

  it("leaves out what was not given, so that the requester becomes the owner", () => {
    expect(draftFromFlags({ ...base, create: true, displayName: "岳麓区数据局", level: "county" })).toEqual({
      tenant: "yuelu-data",
      action: "Create",
      reason: "政务服务系统上云",
      displayName: "岳麓区数据局",
      level: "county",
    });
  });

  it("reads --quota alone as ChangeQuota", () => {
    expect(draftFromFlags({ ...base, quota: ["requests.cpu=16", "pods=200"] })).toEqual({
      ...base,
      action: "ChangeQuota",
      quota: { hard: { "requests.cpu": "16", pods: "200" } },
    });
  });

  it("reads --add-namespace and --remove-namespace", () => {
    expect(draftFromFlags({ ...base, addNamespace: ["staging", "dr"] })).toEqual({ ...base, action: "AddNamespaces", namespaces: ["staging", "dr"] });
    expect(draftFromFlags({ ...base, removeNamespace: ["test"] })).toEqual({ ...base, action: "RemoveNamespaces", namespaces: ["test"] });
  });

  it("reads --offboard as Offboard, and refuses it with another action", () => {
    expect(draftFromFlags({ ...base, offboard: true })).toEqual({ ...base, action: "Offboard" });
    expect(() => draftFromFlags({ ...base, offboard: true, addNamespace: ["x"] })).toThrow("one request asks for one thing, but --add-namespace and --offboard were given");
  });

  it("reads --security-level alone as ChangeSecurityLevel, and with --create as the new tenant's level", () => {
    expect(draftFromFlags({ ...base, securityLevel: "2" })).toEqual({ ...base, action: "ChangeSecurityLevel", securityLevel: 2 });
    expect(draftFromFlags({ ...base, create: true, displayName: "岳麓区数据局", level: "county", securityLevel: "4" })).toMatchObject({ action: "Create", securityLevel: 4 });
  });

  it("trims the reason", () => {
    expect(draftFromFlags({ ...base, reason: "  more room  ", quota: ["pods=10"] }).reason).toBe("more room");
  });

  it.each<[string, RequestFlags, RegExp]>([
    ["no tenant", { reason: "r", quota: ["pods=1"] }, /--tenant is required/],
    ["a bad tenant name", { ...base, tenant: "Yuelu_Data", quota: ["pods=1"] }, /--tenant "Yuelu_Data" is not a valid tenant name/],
    ["no reason", { tenant: "t", quota: ["pods=1"] }, /--reason is required/],
    ["a blank reason", { tenant: "t", reason: "   ", quota: ["pods=1"] }, /--reason is required/],
    ["a reason too long", { tenant: "t", reason: "长".repeat(2049), quota: ["pods=1"] }, /2049 characters; keep it to 2048/],
    ["no action", base, /say what you ask for: --create .*--quota .*--add-namespace .*--remove-namespace .*--security-level N/],
    ["create flags without --create", { ...base, level: "city" }, /--level describes a new tenant: add --create/],
    ["two actions", { ...base, create: true, addNamespace: ["x"] }, /one request asks for one thing, but --create and --add-namespace/],
    ["quota and namespaces", { ...base, quota: ["pods=1"], removeNamespace: ["x"] }, /--quota and --remove-namespace/],
    ["a level change with a quota change", { ...base, quota: ["pods=1"], securityLevel: "2" }, /one request asks for one thing, but --quota and --security-level were given/],
    ["a level that is not one", { ...base, securityLevel: "5" }, /--security-level "5" is not an MLPS level; use one of 2, 3, 4/],
    ["a level that is not a number", { ...base, create: true, displayName: "X", level: "city", securityLevel: "high" }, /--security-level "high" is not an MLPS level/],
    ["create flags with a level change", { ...base, securityLevel: "3", displayName: "X" }, /--display-name describes a new tenant, which only --create takes, not --security-level/],
    ["create flags with another action", { ...base, addNamespace: ["x"], owner: ["User:a"] }, /--owner describes a new tenant, which only --create takes, not --add-namespace/],
    ["create without a display name", { ...base, create: true, level: "city" }, /--create needs --display-name/],
    ["create without a level", { ...base, create: true, displayName: "X" }, /--create needs --level: one of province, city, county, township, village/],
    ["an unknown level", { ...base, create: true, displayName: "X", level: "town" }, /--level "town" is not a level; use one of province/],
    ["itself as parent", { ...base, create: true, displayName: "X", level: "city", parent: "yuelu-data" }, /cannot be its own parent/],
    ["a bad code", { ...base, create: true, displayName: "X", level: "city", code: "123" }, /--code "123" is not a unified social credit code/],
    ["a bad quantity", { ...base, quota: ["requests.cpu=lots"] }, /--quota requests.cpu: "lots" is not a quantity/],
    ["a negative quantity", { ...base, quota: ["requests.cpu=-1"] }, /"-1" is negative/],
    ["an unknown resource", { ...base, quota: ["gpu=1"] }, /--quota gpu is not a ResourceQuota resource name/],
    ["a quota without =", { ...base, quota: ["requests.cpu"] }, /must be RESOURCE=QUANTITY/],
    ["a resource twice", { ...base, quota: ["pods=1", "pods=2"] }, /--quota names pods twice/],
    ["a bad namespace", { ...base, addNamespace: ["Prod"] }, /--add-namespace "Prod" is not a short namespace name: .*; use a word such as prod, test or staging/],
    // dept + a-staging would read as tenant dept-a's staging.
    ["a namespace of two words", { ...base, removeNamespace: ["a-staging"] }, /--remove-namespace "a-staging" is not a short namespace name: short namespace names are one word .*; use "astaging" or another single word/],
    ["namespace system", { ...base, create: true, displayName: "X", level: "city", namespace: ["system"] }, /--namespace system is reserved: yuelu-data-system would read as a platform component's namespace/],
    ["a reserved tenant name", { ...base, tenant: "kube-tools", quota: ["pods=1"] }, /--tenant kube-tools is reserved: default, kube, yunshu and names starting with kube- or yunshu-/],
    ["tenant yunshu", { ...base, tenant: "yunshu", addNamespace: ["x"] }, /--tenant yunshu is reserved/],
    ["a namespace twice", { ...base, addNamespace: ["a", "a"] }, /--add-namespace names a twice/],
    ["a namespace name too long", { ...base, addNamespace: ["n".repeat(60)] }, /would be longer than 63 characters/],
  ])("refuses %s", (_, flags, message) => {
    const call = () => draftFromFlags(flags);
    expect(call).toThrow(UsageError);
    expect(call).toThrow(message);
  });
});

describe("parseOwnerFlag", () => {
  it("reads the kind in any case and keeps colons in user and group names", () => {
    expect(parseOwnerFlag("user:oidc:alice")).toEqual({ kind: "User", name: "oidc:alice" });
    expect(parseOwnerFlag("GROUP:dept-x")).toEqual({ kind: "Group", name: "dept-x" });
    expect(parseOwnerFlag("Group:system-ops")).toEqual({ kind: "Group", name: "system-ops" });
    expect(parseOwnerFlag("serviceaccount:ci:deployer")).toEqual({ kind: "ServiceAccount", namespace: "ci", name: "deployer" });
  });

  it.each([
    ["Robot:x", /the kind must be User, Group or ServiceAccount/],
    ["User:", /names no user/],
    ["ServiceAccount:deployer", /ServiceAccount:NAMESPACE:NAME/],
    ["ServiceAccount:ci:a:b", /ServiceAccount:NAMESPACE:NAME/],
    ["ServiceAccount:CI:deployer", /"CI" is not a valid namespace/],
    ["Group:system:authenticated", /"Group:system:authenticated" is a Kubernetes system identity: .* name the department's own users and groups/],
    ["User:system:anonymous", /"User:system:anonymous" is a Kubernetes system identity/],
    ["User:system:serviceaccount:ci:deployer", /is a service account: use --owner ServiceAccount:ci:deployer/],
  ])("refuses %s", (value, message) => {
    expect(() => parseOwnerFlag(value)).toThrow(message);
  });
});

describe("parseQuotaFlags", () => {
  it("keeps quantities as written and accepts extended resources and object counts", () => {
    expect(parseQuotaFlags(["requests.nvidia.com/gpu=2", "count/deployments.apps=20", "limits.memory = 1.5Gi"])).toEqual({
      "requests.nvidia.com/gpu": "2",
      "count/deployments.apps": "20",
      "limits.memory": "1.5Gi",
    });
  });
});

describe("tenantRequestFor", () => {
  it("files the draft in the requester's name under a name generated from the tenant's", () => {
    const draft = draftFromFlags({ ...base, addNamespace: ["staging"] });
    expect(tenantRequestFor(draft, { username: "system:serviceaccount:depts:yuelu", groups: ["system:serviceaccounts", "system:authenticated"] })).toEqual({
      apiVersion: "yunshu.io/v1alpha1",
      kind: "TenantRequest",
      metadata: { name: "", generateName: "yuelu-data-" },
      spec: {
        tenant: "yuelu-data",
        action: "AddNamespaces",
        reason: "政务服务系统上云",
        namespaces: ["staging"],
        requester: { username: "system:serviceaccount:depts:yuelu", groups: ["system:serviceaccounts", "system:authenticated"] },
      },
    });
  });
});

it("places a new tenant with --cluster, --region and --tier, and refuses an unknown tier", () => {
  const draft = draftFromFlags({ tenant: "x", reason: "r", create: true, displayName: "X", level: "city", region: ["changsha", "changsha"], tier: ["city"], cluster: ["hunan"] });
  expect(draft.placement).toEqual({ clusters: ["hunan"], regions: ["changsha"], tiers: ["city"] });
  expect(() => draftFromFlags({ tenant: "x", reason: "r", create: true, displayName: "X", level: "city", tier: ["county"] })).toThrow('--tier "county" is not a tier');
  expect(() => draftFromFlags({ tenant: "x", reason: "r", region: ["changsha"], quota: ["pods=1"] })).toThrow("--region describes a new tenant, which only --create takes");
});

