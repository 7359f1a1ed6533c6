import { describe, expect, it } from "vitest";
import { departedPeople } from "./renew-credentials.ts";

const annotations = { "yunshu.io/grant-users": "dora\nfrank", "yunshu.io/grant-groups": "finance-ops", "yunshu.io/grant-namespaces": "keeper-prod" };

describe("who left the tenant", () => {
  it("is whoever the namespace's grant annotations list and the Tenant no longer does", () => {
    expect(departedPeople(annotations, { users: ["dora"], groups: [] })).toEqual(["User frank", "Group finance-ops"]);
  });

  it("is nobody when people are only added, or when the namespace has no annotations yet", () => {
    expect(departedPeople(annotations, { users: ["dora", "erin", "frank"], groups: ["finance-ops"] })).toEqual([]);
    expect(departedPeople(undefined, { users: [], groups: [] })).toEqual([]);
  });
});
