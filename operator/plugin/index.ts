// The self-service CLI: `kubectl yunshu …` (bin/kubectl-yunshu, found by
// kubectl on PATH) and the same commands as `yunshu …`. Picks the command,
// runs it, and turns any failure into one line and an exit code.
import type { Command, Context } from "./command.ts";
import { approve, deny } from "./commands/decide.ts";
import { request } from "./commands/request.ts";
import { requests } from "./commands/requests.ts";
import { show } from "./commands/show.ts";
import { tree } from "./commands/tree.ts";
import { offboardings } from "./commands/offboardings.ts";
import { usage } from "./commands/usage.ts";
import { share, shares } from "./commands/share.ts";
import { audit } from "./commands/audit.ts";
import { mine } from "./commands/mine.ts";
import { bill } from "./commands/bill.ts";
import { explain, UsageError } from "./errors.ts";
import { GLOBAL_FLAGS_HELP } from "./flags.ts";

const COMMANDS: readonly Command[] = [mine, request, show, requests, approve, deny, tree, usage, offboardings, share, shares, audit, bill];
const NAME_WIDTH = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;

/** The commands `yunshu` hands over to this CLI. */
export const PLUGIN_COMMANDS: readonly string[] = COMMANDS.map((c) => c.name);

function list(audience: Command["audience"]): string {
  return COMMANDS.filter((c) => c.audience === audience)
    .map((c) => `  ${c.name.padEnd(NAME_WIDTH)}${c.summary}`)
    .join("\n");
}

export function topHelp(prog: string): string {
  return `${prog} — self-service for yunshu tenants: ask for a tenant, more quota or namespaces;
decide requests; see the tenant hierarchy and how much of its quota each tenant uses.

For departments:
${list("department")}

For the platform team:
${list("platform")}

${GLOBAL_FLAGS_HELP}
How a request goes:
  # A department files it; the name to follow is printed.
  ${prog} request --tenant yuelu-data --create --display-name 岳麓区数据局 --level county \\
      --parent changsha-data --namespace prod --quota requests.cpu=8 --reason "政务服务系统上云"
  # The platform team sees it, and whether it fits.
  ${prog} requests
  # A platform admin other than the requester decides it.
  ${prog} approve NAME --reason "同意"
  # Anyone with the name follows it: the decision, then whether yunshu applied it.
  ${prog} show NAME
  # The new tenant in its place.
  ${prog} tree

Run \`${prog} COMMAND --help\` for a command's flags and examples.
`;
}

/** Global flags that take a value, so that the command name can be found after them. */
const VALUE_FLAGS = new Set(["--kubeconfig", "--context", "-o", "--output"]);

function splitCommand(argv: readonly string[]): { name: string | undefined; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") break;
    if (VALUE_FLAGS.has(arg)) i++;
    else if (!arg.startsWith("-")) return { name: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { name: undefined, rest: [...argv] };
}

const defaultIo = {
  out: (text: string) => void process.stdout.write(text),
  err: (text: string) => void process.stderr.write(text),
  now: () => new Date(),
};

/** Runs one command line and returns the exit code: 0, 1 when the command failed, 2 when the command line is wrong. */
export async function main(argv: readonly string[], prog = "kubectl yunshu", io: Pick<Context, "out" | "err" | "now"> = defaultIo): Promise<number> {
  const { name, rest } = splitCommand(argv);
  const ctx: Context = { ...io, prog, command: name ?? "", session: { server: undefined } };
  try {
    if (name === undefined || name === "help") {
      const topic = name === "help" ? COMMANDS.find((c) => c.name === splitCommand(rest).name) : undefined;
      io.out(topic ? topic.help(prog) : topHelp(prog));
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}; the commands are ${PLUGIN_COMMANDS.join(", ")} (see \`${prog} --help\`)`);
    await command.run(rest, ctx);
    return 0;
  } catch (err) {
    io.err(`error: ${explain(err, ctx.session.server)}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}
