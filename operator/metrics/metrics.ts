// What SREs see in Prometheus. Reconcile and work-queue metrics use
// controller-runtime's names and labels, so dashboards and alerts written for
// Go operators work unchanged; yunshu's own metrics carry the `yunshu_`
// prefix. Tenant gauges are computed at scrape time from the informer cache,
// so a deleted tenant's series simply stop being reported. Labels stay
// bounded: tenant × resource for quota (resources are the few a quota names),
// never namespace × tenant × resource, never an error string.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { AuditResult } from "../audit/auditor.ts";
import { VIOLATION_KINDS } from "../audit/judge.ts";
import { parseQuantity } from "../api/quantity.ts";
import type { InformerStats } from "../runtime/informer.ts";
import type { ControllerHooks } from "../runtime/controller.ts";
import type { WorkQueueHooks } from "../runtime/workqueue.ts";
import type { TenantRequest } from "../api/generated.ts";
import { isPending } from "../request/conditions.ts";
import type { Tenant } from "../tenant/types.ts";
import { meteringText, type MeteringSources } from "./metering.ts";

export interface MetricsSources extends MeteringSources {
  tenants: () => Iterable<Tenant>;
  requests: () => Iterable<TenantRequest>;
  informers: () => Iterable<{ type: { kind: string; plural: string }; size: number; stats: InformerStats; managed: boolean }>;
  /** Keys waiting, by work queue (one queue per controller, named after it). */
  queueDepths: () => Iterable<[string, number]>;
  /** Requests sent so far, by cluster (the hub's client and each member's), by verb (GET, LIST, WATCH, POST, APPLY, PATCH, PUT, DELETE). */
  apiRequests: () => Iterable<[string, ReadonlyMap<string, number>]>;
  /** Tenants whose placement the cluster loads worked out again (fleet/cluster-loads.ts). */
  loadRecomputations: () => number;
  /** The latest isolation audit of each cluster (audit/auditor.ts). */
  audits?: () => Iterable<AuditResult>;
}

type RequestAction = TenantRequest["spec"]["action"];
/**
 * Every action a TenantRequest can name (the CRD's enum): the request series
 * are exactly these. Written as a record so that an action added to the CRD
 * but not here fails the type check instead of going uncounted.
 */
const REQUEST_ACTIONS = Object.keys({
  Create: true,
  ChangeQuota: true,
  AddNamespaces: true,
  RemoveNamespaces: true,
  ChangeSecurityLevel: true,
  Offboard: true,
} satisfies Record<RequestAction, true>) as RequestAction[];

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** A quantity in base units (cores, bytes, counts), as Prometheus convention asks. */
function baseUnits(value: string): number {
  return Number(parseQuantity(value)) / 1000;
}

export class OperatorMetrics {
  readonly registry = new Registry();
  /** Chargeback's series (metering.ts), served on their own path. */
  readonly metering: () => string;
  private readonly reconcileTotal: Counter<"controller" | "result">;
  private readonly reconcileErrors: Counter<"controller">;
  private readonly reconcileTime: Histogram<"controller">;
  private readonly activeWorkers: Gauge<"controller">;
  private readonly queueAdds: Counter<"name">;
  private readonly queueRetries: Counter<"name">;
  private readonly queueWait: Histogram<"name">;
  private readonly workDuration: Histogram<"name">;
  private readonly leader: Gauge<"name">;

  /** `controllers`: each controller's name (also its queue's) and its workers. */
  constructor(opts: { version: string; controllers: Record<string, number>; leaseName: string; sources: MetricsSources }) {
    const registers = [this.registry];
    const { sources } = opts;
    collectDefaultMetrics({ register: this.registry });
    this.metering = () => meteringText(sources);

    this.reconcileTotal = new Counter({ name: "controller_runtime_reconcile_total", help: "Reconciliations by controller and result (success, error, requeue_after).", labelNames: ["controller", "result"], registers });
    this.reconcileErrors = new Counter({ name: "controller_runtime_reconcile_errors_total", help: "Reconciliations that returned an error.", labelNames: ["controller"], registers });
    this.reconcileTime = new Histogram({ name: "controller_runtime_reconcile_time_seconds", help: "Time per reconciliation.", labelNames: ["controller"], buckets: DURATION_BUCKETS, registers });
    this.activeWorkers = new Gauge({ name: "controller_runtime_active_workers", help: "Workers currently reconciling.", labelNames: ["controller"], registers });
    const maxWorkers = new Gauge({ name: "controller_runtime_max_concurrent_reconciles", help: "Configured workers.", labelNames: ["controller"], registers });
    for (const [controller, workers] of Object.entries(opts.controllers)) {
      maxWorkers.set({ controller }, workers);
      for (const result of ["success", "error", "requeue_after"]) this.reconcileTotal.inc({ controller, result }, 0);
      this.reconcileErrors.inc({ controller }, 0);
    }

    new Gauge({
      name: "workqueue_depth",
      help: "Keys waiting in the work queue.",
      labelNames: ["name"],
      registers,
      collect() {
        for (const [name, depth] of sources.queueDepths()) this.set({ name }, depth);
      },
    });
    this.queueAdds = new Counter({ name: "workqueue_adds_total", help: "Keys added to the work queue.", labelNames: ["name"], registers });
    this.queueRetries = new Counter({ name: "workqueue_retries_total", help: "Keys re-added after a failure.", labelNames: ["name"], registers });
    this.queueWait = new Histogram({ name: "workqueue_queue_duration_seconds", help: "Time a key waits before a worker takes it.", labelNames: ["name"], buckets: DURATION_BUCKETS, registers });
    this.workDuration = new Histogram({ name: "workqueue_work_duration_seconds", help: "Time a worker spends on a key.", labelNames: ["name"], buckets: DURATION_BUCKETS, registers });
    for (const name of Object.keys(opts.controllers)) {
      this.queueAdds.inc({ name }, 0);
      this.queueRetries.inc({ name }, 0);
    }

    this.leader = new Gauge({ name: "leader_election_master_status", help: "1 while this replica holds the leader lease.", labelNames: ["name"], registers });
    this.leader.set({ name: opts.leaseName }, 0);

    const informerCounter = (name: string, help: string, pick: (s: InformerStats) => number) =>
      new Counter({
        name,
        help,
        labelNames: ["resource"],
        registers,
        collect() {
          this.reset();
          for (const i of sources.informers()) this.inc({ resource: i.type.plural }, pick(i.stats));
        },
      });
    informerCounter("yunshu_watch_relists_total", "Full lists of a resource (start-up, and after a watch expired).", (s) => s.relists);
    informerCounter("yunshu_watch_expired_total", "Watches that ended with 410 Gone and needed a relist.", (s) => s.gone);
    informerCounter("yunshu_watch_reconnects_total", "Watches re-established after an error.", (s) => s.reconnects);
    new Gauge({
      name: "yunshu_watch_last_event_age_seconds",
      help: "Seconds since the last event from a resource's watch (or its last list).",
      labelNames: ["resource"],
      registers,
      collect() {
        this.reset();
        for (const i of sources.informers()) if (i.stats.lastEventAt) this.set({ resource: i.type.plural }, (Date.now() - i.stats.lastEventAt) / 1000);
      },
    });
    new Counter({
      name: "yunshu_api_requests_total",
      help: "Requests sent to each cluster's API server, by verb; writes are POST, APPLY, PATCH, PUT and DELETE.",
      labelNames: ["cluster", "verb"],
      registers,
      collect() {
        this.reset();
        for (const [cluster, counts] of sources.apiRequests()) for (const [verb, count] of counts) this.inc({ cluster, verb }, count);
      },
    });
    new Counter({
      name: "yunshu_cluster_load_recomputations_total",
      help: "Tenants whose placement and quota shares were worked out again for the Clusters' status: a probe that finds nothing changed adds none.",
      registers,
      collect() {
        this.reset();
        this.inc(sources.loadRecomputations());
      },
    });
    new Gauge({
      name: "yunshu_managed_objects",
      help: "Objects yunshu manages, by kind, as its cache holds them.",
      labelNames: ["kind"],
      registers,
      collect() {
        this.reset();
        for (const i of sources.informers()) if (i.managed) this.set({ kind: i.type.kind }, i.size);
      },
    });

    const quota = (name: string, help: string, pick: (t: Tenant) => Record<string, string> | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ["tenant", "resource"],
        registers,
        collect() {
          this.reset();
          for (const t of sources.tenants()) {
            for (const [resource, value] of Object.entries(pick(t) ?? {})) this.set({ tenant: t.metadata.name, resource }, baseUnits(value));
          }
        },
      });
    quota("yunshu_tenant_quota_hard", "A tenant's tenant-wide hard limit, by resource, in base units (cores, bytes, counts).", (t) => t.status?.quota?.hard);
    quota("yunshu_tenant_quota_used", "A tenant's usage summed over its namespaces, by resource, in base units.", (t) => t.status?.quota?.used);
    new Gauge({
      name: "yunshu_tenant_condition",
      help: "1 for a tenant condition's current status, 0 for the other statuses.",
      labelNames: ["tenant", "type", "status"],
      registers,
      collect() {
        this.reset();
        for (const t of sources.tenants()) {
          for (const c of t.status?.conditions ?? []) {
            for (const status of ["True", "False", "Unknown"]) this.set({ tenant: t.metadata.name, type: c.type, status }, c.status === status ? 1 : 0);
          }
        }
      },
    });
    new Gauge({
      name: "yunshu_tenants_suspended",
      help: "Tenants the platform has suspended (spec.suspension): nothing new runs in their namespaces.",
      registers,
      collect() {
        this.set([...sources.tenants()].filter((t) => t.spec.suspension).length);
      },
    });
    new Gauge({
      name: "yunshu_tenants_offboarding",
      help: "Offboarded tenants in their grace period (spec.offboarding, not yet deleted): suspended, readable, deleted when it ends.",
      registers,
      collect() {
        this.set([...sources.tenants()].filter((t) => t.spec.offboarding && !t.metadata.deletionTimestamp).length);
      },
    });
    new Gauge({
      name: "yunshu_offboarding_overdue_seconds",
      help: "How long past the end of its grace period an offboarded tenant still exists (its deletion or final check has not finished); 0 before then.",
      labelNames: ["tenant"],
      registers,
      collect() {
        this.reset();
        const now = Date.now();
        for (const t of sources.tenants()) {
          const deleteAfter = t.spec.offboarding ? Date.parse(t.status?.offboarding?.deleteAfter ?? "") : NaN;
          if (!Number.isNaN(deleteAfter)) this.set({ tenant: t.metadata.name }, Math.max(0, (now - deleteAfter) / 1000));
        }
      },
    });
    new Gauge({
      name: "yunshu_isolation_violations",
      help: "Violations of tenant isolation the latest audit found, by audited cluster (the hub or a member) and kind (CrossTenantPath, OutsideSubject, ReleasedNamespaceOpen, MissingDefaultDeny); `yunshu audit` lists them.",
      labelNames: ["audited_cluster", "kind"],
      registers,
      collect() {
        this.reset();
        for (const { audit } of sources.audits?.() ?? []) {
          for (const kind of VIOLATION_KINDS) this.set({ audited_cluster: audit.cluster, kind }, audit.violations.filter((v) => v.kind === kind).length);
        }
      },
    });
    new Gauge({
      name: "yunshu_isolation_audit_last_success_timestamp_seconds",
      help: "When the isolation audit of a cluster last completed: the violation figures are as old as this.",
      labelNames: ["audited_cluster"],
      registers,
      collect() {
        this.reset();
        for (const { audit, at } of sources.audits?.() ?? []) this.set({ audited_cluster: audit.cluster }, at / 1000);
      },
    });
    new Gauge({
      name: "yunshu_isolation_audit_duration_seconds",
      help: "How long the latest isolation audit of a cluster took (reading every namespace, pod, policy and binding, and judging them).",
      labelNames: ["audited_cluster"],
      registers,
      collect() {
        this.reset();
        for (const { audit, durationMs } of sources.audits?.() ?? []) this.set({ audited_cluster: audit.cluster }, durationMs / 1000);
      },
    });
    new Gauge({
      name: "yunshu_tenant_namespaces",
      help: "A tenant's active namespaces.",
      labelNames: ["tenant"],
      registers,
      collect() {
        this.reset();
        for (const t of sources.tenants()) this.set({ tenant: t.metadata.name }, t.status?.namespaceCount ?? 0);
      },
    });
    // Per action, never per request: a department files as many requests as
    // it likes, and each must not add a series (nor show its name to whoever
    // reads the metrics). `kubectl yunshu requests` names them.
    const pendingByAction = () => {
      const byAction = new Map(REQUEST_ACTIONS.map((action) => [action, { count: 0, oldest: Infinity }]));
      for (const r of sources.requests()) {
        const entry = byAction.get(r.spec.action);
        if (!entry || !isPending(r)) continue;
        entry.count++;
        const created = Date.parse(r.metadata.creationTimestamp ?? "");
        if (!Number.isNaN(created)) entry.oldest = Math.min(entry.oldest, created);
      }
      return byAction;
    };
    new Gauge({
      name: "yunshu_tenant_requests_pending",
      help: "TenantRequests waiting for a platform admin's decision, by action.",
      labelNames: ["action"],
      registers,
      collect() {
        for (const [action, { count }] of pendingByAction()) this.set({ action }, count);
      },
    });
    new Gauge({
      name: "yunshu_tenant_requests_oldest_pending_age_seconds",
      help: "How long the oldest pending TenantRequest of an action has waited for a decision; 0 when none waits.",
      labelNames: ["action"],
      registers,
      collect() {
        const now = Date.now();
        for (const [action, { oldest }] of pendingByAction()) this.set({ action }, Number.isFinite(oldest) ? Math.max(0, (now - oldest) / 1000) : 0);
      },
    });
    new Gauge({ name: "yunshu_build_info", help: "Always 1; labels say which build runs.", labelNames: ["version", "node_version"], registers }).set(
      { version: opts.version, node_version: process.version },
      1,
    );
  }

  queueHooks(name: string): WorkQueueHooks {
    return {
      onAdd: () => this.queueAdds.inc({ name }),
      onRetry: () => this.queueRetries.inc({ name }),
      onGet: (waitedMs) => this.queueWait.observe({ name }, waitedMs / 1000),
    };
  }

  /** Hooks for the controller `controller`, whose queue has the same name. */
  controllerHooks(controller: string): ControllerHooks {
    return {
      onReconciled: (result, seconds) => {
        this.reconcileTotal.inc({ controller, result });
        if (result === "error") this.reconcileErrors.inc({ controller });
        this.reconcileTime.observe({ controller }, seconds);
        this.workDuration.observe({ name: controller }, seconds);
      },
      onActive: (delta) => this.activeWorkers.inc({ controller }, delta),
    };
  }

  setLeader(leaseName: string, leading: boolean): void {
    this.leader.set({ name: leaseName }, leading ? 1 : 0);
  }
}
