import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, refuseCrossSite, sessionCookie, sessionIdOf } from "./http-security.ts";
import type { Session } from "./sessions.ts";

const req = (headers: Record<string, string>, method = "POST") => ({ headers, method }) as unknown as IncomingMessage;
const session = { csrfToken: "s3cret-token" } as Session;
const ORIGIN = "https://console.example.gov.cn";

describe("refuseCrossSite", () => {
  it("admits the console's own JSON call with the session's CSRF token", () => {
    expect(refuseCrossSite(req({ origin: ORIGIN, "content-type": "application/json", "x-csrf-token": "s3cret-token" }), ORIGIN, session)).toBeUndefined();
  });

  it("refuses another origin, a form post, and a missing or wrong CSRF token", () => {
    expect(refuseCrossSite(req({ origin: "https://evil.example", "content-type": "application/json", "x-csrf-token": "s3cret-token" }), ORIGIN, session)).toMatch(/evil/);
    expect(refuseCrossSite(req({ origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", "x-csrf-token": "s3cret-token" }), ORIGIN, session)).toMatch(/JSON/);
    expect(refuseCrossSite(req({ origin: ORIGIN, "content-type": "application/json" }), ORIGIN, session)).toMatch(/x-csrf-token/);
    expect(refuseCrossSite(req({ origin: ORIGIN, "content-type": "application/json", "x-csrf-token": "s3cret-tokeN" }), ORIGIN, session)).toMatch(/x-csrf-token/);
  });
});

describe("cookies and headers", () => {
  it("binds the session cookie to HTTPS and the host, HttpOnly and SameSite=Strict", () => {
    expect(sessionCookie("abc", true, 60)).toBe("__Host-yunshu_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure");
    expect(sessionCookie("abc", false, 60)).toBe("yunshu_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60");
  });

  it("reads only the session cookie of the scheme served", () => {
    expect(sessionIdOf(req({ cookie: "a=1; __Host-yunshu_session=xyz; yunshu_session=plain" }), true)).toBe("xyz");
    expect(sessionIdOf(req({ cookie: "a=1; yunshu_session=plain" }), true)).toBeUndefined();
  });

  it("lets the page run only its own scripts and styles, and never be framed", () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});
