// The decisions inside the namespace, prune and release phases, which need
// no cluster: whose a namespace is, which managed objects are no longer
// wanted, which namespaces the tenant no longer declares.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/meta.ts";
import { parseResourceList } from "../../api/quantity.ts";
import { LIMIT_RANGES, NETWORK_POLICIES, RESOURCE_QUOTAS, ROLE_BINDINGS } from "../../api/resources.ts";
import { tenantLabels } from "../labels.ts";
import { shippedProfile } from "../../api/manifests.ts";
import { DEFAULT_PLATFORM } from "../platform.ts";
import { tenantProfile } from "../profile.ts";
import { renderTenant } from "../render.ts";
import type { Tenant } from "../types.ts";
import { ownershipProblem } from "./namespaces.ts";
import { unwantedChildren } from "./prune.ts";
import { undeclaredNamespaces } from "./release.ts";

const tenant: Tenant = {
  apiVersion: "yunshu.io/v1alpha1",
  kind: "Tenant",
  metadata: { name: "t" },
  spec: { displayName: "t", level: "city", owners: [{ kind: "User", name: "u" }], namespaces: [{ name: "prod" }, { name: "test" }] },
};
const desired = renderTenant(tenant, DEFAULT_PLATFORM, tenantProfile(tenant, shippedProfile(3)));
const object = (kind: string, name: string, namespace: string | undefined, labels: Record<string, string> = tenantLabels("t")): KubeObject => ({
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), labels },
});

describe("ownershipProblem", () => {
  it("accepts the tenant's own namespace", () => {
    expect(ownershipProblem(object("Namespace", "t-prod", undefined), "t")).toBeUndefined();
  });

  it("never takes over a namespace yunshu does not manage, and says what to do", () => {
    const problem = ownershipProblem(object("Namespace", "t-prod", undefined, {}), "t");
    expect(problem).toMatchObject({ state: "Conflict" });
    expect(problem?.message).toContain("not managed by yunshu; rename the namespace in the Tenant");
  });

  it("refuses another tenant's namespace, naming that tenant", () => {
    expect(ownershipProblem(object("Namespace", "t-prod", undefined, tenantLabels("other")), "t")).toEqual({
      name: "t-prod",
      state: "Conflict",
      message: "namespace t-prod belongs to tenant other; choose another namespace name",
    });
  });

  it("waits for its own namespace that is being deleted", () => {
    const ns = object("Namespace", "t-prod", undefined);
    ns.metadata.deletionTimestamp = "2026-11-30T00:00:00Z";
    expect(ownershipProblem(ns, "t")).toEqual({ name: "t-prod", state: "Terminating" });
  });
});

describe("unwantedChildren", () => {
  const quota = parseResourceList({ pods: "10" });

  it("keeps everything the rendering contains, and the quota while the tenant has one", () => {
    const existing = [
      { type: RESOURCE_QUOTAS, objects: [object("ResourceQuota", "yunshu-tenant-quota", "t-prod")] },
      { type: NETWORK_POLICIES, objects: [object("NetworkPolicy", "yunshu-default-deny", "t-prod"), object("NetworkPolicy", "yunshu-baseline", "t-test")] },
      { type: ROLE_BINDINGS, objects: [object("RoleBinding", "yunshu-tenant-admin", "t-prod")] },
    ];
    expect(unwantedChildren(existing, desired, quota)).toEqual([]);
  });

  it("names what the rendering dropped, and a quota once the tenant's quota names nothing", () => {
    const stale = object("NetworkPolicy", "yunshu-old", "t-prod");
    const limits = object("LimitRange", "yunshu-container-defaults", "t-prod");
    const rq = object("ResourceQuota", "yunshu-tenant-quota", "t-test");
    const existing = [
      { type: RESOURCE_QUOTAS, objects: [rq] },
      { type: LIMIT_RANGES, objects: [limits] },
      { type: NETWORK_POLICIES, objects: [stale, object("NetworkPolicy", "yunshu-baseline", "t-prod")] },
    ];
    expect(unwantedChildren(existing, desired, {}).map(({ type, obj }) => `${type.kind} ${obj.metadata.namespace}/${obj.metadata.name}`)).toEqual([
      "ResourceQuota t-test/yunshu-tenant-quota",
      "LimitRange t-prod/yunshu-container-defaults",
      "NetworkPolicy t-prod/yunshu-old",
    ]);
  });

  it("leaves namespaces the tenant no longer declares to the release phase", () => {
    const existing = [{ type: NETWORK_POLICIES, objects: [object("NetworkPolicy", "yunshu-old", "t-dev")] }];
    expect(unwantedChildren(existing, desired, quota)).toEqual([]);
  });
});

describe("undeclaredNamespaces", () => {
  it("is every namespace of the tenant here that the rendering does not name", () => {
    const owned = ["t-prod", "t-dev", "t-test", "t-old"].map((n) => object("Namespace", n, undefined));
    expect(undeclaredNamespaces(owned, desired).map((ns) => ns.metadata.name)).toEqual(["t-dev", "t-old"]);
    expect(undeclaredNamespaces(owned, []).length).toBe(4);
  });
});
