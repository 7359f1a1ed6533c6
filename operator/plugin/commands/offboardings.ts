// `offboardings`: the evidence that offboarded departments' data is gone.
import type { OffboardingRecord } from "../../api/generated.ts";
import { OFFBOARDING_RECORDS } from "../../api/resources.ts";
import type { Command } from "../command.ts";
import { rethrow, UsageError } from "../errors.ts";
import { GLOBAL_FLAGS_HELP, GLOBAL_OPTIONS, globalFlags, parse } from "../flags.ts";
import { offboardingDetail, offboardingsTable } from "../offboarding-view.ts";
import { asList, formatObject } from "../output.ts";
import { connect } from "../session.ts";

const help = (prog: string) => `Show the OffboardingRecords: for every offboarded tenant, what was deleted on which
cluster, when, on whose request and approval, and the final check that nothing of it is left.
yunshu writes a record once the check passes on every cluster; nobody can change or delete one.

Usage:
  ${prog} offboardings [RECORD] [flags]

${GLOBAL_FLAGS_HELP}
Examples:
  ${prog} offboardings                         # every record, newest first
  ${prog} offboardings yuelu-data-offboard-x7k2q   # one in full
  ${prog} offboardings -o yaml                 # the records themselves
`;

const FORBIDDEN = "reading offboarding records is for the platform team (ClusterRole yunshu-platform-admin)";

export const offboardings: Command = {
  name: "offboardings",
  summary: "the records of offboarded tenants: what was deleted, where, on whose decision, and the final check",
  audience: "platform",
  help,
  async run(args, ctx) {
    const { values, positionals } = parse(ctx, { args, options: GLOBAL_OPTIONS, allowPositionals: true });
    if (values.help) return ctx.out(help(ctx.prog));
    if (positionals.length > 1) throw new UsageError("name one record, or none to list them all");
    const flags = globalFlags(ctx, values);
    const client = connect(ctx.session, flags);
    const name = positionals[0];
    if (name) {
      const record = await client.get<OffboardingRecord>(OFFBOARDING_RECORDS, name).catch((err: unknown) => rethrow(err, { forbidden: FORBIDDEN }));
      if (!record) throw new UsageError(`no OffboardingRecord ${name}; \`${ctx.prog} offboardings\` lists them`);
      return ctx.out(flags.output === "table" ? offboardingDetail(record) : formatObject(record, flags.output));
    }
    const { items } = await client.list<OffboardingRecord>(OFFBOARDING_RECORDS).catch((err: unknown) => rethrow(err, { forbidden: FORBIDDEN }));
    if (flags.output !== "table") return ctx.out(formatObject(asList(items), flags.output));
    if (items.length === 0) return ctx.err("No tenant has been offboarded yet.\n");
    ctx.out(offboardingsTable(items, new Date()));
  },
};
