// `request`: a department files a TenantRequest in its own name.
import type { TenantRequest } from "../../api/generated.ts";
import { TENANT_REQUESTS } from "../../api/resources.ts";
import type { Command } from "../command.ts";
import { rethrow } from "../errors.ts";
import { GLOBAL_FLAGS_HELP, GLOBAL_OPTIONS, globalFlags, parse } from "../flags.ts";
import { formatObject } from "../output.ts";
import { draftFromFlags, LEVELS, tenantRequestFor } from "../request-object.ts";
import { connect, whoami } from "../session.ts";

const OPTIONS = {
  ...GLOBAL_OPTIONS,
  tenant: { type: "string" },
  reason: { type: "string" },
  create: { type: "boolean" },
  "display-name": { type: "string" },
  level: { type: "string" },
  parent: { type: "string" },
  code: { type: "string" },
  owner: { type: "string", multiple: true },
  namespace: { type: "string", multiple: true },
  cluster: { type: "string", multiple: true },
  region: { type: "string", multiple: true },
  tier: { type: "string", multiple: true },
  quota: { type: "string", multiple: true },
  "add-namespace": { type: "string", multiple: true },
  "remove-namespace": { type: "string", multiple: true },
  "security-level": { type: "string" },
  offboard: { type: "boolean" },
} as const;

const help = (prog: string) => `Ask the platform team for a new tenant, a quota change, namespaces to add or remove,
another MLPS (等保) level, or the tenant's end (offboarding).

The request is filed in your name (as the API server knows you: \`kubectl auth whoami\`).
yunshu says whether it fits the parent tenant's quota and the cloud's capacity; a platform
admin approves or denies it; yunshu then applies it. A request never changes once filed.

Usage:
  ${prog} request --tenant NAME --reason TEXT ACTION [flags]

Actions (exactly one):
  --create                    a new tenant; needs --display-name and --level, and may take
                              --parent, --code, --owner, --namespace, --quota and --security-level
  --quota RESOURCE=QUANTITY   change the tenant-wide quota of an existing tenant (repeatable;
                              resources not named keep their limits)
  --add-namespace NAME        add a namespace NAME, one word (it becomes <tenant>-NAME; repeatable)
  --remove-namespace NAME     remove a namespace (the tenant's deletionPolicy decides whether it
                              is kept or deleted; repeatable)
  --security-level N          move an existing tenant to MLPS level N (2, 3 or 4): its namespaces
                              follow SecurityProfile mlps-N once approved. A lower level is
                              flagged to the platform team, which approves it only with the
                              system's re-classification (定级备案) on record
  --offboard                  end the tenant: once approved it is suspended at once (you keep
                              reading, to export your data); when the grace period ends (30 days
                              unless the platform says otherwise) every namespace of it on every
                              cluster is deleted with its volumes, and an OffboardingRecord says so

Flags:
  --tenant NAME               the tenant to create or change (lower-case letters, digits, '-';
                              not default, kube, yunshu, kube-* or yunshu-*)
  --reason TEXT               why you ask, in your own words, for the platform team and the audit trail
  --display-name TEXT         the department's name as people know it, e.g. 长沙市数据局
  --level LEVEL               ${LEVELS.join(" | ")}
  --parent NAME               the tenant whose quota this one is carved from (none: a top-level tenant)
  --code CODE                 the 18-character unified social credit code
  --owner KIND:NAME           who administers the tenant: User:NAME, Group:NAME or
                              ServiceAccount:NAMESPACE:NAME, never a system: user or group
                              (repeatable; default: you)
  --namespace NAME            a namespace of the new tenant: one word of lower-case letters and
                              digits, not system (repeatable)
  --cluster NAME, --region NAME, --tier TIER
                              where the new tenant runs (repeatable; default: the hub); its quota is
                              split evenly over the clusters these select (kubectl get clusters.yunshu.io)
  --quota RESOURCE=QUANTITY   with --create: the new tenant's quota (repeatable), e.g.
                              requests.cpu=8, requests.memory=16Gi, pods=100
  --security-level N          with --create: the new tenant's MLPS level (2, 3 or 4; default 3)

${GLOBAL_FLAGS_HELP}
Examples:
  # A new county bureau under its city, with two namespaces and a quota
  ${prog} request --tenant yuelu-data --create --display-name 岳麓区数据局 --level county \\
      --parent changsha-data --owner Group:yuelu-data-ops --namespace prod --namespace test \\
      --quota requests.cpu=8 --quota requests.memory=16Gi --reason "政务服务系统上云"

  # More CPU for an existing tenant
  ${prog} request --tenant yuelu-data --quota requests.cpu=16 --reason "年底业务高峰"

  # Another namespace
  ${prog} request --tenant yuelu-data --add-namespace staging --reason "预发布环境"

  # The service ends: export during the grace period, then everything is deleted
  ${prog} request --tenant yuelu-data --offboard --reason "购买服务合同于 2026-12-31 终止"

  # A lower MLPS level, once the system has been re-classified
  ${prog} request --tenant yuelu-data --security-level 2 --reason "系统已重新定级为第二级并备案"
`;

export const request: Command = {
  name: "request",
  summary: "file a TenantRequest: a new tenant, a quota change, namespaces to add or remove, another MLPS level, offboarding",
  audience: "department",
  help,
  async run(args, ctx) {
    const { values } = parse(ctx, { args, options: OPTIONS, allowPositionals: false });
    if (values.help) return ctx.out(help(ctx.prog));
    const flags = globalFlags(ctx, values);
    const draft = draftFromFlags({
      tenant: values.tenant,
      reason: values.reason,
      create: values.create,
      displayName: values["display-name"],
      level: values.level,
      parent: values.parent,
      code: values.code,
      owner: values.owner,
      namespace: values.namespace,
      cluster: values.cluster,
      region: values.region,
      tier: values.tier,
      quota: values.quota,
      addNamespace: values["add-namespace"],
      removeNamespace: values["remove-namespace"],
      securityLevel: values["security-level"],
      offboard: values.offboard,
    });
    const client = connect(ctx.session, flags);
    const me = await whoami(client);
    const created = await client.create<TenantRequest>(TENANT_REQUESTS, tenantRequestFor(draft, me)).catch((err: unknown) =>
      rethrow(err, {
        forbidden: "filing requests needs the ClusterRole yunshu-department; ask your platform team for it",
        notFound: "this cluster has no TenantRequest API; yunshu is not installed here (check --context)",
      }),
    );
    if (flags.output !== "table") return ctx.out(formatObject(created, flags.output));
    const name = created.metadata.name;
    ctx.out(
      `TenantRequest ${name} filed as ${me.username}: ${draft.action} for tenant ${draft.tenant}.\n` +
        `A platform admin will approve or deny it. Follow it with:\n` +
        `  ${ctx.prog} show ${name}\n` +
        `  kubectl get tenantrequest ${name}\n`,
    );
  },
};
