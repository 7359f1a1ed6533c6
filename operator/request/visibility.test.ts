import { describe, expect, it } from "vitest";
import type { TenantRequest } from "../api/generated.ts";
import type { Tenant } from "../tenant/types.ts";
import { visibleTo } from "./visibility.ts";

function tenant(name: string, group: string, parent?: string): Tenant {
  return { apiVersion: "yunshu.io/v1alpha1", kind: "Tenant", metadata: { name }, spec: { displayName: name, level: "city", owners: [{ kind: "Group", name: group }], ...(parent ? { parent } : {}) } };
}
const tenants = [tenant("changsha", "changsha-ops"), tenant("changsha-yuelu", "yuelu-ops", "changsha"), tenant("zhuzhou", "zhuzhou-ops")];
const directory = { get: (n: string) => tenants.find((t) => t.metadata.name === n), childrenOf: () => [] };

const request = (spec: Partial<TenantRequest["spec"]>, requester: string): TenantRequest => ({
  apiVersion: "yunshu.io/v1alpha1",
  kind: "TenantRequest",
  metadata: { name: "r" },
  spec: { tenant: "changsha-yuelu", action: "AddNamespaces", namespaces: ["dev"], reason: "why", requester: { username: requester }, ...spec },
});

describe("visibleTo", () => {
  const yuelu = { username: "yuelu-clerk", groups: ["yuelu-ops"] };
  const changsha = { username: "changsha-clerk", groups: ["changsha-ops"] };
  const zhuzhou = { username: "zhuzhou-clerk", groups: ["zhuzhou-ops"] };

  it("shows a request to its requester, to the tenant's owners and to the owners above them", () => {
    const r = request({}, "yuelu-clerk");
    expect([yuelu, changsha, zhuzhou].map((who) => visibleTo(r, who, directory))).toEqual([true, true, false]);
  });

  it("shows a new child's request to the parent's owners", () => {
    const r = request({ tenant: "changsha-kaifu", action: "Create", displayName: "开福", level: "county", parent: "changsha" }, "someone");
    expect([yuelu, changsha, zhuzhou].map((who) => visibleTo(r, who, directory))).toEqual([false, true, false]);
  });

  it("shows a request filed against a tenant to that tenant's owners, and a top-level Create to its requester only", () => {
    expect(visibleTo(request({ tenant: "changsha" }, "zhuzhou-clerk"), changsha, directory)).toBe(true);
    const topLevel = request({ tenant: "xiangtan", action: "Create", displayName: "湘潭", level: "city" }, "xiangtan-clerk");
    expect([yuelu, changsha, zhuzhou, { username: "xiangtan-clerk" }].map((who) => visibleTo(topLevel, who, directory))).toEqual([false, false, false, true]);
  });
});
