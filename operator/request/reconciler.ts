// The TenantRequest reconcile. A pending request gets a fresh capacity
// verdict (condition Fits) whenever anything it depends on changes; an
// approved one is judged once more and, if it still fits, applied to its
// Tenant (condition Applied). Denied and finished requests are records:
// yunshu never writes them again, so they cost nothing at steady state.
import type { CapacityPool, Cluster, TenantRequest } from "../api/generated.ts";
import { DEFAULT_POOL } from "../capacity/pool.ts";
import type { ReconcileResult, Reconciler } from "../runtime/controller.ts";
import type { EventRecorder } from "../runtime/events.ts";
import type { Informer } from "../runtime/informer.ts";
import { ApiError, isConflict, type KubeClient, type KubeObject } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { TENANT_REQUESTS, TENANTS } from "../api/resources.ts";
import { applyStatus, sameStatus } from "../runtime/status.ts";
import { tenantDirectory } from "../tenant/directory.ts";
import type { Tenant } from "../tenant/types.ts";
import { LAST_REQUEST_ANNOTATION } from "./change.ts";
import { condition, isApproved, isFinished, isPending, type RequestCondition } from "./conditions.ts";
import { computeVerdict, type RequestWorld, type Verdict } from "./verdict.ts";

/** The field manager of yunshu's writes on behalf of requests, so managedFields show who changed a Tenant and why. */
export const REQUEST_FIELD_MANAGER = "yunshu-tenant-requests";

export interface RequestCaches {
  requests: Informer<TenantRequest & KubeObject>;
  tenants: Informer<Tenant & KubeObject>;
  pools: Informer<CapacityPool & KubeObject>;
  clusters?: Informer<Cluster & KubeObject>;
}

type Outcome = { status: "True" | "False"; reason: string; message: string };

/** A cache behind our own write catches up within milliseconds. */
const STALE_REQUEUE_MS = 200;

export class RequestReconciler implements Reconciler {
  private readonly client: KubeClient;
  private readonly caches: RequestCaches;
  private readonly events: EventRecorder;
  private readonly log: Logger;
  private readonly world: RequestWorld;

  constructor(deps: { client: KubeClient; caches: RequestCaches; events: EventRecorder; log: Logger }) {
    this.client = deps.client;
    this.caches = deps.caches;
    this.events = deps.events;
    this.log = deps.log;
    const { tenants, pools, clusters } = deps.caches;
    this.world = {
      tenants: tenantDirectory(tenants),
      allTenants: () => tenants.list(),
      clusters: () => clusters?.list() ?? [],
      get pool() {
        return pools.get(DEFAULT_POOL);
      },
    };
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const request = this.caches.requests.get(name);
    if (!request || isFinished(request)) return;
    if (isPending(request)) {
      const written = await this.writeStatus(request, computeVerdict(request, this.world));
      return written === "stale" ? { requeueAfterMs: STALE_REQUEUE_MS } : undefined;
    }
    if (!isApproved(request)) return; // denied: the decision is the record
    const outcome = this.alreadyApplied(request) ?? (await this.carryOut(request));
    if ((await this.writeStatus(request, undefined, outcome)) === "stale") return { requeueAfterMs: STALE_REQUEUE_MS };
    this.events.record(TENANT_REQUESTS, request, outcome.status === "True" ? "Normal" : "Warning", outcome.reason, outcome.message);
    this.log.info("tenant request carried out", { request: name, tenant: request.spec.tenant, action: request.spec.action, outcome: outcome.reason });
  }

  /**
   * Judged again at the moment of applying: approval does not bypass the
   * budget if something else took the room meanwhile.
   */
  private async carryOut(request: TenantRequest): Promise<Outcome> {
    const verdict = computeVerdict(request, this.world);
    if (verdict.status === "False" || !verdict.after) return { status: "False", reason: "NoLongerFits", message: `not applied: ${verdict.message}` };
    return this.apply(request, verdict.after);
  }

  /**
   * A request whose Tenant already carries its name was carried out, and
   * only the record of it is missing (a crash, or a cache that has not seen
   * our status write yet): judging it again would find "tenant exists".
   */
  private alreadyApplied(request: TenantRequest): Outcome | undefined {
    const tenant = this.caches.tenants.get(request.spec.tenant);
    if (request.spec.action !== "Create" || tenant?.metadata.annotations?.[LAST_REQUEST_ANNOTATION] !== request.metadata.name) return undefined;
    return { status: "True", reason: "Applied", message: `created tenant ${request.spec.tenant}` };
  }

  /** Creates or patches the Tenant; a refusal by the API server is the request's outcome, other failures are retried. */
  private async apply(request: TenantRequest, after: Tenant): Promise<Outcome> {
    const { action, tenant } = request.spec;
    try {
      if (action === "Create") {
        await this.client.create(TENANTS, after, REQUEST_FIELD_MANAGER);
        return { status: "True", reason: "Applied", message: `created tenant ${tenant}` };
      }
      const current = this.caches.tenants.get(tenant)!;
      // resourceVersion makes this a compare-and-swap: a Tenant edited since
      // the verdict was computed gives a conflict, and a retry judges again.
      const patch = {
        metadata: { resourceVersion: current.metadata.resourceVersion, annotations: { [LAST_REQUEST_ANNOTATION]: request.metadata.name } },
        spec: action === "ChangeQuota" ? { quota: { hard: request.spec.quota!.hard } } : { namespaces: after.spec.namespaces ?? [] },
      };
      await this.client.mergePatch(TENANTS, tenant, patch);
      return { status: "True", reason: "Applied", message: describeChange(request) };
    } catch (err) {
      if (action === "Create" && isConflict(err) && (await this.createdByThisRequest(request))) {
        return { status: "True", reason: "Applied", message: `created tenant ${tenant}` };
      }
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 409 && err.status !== 429) {
        return { status: "False", reason: "Failed", message: `the API server refused the change to tenant ${tenant}: ${err.message}` };
      }
      throw err;
    }
  }

  /** After a crash between creating the Tenant and recording it, the Tenant itself says it came from this request. */
  private async createdByThisRequest(request: TenantRequest): Promise<boolean> {
    const existing = await this.client.get<Tenant & KubeObject>(TENANTS, request.spec.tenant);
    return existing?.metadata.annotations?.[LAST_REQUEST_ANNOTATION] === request.metadata.name;
  }

  /**
   * Applies yunshu's part of the status (Fits, capacity, Applied) only when
   * it changed; the decision belongs to the platform admin's field manager
   * and is never part of this apply.
   */
  private async writeStatus(request: TenantRequest & KubeObject, verdict: Verdict | undefined, outcome?: Outcome): Promise<"written" | "unchanged" | "stale"> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const conditions: RequestCondition[] = [];
    const keep = (type: "Fits" | "Applied", next: Omit<RequestCondition, "type" | "lastTransitionTime">) => {
      const old = condition(request, type);
      conditions.push({ type, ...next, lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : now });
    };
    const fits = condition(request, "Fits");
    if (verdict) keep("Fits", { status: verdict.status, reason: verdict.reason, message: verdict.message });
    else if (fits) conditions.push(fits);
    if (outcome) keep("Applied", outcome);
    const capacity = verdict ? verdict.rows : (request.status?.capacity ?? []);
    const mine = (r: TenantRequest) => ({
      conditions: (r.status?.conditions ?? []).filter((c) => c.type === "Fits" || c.type === "Applied"),
      capacity: r.status?.capacity ?? [],
    });
    if (sameStatus(mine({ ...request, status: { conditions, capacity } }), mine(request))) return "unchanged";
    // The cached resourceVersion makes the write fail if the cache is behind
    // (it may not have seen our own last write yet): an Applied outcome must
    // never be overwritten by a judgment made from older information.
    const metadata = { name: request.metadata.name, resourceVersion: request.metadata.resourceVersion };
    try {
      await applyStatus(this.client, TENANT_REQUESTS, metadata, { conditions, capacity }, REQUEST_FIELD_MANAGER);
      return "written";
    } catch (err) {
      if (isConflict(err)) return "stale";
      throw err;
    }
  }
}

function describeChange(request: TenantRequest): string {
  const { action, tenant, quota, namespaces } = request.spec;
  if (action === "ChangeQuota") return `set tenant ${tenant}'s quota: ${Object.entries(quota?.hard ?? {}).map(([r, v]) => `${r} ${v}`).join(", ")}`;
  return `${action === "AddNamespaces" ? "added" : "removed"} namespace(s) ${(namespaces ?? []).join(", ")} ${action === "AddNamespaces" ? "to" : "from"} tenant ${tenant}`;
}
