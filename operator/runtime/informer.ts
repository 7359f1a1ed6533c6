// An informer: a local cache of one resource type kept current by list and
// watch. It never stops by itself: a 410 Gone relists, any other failure
// reconnects with exponential back-off, and a server-side watch timeout just
// starts the next watch from the last resource version (bookmarks keep that
// version fresh, so reconnecting rarely needs a relist).
import { compactObject } from "./compact-object.ts";
import { isGone, type KubeClient, type KubeObject, type ResourceType } from "./kube-client.ts";
import type { Logger } from "./log.ts";
import { sleep } from "./sleep.ts";

export type InformerEvent = "add" | "update" | "delete";
export type EventHandler<T> = (event: InformerEvent, obj: T, old?: T) => void;

export interface InformerStats {
  relists: number;
  gone: number;
  reconnects: number;
  lastEventAt: number;
}

export function objectKey(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;

export class Informer<T extends KubeObject> {
  readonly type: ResourceType;
  readonly stats: InformerStats = { relists: 0, gone: 0, reconnects: 0, lastEventAt: 0 };
  private readonly client: KubeClient;
  private readonly labelSelector: string | undefined;
  private readonly namespace: string | undefined;
  private readonly log: Logger;
  private readonly store = new Map<string, T>();
  private readonly indexes = new Map<string, { keysOf: (obj: T) => string[]; byValue: Map<string, Set<string>> }>();
  private readonly handlers: EventHandler<T>[] = [];
  private syncedFlag = false;
  private markSynced!: () => void;
  private readonly syncedPromise = new Promise<void>((resolve) => (this.markSynced = resolve));

  /** `namespace` limits a namespaced type to one namespace, for RBAC that grants no more (the operator's Secrets). */
  constructor(client: KubeClient, type: ResourceType, opts: { labelSelector?: string; namespace?: string; log: Logger }) {
    this.client = client;
    this.type = type;
    this.labelSelector = opts.labelSelector;
    this.namespace = opts.namespace;
    this.log = opts.log.with({ informer: type.plural });
  }

  /** Keeps a secondary index (e.g. objects by tenant); `keysOf` returns the values an object is filed under. */
  addIndex(name: string, keysOf: (obj: T) => string[]): void {
    const byValue = new Map<string, Set<string>>();
    for (const [key, obj] of this.store) for (const v of keysOf(obj)) addTo(byValue, v, key);
    this.indexes.set(name, { keysOf, byValue });
  }

  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`informer ${this.type.plural} has no index ${name}`);
    return [...(index.byValue.get(value) ?? [])].map((key) => this.store.get(key)).filter((o): o is T => o !== undefined);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.store.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return [...this.store.values()];
  }

  get size(): number {
    return this.store.size;
  }

  /** Calls `handler` on every change from now on; the answer stops that (a watcher that went away). */
  onEvent(handler: EventHandler<T>): () => void {
    this.handlers.push(handler);
    return () => {
      const at = this.handlers.indexOf(handler);
      if (at >= 0) this.handlers.splice(at, 1);
    };
  }

  get synced(): boolean {
    return this.syncedFlag;
  }

  waitForSync(): Promise<void> {
    return this.syncedPromise;
  }

  private emit(event: InformerEvent, obj: T, old?: T): void {
    this.stats.lastEventAt = Date.now();
    for (const handler of this.handlers) handler(event, obj, old);
  }

  private put(received: T): void {
    const key = objectKey(received);
    const old = this.store.get(key);
    if (old?.metadata.resourceVersion === received.metadata.resourceVersion && old !== undefined) return;
    const obj = compactObject(received);
    this.unindex(key, old);
    this.store.set(key, obj);
    for (const index of this.indexes.values()) for (const v of index.keysOf(obj)) addTo(index.byValue, v, key);
    this.emit(old ? "update" : "add", obj, old);
  }

  private remove(obj: T): void {
    const key = objectKey(obj);
    const old = this.store.get(key);
    if (!old) return;
    this.unindex(key, old);
    this.store.delete(key);
    this.emit("delete", old);
  }

  private unindex(key: string, old: T | undefined): void {
    if (!old) return;
    for (const index of this.indexes.values()) {
      for (const v of index.keysOf(old)) {
        const keys = index.byValue.get(v);
        keys?.delete(key);
        if (keys?.size === 0) index.byValue.delete(v);
      }
    }
  }

  /** Replaces the cache with a fresh list, emitting what changed since the last one. */
  private replace(items: T[]): void {
    const fresh = new Set<string>();
    for (const item of items) {
      fresh.add(objectKey(item));
      this.put(item);
    }
    for (const [key, obj] of [...this.store]) if (!fresh.has(key)) this.remove(obj);
  }

  /** Lists and watches until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let resourceVersion: string | undefined;
    let backoff = MIN_BACKOFF_MS;
    while (!signal.aborted) {
      try {
        if (resourceVersion === undefined) {
          const listed = await this.client.list<T>(this.type, { labelSelector: this.labelSelector, namespace: this.namespace, signal });
          this.replace(listed.items);
          resourceVersion = listed.resourceVersion;
          this.stats.relists++;
          this.stats.lastEventAt = Date.now();
          if (!this.syncedFlag) {
            this.syncedFlag = true;
            this.markSynced();
          }
          this.log.debug("listed", { count: listed.items.length, resourceVersion });
        }
        // A randomised server-side timeout spreads reconnects of many watches.
        const timeoutSeconds = 240 + Math.floor(Math.random() * 120);
        for await (const event of this.client.watch<T>(this.type, { resourceVersion, labelSelector: this.labelSelector, namespace: this.namespace, timeoutSeconds, signal })) {
          backoff = MIN_BACKOFF_MS;
          // Bookmarks count too: the metric says whether the watch is alive.
          this.stats.lastEventAt = Date.now();
          resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
          if (event.type === "BOOKMARK") continue;
          if (event.type === "DELETED") this.remove(event.object);
          else this.put(event.object);
        }
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          // Our resource version is older than etcd's compaction: start over.
          this.stats.gone++;
          this.log.info("watch expired (410 Gone), relisting");
          resourceVersion = undefined;
          continue;
        }
        this.stats.reconnects++;
        this.log.warn("list/watch failed, retrying", { error: err, retryInMs: backoff });
        await sleep(backoff + Math.random() * backoff * 0.2, signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }
}

function addTo(map: Map<string, Set<string>>, value: string, key: string): void {
  let keys = map.get(value);
  if (!keys) map.set(value, (keys = new Set()));
  keys.add(key);
}
