// The console's process: the page (built by console/web/build.ts) and its
// /api, over HTTPS (or plain HTTP on loopback only: users send their
// tokens to it). It holds no credentials of its own: it knows where the API
// server and yunshu's department view are, and acts with each signed-in
// user's token.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { extname, join, normalize } from "node:path";
import type { YunshuView } from "../../operator/request/view-client.ts";
import { isLoopback, parseBindAddress } from "../../operator/metrics/http-server.ts";
import type { ClusterCredentials } from "../../operator/runtime/kubeconfig.ts";
import type { Logger } from "../../operator/runtime/log.ts";
import { ConsoleApi } from "./api.ts";
import { securityHeaders, sendJson } from "./http-security.ts";
import { LiveStreams } from "./live.ts";
import { tenantRequestSpecSchema } from "./request-schema.ts";
import { SessionStore, type SessionLimits } from "./sessions.ts";

export interface ConsoleOptions {
  apiServer: Pick<ClusterCredentials, "server" | "caPem" | "tlsServerName">;
  view: YunshuView;
  /** Where to listen, such as 127.0.0.1:0 or :8443. */
  bindAddress: string;
  /** PEM certificate chain and key: serve HTTPS (required off loopback). */
  tls?: { cert: string; key: string };
  /** The built page: console/web/dist. */
  pageDir: string;
  sessionLimits?: Partial<SessionLimits>;
  log: Logger;
}

export interface RunningConsole {
  url: string;
  server: Server;
  sessions: SessionStore;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

async function servePage(res: ServerResponse, pageDir: string, path: string, headers: Record<string, string>): Promise<void> {
  // Assets by their path, confined to pageDir; every other path is a route of the page.
  const asset = path.startsWith("/assets/") ? normalize(join(pageDir, path)) : join(pageDir, "index.html");
  if (!asset.startsWith(join(pageDir, "assets") + "/") && asset !== join(pageDir, "index.html")) return sendJson(res, 404, { code: 404, reason: "NotFound", message: "no such file" }, headers);
  try {
    const body = await readFile(asset);
    res.writeHead(200, { ...headers, "content-type": TYPES[extname(asset)] ?? "application/octet-stream", "cache-control": "no-cache" }).end(body);
  } catch {
    sendJson(res, 404, { code: 404, reason: "NotFound", message: path.startsWith("/assets/") ? `no asset ${path}` : "the console's page is not built: run node console/web/build.ts" }, headers);
  }
}

export async function startConsole(opts: ConsoleOptions): Promise<RunningConsole> {
  const { host, port } = parseBindAddress(opts.bindAddress);
  if (!opts.tls && !isLoopback(host)) throw new Error(`the console takes users' tokens: serve it over HTTPS (--tls-cert-file, --tls-private-key-file) or on a loopback address, not plain HTTP on ${opts.bindAddress}`);
  const secure = opts.tls !== undefined;
  const headers = securityHeaders(secure);
  const sessions = new SessionStore(opts.sessionLimits);
  const live = new LiveStreams(opts.view, opts.log);
  sessions.onEnd = (session) => live.endFor(session.id);
  const api = new ConsoleApi({ apiServer: opts.apiServer, view: opts.view, sessions, live, requestSchema: tenantRequestSpecSchema(), secure, headers, log: opts.log });

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    let path: string;
    try {
      path = decodeURI((req.url ?? "/").split("?")[0] ?? "/");
    } catch {
      return sendJson(res, 400, { code: 400, reason: "BadRequest", message: "the path is not valid percent-encoding" }, headers);
    }
    if (path === "/healthz") return void res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    if (path.startsWith("/api/")) {
      api.handle(req, res, path).catch((err: unknown) => {
        opts.log.error("console API call failed", { path, error: err });
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { code: 405, reason: "MethodNotAllowed", message: "the page is read with GET" }, headers);
    servePage(res, opts.pageDir, path, headers).catch((err: unknown) => {
      opts.log.error("could not serve the console's page", { path, error: err });
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  const server = opts.tls ? createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const sweep = setInterval(() => sessions.sweep(), 60_000);
  sweep.unref();
  const bound = server.address();
  const boundPort = typeof bound === "object" && bound ? bound.port : port;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return {
    url: `${secure ? "https" : "http"}://${shownHost}:${boundPort}`,
    server,
    sessions,
    async close() {
      clearInterval(sweep);
      sessions.endAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
