// One reconcile of one tenant in one cluster: what every phase reads and
// writes through. Writes the API server refuses are collected rather than
// thrown, so that one bad object does not stop the rest; the reconcile
// reports them in status and then fails, so the work queue backs off.
import type { KubeObject, ResourceType } from "../api/meta.ts";
import { FIELD_MANAGER } from "../api/names.ts";
import type { EventRecorder } from "../runtime/events.ts";
import { ApiError, isConflict, type KubeClient } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { NAMESPACED_CHILD_TYPES } from "../api/resources.ts";
import { needsApply } from "../runtime/needs-apply.ts";
import { childCache, type TenantCaches } from "./caches.ts";
import type { QuotaWrites } from "./quota-writes.ts";
import type { Tenant } from "./types.ts";

/** A cluster as the phases act on it: its client and caches, and where events and logs go. */
export interface ClusterAccess {
  client: KubeClient;
  caches: TenantCaches;
  events: EventRecorder;
  log: Logger;
}

export interface TenantRun extends ClusterAccess {
  tenant: Tenant & KubeObject;
  /** Writes the API server refused, each naming the object and why. */
  errors: string[];
  /** The answers to this cluster's recent quota writes, which outlive the reconcile (quota-writes.ts). */
  quotaWrites: QuotaWrites;
}

/** Runs a write; an API error is recorded in `run.errors` instead of thrown. */
export async function write<T>(run: Pick<TenantRun, "errors">, obj: KubeObject, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    run.errors.push(describeFailure(obj, err));
    return undefined;
  }
}

/**
 * Creates what does not exist yet (a plain create costs the API server
 * about a third less than an apply that creates), applies what differs.
 * Later applies with force take over what the create set.
 */
export function upsert<T extends KubeObject>(run: Pick<TenantRun, "errors" | "client">, type: ResourceType, obj: T, live: KubeObject | undefined): Promise<T | undefined> {
  return write(run, obj, async () => {
    if (live) return run.client.apply(type, obj, FIELD_MANAGER);
    try {
      return await run.client.create(type, obj, FIELD_MANAGER);
    } catch (err) {
      // The cache was behind: it exists after all.
      if (isConflict(err)) return run.client.apply(type, obj, FIELD_MANAGER);
      throw err;
    }
  });
}

export function describeFailure(obj: KubeObject, err: unknown): string {
  const what = `${obj.kind ?? "object"} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata.name}`;
  const reason = err instanceof ApiError ? err.message : String(err);
  return `${what}: ${reason}`;
}

/** Applies each object whose cached copy lacks what is desired (or that does not exist yet). */
export async function applyChildren(run: TenantRun, objects: KubeObject[]): Promise<void> {
  await Promise.all(
    objects.map(async (obj) => {
      const type = NAMESPACED_CHILD_TYPES.find((t) => t.kind === obj.kind)!;
      const live = childCache(run.caches, type).get(obj.metadata.name, obj.metadata.namespace);
      if (needsApply(obj, live)) await upsert(run, type, obj, live);
    }),
  );
}
