// What a stack that takes long is waiting for, from the engine's events: the
// resource steps under way, oldest first, with the provider's latest word on
// each. Pulumi's own non-interactive output says nothing while a step waits
// (an operator that no node will ever run), so the driver prints this line
// every PROGRESS_INTERVAL_MS instead. The stack and components are under way
// as long as anything in them is; only what they wait for is named.
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { formatAge } from "../operator/plugin/format.ts";

export const PROGRESS_INTERVAL_MS = 30_000;
/** Steps named in one line; the rest are counted. */
const SHOWN = 3;

const VERBS: Record<string, string> = { create: "creating", update: "updating", delete: "deleting", replace: "replacing", read: "reading", refresh: "refreshing", same: "checking" };

const STACK = "pulumi:pulumi:Stack";

/** A URN's type with its parents' types, e.g. yunshu:infra:ClusterBootstrap$kubernetes:helm.sh/v4:Chart. */
const qualifiedType = (step: Step) => step.urn.split("::")[2] ?? step.type;

interface Step {
  op: string;
  type: string;
  urn: string;
  sinceMs: number;
  /** The provider's latest message about it, e.g. "[1/2] Waiting for app ReplicaSet to be available". */
  status?: string;
}

export class StackProgress {
  private readonly steps = new Map<string, Step>();
  private finished = 0;

  observe(event: EngineEvent): void {
    const started = event.resourcePreEvent?.metadata;
    const ended = event.resOutputsEvent?.metadata ?? event.resOpFailedEvent?.metadata;
    const diagnostic = event.diagnosticEvent;
    if (started) this.steps.set(started.urn, { op: started.op, type: started.type, urn: started.urn, sinceMs: event.timestamp * 1000 });
    if (ended && this.steps.delete(ended.urn)) this.finished++;
    const step = diagnostic?.urn ? this.steps.get(diagnostic.urn) : undefined;
    const message = diagnostic?.message.trim();
    if (step && message) step.status = message.split("\n")[0];
  }

  /** One line: the stack, how long it has run, and what it is waiting for. */
  describe(stack: string, startedMs: number, nowMs: number): string {
    const age = (ms: number) => formatAge(new Date(ms).toISOString(), new Date(nowMs));
    const head = `still waiting for ${stack} after ${age(startedMs)}`;
    const all = [...this.steps.values()];
    const steps = all.filter((s) => s.type !== STACK && !all.some((other) => qualifiedType(other).startsWith(`${qualifiedType(s)}$`))).sort((a, b) => a.sinceMs - b.sinceMs);
    if (steps.length === 0) return `${head}: no resource under way${this.finished > 0 ? `, ${this.finished} done` : " yet"}`;
    const shown = steps.slice(0, SHOWN).map((s) => {
      const name = s.urn.slice(s.urn.lastIndexOf("::") + 2);
      return `${VERBS[s.op] ?? s.op} ${s.type} ${name} for ${age(s.sinceMs)}${s.status ? ` (${s.status})` : ""}`;
    });
    const more = steps.length > SHOWN ? `; and ${steps.length - SHOWN} more` : "";
    return `${head}: ${shown.join("; ")}${more}`;
  }
}
