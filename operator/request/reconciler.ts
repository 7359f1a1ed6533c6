// The TenantRequest reconcile. A pending request gets a fresh verdict on
// authority (condition Authorized) and capacity (condition Fits) whenever
// anything it depends on changes; an approved one is judged once more and,
// if it is still authorized and still fits, applied to its Tenant
// (condition Applied). Denied and finished requests are records:
// yunshu never writes them again, so they cost nothing at steady state.
import { NO_RETAINED, type RetainedLedger } from "../tenant/retained.ts";
import type { CapacityPool, Cluster, SecurityProfile, TenantRequest } from "../api/generated.ts";
import { DEFAULT_POOL } from "../capacity/pool.ts";
import type { ReconcileResult, Reconciler } from "../runtime/controller.ts";
import type { EventRecorder } from "../runtime/events.ts";
import type { Informer } from "../runtime/informer.ts";
import { ApiError, isConflict, type KubeClient, type KubeObject } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { NAMESPACES, TENANT_REQUESTS, TENANTS } from "../api/resources.ts";
import { applyStatus, sameStatus } from "../runtime/status.ts";
import { tenantDirectory } from "../tenant/directory.ts";
import type { Tenant } from "../tenant/types.ts";
import { TENANT_LABEL } from "../tenant/labels.ts";
import { addedNamespaces, LAST_REQUEST_ANNOTATION } from "./change.ts";
import { beyondPendingCap, judgeAuthority, type Authority } from "./authority.ts";
import { condition, isApproved, isFinished, isPending, type RequestCondition } from "./conditions.ts";
import { computeVerdict, type RequestWorld, type Verdict } from "./verdict.ts";

/** The field manager of yunshu's writes on behalf of requests, so managedFields show who changed a Tenant and why. */
export const REQUEST_FIELD_MANAGER = "yunshu-tenant-requests";

export interface RequestCaches {
  requests: Informer<TenantRequest & KubeObject>;
  tenants: Informer<Tenant & KubeObject>;
  pools: Informer<CapacityPool & KubeObject>;
  clusters?: Informer<Cluster & KubeObject>;
  profiles?: Informer<SecurityProfile & KubeObject>;
}

type Outcome = { status: "True" | "False"; reason: string; message: string };
/** What yunshu says of a pending request; a request beyond its requester's cap gets no capacity verdict. */
type Judgement = { authorized: Authority; fits?: Verdict };

/** Index name, on the TenantRequest informer, of requests by spec.requester.username (the pending cap counts them). */
export const BY_REQUESTER = "requester";

/** The conditions yunshu writes; Approved is the platform admin's. */
const OWN_CONDITIONS = ["Authorized", "Fits", "Applied"] as const;
type OwnCondition = (typeof OWN_CONDITIONS)[number];

/** A cache behind our own write catches up within milliseconds. */
const STALE_REQUEUE_MS = 200;

export class RequestReconciler implements Reconciler {
  private readonly client: KubeClient;
  private readonly caches: RequestCaches;
  private readonly events: EventRecorder;
  private readonly log: Logger;
  private readonly world: RequestWorld;
  private readonly maxPendingRequests: number;

  constructor(deps: { client: KubeClient; caches: RequestCaches; events: EventRecorder; log: Logger; maxPendingRequests: number; retained?: RetainedLedger }) {
    this.client = deps.client;
    this.maxPendingRequests = deps.maxPendingRequests;
    this.caches = deps.caches;
    this.events = deps.events;
    this.log = deps.log;
    const { tenants, pools, clusters, profiles } = deps.caches;
    this.world = {
      tenants: tenantDirectory(tenants, deps.retained),
      retainedOn: (cluster) => (deps.retained ?? NO_RETAINED).heldOn(cluster, ""),
      allTenants: () => tenants.list(),
      clusters: () => clusters?.list() ?? [],
      profile: (name) => profiles?.get(name),
      get pool() {
        return pools.get(DEFAULT_POOL);
      },
    };
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const request = this.caches.requests.get(name);
    if (!request || isFinished(request)) return;
    if (isPending(request)) {
      const written = await this.writeStatus(request, await this.judge(request));
      return written === "stale" ? { requeueAfterMs: STALE_REQUEUE_MS } : undefined;
    }
    if (!isApproved(request)) return; // denied: the decision is the record
    const outcome = this.alreadyApplied(request) ?? (await this.carryOut(request));
    if ((await this.writeStatus(request, undefined, outcome)) === "stale") return { requeueAfterMs: STALE_REQUEUE_MS };
    this.events.record(TENANT_REQUESTS, request, outcome.status === "True" ? "Normal" : "Warning", outcome.reason, outcome.message);
    this.log.info("tenant request carried out", { request: name, tenant: request.spec.tenant, action: request.spec.action, outcome: outcome.reason });
  }

  private async judge(request: TenantRequest): Promise<Judgement> {
    const capped = beyondPendingCap(request, this.caches.requests.byIndex(BY_REQUESTER, request.spec.requester.username), this.maxPendingRequests);
    if (capped) return { authorized: capped };
    const taken = await this.takenNamespaces(request);
    return { authorized: judgeAuthority(request, this.world.tenants), fits: computeVerdict(request, { ...this.world, taken }) };
  }

  /**
   * The namespaces the request would create that exist on the hub and are
   * not this tenant's (a namespace it released is, and comes back). Read
   * when judging: requests are few, capped per requester, and the operator
   * caches only the namespaces it manages.
   */
  private async takenNamespaces(request: TenantRequest): Promise<Set<string>> {
    const taken = new Set<string>();
    for (const name of addedNamespaces(request, this.caches.tenants.get(request.spec.tenant))) {
      const ns = await this.client.get<KubeObject>(NAMESPACES, name);
      if (ns && ns.metadata.labels?.[TENANT_LABEL] !== request.spec.tenant) taken.add(name);
    }
    return taken;
  }

  /**
   * Judged again at the moment of applying: approval does not bypass the
   * budget if something else took the room meanwhile, nor hand a tenant to
   * someone who stopped owning it.
   */
  private async carryOut(request: TenantRequest): Promise<Outcome> {
    const authority = judgeAuthority(request, this.world.tenants);
    if (authority.status === "False") return { status: "False", reason: "NotAuthorized", message: `not applied: ${authority.message}` };
    const verdict = computeVerdict(request, { ...this.world, taken: await this.takenNamespaces(request) });
    if (verdict.status === "False" || !verdict.after) return { status: "False", reason: "NoLongerFits", message: `not applied: ${verdict.message}` };
    return this.apply(request, verdict.after);
  }

  /**
   * A request whose Tenant already carries its name was carried out, and
   * only the record of it is missing (a crash, or a cache that has not seen
   * our status write yet): judging it again would find "tenant exists", "no
   * namespace" or "at that level already", and record a change that was made
   * as one that was not.
   */
  private alreadyApplied(request: TenantRequest): Outcome | undefined {
    const tenant = this.caches.tenants.get(request.spec.tenant);
    if (tenant?.metadata.annotations?.[LAST_REQUEST_ANNOTATION] !== request.metadata.name) return undefined;
    return { status: "True", reason: "Applied", message: describeChange(request) };
  }

  /** Creates or patches the Tenant; a refusal by the API server is the request's outcome, other failures are retried. */
  private async apply(request: TenantRequest, after: Tenant): Promise<Outcome> {
    const { action, tenant } = request.spec;
    try {
      if (action === "Create") {
        await this.client.create(TENANTS, after, REQUEST_FIELD_MANAGER);
        return { status: "True", reason: "Applied", message: describeChange(request) };
      }
      const current = this.caches.tenants.get(tenant)!;
      // resourceVersion makes this a compare-and-swap: a Tenant edited since
      // the verdict was computed gives a conflict, and a retry judges again.
      const patch = {
        metadata: { resourceVersion: current.metadata.resourceVersion, annotations: { [LAST_REQUEST_ANNOTATION]: request.metadata.name } },
        spec: changedSpec(request, after),
      };
      await this.client.mergePatch(TENANTS, tenant, patch);
      return { status: "True", reason: "Applied", message: describeChange(request) };
    } catch (err) {
      if (action === "Create" && isConflict(err) && (await this.createdByThisRequest(request))) {
        return { status: "True", reason: "Applied", message: describeChange(request) };
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
   * Applies yunshu's part of the status (Authorized, Fits, capacity,
   * Applied) only when it changed; the decision belongs to the platform
   * admin's field manager and is never part of this apply. Without a
   * judgement (carrying out an approved request) the verdicts stay as the
   * approver saw them.
   */
  private async writeStatus(request: TenantRequest & KubeObject, judgement: Judgement | undefined, outcome?: Outcome): Promise<"written" | "unchanged" | "stale"> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const conditions: RequestCondition[] = [];
    const keep = (type: OwnCondition, next: Omit<RequestCondition, "type" | "lastTransitionTime">) => {
      const old = condition(request, type);
      conditions.push({ type, ...next, lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : now });
    };
    if (judgement) {
      keep("Authorized", judgement.authorized);
      if (judgement.fits) keep("Fits", { status: judgement.fits.status, reason: judgement.fits.reason, message: judgement.fits.message });
    } else {
      for (const type of ["Authorized", "Fits"] as const) {
        const old = condition(request, type);
        if (old) conditions.push(old);
      }
    }
    if (outcome) keep("Applied", outcome);
    const capacity = judgement ? (judgement.fits?.rows ?? []) : (request.status?.capacity ?? []);
    const mine = (r: TenantRequest) => ({
      conditions: (r.status?.conditions ?? []).filter((c) => OWN_CONDITIONS.includes(c.type as OwnCondition)),
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

/** The part of the Tenant's spec a change sets; a merge patch leaves the rest as the platform team has it. */
function changedSpec(request: TenantRequest, after: Tenant): Partial<Tenant["spec"]> {
  switch (request.spec.action) {
    case "ChangeQuota":
      return { quota: { hard: request.spec.quota!.hard } };
    case "ChangeSecurityLevel":
      return { securityLevel: after.spec.securityLevel! };
    case "Offboard":
      return { offboarding: after.spec.offboarding! };
    default:
      return { namespaces: after.spec.namespaces ?? [] };
  }
}

function describeChange(request: TenantRequest): string {
  const { action, tenant, quota, namespaces, securityLevel } = request.spec;
  switch (action) {
    case "Create":
      return `created tenant ${tenant}`;
    case "ChangeQuota":
      return `set tenant ${tenant}'s quota: ${Object.entries(quota?.hard ?? {}).map(([r, v]) => `${r} ${v}`).join(", ")}`;
    case "ChangeSecurityLevel":
      return `moved tenant ${tenant} to MLPS level ${securityLevel!} (SecurityProfile mlps-${securityLevel!})`;
    case "Offboard":
      return `began offboarding tenant ${tenant}: it is suspended, and its namespaces on every cluster are deleted when the grace period ends`;
    case "AddNamespaces":
    case "RemoveNamespaces":
      return `${action === "AddNamespaces" ? "added" : "removed"} namespace(s) ${(namespaces ?? []).join(", ")} ${action === "AddNamespaces" ? "to" : "from"} tenant ${tenant}`;
  }
}
