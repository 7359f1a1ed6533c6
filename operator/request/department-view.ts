// A department's view of its requests, served by yunshu over HTTPS: GET
// /requests lists the requests the caller filed or that concern a tenant it
// owns (visibility.ts), GET /requests/NAME shows one of them. The caller is
// who their bearer token says (TokenReview, remembered a minute); there is
// no other way in. The API server cannot serve this: RBAC cannot filter a
// list by a field, so departments get no read access to TenantRequests at
// all (they create them), and yunshu answers from its own cache with what
// each may see. It only ever reads for them. GET /shares likewise lists the
// Shares whose provider or consumer tenant the caller owns (or a tenant
// above it): who shares what with whom is the two sides' business only.
import type { Share, TenantRequest } from "../api/generated.ts";
import { sidesOf } from "../share/decision.ts";
import { ownedLineage } from "./authority.ts";
import type { KubeObject } from "../api/meta.ts";
import { reviewToken, TokenReviews, type ReviewOptions, type UserInfo } from "../metrics/token-reviews.ts";
import type { Informer } from "../runtime/informer.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import { tenantDirectory } from "../tenant/directory.ts";
import type { Tenant } from "../tenant/types.ts";
import { visibleTo } from "./visibility.ts";

export const REQUESTS_PATH = "/requests";
export const SHARES_PATH = "/shares";

export interface ViewAnswer {
  status: number;
  body: unknown;
}

const status = (code: number, reason: string, message: string): ViewAnswer => ({
  status: code,
  body: { apiVersion: "v1", kind: "Status", status: "Failure", code, reason, message },
});

const byFiling = (a: KubeObject, b: KubeObject) =>
  (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || a.metadata.name.localeCompare(b.metadata.name);

export class DepartmentRequestView {
  private readonly requests: Informer<TenantRequest & KubeObject>;
  private readonly tenants: Informer<Tenant & KubeObject>;
  private readonly shares: Informer<Share & KubeObject> | undefined;
  /** null: a token the API server does not authenticate, remembered like any answer. */
  private readonly reviews: TokenReviews<UserInfo | null>;

  constructor(deps: {
    client: Pick<KubeClient, "create">;
    requests: Informer<TenantRequest & KubeObject>;
    tenants: Informer<Tenant & KubeObject>;
    shares?: Informer<Share & KubeObject>;
    reviews?: ReviewOptions;
  }) {
    this.requests = deps.requests;
    this.tenants = deps.tenants;
    this.shares = deps.shares;
    this.reviews = new TokenReviews(async (token) => (await reviewToken(deps.client, token)) ?? null, deps.reviews);
  }

  /** The answer to GET /requests (`name` undefined) or /requests/NAME for the request's Authorization header. */
  async answer(authorization: string | undefined, name?: string): Promise<ViewAnswer> {
    const user = await this.reviews.answer(authorization);
    if (!user) return status(401, "Unauthorized", "send your Kubernetes bearer token (Authorization: Bearer …): yunshu shows you the requests you filed or that concern your tenants");
    const who = { username: user.username, groups: user.groups ?? [] };
    const directory = tenantDirectory(this.tenants);
    if (name !== undefined) {
      const request = this.requests.get(name);
      // Another department's request answers exactly as a missing one: its name tells nothing.
      if (!request || !visibleTo(request, who, directory)) return status(404, "NotFound", `no TenantRequest ${name} among those you filed or that concern your tenants`);
      return { status: 200, body: request };
    }
    const items = this.requests.list().filter((r) => visibleTo(r, who, directory)).sort(byFiling);
    return { status: 200, body: { apiVersion: "yunshu.io/v1alpha1", kind: "TenantRequestList", metadata: {}, items } };
  }

  /** The answer to GET /shares: the Shares one of whose sides the caller owns. */
  async answerShares(authorization: string | undefined): Promise<ViewAnswer> {
    const user = await this.reviews.answer(authorization);
    if (!user) return status(401, "Unauthorized", "send your Kubernetes bearer token (Authorization: Bearer …): yunshu shows you the Shares your tenants are a side of");
    const who = { username: user.username, groups: user.groups ?? [] };
    const directory = tenantDirectory(this.tenants);
    const mine = (s: Share) => sidesOf(s).some((t) => ownedLineage(t, directory, who) !== undefined);
    const items = (this.shares?.list() ?? []).filter(mine).sort(byFiling);
    return { status: 200, body: { apiVersion: "yunshu.io/v1alpha1", kind: "ShareList", metadata: {}, items } };
  }
}
