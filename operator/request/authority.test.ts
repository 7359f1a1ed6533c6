import { describe, expect, it } from "vitest";
import type { TenantRequest } from "../api/generated.ts";
import type { Tenant, TenantOwner } from "../tenant/types.ts";
import { beyondPendingCap, judgeAuthority, type Requester } from "./authority.ts";

function tenant(name: string, owners: TenantOwner[], parent?: string): Tenant {
  return { apiVersion: "yunshu.io/v1alpha1", kind: "Tenant", metadata: { name }, spec: { displayName: name, level: "city", owners, ...(parent ? { parent } : {}) } };
}

const tenants = [
  tenant("changsha", [{ kind: "Group", name: "changsha-bureau" }]),
  tenant("changsha-yuelu", [{ kind: "User", name: "yuelu-clerk" }], "changsha"),
  tenant("zhuzhou", [{ kind: "ServiceAccount", namespace: "ci", name: "zhuzhou-bot" }]),
  // A cycle must not hang the walk up the hierarchy.
  tenant("loop-a", [{ kind: "User", name: "nobody" }], "loop-b"),
  tenant("loop-b", [{ kind: "User", name: "nobody" }], "loop-a"),
];
const directory = { get: (n: string) => tenants.find((t) => t.metadata.name === n), childrenOf: () => [] };

function req(spec: Partial<TenantRequest["spec"]>, requester: Requester, name = "r", created = "2026-11-30T09:00:00Z", decided = false): TenantRequest {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "TenantRequest",
    metadata: { name, creationTimestamp: created },
    spec: { tenant: "changsha-yuelu", action: "ChangeQuota", reason: "why", quota: { hard: { "requests.cpu": "1" } }, requester, ...spec },
    ...(decided ? { status: { conditions: [{ type: "Approved", status: "False", reason: "Denied", message: "no", lastTransitionTime: created }] } } : {}),
  };
}

const judge = (spec: Partial<TenantRequest["spec"]>, who: Requester) => judgeAuthority(req(spec, who), directory);

describe("judgeAuthority", () => {
  it("lets anyone ask for a new top-level tenant", () => {
    expect(judge({ tenant: "xiangtan", action: "Create", displayName: "湘潭", level: "city" }, { username: "anyone" })).toMatchObject({ status: "True", reason: "AnyDepartment" });
  });

  it("needs ownership of the parent, or of a tenant above it, to carve a child", () => {
    const child = { tenant: "changsha-kaifu", action: "Create" as const, displayName: "开福", level: "county" as const };
    expect(judge({ ...child, parent: "changsha" }, { username: "li", groups: ["changsha-bureau"] })).toMatchObject({
      status: "True",
      reason: "Owner",
      message: "li owns tenant changsha through group changsha-bureau, and so may ask to carve tenant changsha-kaifu from changsha's quota",
    });
    expect(judge({ ...child, parent: "changsha-yuelu" }, { username: "li", groups: ["changsha-bureau"] })).toMatchObject({ status: "True", message: expect.stringContaining("tenant changsha, above changsha-yuelu") });
    const stranger = judge({ ...child, parent: "changsha" }, { username: "zhuzhou-clerk", groups: ["zhuzhou-bureau"] });
    expect(stranger).toMatchObject({ status: "False", reason: "NotOwner" });
    expect(stranger.message).toBe(
      "zhuzhou-clerk (groups: zhuzhou-bureau) owns neither tenant changsha nor a tenant above it; only their owners may ask to carve tenant changsha-kaifu from changsha's quota. Deny this request; an owner of changsha can file it instead",
    );
  });

  it("needs ownership of the tenant, or of one above it, to change or remove what it has", () => {
    const specs: Partial<TenantRequest["spec"]>[] = [
      { action: "ChangeQuota" },
      { action: "AddNamespaces", quota: undefined, namespaces: ["prod"] },
      { action: "RemoveNamespaces", quota: undefined, namespaces: ["prod"] },
      { action: "ChangeSecurityLevel", quota: undefined, securityLevel: 2 },
    ];
    for (const spec of specs) {
      expect(judge(spec, { username: "yuelu-clerk" }).status).toBe("True");
      expect(judge(spec, { username: "li", groups: ["changsha-bureau"] }).status).toBe("True");
      expect(judge(spec, { username: "zhuzhou-clerk", groups: ["zhuzhou-bureau"] })).toMatchObject({ status: "False", reason: "NotOwner" });
    }
  });

  it("names what is asked of the tenant, a level change included", () => {
    const level = { action: "ChangeSecurityLevel" as const, quota: undefined, securityLevel: 2 as const };
    expect(judge(level, { username: "yuelu-clerk" }).message).toBe("yuelu-clerk owns tenant changsha-yuelu, and so may ask to change changsha-yuelu's MLPS level");
    expect(judge(level, { username: "zhuzhou-clerk" }).message).toBe(
      "zhuzhou-clerk (no groups recorded) owns neither tenant changsha-yuelu nor a tenant above it; only their owners may ask to change changsha-yuelu's MLPS level. Deny this request; an owner of changsha-yuelu can file it instead",
    );
  });

  it("counts a group only when the requester's groups were recorded", () => {
    expect(judge({}, { username: "li" })).toMatchObject({ status: "False", message: expect.stringContaining("li (no groups recorded)") });
  });

  it("matches a ServiceAccount owner by its user name, and nothing else by that name", () => {
    expect(judge({ tenant: "zhuzhou" }, { username: "system:serviceaccount:ci:zhuzhou-bot" }).status).toBe("True");
    expect(judge({ tenant: "zhuzhou" }, { username: "zhuzhou-bot" }).status).toBe("False");
    expect(judge({ tenant: "zhuzhou" }, { username: "x", groups: ["zhuzhou-bot"] }).status).toBe("False");
  });

  it("refuses requests about a tenant that does not exist, and survives a cycle", () => {
    expect(judge({ tenant: "nowhere" }, { username: "yuelu-clerk" })).toMatchObject({ status: "False", reason: "TenantNotFound" });
    expect(judge({ tenant: "loop-a" }, { username: "yuelu-clerk" })).toMatchObject({ status: "False", reason: "NotOwner" });
  });
});

describe("beyondPendingCap", () => {
  const who = { username: "flooder" };
  const mine = Array.from({ length: 5 }, (_, i) => req({}, who, `r${i}`, `2026-11-30T09:00:0${i}Z`));
  const decided = req({}, who, "r-old", "2026-11-30T08:00:00Z", true);
  const others = [req({}, { username: "someone-else" }, "s0", "2026-11-30T08:59:00Z")];
  const all = [...mine, decided, ...others];

  it("judges the first requests filed, up to the cap, and not the rest", () => {
    expect(mine.map((r) => beyondPendingCap(r, all, 3)?.reason)).toEqual([undefined, undefined, undefined, "TooManyPending", "TooManyPending"]);
    expect(beyondPendingCap(mine[3]!, all, 3)?.message).toBe(
      "flooder has more than 3 requests waiting for a decision and only 3 are judged at a time; this one is judged once earlier ones are decided or withdrawn",
    );
  });

  it("counts only the requester's own pending requests", () => {
    expect(beyondPendingCap(others[0]!, all, 1)).toBeUndefined();
    // A decided request no longer holds a place.
    expect(beyondPendingCap(mine[1]!, all, 2)).toBeUndefined();
  });
});
