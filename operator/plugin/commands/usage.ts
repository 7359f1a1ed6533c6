// `usage TENANT`: one tenant's quota in detail, and each namespace's share.
import type { ResourceQuota } from "../../api/core-types.ts";
import type { Tenant } from "../../api/generated.ts";
import { ApiError, type KubeClient } from "../../runtime/kube-client.ts";
import { RESOURCE_QUOTAS, TENANTS } from "../../api/resources.ts";
import { RESOURCE_QUOTA_NAME } from "../../tenant/resource-quota.ts";
import type { Command } from "../command.ts";
import { PluginError, rethrow } from "../errors.ts";
import { GLOBAL_FLAGS_HELP, GLOBAL_OPTIONS, globalFlags, onePositional, parse } from "../flags.ts";
import { asList, formatObject } from "../output.ts";
import { renderUsage, type NamespaceQuota } from "../usage-view.ts";
import { connect } from "../session.ts";

const help = (prog: string) => `Show one tenant's quota, resource by resource:
  HARD      the tenant-wide limit yunshu enforces
  CHILDREN  what its child tenants hold of it
  OWN       what is left for its own namespaces (HARD − CHILDREN)
  USED      what its own namespaces use
  USED%     USED as a share of OWN
then each of its namespaces with its share (the ResourceQuota ${RESOURCE_QUOTA_NAME}) and usage.

Usage:
  ${prog} usage TENANT [flags]

${GLOBAL_FLAGS_HELP}
Examples:
  ${prog} usage changsha-data
  ${prog} usage changsha-data -o yaml   # the Tenant and its ResourceQuotas
  ${prog} tree                          # every tenant's name
`;

async function namespaceQuota(client: KubeClient, ns: NonNullable<NonNullable<Tenant["status"]>["namespaces"]>[number]): Promise<NamespaceQuota> {
  const base = { name: ns.name, state: ns.state };
  // A namespace in Conflict belongs to someone else: its quota is not this tenant's.
  if (ns.state === "Conflict") return { ...base, problem: "not this tenant's namespace" };
  try {
    const quota = await client.get<ResourceQuota>(RESOURCE_QUOTAS, RESOURCE_QUOTA_NAME, ns.name);
    return quota ? { ...base, quota } : { ...base, problem: "no quota yet" };
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return { ...base, problem: "cannot read its quota: forbidden" };
    throw err;
  }
}

export const usage: Command = {
  name: "usage",
  summary: "one tenant's quota by resource (hard, children, own, used) and each namespace's share",
  audience: "platform",
  help,
  async run(args, ctx) {
    const { values, positionals } = parse(ctx, { args, options: GLOBAL_OPTIONS, allowPositionals: true });
    if (values.help) return ctx.out(help(ctx.prog));
    const flags = globalFlags(ctx, values);
    const name = onePositional(ctx, positionals, "tenant's name");
    const client = connect(ctx.session, flags);
    const tenant = await client
      .get<Tenant>(TENANTS, name)
      .catch((err: unknown) => rethrow(err, { forbidden: "reading tenants is for the platform team (ClusterRole yunshu-platform-admin)" }));
    if (!tenant) throw new PluginError(`tenant ${name} not found (${ctx.prog} tree lists them)`);
    const namespaces = await Promise.all((tenant.status?.namespaces ?? []).map((ns) => namespaceQuota(client, ns)));
    if (flags.output !== "table") {
      const quotas = namespaces.flatMap((ns) => (ns.quota ? [ns.quota] : []));
      return ctx.out(formatObject(asList([tenant, ...quotas]), flags.output));
    }
    ctx.out(renderUsage(tenant, namespaces));
  },
};
