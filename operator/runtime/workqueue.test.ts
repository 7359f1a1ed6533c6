import { describe, expect, it } from "vitest";
import { WorkQueue } from "./workqueue.ts";

describe("WorkQueue", () => {
  it("holds a key once however often it is added", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("a");
    q.add("b");
    expect(q.length).toBe(2);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
  });

  it("never hands a key to two workers: added while processing, it comes back once after done()", async () => {
    const q = new WorkQueue();
    q.add("a");
    const first = await q.get();
    q.add("a");
    q.add("a");
    expect(q.length).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(first!);
    await new Promise((r) => setTimeout(r, 0));
    expect(second).toBe("a");
    expect(q.length).toBe(0);
  });

  it("backs off per key exponentially and forgets on success", () => {
    const q = new WorkQueue({ baseDelayMs: 10, maxDelayMs: 50 });
    expect([q.addRateLimited("a"), q.addRateLimited("a"), q.addRateLimited("a"), q.addRateLimited("a")]).toEqual([10, 20, 40, 50]);
    expect(q.addRateLimited("b")).toBe(10);
    q.forget("a");
    expect(q.addRateLimited("a")).toBe(10);
    q.shutdown();
  });

  it("delivers a delayed key after its delay", async () => {
    const q = new WorkQueue();
    q.addAfter("later", 30);
    expect(q.length).toBe(0);
    const started = Date.now();
    expect(await q.get()).toBe("later");
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("releases blocked workers on shutdown", async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.shutdown();
    expect(await waiting).toBeUndefined();
    q.add("ignored");
    expect(q.length).toBe(0);
  });
});
