// `bill`: a month's statement (购买服务): what each department held on each
// cluster, hour by hour, priced by the PriceSheet, with totals; --rollup
// adds counties into their cities and cities into the province. The
// quantities come from Prometheus (the metering rules' hourly series), the
// prices from the PriceSheet in the cluster (or a file).
import { readFileSync } from "node:fs";
import { parse as parseYaml, stringify } from "yaml";
import type { PriceSheet } from "../../api/generated.ts";
import { PRICE_SHEETS } from "../../api/resources.ts";
import { readMeteredMonth } from "../../billing/metering-query.ts";
import { MonthError } from "../../billing/month.ts";
import { PrometheusApi, PrometheusError, prometheusTarget, type PrometheusTarget } from "../../billing/prometheus-api.ts";
import { validatePriceSheet } from "../../billing/price-sheet.ts";
import { monthStatement, pricedResources } from "../../billing/month-statement.ts";
import { statementCsv } from "../../billing/statement-csv.ts";
import { statementTable } from "../../billing/statement-table.ts";
import type { PriceSheetSpec } from "../../billing/types.ts";
import type { Command, Context } from "../command.ts";
import { PluginError, rethrow, UsageError } from "../errors.ts";
import { GLOBAL_OPTIONS, globalFlags, parse, type GlobalFlags } from "../flags.ts";
import { connect } from "../session.ts";

const OPTIONS = {
  ...GLOBAL_OPTIONS,
  month: { type: "string" },
  tenant: { type: "string" },
  rollup: { type: "boolean" },
  "prometheus-url": { type: "string" },
  "prometheus-token-file": { type: "string" },
  "prometheus-ca": { type: "string" },
  "price-sheet": { type: "string" },
  "price-sheet-file": { type: "string" },
} as const;

const help = (prog: string) => `A month's statement (购买服务): per department, per cluster and per resource, the quantity
held (core-hours, GiB-hours, …), its unit price, the amount, and totals. Which quantity is billed
(the quota held, or the larger of that and what was used) is the PriceSheet's setting; a price
change mid-month splits a resource into a line per price.

Quantities come from Prometheus: the hourly series of yunshu's metering rules
(charts/yunshu/files/metering-rules.yaml, shipped with prometheusRule.enabled). Prices come from
the PriceSheet in the cluster (every department may read it), or from a file.

Usage:
  ${prog} bill --month YYYY-MM --prometheus-url URL [flags]

Flags:
  --month YYYY-MM                the month, in China Standard Time (required)
  --tenant NAME                  only this tenant (with --rollup, and those under it)
  --rollup                       add each tenant's children into its total (county → city → province)
  --prometheus-url URL           Prometheus's address (default: $PROMETHEUS_URL)
  --prometheus-token-file PATH   a bearer token for it (default: $PROMETHEUS_TOKEN, the token itself)
  --prometheus-ca PATH           CA certificate (PEM) for an https URL
  --price-sheet NAME             the PriceSheet to price with (default: default)
  --price-sheet-file PATH        a PriceSheet in a YAML file instead of the cluster's
  -o, --output FORMAT            table (default), csv (UTF-8 with BOM, Chinese headers: opens in
                                 Excel and WPS as it is), json or yaml
  --kubeconfig PATH, --context NAME
                                 where the PriceSheet is read (default: $KUBECONFIG)

Examples:
  ${prog} bill --month 2026-11 --prometheus-url https://prometheus.yunshu.internal
  ${prog} bill --month 2026-11 --rollup -o csv > 2026年11月账单.csv
  ${prog} bill --month 2026-11 --tenant changsha-health --rollup
`;

function priceSheetFromFile(path: string): PriceSheetSpec {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, "utf8"));
  } catch (err) {
    throw new UsageError(`--price-sheet-file ${path}: ${(err as Error).message}`);
  }
  const spec = ((parsed as { spec?: unknown } | null)?.spec ?? parsed) as PriceSheetSpec;
  const problems = validatePriceSheet(spec);
  if (problems.length > 0) throw new UsageError(`--price-sheet-file ${path}: ${problems.join("; ")}`);
  return spec;
}

async function priceSheet(values: { "price-sheet"?: string; "price-sheet-file"?: string }, flags: GlobalFlags, ctx: Context): Promise<PriceSheetSpec> {
  if (values["price-sheet-file"]) return priceSheetFromFile(values["price-sheet-file"]);
  const name = values["price-sheet"] ?? "default";
  const sheet = await connect(ctx.session, flags)
    .get<PriceSheet & { metadata: { name: string } }>(PRICE_SHEETS, name)
    .catch((err: unknown) => rethrow(err, { forbidden: "reading PriceSheets needs the ClusterRole yunshu-department or yunshu-platform-admin" }));
  if (!sheet) throw new PluginError(`no PriceSheet ${name}: the platform team declares one (crds/samples/price-sheet.yaml), or give --price-sheet-file`);
  return sheet.spec as PriceSheetSpec;
}

function prometheusTargetOf(values: { "prometheus-url"?: string; "prometheus-token-file"?: string; "prometheus-ca"?: string }, env: NodeJS.ProcessEnv): PrometheusTarget {
  const url = values["prometheus-url"] ?? env.PROMETHEUS_URL;
  if (!url) throw new UsageError("bill needs --prometheus-url (or $PROMETHEUS_URL): the metering is in Prometheus");
  let target: PrometheusTarget;
  try {
    target = prometheusTarget({ url, tokenFile: values["prometheus-token-file"], caFile: values["prometheus-ca"] });
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(`--prometheus-url must be a URL such as https://prometheus.example.gov.cn, not ${JSON.stringify(url)}`);
    throw err;
  }
  // The token itself may come from the environment, where a file would be a chore.
  return target.token || !env.PROMETHEUS_TOKEN ? target : { ...target, token: env.PROMETHEUS_TOKEN };
}

export const bill: Command = {
  name: "bill",
  summary: "a month's statement per department, cluster and resource, priced by the PriceSheet",
  audience: "platform",
  help,
  async run(args, ctx) {
    const { values, positionals } = parse(ctx, { args, options: OPTIONS, allowPositionals: true });
    if (values.help) return ctx.out(help(ctx.prog));
    if (positionals.length > 0) throw new UsageError("bill takes flags only");
    const csv = values.output === "csv";
    const flags = globalFlags(ctx, { ...values, output: csv ? undefined : values.output });
    if (!values.month) throw new UsageError("bill needs --month YYYY-MM");
    const prometheus = new PrometheusApi(prometheusTargetOf(values, process.env));
    try {
      const sheet = await priceSheet(values, flags, ctx);
      const metered = await readMeteredMonth(prometheus, values.month, pricedResources(sheet));
      const statement = monthStatement(metered, sheet, { month: values.month, rollup: values.rollup ?? false, ...(values.tenant ? { tenant: values.tenant } : {}) });
      if (csv) return ctx.out(statementCsv(statement));
      if (flags.output === "json") return ctx.out(`${JSON.stringify(statement, null, 2)}\n`);
      if (flags.output === "yaml") return ctx.out(stringify(statement));
      ctx.out(`Statement for ${statement.month} (China Standard Time), in yuan; billed: ${statement.billedQuantity === "Allocated" ? "the quota held" : "the larger of the quota held and the usage"}\n\n`);
      ctx.out(statementTable(statement));
    } catch (err) {
      if (err instanceof MonthError) throw new UsageError(err.message);
      if (err instanceof PrometheusError) throw new PluginError(err.message);
      throw err;
    } finally {
      await prometheus.close();
    }
  },
};
