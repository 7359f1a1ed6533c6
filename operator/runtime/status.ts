// Status writes shared by every controller: compare, then apply only the
// status, so that a steady state costs no writes and each controller owns
// exactly the status fields it sets.
import type { ObjectMeta, ResourceType } from "../api/meta.ts";
import { apiVersionOf, type KubeClient, type KubeObject } from "./kube-client.ts";

/** Deep equality of plain JSON (an absent key equals one set to undefined), for deciding whether a status write is needed. */
export function sameStatus(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameStatus((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Server-side applies `status` to the object's status subresource. With a
 * resourceVersion in `metadata` the write fails with a conflict when the
 * object changed since it was read.
 */
export function applyStatus<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType,
  metadata: Pick<ObjectMeta, "name" | "resourceVersion">,
  status: unknown,
  fieldManager: string,
): Promise<T> {
  const body = { apiVersion: apiVersionOf(type), kind: type.kind, metadata, status } as KubeObject;
  return client.apply<T>(type, body as T, fieldManager, "status");
}
