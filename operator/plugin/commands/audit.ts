// `audit`: the isolation audit, on demand. Reads every tenant namespace of
// the hub (the kubeconfig's context) and of each member named with
// --member, and reports each one's reachability and access and every
// violation (operator/audit/judge.ts). The operator runs the same audit
// periodically and exports the count as a metric.
import type { Share } from "../../api/generated.ts";
import { SHARES, TENANTS } from "../../api/resources.ts";
import { auditFleet, type AuditedCluster } from "../../audit/fleet-audit.ts";
import { KubeClient } from "../../runtime/kube-client.ts";
import { loadKubeConfig } from "../../runtime/kubeconfig.ts";
import { DEFAULT_PLATFORM } from "../../tenant/platform.ts";
import type { Tenant } from "../../tenant/types.ts";
import { auditTable } from "../audit-view.ts";
import type { Command } from "../command.ts";
import { PluginError, rethrow, UsageError } from "../errors.ts";
import { GLOBAL_FLAGS_HELP, GLOBAL_OPTIONS, globalFlags, parse } from "../flags.ts";
import { connect, FIELD_MANAGER } from "../session.ts";
import { stringify } from "yaml";

const OPTIONS = {
  ...GLOBAL_OPTIONS,
  member: { type: "string", multiple: true },
  "hub-name": { type: "string", default: "hub" },
  "monitoring-namespace": { type: "string" },
} as const;

const help = (prog: string) => `Audit tenant isolation: for every tenant namespace on every cluster, who can reach its
pods and whom its pods reach (all network policies: yunshu's, Shares', the department's
own), who can read or write in it (RoleBindings and ClusterRoleBindings, groups included),
and every violation:
  CrossTenantPath        a pod of one tenant reaches another tenant's (or a namespace no
                         tenant or the platform owns) and no active Share covers it
  OutsideSubject         someone outside the tenant and the platform can read or write there
  ReleasedNamespaceOpen  a released namespace is still reachable or accessible
  MissingDefaultDeny     a tenant namespace lacks its default-deny policy
The platform is Kubernetes' own identities, the yunshu operator and whoever is bound to
yunshu-platform-admin. The exit code is 1 when there is a violation.

Usage:
  ${prog} audit [--member NAME=CONTEXT ...] [flags]

Flags:
  --member NAME=CONTEXT     also audit member cluster NAME through kubeconfig context CONTEXT (repeatable)
  --hub-name NAME           the hub's name in the report (default hub)
  --monitoring-namespace NS the platform's monitoring namespace (default ${DEFAULT_PLATFORM.monitoringNamespace})

${GLOBAL_FLAGS_HELP}
Examples:
  ${prog} audit
  ${prog} audit --member changsha=changsha-admin --member yueyang=yueyang-admin
  ${prog} audit -o json > audit-$(date +%F).json      # evidence for the MLPS evaluation
`;

const FORBIDDEN = "the audit reads every namespace, pod, policy and binding: it is for the platform team (cluster-wide read)";

function members(values: readonly string[] | undefined, kubeconfig: string | undefined): AuditedCluster[] {
  return (values ?? []).map((entry) => {
    const [name, context] = entry.split("=");
    if (!name || !context) throw new UsageError(`--member takes NAME=CONTEXT, not ${JSON.stringify(entry)}`);
    return { name, client: new KubeClient(loadKubeConfig(kubeconfig, context), { userAgent: FIELD_MANAGER }) };
  });
}

export const audit: Command = {
  name: "audit",
  summary: "audit tenant isolation on every cluster: reachability, access, and every violation",
  audience: "platform",
  help,
  async run(args, ctx) {
    const { values } = parse(ctx, { args, options: OPTIONS, allowPositionals: false });
    if (values.help) return ctx.out(help(ctx.prog));
    const flags = globalFlags(ctx, values);
    const hub = connect(ctx.session, flags);
    const clusters = [{ name: values["hub-name"], client: hub }, ...members(values.member, flags.kubeconfig)];
    const [tenants, shares] = await Promise.all([hub.list<Tenant>(TENANTS), hub.list<Share>(SHARES)]).catch((err: unknown) => rethrow(err, { forbidden: FORBIDDEN }));
    const platform = { ...DEFAULT_PLATFORM, monitoringNamespace: values["monitoring-namespace"] ?? DEFAULT_PLATFORM.monitoringNamespace };
    const audits = await auditFleet(clusters, tenants.items, shares.items, platform).catch((err: unknown) => rethrow(err, { forbidden: FORBIDDEN }));
    if (flags.output === "json") ctx.out(JSON.stringify(audits, null, 2) + "\n");
    else if (flags.output === "yaml") ctx.out(stringify(audits));
    else ctx.out(auditTable(audits));
    const total = audits.reduce((n, a) => n + a.violations.length, 0);
    if (total > 0) throw new PluginError(`${total} isolation violation(s) found`);
  },
};
