// The chargeback metering rules the chart ships, checked with Prometheus's
// own promtool: the rule file is valid, its unit tests pass and expect a
// figure from every rule, and every rule is written so that a backfill of
// it (`promtool tsdb create-blocks-from rules`) computes what Prometheus
// recorded: from raw series only, the operator's from its job, cAdvisor's
// without the cgroup totals, with subquery steps of its own.
//
// A unit test like alerts.unit.test.ts, needing no cluster; promtool comes
// from tools/toolchain/prometheus.ts in the same way.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ensurePrometheus } from "../../tools/toolchain/prometheus.ts";
import { EXPORTED, JOB, run, selectors, type Rule, type RuleFile } from "./operator-metrics.ts";

const FILES = fileURLToPath(new URL("../../charts/yunshu/files/", import.meta.url));
const RULES = join(FILES, "metering-rules.yaml");
const RULE_TESTS = join(FILES, "metering-rules.test.yaml");

/** cAdvisor's, from the kubelets: the usage the rules meter. */
const CADVISOR = new Set(["container_cpu_usage_seconds_total", "container_memory_working_set_bytes"]);

interface ExprTest {
  expr: string;
  eval_time: string;
  exp_samples: { labels: string; value: number }[];
}
interface RuleTests {
  rule_files: string[];
  evaluation_interval?: string;
  tests: { name: string; interval?: string; promql_expr_test?: ExprTest[] }[];
}

let promtool: string;
let file: RuleFile;
let rules: Rule[];
let ruleTests: RuleTests;
let cases: ExprTest[];

beforeAll(async () => {
  promtool = (await ensurePrometheus()).promtool;
  file = parse(await readFile(RULES, "utf8")) as RuleFile;
  rules = file.groups.flatMap((g) => g.rules);
  ruleTests = parse(await readFile(RULE_TESTS, "utf8")) as RuleTests;
  cases = ruleTests.tests.flatMap((t) => t.promql_expr_test ?? []);
}, 1_800_000);

/** The name and labels of a sample as promtool's exp_samples write it: `name{a="b", …}`. */
function sampleLabels(text: string): { name: string; labels: Record<string, string> } {
  const match = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{(.*)\}\s*$/.exec(text);
  if (!match) throw new Error(`not a sample's labels: ${text}`);
  const labels = Object.fromEntries([...match[2]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
  return { name: match[1] ?? "", labels };
}

/** Whether a PromQL expression names a metric, as a whole name. */
const names = (expr: string, metric: string) => new RegExp(`(?<![\\w:])${metric.replaceAll(":", "\\:")}(?![\\w:])`).test(expr);

describe("files/metering-rules.yaml", () => {
  it("is a valid Prometheus rule file (promtool check rules), with no duplicate rules", async () => {
    const result = await run(promtool, ["check", "rules", "--lint=duplicate-rules", "--lint-fatal", RULES]);
    expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(result.code, result.output).toBe(0);
  });

  it("passes its unit tests (promtool test rules files/metering-rules.test.yaml)", async () => {
    expect(ruleTests.rule_files).toEqual(["metering-rules.yaml"]);
    const result = await run(promtool, ["test", "rules", RULE_TESTS]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code, result.output).toBe(0);
  });

  it("is one group evaluated hourly, recording the series chargeback reads", () => {
    expect(file.groups.map((g) => ({ name: g.name, interval: g.interval }))).toEqual([{ name: "yunshu-metering", interval: "1h" }]);
    expect(rules.every((r) => r.record && !r.alert)).toBe(true);
    expect(new Set(rules.map((r) => r.record))).toEqual(
      new Set([
        "yunshu:namespace_allocated:avg1h",
        "yunshu:namespace_requested:avg1h",
        "yunshu:namespace_used:avg1h",
        "yunshu:tenant_allocated:avg1h",
        "yunshu:tenant_requested:avg1h",
        "yunshu:tenant_used:avg1h",
      ]),
    );
  });

  it("is tested hour by hour, as Prometheus evaluates it", () => {
    // promtool evaluates every group at the test file's evaluation_interval,
    // whatever the group's own says: at 1m a sum_over_time of the recorded
    // series would count each hour sixty times.
    expect(ruleTests.evaluation_interval).toBe("1h");
  });

  it("has a test expecting a figure from every rule, and tests no rule that does not exist", () => {
    for (const rule of rules) {
      const expected = cases.some(
        (c) =>
          names(c.expr, rule.record!) &&
          c.exp_samples.some((s) => {
            const { name, labels } = sampleLabels(s.labels);
            return name === rule.record && Object.entries(rule.labels ?? {}).every(([k, v]) => labels[k] === v);
          }),
      );
      expect(expected, `metering-rules.test.yaml expects no sample of ${rule.record} ${JSON.stringify(rule.labels ?? {})}`).toBe(true);
    }
    const records = new Set(rules.map((r) => r.record));
    const unknown = cases.flatMap((c) => [...c.expr.matchAll(/yunshu:[a-zA-Z0-9_:]+/g)].map((m) => m[0])).filter((n) => !records.has(n));
    expect(unknown, "metering-rules.test.yaml tests series that metering-rules.yaml does not record").toEqual([]);
  });

  it("tests for every namespace rule an hour where nothing is recorded", () => {
    for (const record of ["yunshu:namespace_allocated:avg1h", "yunshu:namespace_requested:avg1h", "yunshu:namespace_used:avg1h"]) {
      expect(
        cases.some((c) => names(c.expr, record) && c.exp_samples.length === 0),
        `no case where ${record} records nothing`,
      ).toBe(true);
    }
  });

  it("reads raw series only, so that a backfill evaluates each rule on its own", () => {
    for (const rule of rules) {
      const read = selectors(rule.expr).map((s) => s.metric);
      expect(read.length, rule.record).toBeGreaterThan(0);
      expect(
        read.filter((m) => m.includes(":")),
        `${rule.record} reads recorded series`,
      ).toEqual([]);
    }
  });

  it("asks for the operator's metrics from job yunshu-operator, and for cAdvisor's without cgroup totals", () => {
    for (const rule of rules) {
      for (const { metric, matchers } of selectors(rule.expr)) {
        if (CADVISOR.has(metric)) {
          expect(matchers, `${rule.record}'s ${metric} selector`).toMatch(/container\s*!=\s*""/);
          expect(matchers, `${rule.record}'s ${metric} selector`).toMatch(/container\s*!=\s*"POD"/);
          continue;
        }
        expect(EXPORTED, `${rule.record} asks for ${metric}`).toContain(metric);
        expect(matchers, `${rule.record}'s ${metric} selector`).toContain(JOB);
      }
    }
  });

  it("gives every subquery a step of its own, not the evaluation interval of whichever Prometheus runs it", () => {
    for (const rule of rules) expect(rule.expr, rule.record).not.toMatch(/\[[^\]]*:\s*\]/);
  });
});
