// `share offer|accept|revoke|approve`: consent to a Share, each act in the
// actor's own name (the API server's admission checks it), and `shares`:
// the Shares, with who did what and when.
import type { Share, ShareAction } from "../../api/generated.ts";
import { SHARE_ACTIONS, SHARES } from "../../api/resources.ts";
import type { Command, Context } from "../command.ts";
import { rethrow, UsageError } from "../errors.ts";
import { GLOBAL_FLAGS_HELP, GLOBAL_OPTIONS, globalFlags, parse } from "../flags.ts";
import { asList, formatObject } from "../output.ts";
import { sharesTable, shareDetail } from "../share-view.ts";
import { connect, FIELD_MANAGER, whoami } from "../session.ts";
import { readThroughYunshu, VIEW_FLAGS_HELP, VIEW_OPTIONS, yunshuView } from "../yunshu-view.ts";

const OPTIONS = {
  ...GLOBAL_OPTIONS,
  name: { type: "string" },
  provider: { type: "string" },
  namespace: { type: "string" },
  selector: { type: "string" },
  port: { type: "string", multiple: true },
  consumer: { type: "string" },
  "consumer-namespace": { type: "string", multiple: true },
  "consumer-selector": { type: "string" },
  purpose: { type: "string" },
  reason: { type: "string" },
} as const;

const help = (prog: string) => `Share a service with another department (政务数据共享), with both sides' consent.

The provider's owner offers: which pods of which namespace, on which ports, to which tenant
and why. Nothing opens until an owner of the consumer accepts; if either tenant is at MLPS
level 4 a platform admin must approve too. yunshu then opens exactly that (ingress at the
provider, egress at the consumer) on every cluster where both have the namespaces. Either
side revokes at any time; the policies go within seconds. Every act is in your own name.

Usage:
  ${prog} share offer --provider TENANT --namespace NS --selector K=V[,K=V] --port [PROTO/]PORT[-END] \\
      --consumer TENANT [--consumer-namespace NS] [--consumer-selector K=V] --purpose TEXT [--name NAME]
  ${prog} share accept SHARE [--reason TEXT]
  ${prog} share revoke SHARE [--reason TEXT]
  ${prog} share approve SHARE --reason TEXT        (platform admins, level 4)

Flags:
  --provider, --namespace   the offering tenant and its namespace (short name: prod)
  --selector K=V,...        the pods offered (default: every pod of the namespace)
  --port [PROTO/]PORT[-END] a port or range offered, TCP unless PROTO is UDP or SCTP (repeatable)
  --consumer TENANT         the tenant offered the service
  --consumer-namespace NS   only these of its namespaces may call (repeatable; default all)
  --consumer-selector K=V   only these of its pods may call (default all)
  --purpose TEXT            why, and on what basis (the sharing catalogue entry)
  --name NAME               the Share's name (default <provider>-to-<consumer>-<random>)
  --reason TEXT             why you accept, revoke or approve

${GLOBAL_FLAGS_HELP}
Examples:
  ${prog} share offer --provider hunan-health --namespace prod --selector app=record-api \\
      --port 8443 --consumer hunan-bigdata --purpose "政务数据共享目录 HN-0042：电子健康档案查询"
  ${prog} share accept hunan-health-to-hunan-bigdata-x7k2q --reason "大数据局已完成对接评审"
  ${prog} share revoke hunan-health-to-hunan-bigdata-x7k2q --reason "共享协议到期"
`;

function selector(text: string | undefined): Share["spec"]["provider"]["podSelector"] {
  if (!text) return {};
  const matchLabels: Record<string, string> = {};
  for (const pair of text.split(",")) {
    const [k, v, ...rest] = pair.split("=");
    if (!k || v === undefined || rest.length > 0) throw new UsageError(`a selector is KEY=VALUE[,KEY=VALUE], not ${JSON.stringify(text)}`);
    matchLabels[k.trim()] = v.trim();
  }
  return { matchLabels };
}

export function parsePort(text: string): Share["spec"]["provider"]["ports"][number] {
  const match = /^(?:(TCP|UDP|SCTP)\/)?(\d+)(?:-(\d+))?$/i.exec(text);
  if (!match) throw new UsageError(`--port is [PROTO/]PORT[-END], e.g. 8443, UDP/53 or 9000-9010, not ${JSON.stringify(text)}`);
  const port = Number(match[2]);
  const end = match[3] === undefined ? undefined : Number(match[3]);
  if (port < 1 || port > 65535 || (end !== undefined && (end < port || end > 65535))) throw new UsageError(`--port ${text}: ports are 1-65535, a range low-high`);
  return { protocol: (match[1]?.toUpperCase() ?? "TCP") as "TCP" | "UDP" | "SCTP", port, ...(end !== undefined && end !== port ? { endPort: end } : {}) };
}

const required = (value: string | undefined, flag: string): string => {
  if (!value) throw new UsageError(`share offer needs ${flag}`);
  return value;
};

/** The flags, a client and who the API server says we are: every act is made in that name. */
async function signIn(values: Record<string, unknown>, ctx: Context) {
  const flags = globalFlags(ctx, values as never);
  const client = connect(ctx.session, flags);
  return { flags, client, me: await whoami(client) };
}

async function offer(values: Record<string, unknown>, ctx: Context): Promise<void> {
  const v = values as { provider?: string; namespace?: string; selector?: string; port?: string[]; consumer?: string; "consumer-namespace"?: string[]; "consumer-selector"?: string; purpose?: string; name?: string };
  const provider = required(v.provider, "--provider");
  const consumer = required(v.consumer, "--consumer");
  if (!v.port?.length) throw new UsageError("share offer needs --port (a share opens a service, never every port)");
  const { flags, client, me } = await signIn(values, ctx);
  const share: Share = {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Share",
    // An empty name lets the API server generate one from generateName.
    metadata: v.name ? { name: v.name } : { name: "", generateName: `${provider}-to-${consumer}-` },
    spec: {
      provider: { tenant: provider, namespace: required(v.namespace, "--namespace"), podSelector: selector(v.selector), ports: v.port.map(parsePort) },
      consumer: { tenant: consumer, ...(v["consumer-namespace"]?.length ? { namespaces: v["consumer-namespace"] } : {}), ...(v["consumer-selector"] ? { podSelector: selector(v["consumer-selector"]) } : {}) },
      offeredBy: { username: me.username, groups: me.groups },
      purpose: required(v.purpose, "--purpose"),
    },
  };
  const created = await client.create<Share>(SHARES, share as never, FIELD_MANAGER).catch((err: unknown) => rethrow(err, { forbidden: "offering a share needs the ClusterRole yunshu-department" }));
  if (flags.output !== "table") return ctx.out(formatObject(created, flags.output));
  ctx.out(`Share ${created.metadata.name} offered as ${me.username}. An owner of ${consumer} accepts it with:\n  ${ctx.prog} share accept ${created.metadata.name}\n`);
}

async function act(action: "Accept" | "Revoke", shareName: string, reason: string | undefined, values: Record<string, unknown>, ctx: Context): Promise<void> {
  const { flags, client, me } = await signIn(values, ctx);
  const body: ShareAction = {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "ShareAction",
    metadata: { name: "", generateName: `${shareName.slice(0, 200)}-${action.toLowerCase()}-` },
    spec: { share: shareName, action, actor: { username: me.username, groups: me.groups }, ...(reason ? { reason } : {}) },
  };
  const created = await client.create<ShareAction>(SHARE_ACTIONS, body as never, FIELD_MANAGER).catch((err: unknown) => rethrow(err, { forbidden: "acting on a share needs the ClusterRole yunshu-department" }));
  if (flags.output !== "table") return ctx.out(formatObject(created, flags.output));
  ctx.out(`${action === "Accept" ? "Accepted" : "Revoked"} share ${shareName} as ${me.username} (ShareAction ${created.metadata.name}); yunshu applies it if you own ${action === "Accept" ? "the consumer" : "either side"}.\n`);
}

async function approve(shareName: string, reason: string | undefined, values: Record<string, unknown>, ctx: Context): Promise<void> {
  if (!reason?.trim()) throw new UsageError("share approve needs --reason");
  const { flags, client, me } = await signIn(values, ctx);
  const approved = await client
    .mergePatch<Share>(SHARES, shareName, { spec: { platformApproval: { approvedBy: me.username, reason } } })
    .catch((err: unknown) => rethrow(err, { forbidden: "approving shares is for the platform team (ClusterRole yunshu-platform-admin)" }));
  if (flags.output !== "table") return ctx.out(formatObject(approved, flags.output));
  ctx.out(`Approved share ${shareName} as ${me.username}.\n`);
}

export const share: Command = {
  name: "share",
  summary: "offer a service to another department, accept or revoke a share (approve: platform, level 4)",
  audience: "department",
  help,
  async run(args, ctx) {
    const { values, positionals } = parse(ctx, { args, options: OPTIONS, allowPositionals: true });
    if (values.help) return ctx.out(help(ctx.prog));
    const [verb, name, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(" ")}`);
    if (verb === "offer") {
      if (name) throw new UsageError("share offer takes flags only (--name to choose the Share's name)");
      return offer(values, ctx);
    }
    if (verb !== "accept" && verb !== "revoke" && verb !== "approve") throw new UsageError("say offer, accept, revoke or approve (see --help)");
    if (!name) throw new UsageError(`share ${verb} needs the Share's name`);
    if (verb === "approve") return approve(name, values.reason, values, ctx);
    return act(verb === "accept" ? "Accept" : "Revoke", name, values.reason, values, ctx);
  },
};

const listHelp = (prog: string) => `List Shares: who offers what to whom, its phase, where it is open, and who offered,
accepted, approved or revoked it and when. One SHARE shows its whole history.

The platform team reads every Share from the API server. A department cannot (who shares
what with whom is the two departments' business): with --yunshu-url it reads through yunshu,
which shows it the Shares its tenants are a side of, and nothing else.

Usage:
  ${prog} shares [SHARE] [flags]

Flags:
${VIEW_FLAGS_HELP}
${GLOBAL_FLAGS_HELP}
Examples:
  ${prog} shares                                          # the platform team: every Share
  ${prog} shares hunan-health-to-hunan-bigdata-x7k2q     # one, with its history
  ${prog} shares --yunshu-url https://yunshu.example.gov.cn:8443   # a department's own
`;

export const shares: Command = {
  name: "shares",
  summary: "the Shares, with who offered, accepted, approved or revoked each and when",
  audience: "department",
  help: listHelp,
  async run(args, ctx) {
    const { values, positionals } = parse(ctx, { args, options: { ...GLOBAL_OPTIONS, ...VIEW_OPTIONS }, allowPositionals: true });
    if (values.help) return ctx.out(listHelp(ctx.prog));
    if (positionals.length > 1) throw new UsageError("name one share, or none to list them");
    const flags = globalFlags(ctx, values);
    const view = yunshuView(values);
    const forbidden = "listing every share is for the platform team; a department reads its own through yunshu: --yunshu-url";
    const { items } = view
      ? await readThroughYunshu<{ items: Share[] }>(view, flags, "/shares")
      : await connect(ctx.session, flags)
          .list<Share>(SHARES)
          .catch((err: unknown) => rethrow(err, { forbidden }));
    const name = positionals[0];
    if (name) {
      const one = items.find((s) => s.metadata.name === name);
      if (!one) throw new UsageError(`no Share ${name} among those you may see`);
      return ctx.out(flags.output === "table" ? shareDetail(one) : formatObject(one, flags.output));
    }
    if (flags.output !== "table") return ctx.out(formatObject(asList(items), flags.output));
    if (items.length === 0) return ctx.err("No Shares.\n");
    ctx.out(sharesTable(items, ctx.now()));
  },
};
