// What an informer keeps of an object it caches, for the operator's life.
// Managed fields are often most of an object's size and yunshu never reads
// them (as controller-runtime's TransformStripManagedFields drops them).
// Deleting them would turn each metadata object into a slow dictionary,
// twice its size, so metadata is copied without them instead. And the same
// short strings recur in every cached object (kinds, API groups, label
// values, namespace names): JSON.parse makes a copy of each, so they are
// shared from one pool instead. At 6,000 namespaces the two made up about
// 45 MiB of a 118 MiB heap.
import type { KubeObject } from "../api/meta.ts";

/** Strings longer than this are rarely repeated (messages, certificates). */
const MAX_POOLED_LENGTH = 64;
/** Values under these keys are unique to an object or a moment: pooling them would only grow the pool. */
const UNIQUE_VALUES = new Set(["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "lastTransitionTime", "lastProbeTime", "lastUpdateTime", "time"]);
/** The pool is a cache, not a registry: past this size it starts again, and later objects share anew. */
const MAX_POOL_SIZE = 200_000;

const pool = new Map<string, string>();

function pooled(value: string): string {
  const shared = pool.get(value);
  if (shared !== undefined) return shared;
  if (pool.size >= MAX_POOL_SIZE) pool.clear();
  pool.set(value, value);
  return value;
}

/** Replaces, in place, each short string under `value` with its pooled copy; keys keep their shapes. */
function share(value: unknown, key: string | undefined): unknown {
  if (typeof value === "string") return value.length > MAX_POOLED_LENGTH || (key !== undefined && UNIQUE_VALUES.has(key)) ? value : pooled(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = share(value[i], undefined);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const k of Object.keys(record)) record[k] = share(record[k], k);
  }
  return value;
}

/** The object as a cache keeps it: without managed fields, its short strings shared. The object passed in is reused. */
export function compactObject<T extends KubeObject>(obj: T): T {
  const { managedFields: _, ...metadata } = obj.metadata;
  obj.metadata = metadata;
  return share(obj, undefined) as T;
}
