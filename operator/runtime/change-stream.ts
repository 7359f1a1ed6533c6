// A Server-Sent Events stream that says which view changed, never what:
// yunshu's /watch and the console's /api/events. Changes within a short
// window go out once per view (a tenant's status moves in bursts), a
// comment now and then keeps proxies from closing a quiet stream, and
// `signed-out` ends it when the caller's token stops being accepted.
import type { ServerResponse } from "node:http";

const HEARTBEAT_MS = 20_000;
const COALESCE_MS = 200;

export interface ChangeStream {
  changed(topic: string): void;
  /** Tells the page its session is over, and ends the stream. */
  signedOut(): void;
  /** Aborted once the stream is closed, by either side. */
  readonly closed: AbortSignal;
}

export function openChangeStream(res: ServerResponse, headers: Record<string, string>, greeting: string): ChangeStream {
  const controller = new AbortController();
  const due = new Set<string>();
  let flush: NodeJS.Timeout | undefined;
  res.writeHead(200, { ...headers, "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
  res.write(`: ${greeting}\n\n`);
  const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
  res.on("close", () => {
    controller.abort();
    clearInterval(heartbeat);
    clearTimeout(flush);
  });
  return {
    closed: controller.signal,
    changed(topic) {
      due.add(topic);
      flush ??= setTimeout(() => {
        flush = undefined;
        for (const t of due) res.write(`event: change\ndata: ${JSON.stringify({ topic: t })}\n\n`);
        due.clear();
      }, COALESCE_MS);
    },
    signedOut() {
      if (controller.signal.aborted) return;
      res.write("event: signed-out\ndata: {}\n\n");
      res.end();
    },
  };
}
