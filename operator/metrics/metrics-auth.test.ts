// The memory of /metrics decisions: what it costs the API server. The reviews
// themselves are answered by a real API server in
// test/operator/metrics.int.test.ts; here an in-memory stand-in answers, so
// time and concurrency can be stepped exactly.
import { describe, expect, it } from "vitest";
import type { KubeObject, ResourceType } from "../runtime/kube-client.ts";
import { MetricsAuthorizer } from "./metrics-auth.ts";
import { ReviewsBusyError } from "./token-reviews.ts";

/** Tokens "reader-*" may read /metrics, "dept-*" are valid but may not, anything else is invalid. */
function reviewer() {
  const sent: string[] = [];
  let release: () => void = () => {};
  let gate: Promise<void> | undefined;
  const create = async <T extends KubeObject>(type: ResourceType, obj: T): Promise<T> => {
    sent.push(type.kind);
    if (gate) await gate;
    const spec = (obj as unknown as { spec: { token?: string; user?: string } }).spec;
    if (type.kind === "TokenReview") {
      const valid = /^(reader|dept)-/.test(spec.token ?? "");
      return { ...obj, status: { authenticated: valid, user: valid ? { username: spec.token } : undefined } };
    }
    return { ...obj, status: { allowed: spec.user?.startsWith("reader-") } };
  };
  return {
    create,
    sent,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release() {
      gate = undefined;
      release();
    },
  };
}

describe("MetricsAuthorizer", () => {
  it("decides without asking when there is no bearer token", async () => {
    const api = reviewer();
    const auth = new MetricsAuthorizer(api);
    expect(await auth.decide(undefined)).toBe("unauthenticated");
    expect(await auth.decide("Basic YWRtaW46YWRtaW4=")).toBe("unauthenticated");
    expect(api.sent).toEqual([]);
  });

  it("asks who the token is, then whether they may get /metrics", async () => {
    const api = reviewer();
    const auth = new MetricsAuthorizer(api);
    expect(await auth.decide("Bearer reader-prometheus")).toBe("allowed");
    expect(await auth.decide("Bearer dept-changsha")).toBe("forbidden");
    expect(await auth.decide("Bearer forged")).toBe("unauthenticated");
    expect(api.sent).toEqual(["TokenReview", "SubjectAccessReview", "TokenReview", "SubjectAccessReview", "TokenReview"]);
  });

  it("remembers every decision for its TTL, refusals included, then asks again", async () => {
    const api = reviewer();
    let now = 0;
    const auth = new MetricsAuthorizer(api, { ttlMs: 30_000, now: () => now });
    for (const token of ["reader-prometheus", "dept-changsha", "forged"]) await auth.decide(`Bearer ${token}`);
    const first = api.sent.length;
    // A scrape every 15 s: the second within the TTL costs nothing.
    now = 15_000;
    for (const token of ["reader-prometheus", "dept-changsha", "forged"]) await auth.decide(`Bearer ${token}`);
    expect(api.sent.length).toBe(first);
    now = 30_000;
    expect(await auth.decide("Bearer reader-prometheus")).toBe("allowed");
    expect(api.sent.length).toBe(first + 2);
    expect(auth.counts).toEqual({ cached: 3, reviewed: 4 });
  });

  it("remembers at most maxEntries tokens, forgetting the oldest", async () => {
    const api = reviewer();
    const auth = new MetricsAuthorizer(api, { maxEntries: 2 });
    for (const token of ["reader-a", "reader-b", "reader-c"]) await auth.decide(`Bearer ${token}`);
    api.sent.length = 0;
    await auth.decide("Bearer reader-c");
    expect(api.sent).toEqual([]);
    await auth.decide("Bearer reader-a");
    expect(api.sent).toEqual(["TokenReview", "SubjectAccessReview"]);
  });

  it("reviews a token once however many scrapes carry it at once, and refuses more distinct tokens than maxInFlight", async () => {
    const api = reviewer();
    const auth = new MetricsAuthorizer(api, { maxInFlight: 2 });
    api.hold();
    const same = [auth.decide("Bearer reader-a"), auth.decide("Bearer reader-a"), auth.decide("Bearer dept-b")];
    await expect(auth.decide("Bearer forged-1")).rejects.toBeInstanceOf(ReviewsBusyError);
    api.release();
    expect(await Promise.all(same)).toEqual(["allowed", "allowed", "forbidden"]);
    expect(api.sent.filter((k) => k === "TokenReview")).toHaveLength(2);
  });
});
