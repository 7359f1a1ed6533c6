// Who may read /metrics, decided the way controller-runtime's secure metrics
// serving decides it: the API server says whose the bearer token is
// (TokenReview), then whether that identity may `get` the non-resource URL
// /metrics (SubjectAccessReview), so access is granted with RBAC
// (crds/metrics-reader-clusterrole.yaml) like anything else in the cluster.
// The series name tenants and pending requests, which a department must not
// read about another.
//
// Decisions are remembered for a short while (token-reviews.ts): Prometheus
// scrapes every 15–30 s with the same token, and each scrape must not cost
// two reviews.
import { SUBJECT_ACCESS_REVIEWS } from "../api/resources.ts";
import type { KubeClient, KubeObject } from "../runtime/kube-client.ts";
import { reviewToken, TokenReviews, type ReviewOptions } from "./token-reviews.ts";

export type Decision = "allowed" | "unauthenticated" | "forbidden";

interface SubjectAccessReview extends KubeObject {
  status?: { allowed?: boolean };
}

export const METRICS_PATH = "/metrics";

export class MetricsAuthorizer {
  private readonly client: Pick<KubeClient, "create">;
  private readonly reviews: TokenReviews<Decision>;

  constructor(client: Pick<KubeClient, "create">, options: ReviewOptions = {}) {
    this.client = client;
    this.reviews = new TokenReviews((token) => this.review(token), options);
  }

  get counts() {
    return this.reviews.counts;
  }

  /** `authorization`: the request's header as it came. Throws when the API server could not be asked. */
  async decide(authorization: string | undefined): Promise<Decision> {
    return (await this.reviews.answer(authorization)) ?? "unauthenticated";
  }

  private async review(token: string): Promise<Decision> {
    const user = await reviewToken(this.client, token);
    if (!user) return "unauthenticated";
    const access = await this.client.create<SubjectAccessReview>(SUBJECT_ACCESS_REVIEWS, {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      metadata: { name: "" },
      spec: { user: user.username, uid: user.uid, groups: user.groups, extra: user.extra, nonResourceAttributes: { path: METRICS_PATH, verb: "get" } },
    } as SubjectAccessReview);
    return access.status?.allowed ? "allowed" : "forbidden";
  }
}
