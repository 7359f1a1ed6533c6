// What every answer of the console carries to keep a browser safe, and the
// checks every state-changing call passes. The page is one origin's own
// scripts and styles (the content security policy), never framed; a call
// that changes anything must come from that origin (Origin) and carry the
// session's CSRF token in a header, which no other site's form or script
// can send; the session cookie is HttpOnly and SameSite=Strict.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sameSecret, type Session } from "./sessions.ts";

export const SESSION_COOKIE = "yunshu_session";
/** With HTTPS the cookie is bound to this host and to HTTPS only (the __Host- prefix). */
export const SECURE_SESSION_COOKIE = "__Host-yunshu_session";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

export function securityHeaders(secure: boolean): Record<string, string> {
  return {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    ...(secure ? { "strict-transport-security": "max-age=31536000" } : {}),
  };
}

export const cookieName = (secure: boolean) => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

export function sessionCookie(id: string, secure: boolean, maxAgeSeconds: number): string {
  return `${cookieName(secure)}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}${secure ? "; Secure" : ""}`;
}

export const clearedSessionCookie = (secure: boolean) => sessionCookie("", secure, 0);

/** The session id the request's Cookie header carries, if any. */
export function sessionIdOf(req: IncomingMessage, secure: boolean): string | undefined {
  const name = cookieName(secure);
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=") || undefined;
  }
  return undefined;
}

/**
 * Why a state-changing call is refused, or undefined when it may go on: it
 * must come from the console's own origin, as JSON, and (with a session)
 * carry that session's CSRF token. A cross-site form can do none of these.
 */
export function refuseCrossSite(req: IncomingMessage, origin: string, session: Session | undefined): string | undefined {
  const from = req.headers.origin;
  if (from !== undefined && from !== origin) return `calls from ${from} are refused: only the console's own pages (${origin}) may change anything`;
  // A form can post, but not as JSON; a DELETE carries no body.
  if (req.method === "POST" && !(req.headers["content-type"] ?? "").startsWith("application/json")) return "send JSON (content-type: application/json)";
  if (session && !sameSecret(header(req, "x-csrf-token"), session.csrfToken)) return "missing or wrong x-csrf-token header: reload the console and try again";
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers }).end(JSON.stringify(body));
}
