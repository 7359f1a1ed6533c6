// Client-side rate limiting, like client-go's QPS and Burst: the API server
// is shared by every controller and every department, and an operator that
// converges thousands of tenants must not starve them.
import { sleep } from "./sleep.ts";

export class TokenBucket {
  private tokens: number;
  private last = Date.now();
  private readonly ratePerMs: number;
  private readonly capacity: number;
  /** Waiters in arrival order, so that nobody starves under load. */
  private queue: Promise<void> = Promise.resolve();

  constructor(qps: number, burst: number) {
    this.ratePerMs = qps / 1000;
    this.capacity = Math.max(1, burst);
    this.tokens = this.capacity;
  }

  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const now = Date.now();
        this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.ratePerMs);
        this.last = now;
        if (this.tokens >= 1 || signal?.aborted) {
          this.tokens -= 1;
          return;
        }
        await sleep(Math.ceil((1 - this.tokens) / this.ratePerMs), signal);
      }
    });
    this.queue = turn;
    return turn;
  }
}
