// `approve` / `deny`: a platform admin decides a request, once, with a reason.
import type { TenantRequest } from "../../api/generated.ts";
import type { KubeClient } from "../../runtime/kube-client.ts";
import { TENANT_REQUESTS } from "../../api/resources.ts";
import type { Command, Context } from "../command.ts";
import { condition as findCondition } from "../../request/conditions.ts";
import { decisionApply, decisionOf, type Verdict } from "../decision.ts";
import { PluginError, rethrow, UsageError } from "../errors.ts";
import { GLOBAL_FLAGS_HELP, GLOBAL_OPTIONS, globalFlags, hint, onePositional, parse } from "../flags.ts";
import { formatObject } from "../output.ts";
import { connect, FIELD_MANAGER, whoami } from "../session.ts";
import { readRequest } from "./show.ts";

const OPTIONS = { ...GLOBAL_OPTIONS, reason: { type: "string" } } as const;

const help = (verdict: Verdict) => (prog: string) => {
  const what =
    verdict === "approve"
      ? `Approve a TenantRequest, with a reason that is kept with it. yunshu then applies it to the
Tenant (see Applied in \`${prog} show NAME\`). A request that yunshu found not to fit
(Fits=False) cannot be approved: deny it, or make room first.`
      : `Deny a TenantRequest, with a reason that is kept with it. The department sees your reason
in \`${prog} show NAME\` and may file a new request.`;
  return `${what}

A decision is final, is recorded with your name (status.decidedBy) and the time, and cannot be
made on a request you filed yourself: another platform admin decides those. If the request
changed since you read it (yunshu's verdict, say), nothing is recorded and you are asked to look
again.

Usage:
  ${prog} ${verdict} NAME --reason TEXT [flags]

Flags:
  --reason TEXT        why, for the department and the audit trail (required)

${GLOBAL_FLAGS_HELP}
Examples:
  ${prog} requests
  ${prog} show yuelu-data-x7k2p
  ${prog} ${verdict} yuelu-data-x7k2p --reason "${verdict === "approve" ? "符合市级配额，同意" : "请先释放测试环境的配额"}"
`;
};

/**
 * Records the decision on `request` as read: its resourceVersion goes along,
 * so that a request that changed since is refused with 409 rather than
 * decided on what the decider did not see.
 */
export async function decide(client: KubeClient, request: TenantRequest, verdict: Verdict, decidedBy: string, reason: string, ctx: Context): Promise<TenantRequest> {
  const name = request.metadata.name;
  const body = decisionApply(request, verdict, decidedBy, reason, ctx.now());
  // The API server answers with the whole request, not just the fields applied.
  return (await client.apply(TENANT_REQUESTS, body, FIELD_MANAGER, "status").catch((err: unknown) =>
    rethrow(err, {
      conflict: `TenantRequest ${name} changed since you looked; run \`${ctx.prog} show ${name}\` again, then decide`,
      forbidden: "deciding requests needs the ClusterRole yunshu-platform-admin",
      notFound: `TenantRequest ${name} was withdrawn while you decided`,
    }),
  )) as unknown as TenantRequest;
}

function decideCommand(verdict: Verdict): Command {
  return {
    name: verdict,
    summary: verdict === "approve" ? "approve a request, with a reason; yunshu then applies it" : "deny a request, with a reason",
    audience: "platform",
    help: help(verdict),
    async run(args, ctx) {
      const { values, positionals } = parse(ctx, { args, options: OPTIONS, allowPositionals: true });
      if (values.help) return ctx.out(help(verdict)(ctx.prog));
      const flags = globalFlags(ctx, values);
      const name = onePositional(ctx, positionals, "request's name");
      const reason = values.reason?.trim();
      if (!reason) throw new UsageError(`${verdict} needs --reason TEXT: the department and the audit trail see why; ${hint(ctx)}`);

      const client = connect(ctx.session, flags);
      const request = await readRequest(client, name, ctx);
      const earlier = decisionOf(request);
      if (earlier) {
        throw new PluginError(
          `TenantRequest ${name} was already ${earlier.approved ? "approved" : "denied"} by ${earlier.decidedBy ?? "(unknown)"} at ${earlier.at}; a decision is final: the department files a new request instead`,
        );
      }
      if (verdict === "approve" && !findCondition(request, "Fits")) {
        ctx.err(`warning: yunshu has not said yet whether TenantRequest ${name} fits; approving without its verdict\n`);
      }
      const me = await whoami(client);
      const decided = await decide(client, request, verdict, me.username, reason, ctx);
      if (flags.output !== "table") return ctx.out(formatObject(decided, flags.output));
      ctx.out(
        verdict === "approve"
          ? `TenantRequest ${name} approved by ${me.username}. yunshu now applies it to tenant ${request.spec.tenant}; follow it with \`${ctx.prog} show ${name}\`.\n`
          : `TenantRequest ${name} denied by ${me.username}. The department sees your reason in \`${ctx.prog} show ${name}\`.\n`,
      );
    },
  };
}

export const approve = decideCommand("approve");
export const deny = decideCommand("deny");
