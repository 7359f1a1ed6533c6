import { describe, expect, it } from "vitest";
import { growStep, planQuota, shrinkStep, sumAllocation, type NamespaceQuota } from "./allocate.ts";
import type { ResourceList } from "../api/quantity.ts";

const pods = (n: number) => BigInt(n) * 1000n;

describe("planQuota", () => {
  it("splits free headroom equally, in whole pods, on top of usage", () => {
    const plan = planQuota({ pods: pods(10) }, [
      { namespace: "t-a", used: { pods: pods(3) } },
      { namespace: "t-b", used: { pods: pods(0) } },
    ]);
    // free = 7 pods: 3 each, and the odd one to the busier namespace.
    expect(plan.get("t-a")).toEqual({ pods: pods(7) });
    expect(plan.get("t-b")).toEqual({ pods: pods(3) });
  });

  it("gives the last free unit to the namespace that uses most, so it can always grow by one", () => {
    const plan = planQuota({ pods: pods(6) }, [
      { namespace: "east", used: { pods: pods(0) } },
      { namespace: "west", used: { pods: pods(5) } },
    ]);
    expect(plan.get("west")).toEqual({ pods: pods(6) });
    expect(plan.get("east")).toEqual({ pods: pods(0) });
  });

  it("divides CPU to the millicore", () => {
    const plan = planQuota({ "requests.cpu": 1000n }, [
      { namespace: "a", used: {} },
      { namespace: "b", used: {} },
      { namespace: "c", used: {} },
    ]);
    expect([...plan.values()].map((l) => l["requests.cpu"])).toEqual([334n, 333n, 333n]);
  });

  it("caps every namespace at or below its usage when the tenant is over its limit", () => {
    const plan = planQuota({ pods: pods(4) }, [
      { namespace: "a", used: { pods: pods(4) } },
      { namespace: "b", used: { pods: pods(2) } },
    ]);
    expect(plan.get("a")!.pods! <= pods(4)).toBe(true);
    expect(plan.get("b")!.pods! <= pods(2)).toBe(true);
    expect(sumAllocation(plan.values()).pods! <= pods(4)).toBe(true);
  });
});

describe("planQuota leaves limits alone while every namespace has room", () => {
  const configmaps = (n: number) => BigInt(n) * 1000n;
  const settled = (usedA: number, usedB: number, hardA = 50, hardB = 50): NamespaceQuota[] => [
    { namespace: "a", hard: { configmaps: configmaps(hardA) }, used: { configmaps: configmaps(usedA) } },
    { namespace: "b", hard: { configmaps: configmaps(hardB) }, used: { configmaps: configmaps(usedB) } },
  ];

  it("keeps the limits when usage grows a little: a new ConfigMap rewrites no quota", () => {
    // A fresh split would give a 50 + 49/2: each still has far more than half of that left.
    const plan = planQuota({ configmaps: configmaps(100) }, settled(1, 0));
    expect(plan.get("a")).toEqual({ configmaps: configmaps(50) });
    expect(plan.get("b")).toEqual({ configmaps: configmaps(50) });
  });

  it("moves headroom once a namespace runs low (below half of a fresh share)", () => {
    // a has 50 - 40 = 10 left; a fresh share of the 60 free is 30 each, half of it 15.
    const plan = planQuota({ configmaps: configmaps(100) }, settled(40, 0));
    expect(plan.get("a")).toEqual({ configmaps: configmaps(70) });
    expect(plan.get("b")).toEqual({ configmaps: configmaps(30) });
  });

  it("hands out a raised tenant limit, and takes back a lowered one, whatever the room", () => {
    expect(planQuota({ configmaps: configmaps(120) }, settled(0, 0)).get("a")).toEqual({ configmaps: configmaps(60) });
    expect(planQuota({ configmaps: configmaps(80) }, settled(0, 0)).get("b")).toEqual({ configmaps: configmaps(40) });
  });

  it("splits afresh when a namespace has no quota yet", () => {
    const fresh = [...settled(0, 0), { namespace: "c", used: {} }];
    expect([...planQuota({ configmaps: configmaps(99) }, fresh).values()].map((l) => l.configmaps)).toEqual([configmaps(33), configmaps(33), configmaps(33)]);
  });
});

describe("shrink then grow", () => {
  it("never lets the sum of hard limits exceed the tenant's limit, at any step", () => {
    const tenant = { pods: pods(10) };
    const current: NamespaceQuota[] = [
      { namespace: "a", hard: { pods: pods(5) }, used: { pods: pods(0) } },
      { namespace: "b", hard: { pods: pods(5) }, used: { pods: pods(5) } },
    ];
    const plan = planQuota(tenant, current);
    const shrunk = shrinkStep(current, plan);
    expect(sumAllocation(shrunk.values()).pods! <= pods(10)).toBe(true);
    // While we shrank "a", two pods were admitted there under its old limit.
    const afterShrink = current.map((ns) => ({ namespace: ns.namespace, hard: shrunk.get(ns.namespace), used: ns.namespace === "a" ? { pods: pods(2) } : ns.used }));
    const grown = growStep(tenant, afterShrink, plan);
    const claimed = afterShrink.reduce((sum, ns) => {
      const hard = grown.get(ns.namespace)!.pods!;
      const used = ns.used!.pods!;
      return sum + (hard > used ? hard : used);
    }, 0n);
    expect(claimed <= pods(10)).toBe(true);
    expect(grown.get("b")!.pods! > pods(5)).toBe(true);
  });

  it("grows nothing into headroom that a lowered limit still enforces, until the quota controller has copied it", () => {
    const tenant = { pods: pods(6) };
    // East was lowered from 4 to 2 just now; admission still enforces 4.
    const lowering: NamespaceQuota[] = [
      { namespace: "east", hard: { pods: pods(2) }, used: { pods: pods(2) }, enforced: { pods: pods(4) } },
      { namespace: "west", hard: { pods: pods(2) }, used: { pods: pods(2) }, enforced: { pods: pods(2) } },
    ];
    const plan = new Map([
      ["east", { pods: pods(2) }],
      ["west", { pods: pods(4) }],
    ]);
    expect(growStep(tenant, lowering, plan).get("west")).toEqual({ pods: pods(2) });
    // Once 2 is enforced in east, west may have the two pods east gave up.
    const copied = lowering.map((ns) => (ns.namespace === "east" ? { ...ns, enforced: { pods: pods(2) } } : ns));
    expect(growStep(tenant, copied, plan).get("west")).toEqual({ pods: pods(4) });
  });

  it("holds the invariant under random usage, races and limit changes", () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      const tenant: ResourceList = { pods: pods(1 + random(20)), "requests.cpu": BigInt(1 + random(4000)) };
      const names = ["a", "b", "c", "d"].slice(0, 1 + random(4));
      const current: NamespaceQuota[] = names.map((namespace) => ({
        namespace,
        hard: random(5) === 0 ? undefined : { pods: pods(random(8)), "requests.cpu": BigInt(random(2000)) },
        used: { pods: pods(random(6)), "requests.cpu": BigInt(random(1500)) },
      }));
      const plan = planQuota(tenant, current);
      const shrunk = shrinkStep(current, plan);
      // Races: admission may charge up to the old limit before the shrink lands.
      const afterShrink = current.map((ns) => {
        const used: ResourceList = {};
        for (const r of Object.keys(tenant)) {
          const oldHard = ns.hard?.[r] ?? 0n;
          const u = ns.used?.[r] ?? 0n;
          used[r] = random(2) === 0 && oldHard > u ? oldHard : u;
        }
        return { namespace: ns.namespace, hard: shrunk.get(ns.namespace), used };
      });
      const grown = growStep(tenant, afterShrink, plan);
      for (const r of Object.keys(tenant)) {
        const before = afterShrink.reduce((s, ns) => s + ((ns.hard?.[r] ?? 0n) > ns.used[r]! ? ns.hard![r]! : ns.used[r]!), 0n);
        const after = afterShrink.reduce((s, ns) => {
          const h = grown.get(ns.namespace)![r] ?? 0n;
          return s + (h > ns.used[r]! ? h : ns.used[r]!);
        }, 0n);
        // Growth only ever spends headroom that was free; what was already
        // over (usage from before a limit was lowered) is never made worse.
        expect(after <= (before > tenant[r]! ? before : tenant[r]!)).toBe(true);
      }
    }
  });
});
