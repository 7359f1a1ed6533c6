// The operator's HTTP endpoint: /metrics for Prometheus (and
// /metrics/metering, chargeback's series, scraped less often), /healthz for the
// liveness probe (the process serves requests), /readyz for the readiness
// probe (caches synced, so a standby can take over at once), and /requests,
// a department's view of its own TenantRequests. The probes stay open, since
// the kubelet sends no token and they tell nothing about tenants; /metrics
// answers only callers the API server authorizes (metrics-auth.ts);
// /requests, /shares, /mine and /watch only show a caller what is theirs
// (request/department-view.ts).
// With a certificate it serves HTTPS, which /requests needs off loopback:
// departments send their own tokens.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { Counter, type Registry } from "prom-client";
import type { Logger } from "../runtime/log.ts";
import { METRICS_PATH, type MetricsAuthorizer } from "./metrics-auth.ts";
import { METERING_PATH, MINE_PATH, REQUESTS_PATH, SHARES_PATH, WATCH_PATH, type DepartmentRequestView } from "../request/department-view.ts";
import { ReviewsBusyError } from "./token-reviews.ts";
import { openChangeStream } from "../runtime/change-stream.ts";

export interface HttpEndpoints {
  registry: Registry;
  /** Chargeback's series (metrics/metering.ts), at /metrics/metering. */
  metering?: () => string;
  isReady: () => boolean;
  log: Logger;
  /** Undefined: /metrics is open (`--metrics-auth=false`, loopback only). */
  auth: MetricsAuthorizer | undefined;
  /** Undefined: /requests is not served (plain HTTP off loopback). */
  requests?: DepartmentRequestView;
  /** PEM certificate chain and key: serve HTTPS. */
  tls?: { cert: string; key: string };
}

/** Chargeback's metering series (metrics/metering.ts). */
export const METERING_METRICS_PATH = `${METRICS_PATH}/metering`;

/** Loopback hosts: only processes on this machine reach them. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function registerAuthCounters(registry: Registry, auth: MetricsAuthorizer): void {
  new Counter({
    name: "yunshu_metrics_auth_decisions_total",
    help: "Decisions on who may read /metrics, by source: cached (remembered) or reviewed (asked the API server with a TokenReview and a SubjectAccessReview).",
    labelNames: ["source"],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ source: "cached" }, auth.counts.cached);
      this.inc({ source: "reviewed" }, auth.counts.reviewed);
    },
  });
}

/** A token that could not be reviewed: too many at once (429), or the API server did not answer (503). */
function answerReviewFailure(res: ServerResponse, err: unknown, path: string, endpoints: HttpEndpoints): void {
  if (err instanceof ReviewsBusyError) {
    res.writeHead(429, { "content-type": "text/plain", "retry-after": "1" }).end("too many tokens under review\n");
    return;
  }
  // Not the caller's fault and not remembered: the next call asks again.
  endpoints.log.warn(`could not review a ${path} caller's token`, { error: err });
  res.writeHead(503, { "content-type": "text/plain" }).end("could not review the token with the API server\n");
}

/**
 * /metrics and /metrics/metering: the same readers (get on the non-resource
 * URL /metrics) may read both; metering is apart so that Prometheus scrapes
 * its many series less often than the operator's health.
 */
async function serveMetrics(req: IncomingMessage, res: ServerResponse, path: string, endpoints: HttpEndpoints): Promise<void> {
  if (endpoints.auth) {
    let decision;
    try {
      decision = await endpoints.auth.decide(req.headers.authorization);
    } catch (err) {
      return answerReviewFailure(res, err, METRICS_PATH, endpoints);
    }
    if (decision === "unauthenticated") {
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="yunshu metrics"' }).end("Unauthorized\n");
      return;
    }
    if (decision === "forbidden") {
      res.writeHead(403, { "content-type": "text/plain" }).end(`Forbidden: needs get on the non-resource URL ${METRICS_PATH} (ClusterRole yunshu-metrics-reader)\n`);
      return;
    }
  }
  if (path === METERING_METRICS_PATH) {
    res.writeHead(200, { "content-type": endpoints.registry.contentType }).end(endpoints.metering?.() ?? "");
    return;
  }
  const text = await endpoints.registry.metrics();
  res.writeHead(200, { "content-type": endpoints.registry.contentType }).end(text);
}

async function serveRequests(req: IncomingMessage, res: ServerResponse, path: string, endpoints: HttpEndpoints): Promise<void> {
  if (!endpoints.requests) {
    res.writeHead(404, { "content-type": "text/plain" }).end("/requests is served over HTTPS only: start yunshu with --tls-cert-file and --tls-private-key-file\n");
    return;
  }
  const view = endpoints.requests;
  const authorization = req.headers.authorization;
  try {
    if (path === WATCH_PATH) return await serveWatch(req, res, view, endpoints);
    if (path === METERING_PATH) {
      const query = new URL(req.url ?? "/", "http://view").searchParams;
      const resources = (query.get("resources") ?? "").split(",").filter(Boolean);
      const { status, body } = await view.answerMetering(authorization, query.get("month"), resources);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      return;
    }
    const { status, body } =
      path === SHARES_PATH
        ? await view.answerShares(authorization)
        : path === MINE_PATH
          ? await view.answerMine(authorization)
          : await view.answer(authorization, path === REQUESTS_PATH ? undefined : decodeURIComponent(path.slice(REQUESTS_PATH.length + 1)));
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  } catch (err) {
    answerReviewFailure(res, err, REQUESTS_PATH, endpoints);
  }
}

/** How often a watcher's token is reviewed again: a revoked or expired token ends the stream. */
const WATCH_REVIEW_MS = 60_000;

/**
 * GET /watch: Server-Sent Events, `change` with the view that changed for
 * the caller, `signed-out` when their token stops being accepted. Only
 * which view changed goes out, never an object: the caller reads it again
 * through the filtered view.
 */
async function serveWatch(req: IncomingMessage, res: ServerResponse, view: DepartmentRequestView, endpoints: HttpEndpoints): Promise<void> {
  const authorization = req.headers.authorization;
  if (!(await view.caller(authorization))) {
    res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", code: 401, reason: "Unauthorized", message: "send your Kubernetes bearer token to watch your views" }));
    return;
  }
  const stream = openChangeStream(res, {}, "watching");
  const unsubscribe = await view.watch(authorization, stream.changed);
  if (!unsubscribe) return stream.signedOut();
  const review = setInterval(() => {
    view.caller(authorization).then(
      (who) => {
        if (!who) stream.signedOut();
      },
      (err: unknown) => endpoints.log.debug("could not review a watcher's token again; trying later", { error: err }),
    );
  }, WATCH_REVIEW_MS);
  stream.closed.addEventListener("abort", () => {
    unsubscribe();
    clearInterval(review);
  });
}

/** Parses `:8080`, `0.0.0.0:8080` or `127.0.0.1:0` (0: any free port). */
export function parseBindAddress(address: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(address);
  if (!match) throw new Error(`bind address ${JSON.stringify(address)} must look like :8080 or 127.0.0.1:8080`);
  return { host: match[1] || "0.0.0.0", port: Number(match[2]) };
}

export async function startHttpServer(address: string, endpoints: HttpEndpoints): Promise<{ server: Server; port: number }> {
  const { host, port } = parseBindAddress(address);
  if (endpoints.auth) registerAuthCounters(endpoints.registry, endpoints.auth);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else if (path === "/readyz") {
      const ready = endpoints.isReady();
      res.writeHead(ready ? 200 : 503, { "content-type": "text/plain" }).end(ready ? "ok\n" : "caches not synced\n");
    } else if (path === METRICS_PATH || path === METERING_METRICS_PATH) {
      serveMetrics(req, res, path, endpoints).catch((err: unknown) => {
        endpoints.log.error("could not collect metrics", { error: err });
        res.writeHead(500).end();
      });
    } else if (path === REQUESTS_PATH || path === SHARES_PATH || path === MINE_PATH || path === WATCH_PATH || path === METERING_PATH || path?.startsWith(`${REQUESTS_PATH}/`)) {
      serveRequests(req, res, path, endpoints).catch((err: unknown) => {
        endpoints.log.error("could not answer /requests", { error: err });
        res.writeHead(500).end();
      });
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /metrics, /metrics/metering, /healthz, /readyz, /requests, /shares, /mine, /watch or /metering\n");
    }
  };
  const server = endpoints.tls ? createTlsServer({ cert: endpoints.tls.cert, key: endpoints.tls.key }, handler) : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const bound = server.address();
  return { server, port: typeof bound === "object" && bound ? bound.port : port };
}
