// The JSON schema the console's form validates a request with: the
// TenantRequest CRD's own, as the API server validates it. Its CEL rules
// (x-kubernetes-validations) are left out: the browser cannot run them, and
// the API server's answer to them is shown as it comes.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { repositoryPath } from "../../operator/repository.ts";

const CRD = repositoryPath("crds", "yunshu.io_tenantrequests.yaml");

type Schema = Record<string, unknown>;

function withoutCel(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutCel);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(Object.entries(node as Schema).filter(([key]) => key !== "x-kubernetes-validations").map(([key, value]) => [key, withoutCel(value)]));
}

export function tenantRequestSpecSchema(file: URL | string = CRD): Schema {
  const crd = parse(readFileSync(file, "utf8")) as { spec: { versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[] } };
  const version = crd.spec.versions.find((v) => v.served);
  const spec = (version?.schema.openAPIV3Schema.properties as Record<string, Schema> | undefined)?.spec;
  if (!spec) throw new Error(`${String(file)} has no served version with a spec schema`);
  return withoutCel(spec) as Schema;
}
