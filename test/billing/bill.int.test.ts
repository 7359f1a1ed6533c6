// The month's statement end to end: a real Prometheus loaded with a known
// October (TSDB blocks that promtool makes from generated OpenMetrics), a
// PriceSheet in a real API server, and `kubectl yunshu bill` reading both,
// with the chart's metering rules evaluated at every hour of the month. The October holds what goes wrong in a real
// month: a tenant created mid-month, a quota raised mid-month, a price
// change mid-month, four hours with the operator down, a tenant deleted
// mid-month, a county rolled up into its city. The amounts must equal the
// hand-computed ones to the fen, in JSON and in the CSV read back.
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStatementCsv } from "../../operator/billing/statement-csv.ts";
import { monthBounds } from "../../operator/billing/month.ts";
import type { Statement } from "../../operator/billing/types.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import type { Server } from "node:http";
import type { RunningConsole } from "../../console/server/server.ts";
import { PrometheusApi } from "../../operator/billing/prometheus-api.ts";
import { PRICE_SHEETS, TENANTS } from "../../operator/api/resources.ts";
import type { Operator } from "../../operator/operator.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { serveDepartmentView, startLocalConsole } from "../../tools/local/console.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, startOperator, tenant } from "../../tools/local/yunshu.ts";
import { launchChromium, screenshot, seriousAccessibilityViolations } from "../support/browser.ts";
import { ensurePrometheus } from "../../tools/toolchain/prometheus.ts";
import { refusal } from "../support/api-errors.ts";
import { startPrometheus, type TestPrometheus } from "../support/prometheus.ts";
import { meteringOpenMetrics, type MeteringHistory } from "./metering-history.ts";

const run = promisify(execFile);
const REPO = join(import.meta.dirname, "..", "..");
const MONTH = "2026-10";
const { start, end } = monthBounds(MONTH);
/** An instant in October 2026, China Standard Time. */
const cst = (day: number, hour = 0) => Date.parse(`2026-10-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00+08:00`) / 1000;
const GiB = 2 ** 30;

const HISTORY: MeteringHistory = {
  start,
  end,
  namespaces: [
    // The province's data bureau, on the provincial cluster all month; its pods quota is priced by no rate.
    { cluster: "hunan", tenant: "hunan-data-bureau", namespace: "hunan-data-bureau-prod", resource: "requests.cpu", steps: [{ from: start, value: 8 }] },
    { cluster: "hunan", tenant: "hunan-data-bureau", namespace: "hunan-data-bureau-prod", resource: "requests.memory", steps: [{ from: start, value: 16 * GiB }] },
    { cluster: "hunan", tenant: "hunan-data-bureau", namespace: "hunan-data-bureau-prod", resource: "pods", steps: [{ from: start, value: 50 }] },
    // Changsha's health commission, on the city cluster: CPU raised from 4 to 6 on 15 October.
    { cluster: "changsha", tenant: "changsha-health", namespace: "changsha-health-prod", resource: "requests.cpu", steps: [{ from: start, value: 4 }, { from: cst(15), value: 6 }] },
    { cluster: "changsha", tenant: "changsha-health", namespace: "changsha-health-prod", resource: "requests.memory", steps: [{ from: start, value: 8 * GiB }] },
    // Its county bureau, created on 20 October at noon.
    { cluster: "changsha", tenant: "changsha-kaifu-health", namespace: "changsha-kaifu-health-prod", resource: "requests.cpu", steps: [{ from: cst(20, 12), value: 1 }] },
    // The finance department, deleted on 25 October: nothing billed after.
    { cluster: "hunan", tenant: "hunan-finance", namespace: "hunan-finance-prod", resource: "requests.cpu", steps: [{ from: start, value: 2 }], until: cst(25) },
  ],
  tenants: [
    { tenant: "hunan-data-bureau", displayName: "湖南省数据局", level: "province", parent: "" },
    { tenant: "changsha-health", displayName: "长沙市卫生健康委员会", level: "city", parent: "" },
    { tenant: "changsha-kaifu-health", displayName: "开福区卫生健康局", level: "county", parent: "changsha-health" },
    { tenant: "hunan-finance", displayName: "湖南省财政厅", level: "province", parent: "" },
  ],
  clusters: [
    { cluster: "hunan", tier: "province", region: "hunan" },
    { cluster: "changsha", tier: "city", region: "changsha" },
  ],
  // The operator down from 10:00 to 14:00 on 10 October: no scrape at all. The departments kept their quota.
  outages: [[cst(10, 10), cst(10, 14)]],
};

const PRICE_SHEET = {
  apiVersion: "yunshu.io/v1alpha1",
  kind: "PriceSheet",
  metadata: { name: "october" },
  spec: {
    currency: "CNY",
    billedQuantity: "Allocated",
    rates: [
      { validFrom: "2026-10-01T00:00:00+08:00", prices: { "requests.cpu": "0.0800", "requests.memory": "0.0100" } },
      { validFrom: "2026-10-01T00:00:00+08:00", tier: "city", prices: { "requests.cpu": "0.0600" } },
      { validFrom: "2026-10-16T00:00:00+08:00", prices: { "requests.cpu": "0.1000", "requests.memory": "0.0100" } },
    ],
  },
};

/**
 * By hand. October has 744 hours; the default CPU price changes on the 16th
 * (360 hours before, 384 after); the city tier's CPU price holds all month.
 */
const EXPECTED_FEN = {
  // CPU 8 × 360 × 0.08 + 8 × 384 × 0.10 = 230.40 + 307.20; memory 16 × 744 × 0.01 = 119.04 (57.60 + 61.44).
  "hunan-data-bureau": 65664,
  // CPU (4 × 336 + 6 × 408) × 0.06 = 3792 × 0.06 = 227.52; memory 8 × 744 × 0.01 = 59.52.
  "changsha-health": 28704,
  // CPU 1 × 276 × 0.06 (from the 20th at noon: 11.5 days).
  "changsha-kaifu-health": 1656,
  // CPU 2 × 360 × 0.08 + 2 × 216 × 0.10 (until the 25th) = 57.60 + 43.20.
  "hunan-finance": 10080,
};
const EXPECTED_TOTAL_FEN = 65664 + 28704 + 1656 + 10080;

let plane: ControlPlane;
let prometheus: TestPrometheus;
let operator: Operator;
let view: Server;
let consoleServer: RunningConsole;
let viewUrl: string;

async function promtool(args: string[]): Promise<string> {
  const { promtool: binary } = await ensurePrometheus();
  const { stdout, stderr } = await run(binary, args, { maxBuffer: 64 << 20 });
  return stdout + stderr;
}

beforeAll(async () => {
  plane = await ControlPlane.start({
    name: "bill",
    users: [
      { name: "finance-clerk", groups: ["departments"] },
      { name: "chen", groups: ["departments"] },
      { name: "alice", groups: ["departments"] },
    ],
  });
  operator = await startOperator(plane, await installYunshu(plane));
  await new KubeClient(plane.credentials()).create(PRICE_SHEETS, PRICE_SHEET as unknown as KubeObject);
  // The console prices with the sheet named default.
  await new KubeClient(plane.credentials()).create(PRICE_SHEETS, { ...PRICE_SHEET, metadata: { name: "default" } } as unknown as KubeObject);
  prometheus = await startPrometheus(
    plane,
    async (dir) => {
      // October as blocks, before Prometheus starts on them.
      const file = join(dir, "october.om.txt");
      await writeFile(file, meteringOpenMetrics(HISTORY));
      await mkdir(join(dir, "data"), { recursive: true });
      await promtool(["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=24h", file, join(dir, "data")]);
      return "global:\n  scrape_interval: 1m\n";
    },
    // The blocks are old: keep them.
    ["--storage.tsdb.retention.time=100y"],
  );
  // Today's tenants, for the console: chen owns Changsha's commission (and so its county bureau), alice the data bureau.
  // The finance department is gone, and nobody owns its history any more.
  const admin = new KubeClient(plane.credentials());
  for (const t of [
    tenant("changsha-health", { displayName: "长沙市卫生健康委员会", level: "city", owners: [{ kind: "User", name: "chen" }] }),
    tenant("changsha-kaifu-health", { displayName: "开福区卫生健康局", level: "county", parent: "changsha-health", owners: [{ kind: "User", name: "kaifu-clerk" }] }),
    tenant("hunan-data-bureau", { displayName: "湖南省数据局", owners: [{ kind: "User", name: "alice" }] }),
  ])
    await admin.create(TENANTS, t as Tenant & KubeObject);
  await eventually("the operator to cache the tenants", () => operator.hub.caches.tenants.size === 3);
  const served = await serveDepartmentView(plane, operator, new PrometheusApi({ url: new URL(prometheus.url) }));
  view = served.server;
  viewUrl = served.url;
  consoleServer = await startLocalConsole(plane, served.url);
  const bound = await plane.kubectl(["create", "clusterrolebinding", "departments", "--clusterrole=yunshu-department", "--group=departments"]);
  expect(bound.code, bound.stderr).toBe(0);
}, 600_000);

afterAll(async () => {
  await consoleServer?.close();
  view?.close();
  await operator?.stop();
  await prometheus?.process.stop();
  await plane?.stop();
});

async function bill(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(REPO, "bin", "kubectl-yunshu"), ["bill", "--month", MONTH, "--prometheus-url", prometheus.url, "--price-sheet", "october", "--kubeconfig", plane.kubeconfigPath(), ...args], { maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("the PriceSheet", () => {
  it("is refused at admission with a clear message when a price, a selector or a rate is wrong", async () => {
    const client = new KubeClient(plane.credentials());
    const sheet = (name: string, rates: unknown[]) => ({ apiVersion: "yunshu.io/v1alpha1", kind: "PriceSheet", metadata: { name }, spec: { currency: "CNY", billedQuantity: "Allocated", rates } }) as unknown as KubeObject;
    const refusals: [string, unknown[], string][] = [
      ["bad-price", [{ validFrom: "2026-10-01T00:00:00+08:00", prices: { "requests.cpu": "0,08" } }], "should match"],
      ["both", [{ validFrom: "2026-10-01T00:00:00+08:00", cluster: "hunan", tier: "city", prices: { "requests.cpu": "1" } }], "one cluster or one tier, not both"],
      [
        "twice",
        [
          { validFrom: "2026-10-01T00:00:00+08:00", prices: { "requests.cpu": "1" } },
          { validFrom: "2026-10-01T00:00:00+08:00", prices: { "requests.memory": "1" } },
        ],
        "Duplicate value",
      ],
    ];
    for (const [name, rates, message] of refusals) {
      const failure = await refusal(client.create(PRICE_SHEETS, sheet(name, rates)));
      expect(failure.status, name).toBe(422);
      expect(failure.message, name).toContain(message);
      expect(await client.get(PRICE_SHEETS, name)).toBeUndefined();
    }
  });

  it("is readable by a department, and changeable only by the platform", async () => {
    const clerk = new KubeClient(plane.credentials("finance-clerk"));
    expect((await clerk.get<KubeObject>(PRICE_SHEETS, "october"))?.metadata.name).toBe("october");
    const failure = await refusal(clerk.mergePatch(PRICE_SHEETS, "october", { spec: { billedQuantity: "LargerOfAllocatedAndUsed" } }));
    expect(failure.status).toBe(403);
    expect(((await clerk.get<KubeObject & { spec: { billedQuantity: string } }>(PRICE_SHEETS, "october"))!).spec.billedQuantity).toBe("Allocated");
  });
});

describe("kubectl yunshu bill", () => {
  let statement: Statement;

  it("prices October to the fen: a tenant created and one deleted mid-month, a quota raised, a price change, the operator down for four hours", async () => {
    const result = await bill("-o", "json");
    expect(result.code, result.stderr).toBe(0);
    statement = JSON.parse(result.stdout) as Statement;
    expect(statement.month).toBe(MONTH);
    expect(Object.fromEntries(statement.tenants.map((t) => [t.tenant, t.totalFen]))).toEqual(EXPECTED_FEN);
    expect(statement.totalFen).toBe(EXPECTED_TOTAL_FEN);
    expect(statement.unpriced).toEqual(["pods"]);
    const lines = (tenant: string) => statement.tenants.find((t) => t.tenant === tenant)!.lines;
    // The price change splits the province's CPU into two lines; the city's stays one.
    expect(lines("hunan-data-bureau").filter((l) => l.resource === "requests.cpu").map((l) => [l.quantity, l.unitPrice, l.amountFen, l.from, l.to])).toEqual([
      ["2880.000000", "0.0800", 23040, "2026-10-01T00:00:00+08:00", "2026-10-16T00:00:00+08:00"],
      ["3072.000000", "0.1000", 30720, "2026-10-16T00:00:00+08:00", "2026-11-01T00:00:00+08:00"],
    ]);
    expect(lines("changsha-health").filter((l) => l.resource === "requests.cpu").map((l) => [l.quantity, l.unitPrice, l.amountFen])).toEqual([["3792.000000", "0.0600", 22752]]);
    expect(lines("changsha-health").filter((l) => l.resource === "requests.memory").reduce((sum, l) => sum + Number(l.quantity), 0)).toBe(8 * 744);
    expect(lines("changsha-kaifu-health").map((l) => [l.quantity, l.from])).toEqual([["276.000000", "2026-10-20T12:00:00+08:00"]]);
    expect(lines("hunan-finance").map((l) => l.to).sort().at(-1)).toBe("2026-10-25T00:00:00+08:00");
  });

  it("rolls the county into its city, without counting anything twice", async () => {
    const result = await bill("-o", "json", "--rollup");
    expect(result.code, result.stderr).toBe(0);
    const rolled = JSON.parse(result.stdout) as Statement;
    const changsha = rolled.tenants.find((t) => t.tenant === "changsha-health")!;
    expect(changsha.totalFen).toBe(EXPECTED_FEN["changsha-health"]);
    expect(changsha.rolledUpFen).toBe(EXPECTED_FEN["changsha-health"] + EXPECTED_FEN["changsha-kaifu-health"]);
    expect(rolled.totalFen).toBe(EXPECTED_TOTAL_FEN);
    const one = JSON.parse((await bill("-o", "json", "--rollup", "--tenant", "changsha-health")).stdout) as Statement;
    expect(one.tenants.map((t) => t.tenant)).toEqual(["changsha-health", "changsha-kaifu-health"]);
    expect(one.totalFen).toBe(EXPECTED_FEN["changsha-health"] + EXPECTED_FEN["changsha-kaifu-health"]);
  });

  it("writes a CSV for Chinese offices (UTF-8 with BOM, Chinese headers) that reads back with the same numbers", async () => {
    const result = await bill("-o", "csv", "--rollup");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.startsWith("\uFEFF")).toBe(true);
    const { header, rows } = parseStatementCsv(result.stdout);
    expect(header).toContain("金额（元）");
    const amount = header.indexOf("金额（元）");
    const resource = header.indexOf("资源");
    const tenantColumn = header.indexOf("租户");
    const priced = rows.filter((r) => !["小计", "含下级合计", "合计"].includes(r[resource]!) && r[tenantColumn]);
    const fen = (yuan: string) => Math.round(Number(yuan) * 100);
    const byTenant = new Map<string, number>();
    for (const r of priced) byTenant.set(r[tenantColumn]!, (byTenant.get(r[tenantColumn]!) ?? 0) + fen(r[amount]!));
    expect(Object.fromEntries(byTenant)).toEqual(EXPECTED_FEN);
    const total = rows.find((r) => r[resource] === "合计" || r.includes("合计"))!;
    expect(fen(total[amount]!)).toBe(EXPECTED_TOTAL_FEN);
    console.log(`October's statement, as a table:\n${(await bill("--rollup")).stdout}`);
  });

  it("says what is wrong with a bad month or an unreachable Prometheus, and prints nothing else", async () => {
    const badMonth = await bill("--month", "2026-13");
    expect(badMonth.code).toBe(2);
    expect(badMonth.stderr).toContain("the month must look like 2026-11");
    const result = await run(join(REPO, "bin", "kubectl-yunshu"), ["bill", "--month", MONTH, "--prometheus-url", "http://127.0.0.1:1", "--price-sheet", "october", "--kubeconfig", plane.kubeconfigPath()]).then(
      () => ({ code: 0, stdout: "", stderr: "" }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot reach Prometheus at http://127.0.0.1:1");
    expect(result.stdout).toBe("");
  });
});

describe("a department's own statement, in the console", () => {
  async function signIn(user: string): Promise<string> {
    const res = await fetch(`${consoleServer.url}/api/session`, { method: "POST", headers: { "content-type": "application/json", origin: consoleServer.url }, body: JSON.stringify({ token: plane.token(user) }) });
    expect(res.status).toBe(201);
    return res.headers.get("set-cookie")!.split(";")[0]!;
  }

  it("shows each department its own tenants' month, rolled up, and nothing of another's or of a tenant nobody owns now", async () => {
    const get = async (user: string) => (await (await fetch(`${consoleServer.url}/api/bill?month=${MONTH}`, { headers: { cookie: await signIn(user) } })).json()) as Statement;
    const chen = await get("chen");
    expect(chen.tenants.map((t) => [t.tenant, t.totalFen, t.rolledUpFen])).toEqual([
      ["changsha-health", EXPECTED_FEN["changsha-health"], EXPECTED_FEN["changsha-health"] + EXPECTED_FEN["changsha-kaifu-health"]],
      ["changsha-kaifu-health", EXPECTED_FEN["changsha-kaifu-health"], EXPECTED_FEN["changsha-kaifu-health"]],
    ]);
    expect(chen.totalFen).toBe(EXPECTED_FEN["changsha-health"] + EXPECTED_FEN["changsha-kaifu-health"]);
    const alice = await get("alice");
    expect(alice.tenants.map((t) => [t.tenant, t.totalFen])).toEqual([["hunan-data-bureau", EXPECTED_FEN["hunan-data-bureau"]]]);
    expect(JSON.stringify(alice)).not.toContain("hunan-finance");
    expect(JSON.stringify(alice)).not.toContain("changsha");
  });

  it("downloads it as a CSV that reads back with the same numbers", async () => {
    const res = await fetch(`${consoleServer.url}/api/bill.csv?month=${MONTH}`, { headers: { cookie: await signIn("chen") } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const bytes = Buffer.from(await res.arrayBuffer());
    // The BOM, which fetch's text() would hide.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    const { header, rows } = parseStatementCsv(text);
    const total = rows.find((r) => r[header.indexOf("资源")] === "合计")!;
    expect(Math.round(Number(total[header.indexOf("金额（元）")]) * 100)).toBe(EXPECTED_FEN["changsha-health"] + EXPECTED_FEN["changsha-kaifu-health"]);
  });

  it("gives nothing without a session, and yunshu's metering nothing without a token", async () => {
    const noSession = await fetch(`${consoleServer.url}/api/bill?month=${MONTH}`);
    expect(noSession.status).toBe(401);
    for (const token of [undefined, "forged"]) {
      const direct = await fetch(`${viewUrl}/metering?month=${MONTH}&resources=requests.cpu`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect(direct.status).toBe(401);
      expect(await direct.text()).not.toContain("hunan");
    }
  });

  it("shows the statement page, accessible, with the month's total", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: "zh-CN", baseURL: consoleServer.url });
      await page.goto("/signin");
      await page.getByLabel("访问令牌").fill(plane.token("chen"));
      await page.getByRole("button", { name: "登录" }).click();
      await page.waitForURL((u) => u.pathname === "/");
      await page.goto(`/bill?month=${MONTH}`);
      await page.locator(`[data-total="${EXPECTED_FEN["changsha-health"] + EXPECTED_FEN["changsha-kaifu-health"]}"]`).waitFor();
      await page.locator('section[data-tenant="changsha-kaifu-health"]').waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, "console-bill");
    } finally {
      await browser.close();
    }
  });
});
