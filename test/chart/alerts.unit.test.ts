// The alerts and the dashboard the chart ships, checked with Prometheus's own
// promtool: the rule file is valid, its unit tests pass and cover every alert
// both firing and not firing, and every query asks for metrics the operator
// exports, from the operator's job only.
//
// promtool comes from tools/toolchain/prometheus.ts (yunshu's cached build,
// or PROMETHEUS_BIN_DIR). This file stays a unit test, needing no cluster,
// and asks for promtool itself rather than through a global setup of the
// unit project: that would make every unit test, however pure, wait for Go
// and a cold Prometheus build. `make unit` and `make test` build it first, so
// the long timeout below only matters to a bare `vitest` on a cold cache.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ensurePrometheus } from "../../tools/toolchain/prometheus.ts";

const FILES = fileURLToPath(new URL("../../charts/yunshu/files/", import.meta.url));
const ALERTS = join(FILES, "alerts.yaml");
const ALERT_TESTS = join(FILES, "alerts.test.yaml");
const DASHBOARD = join(FILES, "dashboard.json");

/**
 * What `yunshu operator` exports on /metrics: the contract the alerts and the
 * dashboard are written against. A query naming anything else would match
 * nothing and stay silent forever.
 */
const EXPORTED = new Set([
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
  ...["controller_runtime_reconcile_time_seconds", "workqueue_queue_duration_seconds", "workqueue_work_duration_seconds"].flatMap((h) =>
    ["bucket", "sum", "count"].map((suffix) => `${h}_${suffix}`),
  ),
  // Prometheus's own, per scrape target.
  "up",
]);
const JOB = 'job="yunshu-operator"';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}
interface AlertTests {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { eval_time: string; alertname: string; exp_alerts: unknown[] }[] }[];
}
interface Panel {
  id: number;
  type: string;
  title: string;
  targets?: { expr: string; refId: string }[];
}

function run(binary: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(binary, args, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, output: stdout + stderr });
    });
  });
}

/** Metric names with their label matchers, from every `name{…}` selector in a PromQL expression. */
function selectors(expr: string): { metric: string; matchers: string }[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g)].map((m) => ({ metric: m[1]!, matchers: m[2]! }));
}

/** Grafana's variables, replaced by what Grafana would put there, so promtool can parse the query. */
const grafanaToPromql = (expr: string) => expr.replaceAll("$__rate_interval", "5m").replaceAll(/\$(cluster|tenant)\b/g, ".*");

let promtool: string;
let rules: RuleFile;
let alerts: Rule[];
let alertTests: AlertTests;
let panels: Panel[];
let dashboard: { uid?: string; title?: string; panels: Panel[]; templating: { list: { name: string; query?: unknown }[] } };

beforeAll(async () => {
  promtool = (await ensurePrometheus()).promtool;
  rules = parse(await readFile(ALERTS, "utf8")) as RuleFile;
  alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);
  alertTests = parse(await readFile(ALERT_TESTS, "utf8")) as AlertTests;
  dashboard = JSON.parse(await readFile(DASHBOARD, "utf8")) as typeof dashboard;
  panels = dashboard.panels;
}, 1_800_000);

describe("files/alerts.yaml", () => {
  it("is a valid Prometheus rule file (promtool check rules)", async () => {
    const result = await run(promtool, ["check", "rules", ALERTS]);
    expect(result.output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(result.code).toBe(0);
  });

  it("passes its unit tests (promtool test rules files/alerts.test.yaml)", async () => {
    expect(alertTests.rule_files).toEqual(["alerts.yaml"]);
    const result = await run(promtool, ["test", "rules", ALERT_TESTS]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code, result.output).toBe(0);
  });

  it("has the alerts the operator's SREs rely on", () => {
    expect(alerts.map((a) => a.alert)).toEqual(
      expect.arrayContaining([
        "YunshuOperatorDown",
        "YunshuReconcileErrorsHigh",
        "YunshuTenantQuotaNearlyFull",
        "YunshuTenantQuotaExhausted",
        "YunshuWorkQueueBacklog",
        "YunshuNoLeader",
        "YunshuMultipleLeaders",
      ]),
    );
  });

  it("tests every alert firing and not firing, and tests no alert that does not exist", () => {
    const cases = alertTests.tests.flatMap((t) => t.alert_rule_test ?? []);
    const names = new Set(alerts.map((a) => a.alert));
    for (const name of names) {
      const own = cases.filter((c) => c.alertname === name);
      expect(own.some((c) => c.exp_alerts.length > 0), `alerts.test.yaml has no case where ${name} fires`).toBe(true);
      expect(own.some((c) => c.exp_alerts.length === 0), `alerts.test.yaml has no case where ${name} stays silent`).toBe(true);
    }
    const unknown = cases.map((c) => c.alertname).filter((name) => !names.has(name));
    expect(unknown, "alerts.test.yaml tests alerts that alerts.yaml does not define").toEqual([]);
  });

  it("gives every alert a severity, a duration, a summary and a description that says what to do", () => {
    for (const alert of alerts) {
      expect(["critical", "warning", "info"], `${alert.alert}'s severity`).toContain(alert.labels?.severity);
      expect(alert.for, `${alert.alert} has no for: a single bad scrape would page`).toMatch(/^\d+m$/);
      expect(alert.annotations?.summary, alert.alert).toBeTruthy();
      expect(alert.annotations?.description, alert.alert).toMatch(/kubectl /);
    }
  });

  it("asks only for metrics the operator exports, from job yunshu-operator", () => {
    for (const alert of alerts) {
      const found = selectors(alert.expr);
      expect(found.length, alert.alert).toBeGreaterThan(0);
      for (const { metric, matchers } of found) {
        expect(EXPORTED, `${alert.alert} asks for ${metric}`).toContain(metric);
        expect(matchers, `${alert.alert}'s ${metric} selector`).toContain(JOB);
      }
    }
  });
});

describe("files/dashboard.json", () => {
  const queries = () => [
    ...panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr }))),
    ...dashboard.templating.list
      .filter((v) => typeof v.query === "object")
      .map((v) => ({ where: `variable ${v.name}`, expr: (v.query as { query: string }).query.replace(/^label_values\((.*), \w+\)$/, "$1") })),
  ];

  it("is a Grafana dashboard with a fixed uid, a data source variable and unique panel ids", () => {
    expect(dashboard.uid).toBe("yunshu-operator");
    expect(dashboard.title).toBeTruthy();
    expect(dashboard.templating.list.map((v) => v.name)).toContain("datasource");
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("shows every metric the operator exports", () => {
    const used = new Set(queries().flatMap((q) => selectors(q.expr).map((s) => s.metric)));
    const unused = [...EXPORTED].filter((m) => !used.has(m) && !/_(sum|count)$/.test(m));
    expect(unused, "exported metrics that no dashboard panel shows").toEqual([]);
  });

  it("asks only for metrics the operator exports, from job yunshu-operator", () => {
    for (const { where, expr } of queries()) {
      const found = selectors(expr);
      expect(found.length, where).toBeGreaterThan(0);
      for (const { metric, matchers } of found) {
        expect(EXPORTED, `${where} asks for ${metric}`).toContain(metric);
        expect(matchers, `${where}'s ${metric} selector`).toContain(JOB);
      }
    }
  });

  it("has only queries Prometheus can parse", async () => {
    // promtool has no offline "check this expression"; a recording rule per
    // query is parsed by the same code.
    const dir = await mkdtemp(join(tmpdir(), "yunshu-dashboard-"));
    try {
      const recorded = queries().map((q, i) => ({ record: `yunshu:dashboard_query_${i}`, expr: grafanaToPromql(q.expr) }));
      const file = join(dir, "dashboard-queries.yaml");
      await writeFile(file, stringify({ groups: [{ name: "dashboard", rules: recorded }] }));
      const result = await run(promtool, ["check", "rules", file]);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain(`SUCCESS: ${recorded.length} rules found`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
