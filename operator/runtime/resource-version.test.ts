import { describe, expect, it } from "vitest";
import { newerObject, versionOf } from "./resource-version.ts";

const quota = (resourceVersion: string | undefined, hard: string, used: string) => ({
  metadata: { name: "yunshu-tenant-quota", namespace: "budget-east", ...(resourceVersion ? { resourceVersion } : {}) },
  spec: { hard: { pods: hard } },
  status: { used: { pods: used } },
});

describe("newerObject", () => {
  it("keeps the answer to our write, usage included, while the cache is older", () => {
    // We lowered the limit to 2 below a usage of 3; the cache still holds
    // an older copy that shows less usage. Counting its usage would let the
    // tenant-wide sum be exceeded.
    const cached = quota("100", "3", "1");
    const written = quota("105", "2", "3");
    expect(newerObject(cached, written)).toBe(written);
    expect(newerObject(undefined, written)).toBe(written);
  });

  it("returns the cache once it has caught up with the write or passed it", () => {
    const written = quota("105", "2", "3");
    const same = quota("105", "2", "3");
    const later = quota("110", "2", "2");
    expect(newerObject(same, written)).toBe(same);
    expect(newerObject(later, written)).toBe(later);
  });

  it("believes the cache when a version is not a number", () => {
    expect(newerObject(quota("abc", "3", "1"), quota("105", "2", "3"))?.spec.hard.pods).toBe("3");
    expect(newerObject(quota("100", "3", "1"), quota(undefined, "2", "3"))?.spec.hard.pods).toBe("3");
    expect(versionOf(quota("18446744073709551616", "1", "0"))).toBe(18446744073709551616n);
  });
});
