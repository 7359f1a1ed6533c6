// Who a bearer token belongs to, as the API server says (TokenReview), and
// what yunshu concluded from it, remembered for a short while keyed by the
// token's hash (the token itself is never kept). Refusals are remembered
// too, so a client repeating a bad token costs the API server nothing more;
// a client inventing new tokens is bounded by maxInFlight and the reviewing
// client's own rate limit. /metrics (metrics-auth.ts) and the departments'
// view of their requests (request-view-endpoint.ts) answer through it.
import { createHash } from "node:crypto";
import { TOKEN_REVIEWS } from "../api/resources.ts";
import type { KubeClient, KubeObject } from "../runtime/kube-client.ts";

/** Too many distinct tokens under review at once: the caller answers 429. */
export class ReviewsBusyError extends Error {}

export interface UserInfo {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

interface TokenReview extends KubeObject {
  status?: { authenticated?: boolean; user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
}

/** Whose the token is, or undefined when the API server does not authenticate it. */
export async function reviewToken(client: Pick<KubeClient, "create">, token: string): Promise<UserInfo | undefined> {
  const review = await client.create<TokenReview>(TOKEN_REVIEWS, {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenReview",
    metadata: { name: "" },
    spec: { token },
  } as TokenReview);
  const user = review.status?.user;
  if (!review.status?.authenticated || !user?.username) return undefined;
  return { username: user.username, uid: user.uid, groups: user.groups, extra: user.extra };
}

export interface ReviewCounts {
  /** Answers from memory, or from a review already under way for the same token. */
  cached: number;
  /** Answers that asked the API server. */
  reviewed: number;
}

export interface ReviewOptions {
  /**
   * How long an answer is remembered. Longer than the chart's 30 s scrape
   * interval, so a scrape finds the previous one's answer; as long as a
   * revoked binding keeps working.
   */
  ttlMs?: number;
  /** How many tokens' answers are remembered; the oldest is forgotten first. */
  maxEntries?: number;
  /** Distinct tokens under review at the same time. */
  maxInFlight?: number;
  now?: () => number;
}

export class TokenReviews<T> {
  readonly counts: ReviewCounts = { cached: 0, reviewed: 0 };
  private readonly review: (token: string) => Promise<T>;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxInFlight: number;
  private readonly now: () => number;
  private readonly answers = new Map<string, { answer: T; until: number }>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(review: (token: string) => Promise<T>, options: ReviewOptions = {}) {
    this.review = review;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 1024;
    this.maxInFlight = options.maxInFlight ?? 16;
    this.now = options.now ?? Date.now;
  }

  /** The answer for the request's Authorization header; undefined without a bearer token. Throws when the API server could not be asked. */
  async answer(authorization: string | undefined): Promise<T | undefined> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
    if (!token) return undefined;
    const key = createHash("sha256").update(token).digest("hex");
    const remembered = this.answers.get(key);
    if (remembered && remembered.until > this.now()) {
      this.counts.cached++;
      return remembered.answer;
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.counts.cached++;
      return pending;
    }
    if (this.inFlight.size >= this.maxInFlight) throw new ReviewsBusyError(`${this.inFlight.size} tokens already under review`);
    this.counts.reviewed++;
    const review = this.review(token).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, review);
    const answer = await review;
    this.remember(key, answer);
    return answer;
  }

  private remember(key: string, answer: T): void {
    this.answers.delete(key);
    if (this.answers.size >= this.maxEntries) {
      const now = this.now();
      for (const [k, v] of this.answers) if (v.until <= now) this.answers.delete(k);
      const oldest = this.answers.keys().next();
      if (this.answers.size >= this.maxEntries && !oldest.done) this.answers.delete(oldest.value);
    }
    this.answers.set(key, { answer, until: this.now() + this.ttlMs });
  }
}
