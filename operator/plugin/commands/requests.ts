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

const OPTIONS = { ...GLOBAL_OPTIONS, all: { type: "boolean" } } as const;

const help = (prog: string) => `List TenantRequests waiting for a decision, oldest first, with yunshu's verdict on whether
each fits (FITS: True, False, or Unknown; "-" until yunshu has looked) and why (DETAIL).
--all adds the decided ones, with the decision and whether yunshu applied it.

For the platform team: a department cannot list requests (they are other departments'
business); it follows its own with \`${prog} show NAME\`.

Usage:
  ${prog} requests [--all] [flags]

Flags:
  --all                include decided requests (columns DECISION and APPLIED)

${GLOBAL_FLAGS_HELP}
Examples:
  ${prog} requests
  ${prog} requests --all -o yaml
`;

export const requests: Command = {
  name: "requests",
  summary: "pending requests, oldest first, with whether each fits (--all: decided ones too)",
  audience: "platform",
  help,
  async run(args, ctx) {
    const { values } = parse(ctx, { args, options: OPTIONS, allowPositionals: false });
    if (values.help) return ctx.out(help(ctx.prog));
    const flags = globalFlags(ctx, values);
    const all = values.all ?? false;
    const { items } = await connect(ctx.session, flags)
      .list<TenantRequest>(TENANT_REQUESTS)
      .catch((err: unknown) =>
        rethrow(err, {
          forbidden: `listing requests is for the platform team (ClusterRole yunshu-platform-admin); follow your own with \`${ctx.prog} show NAME\``,
          notFound: "this cluster has no TenantRequest API; yunshu is not installed here (check --context)",
        }),
      );
    const shown = items.filter((r) => all || isPending(r));
    if (flags.output !== "table") return ctx.out(formatObject(asList(shown), flags.output));
    if (shown.length === 0) return ctx.err(all ? "No TenantRequests.\n" : "No pending TenantRequests (--all shows decided ones).\n");
    ctx.out(requestsTable(shown, ctx.now(), { all }));
  },
};
