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
// GET /mine lists the tenants the caller owns or is a member of (mine.ts),
// and GET /watch streams which of these views changed for the caller, so
// that the console shows a decision without a reload. GET /metering gives a
// month of chargeback metering for the tenants the caller owns (and those
// under them), read from Prometheus with yunshu's own access to it, which
// departments do not have: the console prices it into their statement.
import type { ChangeEvent } from "../../console/api-types.ts";
import type { Share, TenantRequest } from "../api/generated.ts";
import { sidesOf } from "../share/decision.ts";
import { readMeteredMonth, type MeteredMonth } from "../billing/metering-query.ts";
import { monthBounds } from "../billing/month.ts";
import { PrometheusError, type PrometheusApi } from "../billing/prometheus-api.ts";
import { HUB } from "../fleet/placement.ts";
import { ownedLineage } from "./authority.ts";
import type { KubeObject } from "../api/meta.ts";
import { reviewToken, TokenReviews, type ReviewOptions, type UserInfo } from "../metrics/token-reviews.ts";
import type { Informer } from "../runtime/informer.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import { tenantDirectory } from "../tenant/directory.ts";
import type { Tenant } from "../tenant/types.ts";
import { mine, relationTo } from "./mine.ts";
import { visibleTo } from "./visibility.ts";

export const REQUESTS_PATH = "/requests";
export const SHARES_PATH = "/shares";
export const MINE_PATH = "/mine";
export const WATCH_PATH = "/watch";
export const METERING_PATH = "/metering";

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
  private readonly hub: () => string;
  private readonly metering: PrometheusApi | undefined;
  /** null: a token the API server does not authenticate, remembered like any answer. */
  private readonly reviews: TokenReviews<UserInfo | null>;

  constructor(deps: {
    client: Pick<KubeClient, "create">;
    requests: Informer<TenantRequest & KubeObject>;
    tenants: Informer<Tenant & KubeObject>;
    shares?: Informer<Share & KubeObject>;
    /** The hub's cluster name, where tenants without placement are. */
    hub?: () => string;
    /** Where chargeback's metering is; without it /metering answers 404. */
    metering?: PrometheusApi;
    reviews?: ReviewOptions;
  }) {
    this.hub = deps.hub ?? (() => HUB);
    this.metering = deps.metering;
    this.requests = deps.requests;
    this.tenants = deps.tenants;
    this.shares = deps.shares;
    this.reviews = new TokenReviews(async (token) => (await reviewToken(deps.client, token)) ?? null, deps.reviews);
  }

  /** The answer to GET /requests (`name` undefined) or /requests/NAME for the request's Authorization header. */
  async answer(authorization: string | undefined, name?: string): Promise<ViewAnswer> {
    const who = await this.caller(authorization);
    if (!who) return status(401, "Unauthorized", "send your Kubernetes bearer token (Authorization: Bearer …): yunshu shows you the requests you filed or that concern your tenants");
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

  /** The caller, or null when the API server does not authenticate their token. */
  async caller(authorization: string | undefined): Promise<{ username: string; groups: string[] } | null> {
    const user = await this.reviews.answer(authorization);
    return user ? { username: user.username, groups: user.groups ?? [] } : null;
  }

  /** The answer to GET /mine: the tenants the caller owns (or owns one above) or is a member of. */
  async answerMine(authorization: string | undefined): Promise<ViewAnswer> {
    const who = await this.caller(authorization);
    if (!who) return status(401, "Unauthorized", "send your Kubernetes bearer token (Authorization: Bearer …): yunshu shows you the tenants you own or are a member of");
    return { status: 200, body: { apiVersion: "yunshu.io/v1alpha1", kind: "Mine", ...mine(who, this.tenants.list(), tenantDirectory(this.tenants), this.hub()) } };
  }

  /**
   * Calls `changed` whenever a request or tenant the caller sees changes (or
   * stops being theirs); null when the token is not authenticated. The
   * answer unsubscribes.
   */
  async watch(authorization: string | undefined, changed: (topic: ChangeEvent["topic"]) => void): Promise<(() => void) | null> {
    const who = await this.caller(authorization);
    if (!who) return null;
    const directory = tenantDirectory(this.tenants);
    const stops = [
      this.requests.onEvent((_event, request, old) => {
        if (visibleTo(request, who, directory) || (old && visibleTo(old, who, directory))) changed("requests");
      }),
      this.tenants.onEvent((_event, tenant, old) => {
        if (relationTo(tenant, who, directory) || (old && relationTo(old, who, directory))) changed("mine");
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /**
   * The answer to GET /metering?month=YYYY-MM&resources=a,b: the month's
   * hourly metering of the `resources` (those a PriceSheet prices) for the
   * tenants the caller owns, or that were under one they own (a tenant
   * deleted since is placed by the parent its metering recorded).
   */
  async answerMetering(authorization: string | undefined, month: string | null, resources: string[]): Promise<ViewAnswer> {
    const who = await this.caller(authorization);
    if (!who) return status(401, "Unauthorized", "send your Kubernetes bearer token (Authorization: Bearer …): yunshu shows you the metering of the tenants you own");
    if (!this.metering) return status(404, "MeteringNotConfigured", "yunshu reads no metering: start the operator with --prometheus-url");
    try {
      monthBounds(month ?? "");
    } catch (err) {
      return status(400, "BadRequest", (err as Error).message);
    }
    let metered: MeteredMonth;
    try {
      metered = await readMeteredMonth(this.metering, month!, resources);
    } catch (err) {
      if (err instanceof PrometheusError) return status(502, "MeteringUnavailable", err.message);
      throw err;
    }
    const directory = tenantDirectory(this.tenants);
    const recordedParent = new Map(metered.tenants.map((t) => [t.name, t.parent]));
    const visible = (name: string): boolean => {
      const seen = new Set<string>();
      for (let n: string | undefined = name; n !== undefined && !seen.has(n); n = recordedParent.get(n)) {
        seen.add(n);
        if (directory.get(n)) return ownedLineage(n, directory, who) !== undefined;
      }
      return false;
    };
    const body: MeteredMonth = { ...metered, samples: metered.samples.filter((s) => visible(s.tenant)), tenants: metered.tenants.filter((t) => visible(t.name)) };
    return { status: 200, body };
  }

  /** The answer to GET /shares: the Shares one of whose sides the caller owns. */
  async answerShares(authorization: string | undefined): Promise<ViewAnswer> {
    const who = await this.caller(authorization);
    if (!who) return status(401, "Unauthorized", "send your Kubernetes bearer token (Authorization: Bearer …): yunshu shows you the Shares your tenants are a side of");
    const directory = tenantDirectory(this.tenants);
    const mine = (s: Share) => sidesOf(s).some((t) => ownedLineage(t, directory, who) !== undefined);
    const items = (this.shares?.list() ?? []).filter(mine).sort(byFiling);
    return { status: 200, body: { apiVersion: "yunshu.io/v1alpha1", kind: "ShareList", metadata: {}, items } };
  }
}
