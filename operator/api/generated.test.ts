// The checked-in types must be exactly what the CRDs generate: a CRD edited
// without regenerating would let the operator compile against a schema the
// API server no longer enforces.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATED_PATH, generateApiTypes } from "../../scripts/generate-api-types.ts";
import { TENANT_GROUP, TENANT_KIND, TENANT_PLURAL, TENANT_VERSION, type Tenant } from "./generated.ts";

const generated = generateApiTypes();

/** The body of `export interface <name> { ... }` in the generated text. */
function interfaceBody(name: string): string {
  const match = new RegExp(`^export interface ${name} \\{\\n([\\s\\S]*?)^\\}`, "m").exec(generated);
  if (!match?.[1]) throw new Error(`no interface ${name} in the generated text`);
  // Doc comments mention field names too; only declarations count.
  return match[1]
    .split("\n")
    .filter((line) => !/^\s*(\/\*\*|\*)/.test(line))
    .join("\n");
}

describe("operator/api/generated.ts", () => {
  it("is what the CRDs in crds/ generate", () => {
    const checkedIn = readFileSync(GENERATED_PATH, "utf8");
    expect(checkedIn === generated, "operator/api/generated.ts is out of date with crds/: run `node scripts/generate-api-types.ts`").toBe(true);
  });

  it("names the Tenant API's group, version and plural", () => {
    expect([TENANT_GROUP, TENANT_VERSION, TENANT_PLURAL, TENANT_KIND]).toEqual(["yunshu.io", "v1alpha1", "tenants", "Tenant"]);
  });

  it("types the Tenant object with client-node's ObjectMeta, as JSON, and a literal apiVersion", () => {
    expect(generated).toContain('import type { V1ListMeta, V1ManagedFieldsEntry, V1ObjectMeta } from "@kubernetes/client-node";');
    expect(generated).toMatch(/export type CustomObjectMeta = Omit<V1ObjectMeta, [^>]*> & \{\n {2}name: string;\n {2}creationTimestamp\?: string;/);
    const tenant = interfaceBody("Tenant");
    expect(tenant).toContain('apiVersion: "yunshu.io/v1alpha1";');
    expect(tenant).toContain('kind: "Tenant";');
    expect(tenant).toContain("metadata: CustomObjectMeta;");
    expect(tenant).toContain("spec: TenantSpec;");
    expect(tenant).toContain("status?: TenantStatus;");
  });

  it("makes required fields required, the rest optional, and enums unions", () => {
    const spec = interfaceBody("TenantSpec");
    expect(spec).toContain("displayName: string;");
    expect(spec).toContain("code?: string;");
    expect(spec).toContain('level: "province" | "city" | "county" | "township" | "village";');
    expect(spec).toContain("owners: TenantOwner[];");
    expect(spec).toContain("namespaces?: TenantNamespace[];");
    expect(spec).toContain("securityLevel?: 2 | 3 | 4;");
    expect(spec).toContain('deletionPolicy?: "Retain" | "Delete";');
    expect(interfaceBody("TenantOwner")).toContain('kind: "User" | "Group" | "ServiceAccount";');
    expect(interfaceBody("TenantOwner")).toContain("namespace?: string;");
    expect(interfaceBody("TenantStatusNamespace")).toContain('state: "Active" | "Released" | "Conflict" | "Terminating";');
  });

  it("types quantities as int-or-string maps and status maps as strings", () => {
    expect(interfaceBody("TenantQuota")).toContain("hard?: Record<string, string | number>;");
    expect(interfaceBody("TenantLimits")).toContain("defaultRequest?: Record<string, string | number>;");
    expect(interfaceBody("TenantStatusQuota")).toContain("used?: Record<string, string>;");
  });

  it("carries the CRD's descriptions and defaults into doc comments", () => {
    expect(generated).toMatch(/\/\*\*\n {3}\* The MLPS level[\s\S]*?@default 3\n {3}\*\/\n {2}securityLevel\?/);
    expect(generated).toContain("// Generated from crds/*.yaml by scripts/generate-api-types.ts. DO NOT EDIT.");
  });

  it("accepts the sample tenant as a Tenant", () => {
    // A compile-time check as much as a runtime one: tsc fails if the sample's shape drifts from the types.
    const sample: Tenant = {
      apiVersion: "yunshu.io/v1alpha1",
      kind: "Tenant",
      metadata: { name: "hunan-data-bureau" },
      spec: {
        displayName: "湖南省数据局",
        level: "province",
        owners: [{ kind: "User", name: "alice" }, { kind: "Group", name: "data-bureau-ops" }],
        namespaces: [{ name: "prod" }, { name: "test" }],
        quota: { hard: { "requests.cpu": "8", "requests.memory": "16Gi", pods: 100 } },
        securityLevel: 3,
      },
    };
    expect(sample.spec.owners).toHaveLength(2);
  });
});
