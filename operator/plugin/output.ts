// -o json|yaml: the API objects themselves, for scripts and for a closer look.
import { stringify } from "yaml";
import type { KubeObject } from "../runtime/kube-client.ts";

/**
 * As kubectl prints objects: apiVersion, kind and metadata first (the API
 * server sends kind first), without managed fields, which are server-side
 * apply's bookkeeping.
 */
function forPrinting<T extends KubeObject>(obj: T): T {
  const { managedFields: _, ...metadata } = obj.metadata;
  return { apiVersion: obj.apiVersion, kind: obj.kind, ...obj, metadata };
}

/** Several objects as kubectl prints them: a v1 List. */
export function asList(items: readonly KubeObject[]): { apiVersion: "v1"; kind: "List"; items: KubeObject[] } {
  return { apiVersion: "v1", kind: "List", items: items.map(forPrinting) };
}

export function formatObject(obj: KubeObject | ReturnType<typeof asList>, format: "json" | "yaml"): string {
  const clean = "items" in obj ? obj : forPrinting(obj);
  return format === "json" ? JSON.stringify(clean, null, 2) + "\n" : stringify(clean);
}
