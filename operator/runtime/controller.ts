// Runs a reconciler over a work queue with N workers. Level-triggered: a
// key says "look at this object again", never what changed, so a missed or
// merged event costs nothing but latency.
import type { EventHandler } from "./informer.ts";
import type { Logger } from "./log.ts";
import type { WorkQueue } from "./workqueue.ts";

export interface ReconcileResult {
  /** Look again after this long even if nothing changes (e.g. waiting on another controller). */
  requeueAfterMs?: number;
}

export interface Reconciler {
  reconcile(key: string): Promise<ReconcileResult | void>;
}

/** Where keys go: a work queue, or several. */
export interface KeySink {
  add(key: string): void;
}

/** What a controller watches: an informer, as far as events go. */
export interface EventSource<T> {
  onEvent(handler: EventHandler<T>): void;
}

/** Puts the keys `keysOf` maps each event of `source` to on `sink`. */
export function watch<T>(source: EventSource<T>, sink: KeySink, keysOf: (...event: Parameters<EventHandler<T>>) => Iterable<string>): void {
  source.onEvent((event, obj, old) => {
    for (const key of keysOf(event, obj, old)) sink.add(key);
  });
}

/**
 * A controller as the operator composes it: what it watches and how events
 * map to its keys, declared beside its reconciler, so that the operator
 * only wires queues and starts workers.
 */
export interface ControllerDefinition {
  readonly name: string;
  readonly workers: number;
  /** Registers the mapping from events to keys on `queue`; called before the informers start. */
  watch(queue: KeySink): void;
  /** Puts every key it is responsible for on `queue` (the periodic resync, SIGHUP). */
  resync(queue: KeySink): void;
  /** Its reconciler, made once this replica leads. */
  reconciler(): Reconciler;
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
