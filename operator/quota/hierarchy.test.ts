import { describe, expect, it } from "vitest";
import { allocateChildren, belowChildren, describeShortfalls, heldByChildren, ownShare, parentCycle, type BudgetHolder } from "./hierarchy.ts";

const cpu = (n: number) => ({ cpu: BigInt(n) * 1000n });
const child = (name: string, created: string, declared: number, enforced?: number): BudgetHolder => ({
  name,
  created,
  declared: cpu(declared),
  enforced: enforced === undefined ? undefined : cpu(enforced),
});

describe("allocateChildren", () => {
  it("admits pending children oldest first while the budget lasts, and the rest keep what they had", () => {
    const out = allocateChildren(cpu(10), [
      child("late", "2026-03-01T00:00:00Z", 4),
      child("settled", "2026-01-01T00:00:00Z", 5, 5),
      child("early", "2026-02-01T00:00:00Z", 4, 2),
    ]);
    expect(out.get("settled")).toEqual({ fits: true, hard: cpu(5) });
    // early: 5 settled + 4 ≤ 10; late: 5 + 4 + 4 > 10.
    expect(out.get("early")).toEqual({ fits: true, hard: cpu(4) });
    expect(out.get("late")).toEqual({ fits: false, hard: undefined, shortfalls: [{ resource: "cpu", requested: 4000n, allocated: 9000n, limit: 10000n }] });
  });

  it("is the same whatever order the children come in", () => {
    const kids = [child("a", "2026-01-01T00:00:00Z", 6), child("b", "2026-01-01T00:00:00Z", 6), child("c", "2026-01-02T00:00:00Z", 3)];
    const one = allocateChildren(cpu(10), kids);
    const other = allocateChildren(cpu(10), [...kids].reverse());
    expect([...one.entries()].sort()).toEqual([...other.entries()].sort());
    expect(one.get("a")!.fits).toBe(true);
    expect(one.get("b")!.fits).toBe(false);
    expect(one.get("c")!.fits).toBe(true);
  });

  it("charges a child that does not fit with the quota it keeps", () => {
    const out = allocateChildren(cpu(10), [child("grows", "2026-01-01T00:00:00Z", 12, 3), child("new", "2026-01-02T00:00:00Z", 8)]);
    expect(out.get("grows")).toMatchObject({ fits: false, hard: cpu(3) });
    expect(heldByChildren(cpu(10), out.values())).toEqual(cpu(3));
    expect(out.get("new")!.fits).toBe(false);
  });

  it("requires a child to name every resource its parent limits", () => {
    const out = allocateChildren({ cpu: 10_000n, memory: 1024n }, [{ name: "x", created: "", declared: { cpu: 1000n } }]);
    expect(out.get("x")).toMatchObject({ fits: false, shortfalls: [{ resource: "memory", requested: undefined }] });
  });
});

describe("ownShare and belowChildren", () => {
  it("gives the parent's own namespaces what its children do not hold, never below zero", () => {
    expect(ownShare({ cpu: 10_000n, pods: 5000n }, { cpu: 12_000n })).toEqual({ cpu: 0n, pods: 5000n });
  });

  it("finds a lowered quota below what settled children hold", () => {
    expect(belowChildren(cpu(8), [child("a", "", 6, 6), child("b", "", 5, 5), child("pending", "", 9)])).toEqual([
      { resource: "cpu", requested: 11_000n, allocated: 0n, limit: 8000n },
    ]);
    expect(belowChildren(cpu(11), [child("a", "", 6, 6), child("b", "", 5, 5)])).toEqual([]);
  });
});

describe("parentCycle", () => {
  it("finds a loop through the tenant, ignores one above it", () => {
    const parents: Record<string, string> = { a: "b", b: "c", c: "a", d: "b", e: "f", f: "f" };
    expect(parentCycle("a", (t) => parents[t])).toEqual(["a", "b", "c", "a"]);
    expect(parentCycle("d", (t) => parents[t])).toBeUndefined();
    expect(parentCycle("e", (t) => parents[t])).toBeUndefined();
  });
});

describe("describeShortfalls", () => {
  it("gives the numbers in the resource's own units", () => {
    expect(describeShortfalls([{ resource: "requests.memory", requested: 8n * 2n ** 30n * 1000n, allocated: 4n * 2n ** 30n * 1000n, limit: 10n * 2n ** 30n * 1000n }], "tenant city")).toBe(
      "requests.memory: 8Gi asked, 4Gi held by others, limit 10Gi (6Gi left)",
    );
    expect(describeShortfalls([{ resource: "cpu", allocated: 0n, limit: 2000n }], "tenant city")).toBe("cpu: no limit named, but tenant city limits it to 2");
  });
});
