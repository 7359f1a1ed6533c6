// What every command gets and gives: how it was invoked, where to write, the
// clock, and the session that remembers which API server it talked to.
import type { Invocation } from "./flags.ts";
import type { Session } from "./session.ts";

export interface Context extends Invocation {
  session: Session;
  out(text: string): void;
  err(text: string): void;
  now(): Date;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Who the command is for, to group the command list. */
  audience: "department" | "platform";
  help(prog: string): string;
  run(args: string[], ctx: Context): Promise<void>;
}
