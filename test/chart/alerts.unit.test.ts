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
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ensurePrometheus } from "../../tools/toolchain/prometheus.ts";
import { EXPORTED, JOB, run, selectors, type Rule, type RuleFile } from "./operator-metrics.ts";

const FILES = fileURLToPath(new URL("../../charts/yunshu/files/", import.meta.url));
const ALERTS = join(FILES, "alerts.yaml");
const ALERT_TESTS = join(FILES, "alerts.test.yaml");
const DASHBOARD = join(FILES, "dashboard.json");
const METERING = join(FILES, "metering-rules.yaml");

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

/** Grafana's variables, replaced by what Grafana would put there, so promtool can parse the query. */
const grafanaToPromql = (expr: string) =>
  expr.replaceAll("$__rate_interval", "5m").replaceAll("$__range", "31d").replaceAll(/\$(cluster|tenant)\b/g, ".*").replaceAll(/\$(cpu_price|memory_price)\b/g, "1");

let promtool: string;
let rules: RuleFile;
let alerts: Rule[];
let alertTests: AlertTests;
let panels: Panel[];
/** Series the chart's metering rules record, by name: what each reads, for the dashboard's checks. */
let recorded: Map<string, Set<string>>;
let dashboard: { uid?: string; title?: string; panels: Panel[]; templating: { list: { name: string; query?: unknown }[] } };

beforeAll(async () => {
  promtool = (await ensurePrometheus()).promtool;
  rules = parse(await readFile(ALERTS, "utf8")) as RuleFile;
  alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);
  alertTests = parse(await readFile(ALERT_TESTS, "utf8")) as AlertTests;
  dashboard = JSON.parse(await readFile(DASHBOARD, "utf8")) as typeof dashboard;
  recorded = new Map();
  for (const rule of (parse(await readFile(METERING, "utf8")) as RuleFile).groups.flatMap((g) => g.rules)) {
    const reads = recorded.get(rule.record!) ?? new Set<string>();
    for (const { metric } of selectors(rule.expr)) reads.add(metric);
    recorded.set(rule.record!, reads);
  }
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

  it("shows every metric the operator exports, itself or through a series the metering rules record from it", () => {
    const used = new Set(queries().flatMap((q) => selectors(q.expr).flatMap((s) => [s.metric, ...(recorded.get(s.metric) ?? [])])));
    const unused = [...EXPORTED].filter((m) => !used.has(m) && !/_(sum|count)$/.test(m));
    expect(unused, "exported metrics that no dashboard panel shows").toEqual([]);
  });

  it("asks only for metrics the operator exports, from job yunshu-operator, or for series the metering rules record", () => {
    for (const { where, expr } of queries()) {
      const found = selectors(expr);
      expect(found.length, where).toBeGreaterThan(0);
      for (const { metric, matchers } of found) {
        // Recorded series carry no job: the rules aggregate it away, having
        // selected the operator's series by it (metering-rules.unit.test.ts).
        if (metric.includes(":")) {
          expect([...recorded.keys()], `${where} asks for ${metric}, which files/metering-rules.yaml does not record`).toContain(metric);
          continue;
        }
        expect(EXPORTED, `${where} asks for ${metric}`).toContain(metric);
        expect(matchers, `${where}'s ${metric} selector`).toContain(JOB);
      }
      // A recorded series named without braces, which selectors() misses.
      for (const [name] of expr.matchAll(/yunshu:[a-zA-Z0-9_:]+/g)) {
        expect([...recorded.keys()], `${where} asks for ${name}, which files/metering-rules.yaml does not record`).toContain(name);
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
