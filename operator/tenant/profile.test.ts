import { describe, expect, it } from "vitest";
import { shippedProfile } from "../api/manifests.ts";
import { formatResourceList, parseResourceList } from "../api/quantity.ts";
import { decideEgress, profileName, withProfileQuota } from "./profile.ts";

describe("withProfileQuota", () => {
  const profile = shippedProfile(3);

  it("adds the profile's count and storage limits to what the tenant's namespaces share", () => {
    const own = parseResourceList({ "requests.cpu": "4" });
    const merged = formatResourceList(withProfileQuota(own, parseResourceList({ "requests.cpu": "10" }), profile));
    expect(merged).toMatchObject({ "requests.cpu": "4", configmaps: "100", secrets: "100", "requests.storage": "500Gi", "count/ingresses.networking.k8s.io": "20" });
  });

  it("keeps the tenant's own figure for a resource its quota names, higher or lower", () => {
    const enforced = parseResourceList({ configmaps: "5000", secrets: "10" });
    const merged = formatResourceList(withProfileQuota(enforced, enforced, profile));
    expect(merged.configmaps).toBe("5000");
    expect(merged.secrets).toBe("10");
    expect(merged.services).toBe("30");
  });

  it("does not add a profile limit its children hold all of: the tenant names it, so its own share stands", () => {
    const enforced = parseResourceList({ configmaps: "50" });
    expect(withProfileQuota({}, enforced, profile).configmaps).toBeUndefined();
  });
});

describe("decideEgress", () => {
  it("allows CIDRs at least as narrow as the profile's minimum and refuses wider ones with the rule's name", () => {
    const decision = decideEgress(["10.20.0.0/16", "10.0.0.0/8", "0.0.0.0/1", "2001:db8::/48", "2001:db8::/32"], shippedProfile(3));
    expect(decision.allowed).toEqual(["10.20.0.0/16", "2001:db8::/48"]);
    expect(decision.refused.map((r) => r.cidr)).toEqual(["10.0.0.0/8", "0.0.0.0/1", "2001:db8::/32"]);
    expect(decision.refused[0]!.message).toContain("profile mlps-3 allows (network.minEgressPrefix.ipv4: /16)");
  });

  it("allows the whole internet only where the profile's minimum is /0 (level 2 as shipped)", () => {
    expect(decideEgress(["0.0.0.0/0", "::/0"], shippedProfile(2)).refused).toEqual([]);
    expect(decideEgress(["0.0.0.0/1", "128.0.0.0/1"], shippedProfile(4)).allowed).toEqual([]);
  });
});

describe("the shipped profiles", () => {
  it("are named after their level and never let a tenant use system-* priority classes", () => {
    for (const level of [2, 3, 4] as const) {
      const profile = shippedProfile(level);
      expect(profile.metadata.name).toBe(profileName(level));
      expect(profile.spec.workloads.priorityClasses.some((c) => c.startsWith("system-"))).toBe(false);
    }
  });

  it("tighten from level to level: Pod Security, Service types, registries and egress prefixes", () => {
    const [two, three, four] = ([2, 3, 4] as const).map((l) => shippedProfile(l).spec);
    expect([two!.podSecurity.level, three!.podSecurity.level, four!.podSecurity.level]).toEqual(["baseline", "restricted", "restricted"]);
    expect(three!.services.allowedTypes).toEqual(["ClusterIP"]);
    expect(two!.images.registries).toEqual([]);
    expect(three!.images.registries.length).toBeGreaterThan(0);
    expect(four!.network.minEgressPrefix.ipv4).toBeGreaterThan(three!.network.minEgressPrefix.ipv4);
    // 32 CIDRs of the narrowest allowed prefix must not add up to the whole IPv4 space at 3 and 4.
    for (const spec of [three!, four!]) expect(32 * 2 ** (32 - spec.network.minEgressPrefix.ipv4)).toBeLessThan(2 ** 32);
  });
});
