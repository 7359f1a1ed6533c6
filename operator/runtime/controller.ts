// Runs a reconciler over a work queue with N workers. Level-triggered: a
// key says "look at this object again", never what changed, so a missed or
// merged event costs nothing but latency.
import type { Logger } from "./log.ts";
import type { WorkQueue } from "./workqueue.ts";

export interface ReconcileResult {
  /** Look again after this long even if nothing changes (e.g. waiting on another controller). */
  requeueAfterMs?: number;
}

export interface Reconciler {
  reconcile(key: string): Promise<ReconcileResult | void>;
}

export interface ControllerHooks {
  onReconciled?(result: "success" | "error" | "requeue_after", seconds: number): void;
  onActive?(delta: 1 | -1): void;
}

export class Controller {
  readonly name: string;
  private readonly queue: WorkQueue;
  private readonly reconciler: Reconciler;
  private readonly log: Logger;
  private readonly hooks: ControllerHooks;

  constructor(name: string, queue: WorkQueue, reconciler: Reconciler, opts: { log: Logger; hooks?: ControllerHooks }) {
    this.name = name;
    this.queue = queue;
    this.reconciler = reconciler;
    this.log = opts.log.with({ controller: name });
    this.hooks = opts.hooks ?? {};
  }

  /** Runs `workers` workers until the queue shuts down and each has finished its current key. */
  async run(workers: number): Promise<void> {
    await Promise.all(Array.from({ length: workers }, () => this.worker()));
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const started = performance.now();
      this.hooks.onActive?.(1);
      try {
        const result = await this.reconciler.reconcile(key);
        this.queue.forget(key);
        if (result?.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
        this.hooks.onReconciled?.(result?.requeueAfterMs !== undefined ? "requeue_after" : "success", (performance.now() - started) / 1000);
      } catch (err) {
        const retryInMs = this.queue.addRateLimited(key);
        this.hooks.onReconciled?.("error", (performance.now() - started) / 1000);
        this.log.error("reconcile failed; will retry", { key, error: err, retryInMs, retries: this.queue.retries(key) });
      } finally {
        this.hooks.onActive?.(-1);
        this.queue.done(key);
      }
    }
  }
}
