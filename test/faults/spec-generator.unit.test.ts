// The generator the fault battery sends 10,000 specs from: the same seed
// gives the same specs, and a spec's expectation is what its mutations
// leave in it (a second mutation never mends what the first broke).
import { describe, expect, it } from "vitest";
import { Random } from "../audit/prng.ts";
import { generateSpecs } from "./spec-generator.ts";

const context = { username: "changsha-clerk", groups: ["changsha", "system:authenticated"], existingTenant: "gen-existing" };

describe("generateSpecs", () => {
  it("gives the same specs for the same seed, and others for another", () => {
    const a = generateSpecs(new Random(7), 500, context);
    expect(generateSpecs(new Random(7), 500, context)).toEqual(a);
    expect(generateSpecs(new Random(8), 500, context)).not.toEqual(a);
  });

  it("mutates about three specs in four, valid and invalid, of every kind", () => {
    const specs = generateSpecs(new Random(20_251_120), 4_000, context);
    const mutated = specs.filter((s) => s.mutations.length > 0).length / specs.length;
    expect(mutated).toBeGreaterThan(0.7);
    expect(mutated).toBeLessThan(0.8);
    for (const kind of ["Tenant", "TenantRequest", "Cluster"]) {
      expect(specs.filter((s) => s.kind === kind && s.expect === "invalid").length).toBeGreaterThan(100);
      expect(specs.filter((s) => s.kind === kind && s.expect === "valid").length).toBeGreaterThan(100);
    }
    // Every refusal expected has words its message must contain.
    expect(specs.filter((s) => s.expect === "invalid" && s.mentions.length === 0)).toEqual([]);
  });

  it("never makes a second mutation that undoes the first (a negative quota mended by another)", () => {
    const specs = generateSpecs(new Random(20_251_120), 10_000, context);
    const twice = specs.filter((s) => s.mutations.length === 2);
    expect(twice.length).toBeGreaterThan(500);
    const mending = [
      ["negative quota", "quota in exponent notation"],
      ["tenant name with capitals", "more than the pool"],
      ["reserved tenant name", "more than the pool"],
      ["min above max", "container default above the quota"],
      ["placement selecting nothing", "placement on an unknown cluster"],
      ["displayName over 128", "unicode everywhere valid"],
    ];
    for (const [first, second] of mending) expect(twice.filter((s) => s.mutations[0] === first && s.mutations[1] === second)).toEqual([]);
  });
});
