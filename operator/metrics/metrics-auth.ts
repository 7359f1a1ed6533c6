// Who may read /metrics, decided the way controller-runtime's secure metrics
// serving decides it: the API server says whose the bearer token is
// (TokenReview), then whether that identity may `get` the non-resource URL
// /metrics (SubjectAccessReview), so access is granted with RBAC
// (crds/metrics-reader-clusterrole.yaml) like anything else in the cluster.
// The series name tenants and pending requests, which a department must not
// read about another.
//
// Decisions are remembered for a short while, keyed by the token's hash (the
// token itself is never kept): Prometheus scrapes every 15–30 s with the same
// token, and each scrape must not cost two reviews. Refusals are remembered
// too, so a client repeating a bad token costs the API server nothing more;
// a client inventing new tokens is bounded by maxInFlight and the reviewing
// client's own rate limit.
import { createHash } from "node:crypto";
import { SUBJECT_ACCESS_REVIEWS, TOKEN_REVIEWS } from "../api/resources.ts";
import type { KubeClient, KubeObject } from "../runtime/kube-client.ts";

export type Decision = "allowed" | "unauthenticated" | "forbidden";

/** Too many distinct tokens under review at once: the caller answers 429. */
export class ReviewsBusyError extends Error {}

interface TokenReview extends KubeObject {
  status?: { authenticated?: boolean; user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
}

interface SubjectAccessReview extends KubeObject {
  status?: { allowed?: boolean };
}

export interface ReviewCounts {
  /** Decisions answered from memory, or by a review already under way for the same token. */
  cached: number;
  /** Decisions that asked the API server: a TokenReview, then a SubjectAccessReview if the token is valid. */
  reviewed: number;
}

export interface MetricsAuthOptions {
  /**
   * How long a decision is remembered. Longer than the chart's 30 s scrape
   * interval, so a scrape finds the previous one's decision; as long as a
   * revoked binding keeps working.
   */
  ttlMs?: number;
  /** How many tokens' decisions are remembered; the oldest is forgotten first. */
  maxEntries?: number;
  /** Distinct tokens under review at the same time. */
  maxInFlight?: number;
  now?: () => number;
}

export const METRICS_PATH = "/metrics";

export class MetricsAuthorizer {
  readonly counts: ReviewCounts = { cached: 0, reviewed: 0 };
  private readonly client: Pick<KubeClient, "create">;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxInFlight: number;
  private readonly now: () => number;
  private readonly decisions = new Map<string, { decision: Decision; until: number }>();
  private readonly inFlight = new Map<string, Promise<Decision>>();

  constructor(client: Pick<KubeClient, "create">, options: MetricsAuthOptions = {}) {
    this.client = client;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 1024;
    this.maxInFlight = options.maxInFlight ?? 16;
    this.now = options.now ?? Date.now;
  }

  /** `authorization`: the request's header as it came. Throws when the API server could not be asked. */
  async decide(authorization: string | undefined): Promise<Decision> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
    if (!token) return "unauthenticated";
    const key = createHash("sha256").update(token).digest("hex");
    const remembered = this.decisions.get(key);
    if (remembered && remembered.until > this.now()) {
      this.counts.cached++;
      return remembered.decision;
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.counts.cached++;
      return pending;
    }
    if (this.inFlight.size >= this.maxInFlight) throw new ReviewsBusyError(`${this.inFlight.size} tokens already under review`);
    const review = this.review(token).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, review);
    const decision = await review;
    this.remember(key, decision);
    return decision;
  }

  private remember(key: string, decision: Decision): void {
    this.decisions.delete(key);
    if (this.decisions.size >= this.maxEntries) {
      const now = this.now();
      for (const [k, v] of this.decisions) if (v.until <= now) this.decisions.delete(k);
      const oldest = this.decisions.keys().next();
      if (this.decisions.size >= this.maxEntries && !oldest.done) this.decisions.delete(oldest.value);
    }
    this.decisions.set(key, { decision, until: this.now() + this.ttlMs });
  }

  private async review(token: string): Promise<Decision> {
    this.counts.reviewed++;
    const tokenReview = await this.client.create<TokenReview>(TOKEN_REVIEWS, {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenReview",
      metadata: { name: "" },
      spec: { token },
    } as TokenReview);
    const user = tokenReview.status?.user;
    if (!tokenReview.status?.authenticated || !user?.username) return "unauthenticated";
    const access = await this.client.create<SubjectAccessReview>(SUBJECT_ACCESS_REVIEWS, {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      metadata: { name: "" },
      spec: { user: user.username, uid: user.uid, groups: user.groups, extra: user.extra, nonResourceAttributes: { path: METRICS_PATH, verb: "get" } },
    } as SubjectAccessReview);
    return access.status?.allowed ? "allowed" : "forbidden";
  }
}
