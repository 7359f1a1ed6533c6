// Generates operator/api/generated.ts from the CRDs in crds/, so that the
// operator's types can never drift from the schema the API server enforces.
// Run: node scripts/generate-api-types.ts
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const CRD_DIR = join(repoRoot, "crds");
export const GENERATED_PATH = join(repoRoot, "operator", "api", "generated.ts");

interface Schema {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  enum?: (string | number | boolean)[];
  default?: unknown;
  "x-kubernetes-int-or-string"?: boolean;
}

interface CustomResourceDefinition {
  kind: string;
  spec: {
    group: string;
    scope: "Namespaced" | "Cluster";
    names: { kind: string; plural: string; listKind?: string };
    versions: { name: string; storage: boolean; schema?: { openAPIV3Schema?: Schema } }[];
  };
}

const HEADER = `// Generated from crds/*.yaml by scripts/generate-api-types.ts. DO NOT EDIT.
// Regenerate with: node scripts/generate-api-types.ts
import type { V1ListMeta, V1ManagedFieldsEntry, V1ObjectMeta } from "@kubernetes/client-node";

/**
 * client-node's V1ObjectMeta as custom objects arrive: raw JSON, with timestamps as strings
 * (client-node turns them into Dates only for the built-in kinds it deserializes).
 */
export type CustomObjectMeta = Omit<V1ObjectMeta, "name" | "creationTimestamp" | "deletionTimestamp" | "managedFields"> & {
  name: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  managedFields?: (Omit<V1ManagedFieldsEntry, "time"> & { time?: string })[];
};
`;

/** The text of operator/api/generated.ts for every CRD in `crdDir`. */
export function generateApiTypes(crdDir: string = CRD_DIR): string {
  const files = readdirSync(crdDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  const names = new Set<string>();
  const sections = files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(crdDir, file), "utf8"))
      .map((doc) => doc.toJS() as CustomResourceDefinition | null)
      .filter((doc): doc is CustomResourceDefinition => doc?.kind === "CustomResourceDefinition")
      .map((crd) => renderCrd(crd, relative(repoRoot, join(crdDir, file)), names)),
  );
  return [HEADER, ...sections].join("\n");
}

/** What one CRD's rendering accumulates: its nested interfaces, and every type name taken so far. */
interface Context {
  kind: string;
  interfaces: string[];
  names: Set<string>;
}

// Typed more precisely than a CRD's schema says: literal apiVersion and kind,
// and client-node's ObjectMeta (as CustomObjectMeta).
const TYPED_BY_HAND = new Set(["apiVersion", "kind", "metadata"]);

function renderCrd(crd: CustomResourceDefinition, source: string, names: Set<string>): string {
  const { group, names: crdNames } = crd.spec;
  const { kind, plural } = crdNames;
  const listKind = crdNames.listKind ?? `${kind}List`;
  // The storage version is the one the operator reads and writes.
  const version = crd.spec.versions.find((v) => v.storage);
  const root = version?.schema?.openAPIV3Schema;
  if (!version || !root) throw new Error(`${source}: ${kind} has no storage version with an openAPIV3Schema`);
  const apiVersion = JSON.stringify(`${group}/${version.name}`);
  const prefix = constantCase(kind);
  claim(names, kind);
  claim(names, listKind);

  const context: Context = { kind, interfaces: [], names };
  const properties = Object.fromEntries(Object.entries(root.properties ?? {}).filter(([name]) => !TYPED_BY_HAND.has(name)));
  return [
    `// ${kind}: ${plural}.${group}/${version.name}, from ${source}.`,
    `export const ${prefix}_GROUP = ${JSON.stringify(group)};`,
    `export const ${prefix}_VERSION = ${JSON.stringify(version.name)};`,
    `export const ${prefix}_PLURAL = ${JSON.stringify(plural)};`,
    `export const ${prefix}_KIND = ${JSON.stringify(kind)};`,
    `export const ${prefix}_API_VERSION = ${apiVersion};`,
    `/** Where the API server serves ${plural}: what the operator's client needs to read and write them. */`,
    `export const ${prefix}_RESOURCE = { group: ${JSON.stringify(group)}, version: ${JSON.stringify(version.name)}, kind: ${JSON.stringify(kind)}, plural: ${JSON.stringify(plural)}, namespaced: ${crd.spec.scope === "Namespaced"} } as const;`,
    "",
    `${docComment(root, "")}export interface ${kind} {`,
    `  apiVersion: ${apiVersion};`,
    `  kind: ${JSON.stringify(kind)};`,
    `  metadata: CustomObjectMeta;`,
    ...renderFields({ ...root, properties }, kind, context),
    "}",
    "",
    `export interface ${listKind} {`,
    `  apiVersion: ${apiVersion};`,
    `  kind: ${JSON.stringify(listKind)};`,
    `  metadata?: V1ListMeta;`,
    `  items: ${kind}[];`,
    "}",
    "",
    ...context.interfaces,
  ].join("\n");
}

/** The lines declaring `schema`'s properties; nested object types go to `context.interfaces`. */
function renderFields(schema: Schema, typeName: string, context: Context): string[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
    const optional = required.has(name) ? "" : "?";
    const type = tsType(property, childTypeName(typeName, name, context.kind), context);
    return `${docComment(property, "  ")}  ${key}${optional}: ${type};`;
  });
}

/** The TypeScript type of `schema`; an object with properties becomes the interface `typeName`. */
function tsType(schema: Schema, typeName: string, context: Context): string {
  if (schema["x-kubernetes-int-or-string"]) return "string | number";
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  switch (schema.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array": {
      const item = tsType(schema.items ?? {}, singular(typeName), context);
      return /[ |&]/.test(item) ? `(${item})[]` : `${item}[]`;
    }
    case "object": {
      if (schema.properties && Object.keys(schema.properties).length > 0) {
        claim(context.names, typeName);
        // Reserve the slot first, so that a parent comes before its children.
        const slot = context.interfaces.push("") - 1;
        const fields = renderFields(schema, typeName, context);
        context.interfaces[slot] = [`${docComment(schema, "")}export interface ${typeName} {`, ...fields, "}", ""].join("\n");
        return typeName;
      }
      const values = schema.additionalProperties;
      if (values && typeof values === "object") return `Record<string, ${tsType(values, `${typeName}Value`, context)}>`;
      return "Record<string, unknown>";
    }
    default:
      return "unknown";
  }
}

/**
 * Types are named by their path from the kind, except that the spec's
 * children drop "Spec": `TenantOwner`, not `TenantSpecOwner`, because the
 * spec is what people talk about; the status keeps its name.
 */
function childTypeName(parent: string, property: string, kind: string): string {
  const base = parent === `${kind}Spec` ? kind : parent;
  return base + property.charAt(0).toUpperCase() + property.slice(1);
}

function singular(name: string): string {
  if (name.endsWith("ies")) return `${name.slice(0, -3)}y`;
  if (name.endsWith("sses")) return name.slice(0, -2);
  if (name.endsWith("s")) return name.slice(0, -1);
  return `${name}Item`;
}

function claim(names: Set<string>, name: string): void {
  if (names.has(name)) throw new Error(`two generated types would be named ${name}; rename a property or kind`);
  names.add(name);
}

function constantCase(kind: string): string {
  return kind.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

function docComment(schema: Schema, indent: string): string {
  const text = [schema.description?.trim(), schema.default !== undefined ? `@default ${JSON.stringify(schema.default)}` : undefined]
    .filter((part): part is string => Boolean(part))
    .join("\n\n")
    .replaceAll("*/", "*\\/");
  if (!text) return "";
  const lines = text.split("\n").flatMap((paragraph) => wrap(paragraph, 100 - indent.length - 3));
  return [`${indent}/**`, ...lines.map((line) => (line ? `${indent} * ${line}` : `${indent} *`)), `${indent} */`, ""].join("\n");
}

function wrap(paragraph: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of paragraph.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}

if (import.meta.main) {
  writeFileSync(GENERATED_PATH, generateApiTypes());
  console.log(`wrote ${relative(process.cwd(), GENERATED_PATH)}`);
}
