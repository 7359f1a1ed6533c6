// `tree`: every tenant in its place in the hierarchy, with its quota.
import type { Tenant } from "../../api/generated.ts";
import { TENANTS } from "../../api/resources.ts";
import type { Command } from "../command.ts";
import { rethrow } from "../errors.ts";
import { GLOBAL_FLAGS_HELP, GLOBAL_OPTIONS, globalFlags, parse } from "../flags.ts";
import { asList, formatObject } from "../output.ts";
import { renderTree } from "../tree-view.ts";
import { connect } from "../session.ts";

const help = (prog: string) => `Show every tenant where spec.parent puts it: province → city → county, children under
their parent, by name. For each: its level, its enforced quota (QUOTA), what its children hold
of it (CHILDREN), what its own namespaces use (USED), and whether it is Ready.

"cpu" stands for requests.cpu (and memory for requests.memory): ResourceQuota counts them as
the same limit. A tenant whose parent does not exist is shown at the top, marked
"(parent X missing)"; so is a loop of parents, marked with the loop.

Usage:
  ${prog} tree [flags]

${GLOBAL_FLAGS_HELP}
Examples:
  ${prog} tree
  ${prog} tree -o json              # the Tenants themselves
  ${prog} usage changsha-data       # one tenant in detail
`;

export const tree: Command = {
  name: "tree",
  summary: "every tenant, province → city → county, with quota, children's share, usage, readiness",
  audience: "platform",
  help,
  async run(args, ctx) {
    const { values } = parse(ctx, { args, options: GLOBAL_OPTIONS, allowPositionals: false });
    if (values.help) return ctx.out(help(ctx.prog));
    const flags = globalFlags(ctx, values);
    const { items } = await connect(ctx.session, flags)
      .list<Tenant>(TENANTS)
      .catch((err: unknown) =>
        rethrow(err, {
          forbidden: "listing tenants is for the platform team (ClusterRole yunshu-platform-admin)",
          notFound: "this cluster has no Tenant API; yunshu is not installed here (check --context)",
        }),
      );
    if (flags.output !== "table") return ctx.out(formatObject(asList(items), flags.output));
    if (items.length === 0) return ctx.err(`No tenants yet (departments ask for one with \`${ctx.prog} request --create\`).\n`);
    ctx.out(renderTree(items));
  },
};
