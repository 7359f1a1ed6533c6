import { describe, expect, it } from "vitest";
import { ApiError, TransportError } from "./api-errors.ts";
import { GaveUp, retrying, type RetryPolicy } from "./retry.ts";

const refused = () => new TransportError("APPLY /apis/x", "https://127.0.0.1:6443", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" }));
const fast: RetryPolicy = { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 10, maxElapsedMs: 5_000 };

/** A call that fails with each of `failures` in turn, then returns "done"; counts its calls. */
function flaky(...failures: Error[]) {
  const call = async () => {
    call.calls++;
    const failure = failures.shift();
    if (failure) throw failure;
    return "done";
  };
  call.calls = 0;
  return call;
}

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => expect.fail("should have failed"), (err: unknown) => err);
}

describe("retrying", () => {
  it("tries again after transient failures, doubling the wait up to the cap, and reports each", async () => {
    const retries: [number, number, string][] = [];
    const call = flaky(refused(), refused(), new ApiError(503, "ServiceUnavailable", "APPLY /apis/x: 503"), refused(), refused());
    expect(await retrying(call, fast, (err, attempt, delay) => retries.push([attempt, delay, err.message.slice(0, 20)]))).toBe("done");
    expect(call.calls).toBe(6);
    expect(retries).toEqual([
      [1, 5, "APPLY /apis/x on htt"],
      [2, 10, "APPLY /apis/x on htt"],
      [3, 20, "APPLY /apis/x: 503"],
      [4, 20, "APPLY /apis/x on htt"],
      [5, 20, "APPLY /apis/x on htt"],
    ]);
  });

  it("throws a permanent failure at once, untouched", async () => {
    const forbidden = new ApiError(403, "Forbidden", "APPLY /apis/x: 403 Forbidden: no");
    const tls = new TransportError("GET /x", "https://k", Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }));
    for (const failure of [forbidden, tls, new Error("a bug")]) {
      const call = flaky(failure);
      expect(await thrown(retrying(call, fast))).toBe(failure);
      expect(call.calls).toBe(1);
    }
  });

  it("gives up after maxAttempts, with the last failure as the cause", async () => {
    const last = refused();
    const call = flaky(refused(), refused(), last, refused());
    const err = await thrown(retrying(call, { ...fast, maxAttempts: 3 }));
    expect(err).toBeInstanceOf(GaveUp);
    expect(call.calls).toBe(3);
    expect((err as GaveUp).attempts).toBe(3);
    expect((err as GaveUp).cause).toBe(last);
    expect((err as GaveUp).message).toMatch(/^gave up after 3 attempts in \d+\.\ds: APPLY \/apis\/x on https:\/\/127\.0\.0\.1:6443 failed: connect ECONNREFUSED/);
  });

  it("gives up once maxElapsedMs is spent, never waiting past it", async () => {
    const delays: number[] = [];
    const started = Date.now();
    const err = await thrown(
      retrying(() => Promise.reject(refused()), { initialDelayMs: 40, maxDelayMs: 1_000, maxAttempts: 100, maxElapsedMs: 200 }, (_err, _attempt, delay) => delays.push(delay)),
    );
    expect(err).toBeInstanceOf(GaveUp);
    expect((err as GaveUp).attempts).toBe(delays.length + 1);
    // All of the time but the last few milliseconds, which no wait is started for.
    expect((err as GaveUp).elapsedMs).toBeGreaterThanOrEqual(190);
    expect(delays[0]).toBe(40);
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(200);
    // Generous: this machine may be busy.
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("cuts a wait longer than the time left to what is left", async () => {
    const delays: number[] = [];
    const err = await thrown(retrying(() => Promise.reject(refused()), { initialDelayMs: 5_000, maxDelayMs: 5_000, maxAttempts: 100, maxElapsedMs: 100 }, (_err, _attempt, delay) => delays.push(delay)));
    expect(err).toBeInstanceOf(GaveUp);
    expect(delays[0]).toBeGreaterThan(0);
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);
  });

  it("waits at least what the API server's Retry-After asks, within the time left", async () => {
    const delays: number[] = [];
    const throttled = (seconds: number) => new ApiError(429, "TooManyRequests", "APPLY /apis/x: 429", seconds);
    await retrying(flaky(throttled(0.05), throttled(Number.NaN)), fast, (_err, _attempt, delay) => delays.push(delay));
    expect(delays).toEqual([50, 10]);
    const capped: number[] = [];
    await thrown(retrying(() => Promise.reject(throttled(60)), { ...fast, maxElapsedMs: 30 }, (_err, _attempt, delay) => capped.push(delay)));
    expect(capped[0]).toBeLessThanOrEqual(30);
  });
});
