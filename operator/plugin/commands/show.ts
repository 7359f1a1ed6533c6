// `show NAME`: one request in full, for the department that filed it and the platform team alike.
import type { KubeClient } from "../../runtime/kube-client.ts";
import type { TenantRequest } from "../../api/generated.ts";
import { TENANT_REQUESTS } from "../../api/resources.ts";
import type { Command, Context } from "../command.ts";
import { PluginError, rethrow } from "../errors.ts";
import { GLOBAL_FLAGS_HELP, GLOBAL_OPTIONS, globalFlags, onePositional, parse } from "../flags.ts";
import { formatObject } from "../output.ts";
import { describeRequest } from "../request-view.ts";
import { connect } from "../session.ts";
import { readThroughYunshu, VIEW_FLAGS_HELP, VIEW_OPTIONS, yunshuView } from "../yunshu-view.ts";

const help = (prog: string) => `Show one TenantRequest in full: what is asked, by whom and why; whether it fits, with
the numbers (each budget it draws on: the parent tenant's quota, the cloud's capacity pool);
the decision, who made it and why; and whether yunshu applied it.

Usage:
  ${prog} show NAME [flags]

NAME is what \`${prog} request\` printed (also \`kubectl get tenantrequests\` for the platform team).
A department reads through yunshu (--yunshu-url): its own requests, and those about its tenants.

Flags:
${VIEW_FLAGS_HELP}
${GLOBAL_FLAGS_HELP}
Examples:
  ${prog} show yuelu-data-x7k2p
  ${prog} show yuelu-data-x7k2p -o yaml
`;

/** Reads a request by name, saying what to do when it is not there or not readable. */
export async function readRequest(client: KubeClient, name: string, ctx: Context): Promise<TenantRequest> {
  const found = await client.get<TenantRequest>(TENANT_REQUESTS, name).catch((err: unknown) =>
    rethrow(err, { forbidden: "reading requests from the API server is the platform team's (ClusterRole yunshu-platform-admin); a department reads its own through yunshu: --yunshu-url" }),
  );
  if (!found) throw new PluginError(`TenantRequest ${name} not found; use the name \`${ctx.prog} request\` printed (the platform team lists them with \`${ctx.prog} requests\`)`);
  return found;
}

export const show: Command = {
  name: "show",
  summary: "one request in full: what, who, why, whether it fits, the decision, the outcome",
  audience: "department",
  help,
  async run(args, ctx) {
    const { values, positionals } = parse(ctx, { args, options: { ...GLOBAL_OPTIONS, ...VIEW_OPTIONS }, allowPositionals: true });
    if (values.help) return ctx.out(help(ctx.prog));
    const flags = globalFlags(ctx, values);
    const name = onePositional(ctx, positionals, "request's name");
    const view = yunshuView(values);
    const found = view ? await readThroughYunshu<TenantRequest>(view, flags, `/requests/${encodeURIComponent(name)}`) : await readRequest(connect(ctx.session, flags), name, ctx);
    ctx.out(flags.output === "table" ? describeRequest(found, ctx.now(), ctx.prog) : formatObject(found, flags.output));
  },
};
