// Two ways to put a member cluster behind something that misbehaves,
// without touching the API server itself:
//
//  - latencyProxy: a TCP relay that holds every chunk, each way, for a
//    delay drawn per chunk, in order (latency, not loss or reordering): a
//    member far away or overloaded, that answers slowly but answers;
//  - clockSkewProxy: an HTTPS relay, with the member's own serving
//    certificate, that shifts every time the member reports (RFC 3339
//    timestamps in its JSON, the Date header) by a fixed offset.
//
// Why the skew is shifted in the answers rather than in the member's clock:
// kube-apiserver is a static Go binary that reads the clock through the
// vDSO, so libfaketime's LD_PRELOAD never reaches it, and changing the
// machine's clock would skew every cluster and the operator alike. What a
// member with a wrong clock shows its clients is exactly its timestamps:
// creationTimestamp, deletionTimestamp, managedFields times, conditions'
// lastTransitionTime, Lease renewTime and the Date header, all stamped by its
// clock. Tokens it issues it also checks against its own clock, which the
// relay leaves consistent, as it would be on a real member.
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer, request as httpsRequest, Agent } from "node:https";
import { connect, createServer, type Server, type Socket } from "node:net";
import type { ControlPlane } from "../../tools/controlplane/controlplane.ts";

export interface Proxy {
  /** https://127.0.0.1:<port>: the member's API as clients of the proxy see it. */
  url: string;
  close(): Promise<void>;
}

export interface LatencyProxy extends Proxy {
  /** Chunks held back so far: a proxy that delayed nothing proves nothing. */
  readonly delayedChunks: number;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function latencyProxy(target: string, delayMs: () => number): Promise<LatencyProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let delayed = 0;
  // Each direction of each connection keeps its order: a chunk never leaves before the one ahead of it.
  // One queue and one timer per direction: separate timers that fall due in
  // the same millisecond may fire in any order, and TLS records that arrive
  // out of order are garbage.
  const relay = (from: Socket, to: Socket) => {
    const queue: { due: number; chunk: Buffer | "end" | "close" }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const drain = () => {
      timer = undefined;
      while (queue.length > 0 && queue[0]!.due <= Date.now()) {
        const { chunk } = queue.shift()!;
        if (to.destroyed) continue;
        if (chunk === "end") to.end();
        else if (chunk === "close") to.destroy();
        else to.write(chunk);
      }
      if (queue.length > 0) timer = setTimeout(drain, queue[0]!.due - Date.now());
    };
    const push = (chunk: Buffer | "end" | "close") => {
      const due = Math.max(Date.now() + (typeof chunk === "string" ? 0 : delayMs()), queue.at(-1)?.due ?? 0);
      queue.push({ due, chunk });
      if (!timer) timer = setTimeout(drain, due - Date.now());
    };
    from.on("data", (chunk: Buffer) => {
      delayed++;
      push(chunk);
    });
    from.on("end", () => push("end"));
    from.on("error", () => to.destroy());
    from.on("close", () => push("close"));
  };
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    relay(client, upstream);
    relay(upstream, client);
  });
  const listening = await listen(server);
  return {
    url: `https://127.0.0.1:${listening}`,
    get delayedChunks() {
      return delayed;
    },
    close: () => closeServer(server, sockets),
  };
}

const TIMESTAMP = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z"/g;

/** Every RFC 3339 UTC timestamp in `text` moved by `offsetMs`, at the precision it had. */
export function shiftTimestamps(text: string, offsetMs: number): { text: string; shifted: number } {
  let shifted = 0;
  const out = text.replace(TIMESTAMP, (_, seconds: string, fraction: string | undefined) => {
    shifted++;
    const frac = fraction ?? "";
    const ms = Date.parse(`${seconds}${frac.slice(0, 4)}Z`) + offsetMs;
    const iso = new Date(ms).toISOString().slice(0, 19);
    // Keep the digits beyond milliseconds (MicroTime) as they were: the shift is whole milliseconds.
    const newFrac = frac ? (new Date(ms).toISOString().slice(19, 23) + frac.slice(4)).slice(0, frac.length) : "";
    return `"${iso}${newFrac}Z"`;
  });
  return { text: out, shifted };
}

export interface SkewProxy extends Proxy {
  /** Timestamps shifted so far. */
  readonly shifted: number;
}

export async function clockSkewProxy(member: ControlPlane, offsetMs: number): Promise<SkewProxy> {
  const pki = (name: string) => readFileSync(`${member.dir}/pki/${name}`);
  const agent = new Agent({ ca: pki("ca.crt"), keepAlive: true });
  const upstream = new URL(member.server);
  let shifted = 0;
  const sockets = new Set<Socket>();
  const server = createHttpsServer({ cert: pki("serving.crt"), key: pki("serving.key") }, (req, res) => {
    const forward = httpsRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent },
      (answer) => {
        const headers = { ...answer.headers };
        if (typeof headers.date === "string") headers.date = new Date(Date.parse(headers.date) + offsetMs).toUTCString();
        const json = String(headers["content-type"] ?? "").includes("json");
        // The length changes with nothing, but stays honest only if not sent.
        if (json) delete headers["content-length"];
        res.writeHead(answer.statusCode ?? 502, headers);
        if (!json) {
          answer.pipe(res);
          return;
        }
        // Line by line, so that a watch's events pass as they come.
        let carry = "";
        answer.setEncoding("utf8");
        answer.on("data", (chunk: string) => {
          carry += chunk;
          const end = carry.lastIndexOf("\n");
          if (end < 0) return;
          const done = shiftTimestamps(carry.slice(0, end + 1), offsetMs);
          shifted += done.shifted;
          carry = carry.slice(end + 1);
          res.write(done.text);
        });
        answer.on("end", () => {
          const done = shiftTimestamps(carry, offsetMs);
          shifted += done.shifted;
          res.end(done.text);
        });
        answer.on("error", () => res.destroy());
      },
    );
    forward.on("error", () => res.destroy());
    res.on("close", () => forward.destroy());
    req.pipe(forward);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const port = await listen(server);
  return {
    url: `https://127.0.0.1:${port}`,
    get shifted() {
      return shifted;
    },
    close: async () => {
      await closeServer(server, sockets);
      agent.destroy();
    },
  };
}
