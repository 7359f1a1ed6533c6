// What the chart's alerts, metering rules and dashboard may ask Prometheus
// for, shared by their unit tests: the operator's metrics, the job they come
// from, and how to read a PromQL expression's selectors and run promtool.
import { execFile } from "node:child_process";

/**
 * What `yunshu operator` exports on /metrics: the contract the alerts, the
 * metering rules and the dashboard are written against. A query naming
 * anything else would match nothing and stay silent forever.
 */
export const EXPORTED = new Set([
  "controller_runtime_reconcile_total",
  "controller_runtime_reconcile_errors_total",
  "controller_runtime_active_workers",
  "controller_runtime_max_concurrent_reconciles",
  "workqueue_depth",
  "workqueue_adds_total",
  "workqueue_retries_total",
  "leader_election_master_status",
  "yunshu_watch_relists_total",
  "yunshu_watch_expired_total",
  "yunshu_watch_reconnects_total",
  "yunshu_watch_last_event_age_seconds",
  "yunshu_tenant_quota_hard",
  "yunshu_tenant_quota_used",
  "yunshu_tenant_condition",
  "yunshu_tenant_namespaces",
  "yunshu_tenants_suspended",
  "yunshu_tenants_offboarding",
  "yunshu_offboarding_overdue_seconds",
  "yunshu_isolation_violations",
  "yunshu_isolation_audit_last_success_timestamp_seconds",
  "yunshu_isolation_audit_duration_seconds",
  "yunshu_managed_objects",
  "yunshu_build_info",
  "yunshu_tenant_requests_pending",
  "yunshu_tenant_requests_oldest_pending_age_seconds",
  // Chargeback's metering (operator/metrics/metering.ts).
  "yunshu_namespace_quota_hard",
  "yunshu_namespace_quota_used",
  "yunshu_namespace_info",
  "yunshu_tenant_info",
  "yunshu_cluster_info",
  ...["controller_runtime_reconcile_time_seconds", "workqueue_queue_duration_seconds", "workqueue_work_duration_seconds"].flatMap((h) =>
    ["bucket", "sum", "count"].map((suffix) => `${h}_${suffix}`),
  ),
  // Prometheus's own, per scrape target.
  "up",
]);

export const JOB = 'job="yunshu-operator"';

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleFile {
  groups: { name: string; interval?: string; rules: Rule[] }[];
}

export function run(binary: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(binary, args, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, output: stdout + stderr });
    });
  });
}

/** Metric names with their label matchers, from every `name{…}` selector in a PromQL expression. */
export function selectors(expr: string): { metric: string; matchers: string }[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g)].map((m) => ({ metric: m[1]!, matchers: m[2]! }));
}
