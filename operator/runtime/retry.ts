// Trying an idempotent call again when its failure says "not now" (a refused
// or broken connection, a timeout, 429 or 5xx), with exponential back-off and
// a bound on attempts and time. Opt-in, for commands a person waits on
// (`yunshu install`): the operator's reconciles fail fast instead and leave
// the back-off to their work queue, so that an unreachable member cluster
// never holds a worker for long.
import { ApiError, isTransient } from "./api-errors.ts";
import { sleep } from "./sleep.ts";

export interface RetryPolicy {
  /** The wait after the first failure; each later wait doubles, up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  /** No attempt starts later than this after the first one. */
  maxElapsedMs: number;
}

/**
 * Time left below this ends the retries: timers may fire a millisecond or
 * two before the clock says they are due, and a last wait squeezed into that
 * slop would only overrun the bound.
 */
const MIN_WAIT_MS = 10;

/** Called before each wait: the failure, which attempt it ended (1 = the first) and how long until the next. */
export type OnRetry = (err: Error, attempt: number, delayMs: number) => void;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** A call that kept failing transiently until the policy's attempts or time ran out; the cause is the last failure. */
export class GaveUp extends Error {
  override name = "GaveUp";
  readonly attempts: number;
  readonly elapsedMs: number;
  constructor(last: Error, attempts: number, elapsedMs: number) {
    super(`gave up after ${attempts} attempts in ${seconds(elapsedMs)}: ${last.message}`, { cause: last });
    this.attempts = attempts;
    this.elapsedMs = elapsedMs;
  }
}

/**
 * Runs `call` until it succeeds, fails permanently (thrown as it is), or the
 * policy is exhausted (GaveUp). Only for calls that are safe to repeat: a
 * request whose connection broke may have been carried out already.
 */
export async function retrying<T>(call: () => Promise<T>, policy: RetryPolicy, onRetry: OnRetry = () => {}): Promise<T> {
  const started = Date.now();
  let delay = policy.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!isTransient(err)) throw err;
      const remaining = started + policy.maxElapsedMs - Date.now();
      if (attempt >= policy.maxAttempts || remaining < MIN_WAIT_MS) throw new GaveUp(err as Error, attempt, Date.now() - started);
      const wait = Math.min(Math.max(delay, retryAfterMs(err)), remaining);
      onRetry(err as Error, attempt, wait);
      await sleep(wait);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}

/** The API server's Retry-After knows its load better than our doubling; an HTTP date in it (NaN here) is ignored. */
function retryAfterMs(err: unknown): number {
  const after = err instanceof ApiError ? err.retryAfterSeconds : undefined;
  return after !== undefined && Number.isFinite(after) ? after * 1000 : 0;
}
