// The operator's HTTP endpoint: /metrics for Prometheus, /healthz for the
// liveness probe (the process serves requests), /readyz for the readiness
// probe (caches synced, so a standby can take over at once).
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import type { Logger } from "../runtime/log.ts";

export interface HttpEndpoints {
  registry: Registry;
  isReady: () => boolean;
  log: Logger;
}

/** Parses `:8080`, `0.0.0.0:8080` or `127.0.0.1:0` (0: any free port). */
export function parseBindAddress(address: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(address);
  if (!match) throw new Error(`bind address ${JSON.stringify(address)} must look like :8080 or 127.0.0.1:8080`);
  return { host: match[1] || "0.0.0.0", port: Number(match[2]) };
}

export async function startHttpServer(address: string, endpoints: HttpEndpoints): Promise<{ server: Server; port: number }> {
  const { host, port } = parseBindAddress(address);
  const server = createServer((req, res) => {
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
    } else if (path === "/metrics") {
      endpoints.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": endpoints.registry.contentType }).end(text),
        (err: unknown) => {
          endpoints.log.error("could not collect metrics", { error: err });
          res.writeHead(500).end();
        },
      );
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /metrics, /healthz or /readyz\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const bound = server.address();
  return { server, port: typeof bound === "object" && bound ? bound.port : port };
}
