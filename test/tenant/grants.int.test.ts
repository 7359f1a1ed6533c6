// Grants inside a tenant, tested as the people involved: an owner manages
// bindings in its namespaces but may name only the tenant's people; members
// get the access their role says; removing someone from the Tenant removes
// every binding to them within seconds. Every refusal checks that nothing
// was created or changed, next to a positive control that is admitted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoleBinding, Subject } from "../../operator/api/core-types.ts";
import type { ResourceType } from "../../operator/api/meta.ts";
import { NAMESPACES, ROLE_BINDINGS, SECRETS, SERVICE_ACCOUNTS } from "../../operator/api/resources.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";
import { refusal } from "../support/api-errors.ts";
import { anonymousStatus } from "../support/anonymous.ts";

let plane: ControlPlane;
let operator: Operator;
const as: Record<string, KubeClient> = {};
const own = "finance-prod";
const ownDev = "finance-dev";
const other = "health-prod";

const user = (name: string): Subject => ({ kind: "User", name, apiGroup: "rbac.authorization.k8s.io" });
const group = (name: string): Subject => ({ kind: "Group", name, apiGroup: "rbac.authorization.k8s.io" });
const sa = (namespace: string, name: string): Subject => ({ kind: "ServiceAccount", namespace, name });

function binding(name: string, subjects: Subject[], role = "yunshu-tenant-viewer"): RoleBinding {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name, namespace: own },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects,
  };
}

const CONFIG_MAPS: ResourceType = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };
const configMap = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: own }, data: { k: "v" } }) as KubeObject;

beforeAll(async () => {
  plane = await ControlPlane.start({
    name: "grants",
    users: [
      { name: "alice", groups: ["finance-ops"] },
      { name: "bob", groups: ["health-ops"] },
      { name: "dev-dan", groups: [] },
      { name: "viewer-vera", groups: ["finance-auditors"] },
      { name: "admin-ada", groups: [] },
      { name: "mallory", groups: [] },
    ],
  });
  operator = await startOperator(plane, await installYunshu(plane));
  const tenants = tenantsApi(plane);
  await tenants.create(
    tenant("finance", {
      owners: [{ kind: "Group", name: "finance-ops" }],
      members: [
        { kind: "User", name: "dev-dan", role: "developer" },
        { kind: "Group", name: "finance-auditors", role: "viewer" },
        { kind: "User", name: "admin-ada", role: "admin" },
      ],
      namespaces: [{ name: "prod" }, { name: "dev" }],
    }),
  );
  await tenants.create(tenant("health", { owners: [{ kind: "User", name: "bob" }] }));
  await Promise.all([waitForReady(plane, "finance"), waitForReady(plane, "health")]);
  for (const name of ["admin", "alice", "bob", "dev-dan", "viewer-vera", "admin-ada", "mallory"]) as[name] = new KubeClient(plane.credentials(name));
  await as.admin!.create(SERVICE_ACCOUNTS, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "deployer", namespace: ownDev } });
  await as.admin!.create(SECRETS, { apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: own }, stringData: { password: "s3cret" } } as KubeObject);
});

afterAll(async () => {
  await operator?.stop();
  await plane?.stop();
});

const anonymousGet = (path: string) => anonymousStatus(plane, "GET", path);

describe("members", () => {
  it("get what their role says, in every namespace of the tenant", async () => {
    // A developer runs applications and reads secrets, but does not manage access.
    await as["dev-dan"]!.create(CONFIG_MAPS, configMap("dan-settings"));
    expect(await as["dev-dan"]!.get(SECRETS, "db", own)).toBeDefined();
    expect((await refusal(as["dev-dan"]!.create(ROLE_BINDINGS, binding("dan-grants", [user("dev-dan")])))).status).toBe(403);
    // A viewer (through its group) reads workloads, never secrets, and changes nothing.
    expect((await as["viewer-vera"]!.list(CONFIG_MAPS, { namespace: ownDev })).items).toBeDefined();
    expect((await refusal(as["viewer-vera"]!.get(SECRETS, "db", own))).status).toBe(403);
    expect((await refusal(as["viewer-vera"]!.create(CONFIG_MAPS, configMap("vera-was-here")))).status).toBe(403);
    // An admin member manages access like an owner.
    await as["admin-ada"]!.create(ROLE_BINDINGS, binding("ada-grants-dan", [user("dev-dan")]));
    // Nobody of them reaches another tenant.
    for (const who of ["dev-dan", "viewer-vera", "admin-ada"]) expect((await refusal(as[who]!.list(CONFIG_MAPS, { namespace: other }))).status).toBe(403);
  });
});

describe("an owner's bindings", () => {
  it("may name the tenant's owners, members and the ServiceAccounts of its own namespaces", async () => {
    const admitted = binding("team-readers", [group("finance-ops"), user("dev-dan"), group("finance-auditors"), sa(ownDev, "deployer"), sa(own, "default")]);
    const created = await as.alice!.create(ROLE_BINDINGS, admitted);
    expect(created.metadata.uid).toBeTruthy();
  });

  const strangers: [string, Subject, string][] = [
    ["every authenticated identity", group("system:authenticated"), "Group system:authenticated"],
    ["every unauthenticated request", group("system:unauthenticated"), "Group system:unauthenticated"],
    ["the anonymous user", user("system:anonymous"), "User system:anonymous"],
    ["every ServiceAccount of the cluster", group("system:serviceaccounts"), "Group system:serviceaccounts"],
    ["someone the tenant does not declare", user("mallory"), "User mallory"],
    ["another tenant's owner", user("bob"), "User bob"],
    ["another tenant's ServiceAccount", sa(other, "default"), `ServiceAccount ${other}/default`],
    ["the operator's ServiceAccount", sa("yunshu-system", "yunshu-operator"), "ServiceAccount yunshu-system/yunshu-operator"],
    ["the operator, named as a user", user("system:serviceaccount:yunshu-system:yunshu-operator"), "User system:serviceaccount:yunshu-system:yunshu-operator"],
    ["a kube-system ServiceAccount", sa("kube-system", "default"), "ServiceAccount kube-system/default"],
  ];
  for (const [who, subject, shown] of strangers) {
    it(`may not name ${who}`, async () => {
      const name = `grant-${shown.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`.slice(0, 60);
      const err = await refusal(as.alice!.create(ROLE_BINDINGS, binding(name, [user("dev-dan"), subject])));
      expect(err.status).toBe(403);
      expect(err.message).toContain(`RoleBinding ${name} in ${own} would grant ${shown}, not one of tenant finance's people`);
      expect(await as.admin!.get(ROLE_BINDINGS, name, own)).toBeUndefined();
    });
  }

  it("cannot widen an admitted binding to a stranger", async () => {
    const before = (await as.admin!.get<RoleBinding>(ROLE_BINDINGS, "team-readers", own))!;
    const err = await refusal(as.alice!.mergePatch(ROLE_BINDINGS, "team-readers", { subjects: [...before.subjects, group("system:authenticated")] }, own));
    expect(err.message).toContain("would grant Group system:authenticated");
    const after = (await as.admin!.get<RoleBinding>(ROLE_BINDINGS, "team-readers", own))!;
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it("hold against a cluster admin too, and an anonymous request reads nothing", async () => {
    const err = await refusal(as.admin!.create(ROLE_BINDINGS, binding("open-to-all", [group("system:unauthenticated")])));
    expect(err.message).toContain("would grant Group system:unauthenticated");
    expect(await anonymousGet(`/api/v1/namespaces/${own}/configmaps`)).toBe(403);
    // The positive control: the same request path answers a member.
    expect((await as["viewer-vera"]!.list(CONFIG_MAPS, { namespace: own })).items.length).toBeGreaterThan(0);
  });

  it("cannot be widened by editing the namespace's list of grantees", async () => {
    const before = (await as.admin!.get<KubeObject>(NAMESPACES, own))!;
    const err = await refusal(as.admin!.mergePatch(NAMESPACES, own, { metadata: { annotations: { "yunshu.io/grant-users": "mallory" } } }));
    expect(err.message).toContain("yunshu's annotations on namespaces (yunshu.io/*) are set by the yunshu operator only");
    expect((await refusal(as.alice!.mergePatch(NAMESPACES, own, { metadata: { annotations: { "yunshu.io/grant-users": "mallory" } } }))).status).toBe(403);
    const after = (await as.admin!.get<KubeObject>(NAMESPACES, own))!;
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.metadata.annotations?.["yunshu.io/grant-users"]).toBe("admin-ada\ndev-dan");
  });
});

describe("removing someone from the Tenant", () => {
  const bindingsNaming = async (who: string) =>
    (await as.admin!.list<RoleBinding>(ROLE_BINDINGS, { namespace: own })).items.concat((await as.admin!.list<RoleBinding>(ROLE_BINDINGS, { namespace: ownDev })).items)
      .filter((b) => b.subjects?.some((s) => s.name === who))
      .map((b) => `${b.metadata.namespace}/${b.metadata.name}`)
      .sort();

  it("removes every binding to a member within seconds, and the member's access with them", async () => {
    await as.alice!.create(ROLE_BINDINGS, { ...binding("dan-dev", [user("dev-dan")], "yunshu-tenant-developer"), metadata: { name: "dan-dev", namespace: ownDev } });
    expect(await bindingsNaming("dev-dan")).toEqual([`${ownDev}/dan-dev`, `${ownDev}/yunshu-tenant-developer`, `${own}/ada-grants-dan`, `${own}/team-readers`, `${own}/yunshu-tenant-developer`]);
    const started = Date.now();
    await tenantsApi(plane).update("finance", (spec) => ({ ...spec, members: spec.members!.filter((m) => m.name !== "dev-dan") }));
    await eventually("every binding to dev-dan to be gone", async () => ((await bindingsNaming("dev-dan")).length === 0 ? true : undefined), { timeoutMs: 15_000 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`member removed: every binding to them gone in ${seconds.toFixed(1)} s`);
    expect((await refusal(as["dev-dan"]!.get(SECRETS, "db", own))).status).toBe(403);
    expect((await refusal(as["dev-dan"]!.list(CONFIG_MAPS, { namespace: ownDev }))).status).toBe(403);
    // The owner's binding that also named others went with it, and the Tenant's Events say so.
    expect(await as.admin!.get(ROLE_BINDINGS, "team-readers", own)).toBeUndefined();
    const events = await plane.kubectl(["get", "events", "--field-selector", "involvedObject.name=finance,reason=AccessRevoked", "-o", "jsonpath={.items[*].message}"]);
    expect(events.stdout).toContain(`deleted RoleBinding ${own}/team-readers: it granted User dev-dan, not among tenant finance's owners and members; its 4 other subject(s) lost it too`);
    // The others keep what their own bindings give them.
    expect(await as["viewer-vera"]!.list(CONFIG_MAPS, { namespace: own })).toBeDefined();
  });

  it("the removed member can no longer be granted anything", async () => {
    const err = await refusal(as.alice!.create(ROLE_BINDINGS, binding("dan-again", [user("dev-dan")])));
    expect(err.message).toContain("would grant User dev-dan");
  });

  it("removes an owner's access the same way", async () => {
    await as["admin-ada"]!.create(ROLE_BINDINGS, binding("alice-extra", [group("finance-ops")]));
    await tenantsApi(plane).update("finance", (spec) => ({ ...spec, owners: [{ kind: "User", name: "admin-ada" }] }));
    await eventually("every binding to group finance-ops to be gone", async () => ((await bindingsNaming("finance-ops")).length === 0 ? true : undefined), { timeoutMs: 15_000 });
    expect((await refusal(as.alice!.list(CONFIG_MAPS, { namespace: own }))).status).toBe(403);
    // The new owner still works.
    await as["admin-ada"]!.create(CONFIG_MAPS, configMap("ada-was-here"));
  });
});
