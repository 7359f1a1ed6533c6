// The battery's one source of randomness and its size, from the
// environment, printed first so that any failure can be run again exactly:
// YUNSHU_FAULT_SEED=N reproduces every random choice (what is killed when,
// which specs are generated), YUNSHU_FAULT_SIZE=full runs it at the size the
// issue asks for, ci (the default) at the size `make test` can afford.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Random } from "../audit/prng.ts";
import type { ControlPlane } from "../../tools/controlplane/controlplane.ts";

export type FaultSize = "ci" | "full";

/** Fixed, so that two runs of `make test` do the same thing unless asked otherwise. */
export const DEFAULT_SEED = 20_251_120;

export interface FaultRun {
  seed: number;
  size: FaultSize;
  /** A stream of its own per test file, so that adding a draw in one file does not change another's. */
  random(stream: string): Random;
}

export function faultRun(file: string): FaultRun {
  const raw = process.env.YUNSHU_FAULT_SEED;
  const seed = raw === undefined || raw === "" ? DEFAULT_SEED : Number(raw);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`YUNSHU_FAULT_SEED must be a whole number >= 0, not ${JSON.stringify(raw)}`);
  const sizeRaw = process.env.YUNSHU_FAULT_SIZE ?? "ci";
  if (sizeRaw !== "ci" && sizeRaw !== "full") throw new Error(`YUNSHU_FAULT_SIZE must be ci or full, not ${JSON.stringify(sizeRaw)}`);
  const size: FaultSize = sizeRaw;
  say(`fault battery seed=${seed} size=${size} (re-run: YUNSHU_FAULT_SEED=${seed} YUNSHU_FAULT_SIZE=${size} npx vitest run --project integration ${file})`);
  return { seed, size, random: (stream) => new Random(seed ^ hash(stream)) };
}

/** The battery's own lines, apart from vitest's, on stderr so that they are seen even when a test fails. */
export function say(line: string): void {
  process.stderr.write(`[faults] ${line}\n`);
}

function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return h >>> 0;
}

/** Copies a plane's logs (its components' and the operator's) out of its directory, which stop() removes: a failure's evidence. */
export function keepLogs(plane: ControlPlane, label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `yunshu-faults-${label}-`));
  cpSync(join(plane.dir, "logs"), dir, { recursive: true });
  return dir;
}
