// The console's /api: each call does what the signed-in user asked, as the
// user. Reads of the user's own tenants and requests go through yunshu's
// department view with their token (RBAC cannot filter lists for them);
// everything else goes to the API server with their token, so RBAC and
// yunshu's admission policies (requester identity, four eyes) decide
// exactly as they would for kubectl. The console has no identity of its own.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiErrorBody, DecisionBody, FleetAnswer, MineAnswer, NewRequest, RequestsAnswer, SessionInfo, TreeAnswer } from "../api-types.ts";
import type { Cluster, PriceSheet, Tenant, TenantRequest } from "../../operator/api/generated.ts";
import { CLUSTERS, PRICE_SHEETS, SELF_SUBJECT_ACCESS_REVIEWS, TENANT_REQUESTS, TENANTS } from "../../operator/api/resources.ts";
import type { MeteredMonth } from "../../operator/billing/metering-query.ts";
import { monthStatement, pricedResources } from "../../operator/billing/month-statement.ts";
import { statementCsv } from "../../operator/billing/statement-csv.ts";
import type { PriceSheetSpec } from "../../operator/billing/types.ts";
import type { KubeObject } from "../../operator/api/meta.ts";
import { decisionApply } from "../../operator/plugin/decision.ts";
import { tenantRequestFor, type RequestDraft } from "../../operator/plugin/request-object.ts";
import { whoami } from "../../operator/plugin/session.ts";
import { getFromView, parseRefusal, type YunshuView } from "../../operator/request/view-client.ts";
import { ApiError } from "../../operator/runtime/api-errors.ts";
import { KubeClient } from "../../operator/runtime/kube-client.ts";
import type { ClusterCredentials } from "../../operator/runtime/kubeconfig.ts";
import type { Logger } from "../../operator/runtime/log.ts";
import { clearedSessionCookie, refuseCrossSite, sendJson, sessionCookie, sessionIdOf } from "./http-security.ts";
import type { LiveStreams } from "./live.ts";
import { clusterViews, treeNodes } from "./platform-views.ts";
import { byUrgency, summarizeRequest } from "./request-summary.ts";
import type { Session, SessionStore } from "./sessions.ts";

export const CONSOLE_FIELD_MANAGER = "yunshu-console";
/** The PriceSheet statements are priced with. */
const DEFAULT_PRICE_SHEET = "default";
const MAX_BODY_BYTES = 64 * 1024;

export interface ApiContext {
  /** The API server users sign in to: its address and CA, never credentials. */
  apiServer: Pick<ClusterCredentials, "server" | "caPem" | "tlsServerName">;
  view: YunshuView;
  sessions: SessionStore;
  live: LiveStreams;
  /** The JSON schema of TenantRequest.spec, from the CRD. */
  requestSchema: Record<string, unknown>;
  /** Serving HTTPS: cookies are Secure and __Host- bound. */
  secure: boolean;
  headers: Record<string, string>;
  log: Logger;
}

/** A refusal the page shows as it is. */
class Refusal extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string, message: string) {
    super(message);
    this.code = code;
    this.reason = reason;
  }
}

const unauthorized = () => new Refusal(401, "Unauthorized", "sign in with your Kubernetes token: the session is missing, expired, or was ended");

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Refusal(413, "RequestEntityTooLarge", `a call's body may be at most ${MAX_BODY_BYTES / 1024} KiB`);
    chunks.push(chunk as Buffer);
  }
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
    return body as Record<string, unknown>;
  } catch {
    throw new Refusal(400, "BadRequest", "the body must be a JSON object");
  }
}

export class ConsoleApi {
  private readonly ctx: ApiContext;

  constructor(ctx: ApiContext) {
    this.ctx = ctx;
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? "GET";
    const session = this.ctx.sessions.find(sessionIdOf(req, this.ctx.secure));
    try {
      if (method !== "GET" && method !== "HEAD") {
        const refusal = refuseCrossSite(req, `${this.ctx.secure ? "https" : "http"}://${req.headers.host ?? ""}`, session);
        if (refusal) throw new Refusal(403, "CrossSiteRequestRefused", refusal);
      }
      if (path === "/api/session") return await this.session(req, res, method, session);
      if (!session) throw unauthorized();
      const route = `${method} ${path}`;
      if (route === "GET /api/events") return this.ctx.live.open(res, session, this.ctx.headers, () => this.ctx.sessions.end(session.id));
      if (route === "GET /api/mine") return this.send(res, 200, await this.throughYunshu<MineAnswer>(session, "/mine"));
      if (route === "GET /api/schema") return this.send(res, 200, { spec: this.ctx.requestSchema });
      if (route === "GET /api/requests") return this.send(res, 200, await this.requests(session));
      if (route === "POST /api/requests") return this.send(res, 201, summarizeRequest(await this.file(session, await readJson(req)), session.user.username));
      if (route === "GET /api/queue") return this.send(res, 200, await this.queue(session));
      if (route === "GET /api/tree") return this.send(res, 200, { nodes: treeNodes((await session.client.list<Tenant & KubeObject>(TENANTS)).items) } satisfies TreeAnswer);
      if (route === "GET /api/fleet") return this.send(res, 200, { clusters: clusterViews((await session.client.list<Cluster & KubeObject>(CLUSTERS)).items) } satisfies FleetAnswer);
      if (route === "GET /api/bill" || route === "GET /api/bill.csv") return await this.bill(req, res, session, route.endsWith(".csv"));
      const one = /^\/api\/requests\/([a-z0-9][-a-z0-9.]{0,252})(\/decision)?$/.exec(path);
      if (one && method === "GET" && !one[2]) return this.send(res, 200, summarizeRequest(await this.request(session, one[1]!), session.user.username));
      if (one && method === "POST" && one[2]) return this.send(res, 200, summarizeRequest(await this.decide(session, one[1]!, await readJson(req)), session.user.username));
      throw new Refusal(404, "NotFound", `no ${method} ${path} in the console's API`);
    } catch (err) {
      this.fail(res, err, session);
    }
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    sendJson(res, status, body, { ...this.ctx.headers, ...headers });
  }

  private fail(res: ServerResponse, err: unknown, session: Session | undefined): void {
    if (res.headersSent) return void res.end();
    let body: ApiErrorBody;
    if (err instanceof Refusal) body = { code: err.code, reason: err.reason, message: err.message };
    else if (err instanceof ApiError) body = { code: err.status, reason: err.reason, message: err.message };
    else {
      this.ctx.log.error("console call failed", { user: session?.user.username, error: err });
      body = { code: 502, reason: "BadGateway", message: `the console could not reach the API server or yunshu: ${(err as Error).message}` };
    }
    // The token stopped working (expired, revoked): the session ends with it.
    const ended = body.code === 401 && session !== undefined;
    if (ended) this.ctx.sessions.end(session.id);
    this.send(res, body.code, body, body.code === 401 ? { "set-cookie": clearedSessionCookie(this.ctx.secure) } : {});
  }

  private async session(req: IncomingMessage, res: ServerResponse, method: string, session: Session | undefined): Promise<void> {
    if (method === "GET") {
      if (!session) throw unauthorized();
      return this.send(res, 200, this.info(session));
    }
    if (method === "DELETE") {
      if (session) this.ctx.sessions.end(session.id);
      res.writeHead(204, { ...this.ctx.headers, "set-cookie": clearedSessionCookie(this.ctx.secure), "cache-control": "no-store" }).end();
      return;
    }
    if (method !== "POST") throw new Refusal(405, "MethodNotAllowed", "sign in with POST, read the session with GET, sign out with DELETE");
    const token = (await readJson(req)).token;
    if (typeof token !== "string" || !token.trim()) throw new Refusal(400, "MissingToken", "paste a Kubernetes bearer token (a ServiceAccount token or an OIDC ID token) to sign in");
    const started = await this.signIn(token.trim());
    if (session) this.ctx.sessions.end(session.id);
    this.send(res, 201, this.info(started), { "set-cookie": sessionCookie(started.id, this.ctx.secure, (started.expiresAt - Date.now()) / 1000) });
  }

  private info(session: Session): SessionInfo {
    return { user: session.user, csrfToken: session.csrfToken, platformAdmin: session.platformAdmin, server: this.ctx.apiServer.server, expiresAt: new Date(session.expiresAt).toISOString() };
  }

  /** Asks the API server, with the token, who it belongs to; a token it does not accept is refused here. */
  private async signIn(token: string): Promise<Session> {
    const client = new KubeClient({ ...this.ctx.apiServer, bearerToken: token, insecureSkipTlsVerify: false }, { userAgent: CONSOLE_FIELD_MANAGER });
    try {
      const user = await whoami(client);
      const review = await client.create<KubeObject & { status?: { allowed?: boolean } }>(SELF_SUBJECT_ACCESS_REVIEWS, {
        apiVersion: "authorization.k8s.io/v1",
        kind: "SelfSubjectAccessReview",
        metadata: { name: "" },
        spec: { resourceAttributes: { group: TENANT_REQUESTS.group, resource: TENANT_REQUESTS.plural, subresource: "status", verb: "update" } },
      } as KubeObject);
      return this.ctx.sessions.create({ user, platformAdmin: review.status?.allowed === true, client, token });
    } catch (err) {
      await client.close();
      if (err instanceof ApiError && err.status === 401)
        throw new Refusal(401, "Unauthorized", "the API server does not accept this token: it expired, was revoked, or belongs to another cluster");
      throw err;
    }
  }

  private async throughYunshu<T>(session: Session, path: string): Promise<T> {
    const { status, body } = await getFromView(this.ctx.view, session.token, path);
    if (status === 200) return JSON.parse(body) as T;
    const { reason, message } = parseRefusal(body);
    throw new Refusal(status, reason ?? (status === 401 ? "Unauthorized" : "YunshuRefused"), `yunshu answered ${status}: ${message}`);
  }

  private async requests(session: Session): Promise<RequestsAnswer> {
    const list = await this.throughYunshu<{ items: TenantRequest[] }>(session, "/requests");
    return { items: list.items.map((r) => summarizeRequest(r, session.user.username)).sort(byUrgency) };
  }

  private async queue(session: Session): Promise<RequestsAnswer> {
    const { items } = await session.client.list<TenantRequest & KubeObject>(TENANT_REQUESTS);
    return { items: items.map((r) => summarizeRequest(r, session.user.username)).sort(byUrgency) };
  }

  /** One request: a platform admin reads it from the API server, a department through yunshu (its own only). */
  private async request(session: Session, name: string): Promise<TenantRequest> {
    if (session.platformAdmin) {
      const found = await session.client.get<TenantRequest & KubeObject>(TENANT_REQUESTS, name);
      if (!found) throw new Refusal(404, "NotFound", `no TenantRequest ${name}`);
      return found;
    }
    return this.throughYunshu<TenantRequest>(session, `/requests/${encodeURIComponent(name)}`);
  }

  /**
   * The month's statement of the user's own tenants: the PriceSheet read
   * with their token (every department may), the metering through yunshu's
   * view (which gives them only their tenants'), priced here.
   */
  private async bill(req: IncomingMessage, res: ServerResponse, session: Session, csv: boolean): Promise<void> {
    const month = new URL(req.url ?? "/", "http://console").searchParams.get("month") ?? "";
    const sheet = await session.client.get<PriceSheet & KubeObject>(PRICE_SHEETS, DEFAULT_PRICE_SHEET);
    if (!sheet) throw new Refusal(404, "NoPriceSheet", `no PriceSheet ${DEFAULT_PRICE_SHEET}: the platform team has not published prices yet`);
    const spec = sheet.spec as PriceSheetSpec;
    const metered = await this.throughYunshu<MeteredMonth>(session, `/metering?month=${encodeURIComponent(month)}&resources=${encodeURIComponent(pricedResources(spec).join(","))}`);
    const statement = monthStatement(metered, spec, { month, rollup: true });
    if (!csv) return this.send(res, 200, statement);
    const name = `云枢账单-${month}.csv`;
    res
      .writeHead(200, {
        ...this.ctx.headers,
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="yunshu-statement-${month}.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
        "cache-control": "no-store",
      })
      .end(statementCsv(statement));
  }

  /** Files a request in the user's name: the requester is who the API server said they are, whatever the body says. */
  private async file(session: Session, body: Record<string, unknown>): Promise<TenantRequest> {
    const { requester: _ignored, ...draft } = body as Partial<NewRequest> & { requester?: unknown };
    if (typeof draft.tenant !== "string" || typeof draft.action !== "string" || typeof draft.reason !== "string")
      throw new Refusal(400, "BadRequest", "a request needs tenant, action and reason");
    const object = tenantRequestFor(draft as RequestDraft, { username: session.user.username, groups: session.user.groups });
    return session.client.create<TenantRequest & KubeObject>(TENANT_REQUESTS, object as TenantRequest & KubeObject, CONSOLE_FIELD_MANAGER);
  }

  /**
   * Decides a request as the user, on the request as the API server has it
   * now. A department cannot read it (403), let alone decide it; an admin
   * deciding their own request is refused by admission (four eyes).
   */
  private async decide(session: Session, name: string, body: Record<string, unknown>): Promise<TenantRequest> {
    const { verdict, reason } = body as Partial<DecisionBody>;
    if (verdict !== "approve" && verdict !== "deny") throw new Refusal(400, "BadRequest", 'verdict must be "approve" or "deny"');
    if (typeof reason !== "string" || !reason.trim()) throw new Refusal(400, "BadRequest", "a decision needs a reason: the department and the audit trail see why");
    const request = await session.client.get<TenantRequest & KubeObject>(TENANT_REQUESTS, name);
    if (!request) throw new Refusal(404, "NotFound", `no TenantRequest ${name}`);
    const apply = decisionApply(request, verdict, session.user.username, reason.trim(), new Date());
    return session.client.apply<TenantRequest & KubeObject>(TENANT_REQUESTS, apply as unknown as TenantRequest & KubeObject, CONSOLE_FIELD_MANAGER, "status");
  }
}
