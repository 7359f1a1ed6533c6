// Command-line parsing shared by every command: the global flags, and
// node:util's parse errors turned into one-line usage errors that point at
// the command's --help.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.ts";

/** Accepted by every command, before or after its name. */
export const GLOBAL_OPTIONS = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  output: { type: "string", short: "o" },
  help: { type: "boolean", short: "h" },
} as const;

export const GLOBAL_FLAGS_HELP = `Global flags:
  --kubeconfig PATH    kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)
  --context NAME       kubeconfig context to use (default: its current context)
  -o, --output FORMAT  table (default), json or yaml: json and yaml print the API objects
  -h, --help           help for the command
`;

export type OutputFormat = "table" | "json" | "yaml";

export interface GlobalFlags {
  kubeconfig: string | undefined;
  context: string | undefined;
  output: OutputFormat;
}

/** The program as the user typed it, for help text and hints: `kubectl yunshu` or `yunshu`. */
export interface Invocation {
  prog: string;
  command: string;
}

export function hint(inv: Invocation): string {
  return `see \`${inv.prog} ${inv.command} --help\``;
}

/** parseArgs, with its errors rephrased for people. */
export function parse<T extends ParseArgsConfig>(inv: Invocation, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const quoted = /'([^']+)'/.exec(e.message ?? "")?.[1] ?? "";
    switch (e.code) {
      case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
        throw new UsageError(`unknown flag ${quoted} for ${inv.command}; ${hint(inv)}`);
      case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
        throw new UsageError(`${quoted.replace(/ <value>$/, "")} needs a value; ${hint(inv)}`);
      case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
        throw new UsageError(`unexpected argument ${JSON.stringify(quoted)} for ${inv.command}; ${hint(inv)}`);
      default:
        throw err;
    }
  }
}

export function globalFlags(inv: Invocation, values: { kubeconfig?: string; context?: string; output?: string }): GlobalFlags {
  const output = values.output ?? "table";
  if (output !== "table" && output !== "json" && output !== "yaml") {
    throw new UsageError(`-o must be table, json or yaml, not ${JSON.stringify(output)}; ${hint(inv)}`);
  }
  return { kubeconfig: values.kubeconfig, context: values.context, output };
}

/** The one positional argument a command takes, such as the request's name. */
export function onePositional(inv: Invocation, positionals: string[], what: string): string {
  if (positionals.length === 0) throw new UsageError(`${inv.command} needs the ${what}; ${hint(inv)}`);
  if (positionals.length > 1) throw new UsageError(`${inv.command} takes one ${what}, not ${positionals.length} (${positionals.join(", ")}); ${hint(inv)}`);
  return positionals[0]!;
}
