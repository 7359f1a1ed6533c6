import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { asList, formatObject } from "./output.ts";

// As the API server sends a ResourceQuota: kind first, managed fields included.
const quota = {
  kind: "ResourceQuota",
  apiVersion: "v1",
  metadata: { name: "yunshu-tenant-quota", namespace: "hunan-prod", managedFields: [{ manager: "yunshu" }] },
  spec: { hard: { "requests.cpu": "28" } },
};

describe("formatObject", () => {
  it("prints JSON with apiVersion and kind first and without managed fields", () => {
    const text = formatObject(quota, "json");
    expect(Object.keys(JSON.parse(text) as object)).toEqual(["apiVersion", "kind", "metadata", "spec"]);
    expect(text).not.toContain("managedFields");
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("prints several objects as a v1 List, in YAML too", () => {
    const text = formatObject(asList([quota]), "yaml");
    expect(text.startsWith("apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ResourceQuota\n")).toBe(true);
    expect(parse(text)).toEqual({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "yunshu-tenant-quota", namespace: "hunan-prod" }, spec: quota.spec }] });
  });
});
