// `mine`: the tenants you own or are a member of, with their namespaces on
// every cluster and how much of their quota they use. Kubernetes cannot
// list this for a department (RBAC has no filtered list), so it is always
// read through yunshu's department view, which filters by each Tenant's
// owners and members (request/mine.ts); the console shows the same.
import type { MineAnswer, MyTenant } from "../../../console/api-types.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../errors.ts";
import { GLOBAL_FLAGS_HELP, GLOBAL_OPTIONS, globalFlags, parse } from "../flags.ts";
import { renderTable } from "../table.ts";
import { readThroughYunshu, VIEW_FLAGS_HELP, VIEW_OPTIONS, yunshuView } from "../yunshu-view.ts";
import { stringify } from "yaml";

const help = (prog: string) => `The tenants you own (or own a tenant above) or are a member of, one row per cluster each
is placed on, with its namespaces there and how much of its quota it uses. Read through yunshu,
which shows you what is yours and nothing else.

Usage:
  ${prog} mine [flags]

Flags:
${VIEW_FLAGS_HELP}
${GLOBAL_FLAGS_HELP}
Examples:
  ${prog} mine --yunshu-url https://yunshu.example.gov.cn:8443
  YUNSHU_URL=https://yunshu.example.gov.cn:8443 ${prog} mine -o yaml
`;

const asWho = (t: MyTenant) => (t.ownedThrough ? `owner (via ${t.ownedThrough})` : t.relation);

const used = (t: MyTenant) =>
  t.quota
    .filter((q) => q.hard !== undefined)
    .map((q) => `${q.resource} ${q.used ?? "0"}/${q.hard}`)
    .join(", ") || "-";

export function mineTable(answer: MineAnswer): string {
  const rows = answer.tenants.flatMap((t) => {
    const clusters = t.clusters.length > 0 ? t.clusters : [{ name: "-", ready: false, namespaces: t.namespaces.map((n) => n.name) }];
    return clusters.map((c, i) => [
      i === 0 ? t.name : "",
      i === 0 ? t.displayName : "",
      i === 0 ? asWho(t) : "",
      c.name,
      c.name === "-" ? "-" : c.ready ? "yes" : "no",
      c.namespaces.join(",") || "-",
      i === 0 ? used(t) : "",
    ]);
  });
  return renderTable(["TENANT", "NAME", "AS", "CLUSTER", "READY", "NAMESPACES", "QUOTA USED"], rows);
}

export const mine: Command = {
  name: "mine",
  summary: "the tenants you own or are a member of, with their namespaces on every cluster",
  audience: "department",
  help,
  async run(args, ctx) {
    const { values, positionals } = parse(ctx, { args, options: { ...GLOBAL_OPTIONS, ...VIEW_OPTIONS }, allowPositionals: true });
    if (values.help) return ctx.out(help(ctx.prog));
    if (positionals.length > 0) throw new UsageError("mine takes no arguments");
    const flags = globalFlags(ctx, values);
    const view = yunshuView(values);
    if (!view) throw new UsageError("mine reads through yunshu (Kubernetes cannot list a department's tenants for it): give --yunshu-url or set $YUNSHU_URL");
    const answer = await readThroughYunshu<MineAnswer>(view, flags, "/mine");
    if (flags.output === "json") return ctx.out(`${JSON.stringify(answer, null, 2)}\n`);
    if (flags.output === "yaml") return ctx.out(stringify(answer));
    if (answer.tenants.length === 0) return ctx.err(`${answer.user.username} owns no tenant and is a member of none.\n`);
    ctx.out(mineTable(answer));
  },
};
