// The console's API as an attacker meets it, against a real control plane
// and a running operator: without a session, with a forged or expired
// token or another cluster's, from another site, and as one department
// after another's data. Each refusal is checked together with the target
// left unchanged, next to the same call admitted for its rightful user.
import { createSign } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiErrorBody, FleetAnswer, MineAnswer, RequestsAnswer, RequestSummary, SessionInfo, TreeAnswer } from "../../console/api-types.ts";
import type { TenantRequest } from "../../operator/api/generated.ts";
import { TENANT_REQUESTS } from "../../operator/api/resources.ts";
import type { KubeObject } from "../../operator/runtime/kube-client.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { startConsoleFixture, type ConsoleFixture } from "../support/console-fixture.ts";

let fx: ConsoleFixture;
let other: ControlPlane;

beforeAll(async () => {
  [fx, other] = await Promise.all([startConsoleFixture("console-api"), ControlPlane.start({ name: "console-other", users: [{ name: "chen", groups: ["departments"] }] })]);
});

afterAll(async () => {
  await Promise.all([fx?.stop(), other?.stop()]);
});

interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

interface Signed {
  cookie: string;
  info: SessionInfo;
}

async function call<T = unknown>(method: string, path: string, opts: { signed?: Signed; body?: unknown; csrf?: string | null; origin?: string; contentType?: string } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (opts.signed) headers.cookie = opts.signed.cookie;
  const csrf = opts.csrf === undefined ? opts.signed?.info.csrfToken : opts.csrf;
  if (csrf) headers["x-csrf-token"] = csrf;
  if (opts.body !== undefined) headers["content-type"] = opts.contentType ?? "application/json";
  headers.origin = opts.origin ?? fx.console.url;
  const res = await fetch(`${fx.console.url}${path}`, { method, headers, ...(opts.body !== undefined ? { body: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

async function signIn(token: string): Promise<Signed> {
  const answer = await call<SessionInfo>("POST", "/api/session", { body: { token } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const cookie = answer.headers.get("set-cookie")!.split(";")[0]!;
  return { cookie, info: answer.body };
}

const requestsNow = async () => (await fx.admin.list<TenantRequest & KubeObject>(TENANT_REQUESTS)).items;

/** A real ServiceAccount token of this cluster, re-signed with its own key but expired an hour ago. */
async function expiredToken(): Promise<string> {
  const identity = await fx.plane.serviceAccountIdentity("default", "default");
  const [header, payload] = fx.plane.token(identity).split(".") as [string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const body = Buffer.from(JSON.stringify({ ...claims, iat: now - 7200, nbf: now - 7200, exp: now - 3600 })).toString("base64url");
  const signer = createSign("RSA-SHA256");
  signer.update(`${header}.${body}`);
  return `${header}.${body}.${signer.sign(await readFile(join(fx.plane.dir, "pki", "sa.key"))).toString("base64url")}`;
}

describe("signing in", () => {
  it("signs a user in with their own token, in an HttpOnly SameSite=Strict cookie, and says who they are", async () => {
    const answer = await call<SessionInfo>("POST", "/api/session", { body: { token: fx.plane.token("chen") } });
    expect(answer.status).toBe(201);
    expect(answer.headers.get("set-cookie")).toMatch(/^yunshu_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(answer.body.user).toEqual({ username: "chen", groups: ["departments", "system:authenticated"] });
    expect(answer.body.platformAdmin).toBe(false);
    expect(JSON.stringify(answer.body)).not.toContain(fx.plane.token("chen"));
    expect((await signIn(fx.plane.token("platform-wang"))).info.platformAdmin).toBe(true);
  });

  it("refuses a missing token, a made-up one, an expired one, and one of another cluster for the same user name", async () => {
    expect((await call<ApiErrorBody>("POST", "/api/session", { body: {} })).body).toMatchObject({ code: 400, reason: "MissingToken" });
    const refusals = [
      ["made up", "0123456789abcdef0123456789abcdef"],
      ["expired", await expiredToken()],
      ["another cluster's", other.token("chen")],
    ] as const;
    for (const [what, token] of refusals) {
      const answer = await call<ApiErrorBody>("POST", "/api/session", { body: { token } });
      expect(answer.status, what).toBe(401);
      expect(answer.body.message).toContain("the API server does not accept this token");
      // At most the cookie's clearing: no session.
      expect(answer.headers.get("set-cookie") ?? "", what).not.toMatch(/yunshu_session=[^;]/);
    }
  });

  it("ends the session when the token stops working: a ServiceAccount deleted while signed in", async () => {
    const created = await fx.plane.kubectl(["create", "serviceaccount", "temp-clerk", "-n", "default"]);
    expect(created.code, created.stderr).toBe(0);
    const signed = await signIn(fx.plane.token(await fx.plane.serviceAccountIdentity("default", "temp-clerk")));
    expect((await call("GET", "/api/session", { signed })).status).toBe(200);
    expect((await fx.plane.kubectl(["delete", "serviceaccount", "temp-clerk", "-n", "default"])).code).toBe(0);
    // yunshu's view remembers a token's review for a minute; the API server refuses at once.
    await eventually("the console to notice the token is gone", async () => (await call("GET", "/api/queue", { signed })).status === 401, { timeoutMs: 20_000 });
    expect((await call("GET", "/api/session", { signed })).status).toBe(401);
  });

  it("signs out: the cookie is cleared and the old session id no longer works", async () => {
    const signed = await signIn(fx.plane.token("chen"));
    const out = await call("DELETE", "/api/session", { signed });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^yunshu_session=; .*Max-Age=0/);
    expect((await call("GET", "/api/mine", { signed })).status).toBe(401);
  });
});

describe("calls without a session, or from another site", () => {
  it("answers nothing without a session: no tenants, no requests, no queue, no stream", async () => {
    for (const path of ["/api/mine", "/api/requests", "/api/queue", "/api/tree", "/api/fleet", "/api/events", "/api/schema"]) {
      const answer = await call<ApiErrorBody>("GET", path);
      expect(answer.status, path).toBe(401);
      expect(JSON.stringify(answer.body), path).not.toContain("changsha");
    }
    const before = await requestsNow();
    const filed = await call("POST", "/api/requests", { body: { tenant: "changsha-health", action: "AddNamespaces", namespaces: ["x"], reason: "no session" } });
    expect(filed.status).toBe(401);
    expect(await requestsNow()).toEqual(before);
  });

  it("refuses a state change without the CSRF token, with a wrong one, from another origin, or as a form; admits the same call done right", async () => {
    const signed = await signIn(fx.plane.token("chen"));
    const body = { tenant: "changsha-health", action: "AddNamespaces", namespaces: ["csrf"], reason: "CSRF check" };
    const before = await requestsNow();
    const forged = [
      await call<ApiErrorBody>("POST", "/api/requests", { signed, body, csrf: null }),
      await call<ApiErrorBody>("POST", "/api/requests", { signed, body, csrf: "guessed" }),
      await call<ApiErrorBody>("POST", "/api/requests", { signed, body, origin: "https://evil.example" }),
      await call<ApiErrorBody>("POST", "/api/requests", { signed, body: "tenant=changsha-health&action=AddNamespaces", contentType: "application/x-www-form-urlencoded" }),
    ];
    expect(forged.map((a) => [a.status, a.body.reason])).toEqual(Array(4).fill([403, "CrossSiteRequestRefused"]));
    expect(await requestsNow()).toEqual(before);
    // Sign-out is a state change too: a cross-site one leaves the session alive.
    expect((await call("DELETE", "/api/session", { signed, csrf: null })).status).toBe(403);

    const admitted = await call<RequestSummary>("POST", "/api/requests", { signed, body });
    expect(admitted.status).toBe(201);
    expect((await requestsNow()).length).toBe(before.length + 1);
  });

  it("serves the page with a content security policy that allows only its own scripts, and never in a frame", async () => {
    const page = await fetch(`${fx.console.url}/requests/new`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect((await fetch(`${fx.console.url}/assets/..%2F..%2F..%2Fpackage.json`)).status).toBe(404);
  });
});

describe("one department, another's data", () => {
  it("shows each department its own tenants, with namespaces per cluster and quota, and a member theirs", async () => {
    const mine = async (user: string) => (await call<MineAnswer>("GET", "/api/mine", { signed: await signIn(fx.plane.token(user)) })).body;
    const chen = await mine("chen");
    expect(chen.tenants.map((t) => [t.name, t.relation, t.ownedThrough])).toEqual([
      ["changsha-health", "owner", undefined],
      ["changsha-kaifu-health", "owner", "changsha-health"],
    ]);
    expect(chen.tenants[0]!.clusters[0]!.namespaces.sort()).toEqual(["changsha-health-dev", "changsha-health-prod"]);
    expect(chen.tenants[0]!.quota.find((q) => q.resource === "pods")).toMatchObject({ hard: expect.any(String) });
    expect((await mine("alice")).tenants.map((t) => t.name)).toEqual(["hunan-data-bureau"]);
    expect((await mine("dev-wu")).tenants.map((t) => [t.name, t.relation])).toEqual([["hunan-data-bureau", "developer"]]);
    expect((await mine("platform-li")).tenants).toEqual([]);
  });

  it("files a request in the signed-in user's name, whatever the body claims", async () => {
    const signed = await signIn(fx.plane.token("chen"));
    const filed = await call<RequestSummary>("POST", "/api/requests", {
      signed,
      body: { tenant: "changsha-health", action: "ChangeQuota", quota: { hard: { pods: "70" } }, reason: "流感季", requester: { username: "alice", groups: ["platform-team"] } },
    });
    expect(filed.status).toBe(201);
    const stored = await fx.admin.get<TenantRequest & KubeObject>(TENANT_REQUESTS, filed.body.name);
    expect(stored!.spec.requester).toEqual({ username: "chen", groups: ["departments", "system:authenticated"] });
  });

  it("gives the API server's own refusal, with the field, for a request the schema refuses", async () => {
    const signed = await signIn(fx.plane.token("chen"));
    const answer = await call<ApiErrorBody>("POST", "/api/requests", { signed, body: { tenant: "changsha-health", action: "AddNamespaces", namespaces: ["bad-name"], reason: "x" } });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toContain('"bad-name" is not a short namespace name');
  });

  it("never shows one department's request to another, by list or by name", async () => {
    const chen = await signIn(fx.plane.token("chen"));
    const alice = await signIn(fx.plane.token("alice"));
    const filed = await call<RequestSummary>("POST", "/api/requests", { signed: chen, body: { tenant: "changsha-health", action: "AddNamespaces", namespaces: ["secret"], reason: "长沙的计划" } });
    await eventually("the operator to cache the request", () => fx.operator.requests.get(filed.body.name) !== undefined);
    expect((await call<RequestsAnswer>("GET", "/api/requests", { signed: chen })).body.items.map((r) => r.name)).toContain(filed.body.name);
    expect((await call<RequestsAnswer>("GET", "/api/requests", { signed: alice })).body.items.map((r) => r.tenant)).not.toContain("changsha-health");
    const byName = await call<ApiErrorBody>("GET", `/api/requests/${filed.body.name}`, { signed: alice });
    expect(byName.status).toBe(404);
    expect(JSON.stringify(byName.body)).not.toContain("长沙的计划");
    // The platform's lists answer a department with the API server's refusal, not with data.
    for (const path of ["/api/queue", "/api/tree", "/api/fleet"]) expect((await call("GET", path, { signed: alice })).status, path).toBe(403);
  });

  it("lets no department decide a request, even with a forged call in its own session: the API server refuses and nothing changes", async () => {
    const chen = await signIn(fx.plane.token("chen"));
    const alice = await signIn(fx.plane.token("alice"));
    const filed = await call<RequestSummary>("POST", "/api/requests", { signed: chen, body: { tenant: "changsha-health", action: "AddNamespaces", namespaces: ["approveme"], reason: "x" } });
    await eventually("yunshu to judge it", async () => (await fx.admin.get<TenantRequest & KubeObject>(TENANT_REQUESTS, filed.body.name))?.status?.conditions?.some((c) => c.type === "Fits") === true);
    const before = await fx.admin.get<TenantRequest & KubeObject>(TENANT_REQUESTS, filed.body.name);
    for (const signed of [chen, alice]) {
      const forged = await call<ApiErrorBody>("POST", `/api/requests/${filed.body.name}/decision`, { signed, body: { verdict: "approve", reason: "I approve myself" } });
      expect(forged.status).toBe(403);
      expect(forged.body.message).toContain(`User "${signed.info.user.username}" cannot get resource "tenantrequests"`);
    }
    const after = await fx.admin.get<TenantRequest & KubeObject>(TENANT_REQUESTS, filed.body.name);
    expect(after!.metadata.resourceVersion).toBe(before!.metadata.resourceVersion);
    expect(after!.status?.conditions?.some((c) => c.type === "Approved")).toBe(false);
  });

  it("shows the platform team the tree and the fleet, as its own RBAC allows", async () => {
    const wang = await signIn(fx.plane.token("platform-wang"));
    const tree = await call<TreeAnswer>("GET", "/api/tree", { signed: wang });
    expect(tree.body.nodes.map((n) => [n.name, n.depth])).toEqual([
      ["changsha-health", 0],
      ["changsha-kaifu-health", 1],
      ["hunan-data-bureau", 0],
    ]);
    const fleet = await call<FleetAnswer>("GET", "/api/fleet", { signed: wang });
    expect(fleet.status).toBe(200);
    expect(fleet.body.clusters.map((c) => [c.name, c.region])).toEqual([["hunan", "hunan"]]);
  });

  it("keeps four eyes: an approver cannot decide their own request, another approver can", async () => {
    const wang = await signIn(fx.plane.token("platform-wang"));
    const li = await signIn(fx.plane.token("platform-li"));
    const filed = await call<RequestSummary>("POST", "/api/requests", { signed: wang, body: { tenant: "hunan-data-bureau", action: "Create", displayName: "平台测试", level: "province", reason: "平台自用" } });
    expect(filed.status).toBe(201);
    await eventually("yunshu to judge it", async () => (await fx.admin.get<TenantRequest & KubeObject>(TENANT_REQUESTS, filed.body.name))?.status?.conditions?.some((c) => c.type === "Fits") === true);
    const queued = (await call<RequestsAnswer>("GET", "/api/queue", { signed: wang })).body.items.find((r) => r.name === filed.body.name)!;
    expect(queued.filedByMe).toBe(true);
    const own = await call<ApiErrorBody>("POST", `/api/requests/${filed.body.name}/decision`, { signed: wang, body: { verdict: "approve", reason: "mine" } });
    expect(own.status).toBe(403);
    expect(own.body.message).toContain("cannot decide it too: another platform admin must approve or deny it");
    expect((await fx.admin.get<TenantRequest & KubeObject>(TENANT_REQUESTS, filed.body.name))!.status?.conditions?.some((c) => c.type === "Approved")).toBe(false);
    const decided = await call<RequestSummary>("POST", `/api/requests/${filed.body.name}/decision`, { signed: li, body: { verdict: "deny", reason: "名称重复" } });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ phase: "Denied", decidedBy: "platform-li" });
  });
});

describe("live changes", () => {
  it("streams a decision to the department that filed it, and nothing of it to another department", async () => {
    const chen = await signIn(fx.plane.token("chen"));
    const alice = await signIn(fx.plane.token("alice"));
    const li = await signIn(fx.plane.token("platform-li"));
    const filed = await call<RequestSummary>("POST", "/api/requests", { signed: chen, body: { tenant: "changsha-health", action: "AddNamespaces", namespaces: ["live"], reason: "live" } });
    await eventually("yunshu to judge it", async () => (await fx.admin.get<TenantRequest & KubeObject>(TENANT_REQUESTS, filed.body.name))?.status?.conditions?.some((c) => c.type === "Fits") === true);
    await new Promise((r) => setTimeout(r, 500));

    const listen = (signed: Signed) => {
      const controller = new AbortController();
      const seen: string[] = [];
      const done = fetch(`${fx.console.url}/api/events`, { headers: { cookie: signed.cookie }, signal: controller.signal })
        .then(async (res) => {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) seen.push(Buffer.from(chunk).toString());
        })
        .catch(() => undefined);
      return { seen: () => seen.join(""), stop: async () => (controller.abort(), await done) };
    };
    const chenStream = listen(chen);
    const aliceStream = listen(alice);
    await eventually("both streams to open", () => chenStream.seen().includes(": live") && aliceStream.seen().includes(": live"));
    const decided = await call("POST", `/api/requests/${filed.body.name}/decision`, { signed: li, body: { verdict: "approve", reason: "同意" } });
    expect(decided.status).toBe(200);
    await eventually("chen's page to hear of it", () => chenStream.seen().includes('data: {"topic":"requests"}'), { timeoutMs: 15_000 });
    // Applying the request changes chen's tenant too.
    await eventually("chen's page to hear the tenant change", () => chenStream.seen().includes('data: {"topic":"mine"}'), { timeoutMs: 30_000 });
    await chenStream.stop();
    await aliceStream.stop();
    expect(aliceStream.seen()).not.toContain('"topic"');
  });
});
