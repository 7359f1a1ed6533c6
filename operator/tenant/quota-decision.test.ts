import { describe, expect, it } from "vitest";
import { decideQuota, type TenantDirectory } from "./quota-decision.ts";
import type { Tenant } from "./types.ts";

function t(name: string, cpu: string, opts: { parent?: string; enforced?: string; created?: string } = {}): Tenant {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name, creationTimestamp: opts.created ?? "2026-01-01T00:00:00Z" },
    spec: { displayName: name, level: "city", owners: [{ kind: "User", name: "u" }], ...(opts.parent ? { parent: opts.parent } : {}), quota: { hard: { cpu } } },
    ...(opts.enforced ? { status: { quota: { hard: { cpu: opts.enforced } } } } : {}),
  };
}

const directory = (tenants: Tenant[]): TenantDirectory => ({
  get: (n) => tenants.find((x) => x.metadata.name === n),
  childrenOf: (n) => tenants.filter((x) => x.spec.parent === n),
});

describe("decideQuota", () => {
  it("gives a parent's own namespaces what its children do not hold", () => {
    const all = [t("city", "10", { enforced: "10" }), t("a", "6", { parent: "city", enforced: "6" })];
    const d = decideQuota(all[0]!, directory(all));
    expect(d).toMatchObject({ hard: { cpu: 10_000n }, children: { cpu: 6000n }, own: { cpu: 4000n }, hasChildren: true, allocated: { status: "True", reason: "TopLevel" } });
  });

  it("keeps a child's enforced quota when its new one does not fit, and makes a new child wait", () => {
    const all = [t("city", "10", { enforced: "10" }), t("a", "6", { parent: "city", enforced: "6" }), t("b", "8", { parent: "city", enforced: "2" }), t("c", "1", { parent: "city", created: "2026-02-01T00:00:00Z" })];
    const b = decideQuota(all[2]!, directory(all));
    expect(b).toMatchObject({ hard: { cpu: 2000n }, allocated: { status: "False", reason: "ExceedsParentQuota" } });
    expect(b.allocated.message).toContain("cpu: 8 asked, 6 held by others, limit 10 (4 left)");
    expect(b.allocated.message).toContain("it keeps enforcing its current quota (cpu 2)");
    // c came later but fits in what b's refused change leaves: 10 - 6 - 2.
    expect(decideQuota(all[3]!, directory(all))).toMatchObject({ hard: { cpu: 1000n }, allocated: { status: "True", reason: "WithinParent" } });
    const late = t("d", "3", { parent: "city", created: "2026-03-01T00:00:00Z" });
    const d = decideQuota(late, directory([...all, late]));
    expect(d.hard).toBeUndefined();
    expect(d.allocated.message).toContain("its namespaces wait until it fits");
  });

  it("refuses to lower a parent below its children, a missing parent, and a loop", () => {
    const all = [t("city", "4", { enforced: "10" }), t("a", "6", { parent: "city", enforced: "6" })];
    expect(decideQuota(all[0]!, directory(all))).toMatchObject({ hard: { cpu: 10_000n }, own: { cpu: 4000n }, allocated: { reason: "BelowChildren" } });
    expect(decideQuota(t("x", "1", { parent: "nowhere" }), directory([]))).toMatchObject({ hard: undefined, allocated: { reason: "ParentNotFound" } });
    const loop = [t("p", "1", { parent: "q", enforced: "1" }), t("q", "1", { parent: "p" })];
    expect(decideQuota(loop[0]!, directory(loop))).toMatchObject({ hard: { cpu: 1000n }, allocated: { reason: "ParentCycle", message: expect.stringContaining("p → q → p") } });
  });
});

describe("a suspended tenant's quota", () => {
  const suspended = (declared: string, enforced: string) => {
    const x = t("city", declared, { enforced });
    x.spec.suspension = { reason: "审计冻结" };
    return x;
  };

  it("does not grow: it keeps enforcing what it had, and says why", () => {
    const d = decideQuota(suspended("20", "10"), directory([]));
    expect(d).toMatchObject({ hard: { cpu: 10_000n }, allocated: { status: "False", reason: "Suspended" } });
    expect(d.allocated.message).toBe("the tenant is suspended (审计冻结), so its quota does not grow (cpu) until the suspension is lifted; it keeps enforcing its current quota (cpu 10) until this is resolved");
  });

  it("may shrink", () => {
    expect(decideQuota(suspended("5", "10"), directory([]))).toMatchObject({ hard: { cpu: 5000n }, allocated: { status: "True" } });
  });
});
