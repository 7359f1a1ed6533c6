// `requests`: the platform team's queue, with yunshu's verdict on each.
import type { TenantRequest } from "../../api/generated.ts";
import { TENANT_REQUESTS } from "../../api/resources.ts";
import type { Command } from "../command.ts";
import { rethrow } from "../errors.ts";
import { GLOBAL_FLAGS_HELP, GLOBAL_OPTIONS, globalFlags, parse } from "../flags.ts";
import { asList, formatObject } from "../output.ts";
import { isPending } from "../../request/conditions.ts";
import { requestsTable } from "../request-view.ts";
import { connect } from "../session.ts";
import { readThroughYunshu, VIEW_FLAGS_HELP, VIEW_OPTIONS, yunshuView } from "../yunshu-view.ts";

const OPTIONS = { ...GLOBAL_OPTIONS, ...VIEW_OPTIONS, all: { type: "boolean" } } as const;

const help = (prog: string) => `List TenantRequests waiting for a decision, oldest first, with yunshu's verdicts on whether
the requester may ask it (AUTHORIZED) and whether it fits (FITS: True, False, or Unknown;
"-" until yunshu has looked), and why (DETAIL). --all adds the decided ones, with the
decision and whether yunshu applied it.

The platform team reads every request from the API server. A department cannot (other
departments' requests are their business): with --yunshu-url it reads through yunshu,
which shows it the requests it filed and those about its tenants, and nothing else.

Usage:
  ${prog} requests [--all] [flags]

Flags:
  --all                include decided requests (columns DECISION and APPLIED)
${VIEW_FLAGS_HELP}
${GLOBAL_FLAGS_HELP}
Examples:
  ${prog} requests
  ${prog} requests --all -o yaml
  ${prog} requests --all --yunshu-url https://yunshu.example.gov.cn:8443   # a department's own
`;

export const requests: Command = {
  name: "requests",
  summary: "pending requests, oldest first, with whether each may be approved (--all: decided ones too)",
  audience: "platform",
  help,
  async run(args, ctx) {
    const { values } = parse(ctx, { args, options: OPTIONS, allowPositionals: false });
    if (values.help) return ctx.out(help(ctx.prog));
    const flags = globalFlags(ctx, values);
    const all = values.all ?? false;
    const view = yunshuView(values);
    const { items } = view
      ? await readThroughYunshu<{ items: TenantRequest[] }>(view, flags, "/requests")
      : await connect(ctx.session, flags)
          .list<TenantRequest>(TENANT_REQUESTS)
          .catch((err: unknown) =>
            rethrow(err, {
              forbidden: `listing every request is for the platform team (ClusterRole yunshu-platform-admin); a department reads its own through yunshu: --yunshu-url`,
              notFound: "this cluster has no TenantRequest API; yunshu is not installed here (check --context)",
            }),
          );
    const shown = items.filter((r) => all || isPending(r));
    if (flags.output !== "table") return ctx.out(formatObject(asList(shown), flags.output));
    if (shown.length === 0) return ctx.err(all ? "No TenantRequests.\n" : "No pending TenantRequests (--all shows decided ones).\n");
    ctx.out(requestsTable(shown, ctx.now(), { all }));
  },
};
