import { describe, expect, it } from "vitest";
import type { Tenant } from "../api/generated.ts";
import { renderTree, tenantTree } from "./tree-view.ts";

function tenant(name: string, parent?: string, extra: Partial<Tenant> = {}): Tenant {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name },
    spec: { displayName: name.toUpperCase(), level: "city", owners: [{ kind: "User", name: "a" }], ...(parent ? { parent } : {}) },
    ...extra,
  };
}

const layout = (tenants: Tenant[]) => tenantTree(tenants).map((r) => `${r.prefix}${r.tenant.metadata.name}${r.note ? ` [${r.note}]` : ""}`);

describe("tenantTree", () => {
  it("puts roots first by name and each child under its parent, by name, with tree glyphs", () => {
    const tenants = [
      tenant("yueyang", "hunan"),
      tenant("hunan"),
      tenant("yuelu", "changsha"),
      tenant("changsha", "hunan"),
      tenant("furong", "changsha"),
      tenant("anhua", "yiyang"),
      tenant("yiyang", "hunan"),
      tenant("guangdong"),
    ];
    expect(layout(tenants)).toEqual([
      "guangdong",
      "hunan",
      "├─ changsha",
      "│  ├─ furong",
      "│  └─ yuelu",
      "├─ yiyang",
      "│  └─ anhua",
      "└─ yueyang",
    ]);
  });

  it("shows a tenant whose parent does not exist at the top, with its subtree, and says so", () => {
    expect(layout([tenant("hunan"), tenant("yuelu", "changsha"), tenant("yuelu-a", "yuelu")])).toEqual([
      "hunan",
      "yuelu [parent changsha missing]",
      "└─ yuelu-a",
    ]);
  });

  it("shows every tenant of a loop of parents once, starting at the first by name, and names the loop", () => {
    const rows = layout([tenant("c", "b"), tenant("a", "c"), tenant("b", "a"), tenant("d", "b"), tenant("root"), tenant("self", "self")]);
    expect(rows).toEqual(["root", "a [parents loop: a → c → b → a]", "└─ b", "   ├─ c", "   └─ d", "self [parents loop: self → self]"]);
  });

  it("shows a tenant hanging off a loop under the loop, not as a loop of its own", () => {
    expect(layout([tenant("x", "y"), tenant("y", "x"), tenant("leaf", "x")])).toEqual(["x [parents loop: x → y → x]", "├─ leaf", "└─ y"]);
  });
});

describe("renderTree", () => {
  it("shows name with display name, level, quota, children's share, usage and Ready, aligned for Chinese names", () => {
    const quota = (hard: Record<string, string>, used: Record<string, string>, children?: Record<string, string>) => ({
      status: { quota: { hard, used, ...(children ? { children } : {}) }, conditions: [{ type: "Ready", status: "True" as const, reason: "Ready", message: "", lastTransitionTime: "" }] },
    });
    const text = renderTree([
      {
        ...tenant("hunan", undefined, quota({ "requests.cpu": "40", "requests.memory": "64Gi" }, { "requests.cpu": "2", "requests.memory": "1Gi" }, { "requests.cpu": "12", "requests.memory": "24Gi" })),
        spec: { displayName: "湖南省数据局", level: "province", owners: [{ kind: "User", name: "a" }] },
      },
      {
        ...tenant("changsha", "hunan", quota({ "requests.cpu": "12", "requests.memory": "24Gi" }, { "requests.cpu": "500m", "requests.memory": "0" })),
        spec: { displayName: "长沙市数据局", level: "city", parent: "hunan", owners: [{ kind: "User", name: "a" }] },
      },
      tenant("orphan", "gone"),
    ]);
    expect(text).toBe(
      [
        "NAME                                    LEVEL      QUOTA                 CHILDREN              USED                 READY",
        "hunan (湖南省数据局)                    province   cpu 40, memory 64Gi   cpu 12, memory 24Gi   cpu 2, memory 1Gi    True",
        "└─ changsha (长沙市数据局)              city       cpu 12, memory 24Gi   -                     cpu 500m, memory 0   True",
        "orphan (ORPHAN) (parent gone missing)   city       -                     -                     -                    -",
      ].join("\n") + "\n",
    );
  });
});
