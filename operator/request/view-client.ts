// Reading yunshu's department view (department-view.ts) as a user, with
// their bearer token: the kubectl plugin with the kubeconfig's token, the
// console with the signed-in user's. Only transport; callers word errors.
import type { IncomingMessage } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface YunshuView {
  url: URL;
  /** CA certificate (PEM) to trust for an https URL. */
  ca?: string;
}

function open(view: YunshuView, token: string, path: string, accept: string, timeoutMs: number, signal?: AbortSignal): Promise<IncomingMessage> {
  const url = new URL(`${view.url.pathname.replace(/\/$/, "")}${path}`, view.url);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = send(url, { headers: { authorization: `Bearer ${token}`, accept }, ...(view.ca ? { ca: view.ca } : {}), timeout: timeoutMs, ...(signal ? { signal } : {}) }, resolve);
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    req.on("error", reject);
    req.end();
  });
}

/** GET `path` (/requests, /requests/NAME, /shares, /mine) as the token's user: the status and the body's text. */
export async function getFromView(view: YunshuView, token: string, path: string, timeoutMs = 15_000): Promise<{ status: number; body: string }> {
  const res = await open(view, token, path, "application/json", timeoutMs);
  let body = "";
  for await (const chunk of res) body += (chunk as Buffer).toString();
  return { status: res.statusCode ?? 0, body };
}

/** GET /watch as the token's user: the open event stream (status 200), or the refusal. Aborting `signal` closes it. */
export function watchView(view: YunshuView, token: string, signal: AbortSignal): Promise<IncomingMessage> {
  // The stream is quiet between heartbeats (20 s): the socket timeout only guards the connect.
  return open(view, token, "/watch", "text/event-stream", 60_000, signal);
}

/** A refusal's reason and message: a Kubernetes Status's, or the body's text as the message. */
export function parseRefusal(body: string): { reason?: string; message: string } {
  try {
    const status = JSON.parse(body) as { reason?: string; message?: string };
    return { ...(status.reason ? { reason: status.reason } : {}), message: status.message ?? body.trim() };
  } catch {
    return { message: body.trim() };
  }
}
