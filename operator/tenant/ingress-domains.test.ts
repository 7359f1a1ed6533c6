import { describe, expect, it } from "vitest";
import { decideIngressDomains } from "./ingress-domains.ts";
import type { Tenant } from "./types.ts";

function tenant(name: string, created: string, ingressDomains: string[]): Tenant {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name, creationTimestamp: created },
    spec: { displayName: name, level: "city", owners: [{ kind: "User", name: "u" }], network: { ingressDomains } },
  };
}

describe("decideIngressDomains", () => {
  const finance = tenant("finance", "2026-01-01T00:00:00Z", ["czt.hunan.gov.cn"]);

  it("grants a domain no earlier tenant holds", () => {
    const health = tenant("health", "2026-02-01T00:00:00Z", ["wjw.hunan.gov.cn"]);
    expect(decideIngressDomains(health, [finance, health])).toEqual({ granted: ["wjw.hunan.gov.cn"], withheld: [] });
  });

  it("withholds the same domain, a parent domain and a subdomain of an earlier grant, and says whose it is", () => {
    const later = tenant("grabber", "2026-03-01T00:00:00Z", ["czt.hunan.gov.cn", "hunan.gov.cn", "pay.czt.hunan.gov.cn", "grabber.gov.cn"]);
    const decision = decideIngressDomains(later, [finance, later]);
    expect(decision.granted).toEqual(["grabber.gov.cn"]);
    expect(decision.withheld.map((w) => w.domain)).toEqual(["czt.hunan.gov.cn", "hunan.gov.cn", "pay.czt.hunan.gov.cn"]);
    expect(decision.withheld[1]!.message).toContain("overlaps czt.hunan.gov.cn, granted earlier to tenant finance");
    // The earlier tenant keeps its own.
    expect(decideIngressDomains(finance, [finance, later]).granted).toEqual(["czt.hunan.gov.cn"]);
  });

  it("does not confuse a look-alike with a subdomain", () => {
    const lookalike = tenant("lookalike", "2026-03-01T00:00:00Z", ["xczt.hunan.gov.cn"]);
    expect(decideIngressDomains(lookalike, [finance]).granted).toEqual(["xczt.hunan.gov.cn"]);
  });

  it("breaks a tie of creation times by name, and ignores a tenant being deleted", () => {
    const a = tenant("a", "2026-01-01T00:00:00Z", ["x.gov.cn"]);
    const b = tenant("b", "2026-01-01T00:00:00Z", ["x.gov.cn"]);
    expect(decideIngressDomains(b, [a, b]).withheld).toHaveLength(1);
    expect(decideIngressDomains(a, [a, b]).granted).toEqual(["x.gov.cn"]);
    const leaving = { ...a, metadata: { ...a.metadata, deletionTimestamp: "2026-04-01T00:00:00Z" } };
    expect(decideIngressDomains(b, [leaving, b]).granted).toEqual(["x.gov.cn"]);
  });
});
