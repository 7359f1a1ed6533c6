import { describe, expect, it } from "vitest";
import type { KubeClient } from "../../operator/runtime/kube-client.ts";
import { SessionStore, tokenExpiry } from "./sessions.ts";

const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;

function store(limits = {}) {
  let now = 1_000_000;
  const closed: string[] = [];
  const sessions = new SessionStore({ idleMs: 1_000, absoluteMs: 10_000, maxSessions: 2, ...limits }, () => now);
  const client = (name: string) => ({ close: async () => void closed.push(name) }) as unknown as KubeClient;
  const open = (name: string, token = "opaque") => sessions.create({ user: { username: name, groups: [] }, platformAdmin: false, client: client(name), token });
  return { sessions, open, closed, advance: (ms: number) => (now += ms) };
}

describe("tokenExpiry", () => {
  it("reads a JWT's exp, and nothing from a token that is not a JWT", () => {
    expect(tokenExpiry(jwt({ exp: 1_700_000_000 }))).toBe(1_700_000_000_000);
    expect(tokenExpiry("31ada4fd-adec-460c-809a-9e56ceb75269")).toBeUndefined();
    expect(tokenExpiry("a.b.c")).toBeUndefined();
    expect(tokenExpiry(jwt({ exp: "soon" }))).toBeUndefined();
  });
});

describe("SessionStore", () => {
  it("gives each session unguessable, distinct ids and CSRF tokens", () => {
    const { open } = store();
    const a = open("a");
    const b = open("b");
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([a.id, b.id, a.csrfToken, b.csrfToken]).size).toBe(4);
  });

  it("ends a session left idle, and closes its client", () => {
    const { sessions, open, closed, advance } = store();
    const a = open("a");
    advance(900);
    expect(sessions.find(a.id)).toBe(a);
    advance(900);
    expect(sessions.find(a.id)).toBe(a);
    advance(1_000);
    expect(sessions.find(a.id)).toBeUndefined();
    expect(closed).toEqual(["a"]);
  });

  it("ends a session at its absolute limit or its token's expiry, whichever is first, however busy", () => {
    const { sessions, open, advance } = store();
    const shortToken = open("a", jwt({ exp: (1_000_000 + 3_000) / 1000 }));
    expect(shortToken.expiresAt).toBe(1_003_000);
    for (let i = 0; i < 3; i++) {
      advance(900);
      expect(sessions.find(shortToken.id)).toBe(shortToken);
    }
    advance(400);
    expect(sessions.find(shortToken.id)).toBeUndefined();
  });

  it("sweeps timed-out sessions without counting the sweep as use, and keeps at most maxSessions", () => {
    const { sessions, open, closed, advance } = store();
    open("a");
    advance(500);
    const b = open("b");
    const c = open("c");
    expect(closed).toEqual(["a"]);
    advance(600);
    sessions.find(c.id);
    advance(500);
    sessions.sweep();
    expect(sessions.size).toBe(1);
    expect(sessions.find(b.id)).toBeUndefined();
    advance(600);
    expect(sessions.find(c.id)).toBeUndefined();
  });
});
