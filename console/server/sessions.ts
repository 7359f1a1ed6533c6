// Signed-in users. A session holds the user's own Kubernetes token on the
// server, never in the browser: the browser holds only a random session id
// in an HttpOnly cookie, and a CSRF token in memory. A session ends at
// sign-out, after an idle period, after an absolute lifetime, when the
// token itself expires (its JWT exp, read but not trusted: it can only make
// a session shorter), or when the API server stops accepting the token.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { UserIdentity } from "../api-types.ts";
import type { KubeClient } from "../../operator/runtime/kube-client.ts";

export interface Session {
  id: string;
  user: UserIdentity;
  csrfToken: string;
  platformAdmin: boolean;
  /** Talks to the API server as the user, with their token; nothing else does. */
  client: KubeClient;
  /** The user's bearer token, for yunshu's department view. */
  token: string;
  lastSeenAt: number;
  expiresAt: number;
}

export interface SessionLimits {
  /** End a session nobody used for this long. */
  idleMs: number;
  /** End every session this long after sign-in, whatever the token allows. */
  absoluteMs: number;
  /** At most this many sessions at once; the oldest ends first. */
  maxSessions: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000, maxSessions: 10_000 };

/** A JWT's exp claim as epoch milliseconds; undefined for a token that is not a JWT or has none. */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload || token.split(".").length !== 3) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown }).exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const randomId = () => randomBytes(32).toString("base64url");

export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly limits: SessionLimits;
  private readonly now: () => number;

  constructor(limits: Partial<SessionLimits> = {}, now: () => number = Date.now) {
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...limits };
    this.now = now;
  }

  create(fields: { user: UserIdentity; platformAdmin: boolean; client: KubeClient; token: string }): Session {
    const now = this.now();
    const expiresAt = Math.min(now + this.limits.absoluteMs, tokenExpiry(fields.token) ?? Infinity);
    while (this.sessions.size >= this.limits.maxSessions) this.end(this.sessions.keys().next().value!);
    const session: Session = { ...fields, id: randomId(), csrfToken: randomId(), lastSeenAt: now, expiresAt };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, marked as used; undefined (and ended) when it timed out. */
  find(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session || this.endIfTimedOut(session)) return undefined;
    session.lastSeenAt = this.now();
    return session;
  }

  private endIfTimedOut(session: Session): boolean {
    const now = this.now();
    if (now < session.expiresAt && now - session.lastSeenAt < this.limits.idleMs) return false;
    this.end(session.id);
    return true;
  }

  end(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.onEnd(session);
    void session.client.close();
  }

  /** Ends every session that timed out; the server calls it every minute. */
  sweep(): void {
    for (const session of [...this.sessions.values()]) this.endIfTimedOut(session);
  }

  endAll(): void {
    for (const id of [...this.sessions.keys()]) this.end(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Called as a session ends, for whatever follows it (live streams). */
  onEnd: (session: Session) => void = () => {};
}
