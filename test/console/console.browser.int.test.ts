// The console in a real browser (Debian's Chromium, headless, driven by
// playwright-core) against a real control plane and a running operator: a
// department signs in, files a request and sees yunshu's verdict; an
// approver signs in and approves it with a reason; the department's page
// shows it decided and applied without a reload. A department never sees
// another's tenants or requests and cannot approve: its page offers
// nothing, and a forged call from its own session gets the API server's
// refusal. Every page passes axe-core with no serious or critical
// violation, in Chinese and in English, and is saved as a screenshot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { TenantRequest } from "../../operator/api/generated.ts";
import { TENANT_REQUESTS } from "../../operator/api/resources.ts";
import type { KubeObject } from "../../operator/runtime/kube-client.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { fileRequest } from "../../tools/local/requests.ts";
import { KubeClient } from "../../operator/runtime/kube-client.ts";
import { launchChromium, screenshot, seriousAccessibilityViolations } from "../support/browser.ts";
import { startConsoleFixture, type ConsoleFixture } from "../support/console-fixture.ts";

const LAPTOP = { width: 1366, height: 768 };
const TABLET = { width: 768, height: 1024 };

let fx: ConsoleFixture;
let browser: Browser;
/** Messages the pages logged as errors, CSP violations among them: none is expected. */
const pageErrors: string[] = [];
let aliceRequest: string;

beforeAll(async () => {
  [fx, browser] = await Promise.all([startConsoleFixture("console-browser"), launchChromium()]);
  // Another department's request, which chen must never see.
  aliceRequest = (await fileRequest(new KubeClient(fx.plane.credentials("alice")), "alice", { tenant: "hunan-data-bureau", action: "AddNamespaces", namespaces: ["secret"], reason: "数据局的内部计划" })).metadata.name;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await fx?.stop();
});

async function open(viewport = LAPTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: "zh-CN", baseURL: fx.console.url });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  return { context, page };
}

async function signIn(page: Page, user: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("访问令牌").fill(fx.plane.token(user));
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL((url) => url.pathname === "/");
}

/** axe-core on the page as it is, then a screenshot of it. */
async function check(page: Page, name: string): Promise<void> {
  expect(await seriousAccessibilityViolations(page), name).toEqual([]);
  await screenshot(page, name);
}

const stored = async (name: string) => (await fx.admin.get<TenantRequest & KubeObject>(TENANT_REQUESTS, name))!;

describe("a department and an approver, in the browser", () => {
  let chen: Page;
  let filed: string;

  it("signs a department in with its token, and shows its own tenants only, with quota charts", async () => {
    ({ page: chen } = await open());
    await chen.goto("/signin");
    expect(await chen.locator("html").getAttribute("lang")).toBe("zh-CN");
    await check(chen, "console-signin");
    await signIn(chen, "chen");
    await chen.getByRole("heading", { level: 1, name: "我的租户" }).waitFor();
    // The token stays on the server: nothing of it in the page's storage, and the session cookie is out of scripts' reach.
    const reachable = await chen.evaluate(() => {
      const page = globalThis as unknown as { localStorage: Record<string, string>; sessionStorage: Record<string, string>; document: { cookie: string } };
      return JSON.stringify({ local: { ...page.localStorage }, session: { ...page.sessionStorage }, cookie: page.document.cookie });
    });
    expect(reachable).not.toContain(fx.plane.token("chen"));
    expect(reachable).not.toContain("yunshu_session");
    await chen.locator('article[data-tenant="changsha-health"]').waitFor();
    expect(await chen.locator("article[data-tenant]").evaluateAll((els) => els.map((e) => e.getAttribute("data-tenant")))).toEqual(["changsha-health", "changsha-kaifu-health"]);
    expect(await chen.locator('article[data-tenant="changsha-health"]').textContent()).toContain("changsha-health-prod");
    expect(await chen.locator('article[data-tenant="changsha-health"] figure svg').count()).toBeGreaterThan(0);
    // The chart's data: six pods of the quota's sixty, live as the quota controller counts them.
    const podsRow = chen.locator('article[data-tenant="changsha-health"] figure tr').filter({ has: chen.locator('th[scope="row"]', { hasText: /^pods$/ }) });
    await eventually("the six pods to show as used", async () => ((await podsRow.locator("td").allTextContents()).join("|")).startsWith("6|60|"), { timeoutMs: 30_000 });
    expect(await chen.content()).not.toContain("湖南省数据局");
    await check(chen, "console-mine");
  });

  it("files a request from a form validated from the CRD's schema, in Chinese, and shows yunshu's verdict", async () => {
    await chen.getByRole("link", { name: "提交申请" }).first().click();
    await chen.locator('select[name="action"]').selectOption("AddNamespaces");
    await chen.locator('[name="tenant"]').fill("changsha-health");
    await chen.locator('[name="namespaces"]').fill("Bad_Name");
    await chen.locator('[name="reason"]').fill("新增门诊预约系统的测试环境");
    await chen.getByRole("button", { name: "提交", exact: true }).click();
    // Refused in the page, in Chinese, before anything is sent.
    await chen.locator('[name="namespaces"][aria-invalid="true"]').waitFor();
    await check(chen, "console-request-invalid");
    expect(((await fx.admin.list<TenantRequest & KubeObject>(TENANT_REQUESTS)).items).filter((r) => r.spec.requester.username === "chen")).toEqual([]);

    await chen.locator('[name="namespaces"]').fill("booking");
    await check(chen, "console-request-new");
    await chen.getByRole("button", { name: "提交", exact: true }).click();
    await chen.waitForURL(/\/requests\/changsha-health-/);
    filed = chen.url().split("/").at(-1)!;
    expect((await stored(filed)).spec.requester.username).toBe("chen");
    await chen.locator('li[data-step="judged"][data-state="done"]').waitFor({ timeout: 20_000 });
    expect(await chen.locator('li[data-step="decided"]').getAttribute("data-state")).toBe("waiting");
    await check(chen, "console-request-judged");
  });

  it("offers a department no approval, and its forged decision gets the API server's refusal, the request unchanged", async () => {
    expect(await chen.getByRole("link", { name: "审批队列" }).count()).toBe(0);
    expect(await chen.locator("form[data-decide]").count()).toBe(0);
    const before = await stored(filed);
    const forged = await chen.evaluate(async (name) => {
      const session = (await (await fetch("/api/session")).json()) as { csrfToken: string };
      const res = await fetch(`/api/requests/${name}/decision`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": session.csrfToken },
        body: JSON.stringify({ verdict: "approve", reason: "自己批准自己" }),
      });
      return { status: res.status, body: (await res.json()) as { message: string } };
    }, filed);
    expect(forged.status).toBe(403);
    expect(forged.body.message).toContain('User "chen" cannot get resource "tenantrequests"');
    expect((await stored(filed)).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it("never shows a department another's request, in its list or by name", async () => {
    const { page } = await open();
    await signIn(page, "chen");
    await page.goto("/requests");
    await page.locator(`tr[data-request="${filed}"]`).waitFor();
    expect(await page.locator(`tr[data-request="${aliceRequest}"]`).count()).toBe(0);
    await check(page, "console-requests");
    await page.goto(`/requests/${aliceRequest}`);
    await page.getByRole("alert").first().waitFor();
    expect(await page.content()).not.toContain("数据局的内部计划");
    await page.context().close();
  });

  it("lets an approver decide with a reason, and the department sees it decided and applied without reloading", async () => {
    // A mark in the department's page: a reload would lose it.
    await chen.evaluate(() => ((globalThis as unknown as { unreloaded: boolean }).unreloaded = true));
    const { page: wang } = await open();
    await signIn(wang, "platform-wang");
    await wang.getByRole("link", { name: "审批队列" }).click();
    const form = wang.locator(`form[data-decide="${filed}"]`);
    await form.waitFor();
    await check(wang, "console-queue");
    await form.locator('textarea[name="reason"]').fill("符合市级配额，同意");
    await form.getByRole("button", { name: "批准" }).click();
    await eventually("the approval to be recorded", async () => (await stored(filed)).status?.decidedBy === "platform-wang");

    await chen.locator('li[data-step="decided"][data-state="done"]').waitFor({ timeout: 20_000 });
    expect(await chen.locator('li[data-step="decided"]').textContent()).toContain("platform-wang");
    expect(await chen.locator('li[data-step="decided"]').textContent()).toContain("符合市级配额，同意");
    await chen.locator('li[data-step="applied"][data-state="done"]').waitFor({ timeout: 30_000 });
    expect(await chen.evaluate(() => (globalThis as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
    await check(chen, "console-request-applied");
    await wang.context().close();
  });

  it("keeps four eyes visible: an approver's own request offers no decision", async () => {
    const { page } = await open();
    await signIn(page, "platform-li");
    const own = (await fileRequest(new KubeClient(fx.plane.credentials("platform-li")), "platform-li", { tenant: "hunan-data-bureau", action: "AddNamespaces", namespaces: ["ops"], reason: "平台运维" })).metadata.name;
    await page.goto("/queue");
    const form = page.locator(`form[data-decide="${own}"]`);
    await form.waitFor();
    expect(await form.getByRole("button", { name: "批准" }).isDisabled()).toBe(true);
    expect(await form.textContent()).toContain("四眼原则");
    await page.context().close();
  });
});

describe("the platform team's pages", () => {
  it("shows the province → city → county tree and the fleet, each accessible", async () => {
    const { page, context } = await open();
    await signIn(page, "platform-wang");
    await page.getByRole("link", { name: "组织树" }).click();
    await page.getByRole("heading", { level: 1, name: "组织树" }).waitFor();
    await page.locator('li[data-node="changsha-health"] li[data-node="changsha-kaifu-health"]').waitFor();
    await page.locator("main").getByText("开福区卫生健康局").first().waitFor();
    await check(page, "console-tree");
    await page.getByRole("link", { name: "集群" }).click();
    await page.getByRole("heading", { level: 1, name: "集群" }).waitFor();
    const hub = page.locator('article[data-cluster="hunan"]');
    await hub.waitFor();
    expect(await hub.textContent()).toContain("湖南省政务云");
    expect(await page.getByRole("alert").count()).toBe(0);
    await check(page, "console-fleet");
    await context.close();
  });
});

describe("language, tablets, and the page's own safety", () => {
  it("switches to English and back, each page still accessible", async () => {
    const { page, context } = await open();
    await signIn(page, "alice");
    await page.getByRole("button", { name: /English/ }).click();
    await page.locator('html[lang="en"]').waitFor({ state: "attached" });
    expect(await page.getByRole("heading", { level: 1 }).textContent()).not.toBe("我的租户");
    await check(page, "console-mine-en");
    await page.goto("/requests/new");
    await check(page, "console-request-new-en");
    await context.close();
  });

  it("can be used by keyboard alone: sign in, skip to the content, follow the navigation", async () => {
    const { page, context } = await open();
    await page.goto("/signin");
    const focused = () => page.evaluate(() => {
      const active = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; textContent: string | null } | null } }).document.activeElement;
      return { name: active?.getAttribute("name") ?? null, text: active?.textContent?.trim() ?? "" };
    });
    const tabTo = async (matches: (f: { name: string | null; text: string }) => boolean, what: string) => {
      for (let i = 0; i < 40; i++) {
        if (matches(await focused())) return;
        await page.keyboard.press("Tab");
      }
      throw new Error(`Tab never reached ${what}`);
    };
    await tabTo((f) => f.name === "token", "the token field");
    await page.keyboard.type(fx.plane.token("chen"));
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("heading", { level: 1, name: "我的租户" }).waitFor();
    await tabTo((f) => f.text === "我的申请", "the link to my requests");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "我的申请" }).waitFor();
    // On a page loaded afresh, the first Tab lands on the skip link, which takes focus past the navigation.
    await page.goto("/requests");
    await page.getByRole("heading", { level: 1, name: "我的申请" }).waitFor();
    await page.keyboard.press("Tab");
    expect((await focused()).text).toBe("跳到主要内容");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe("main");
    await context.close();
  });

  it("works on a tablet", async () => {
    const { page, context } = await open(TABLET);
    await signIn(page, "chen");
    await page.locator('article[data-tenant="changsha-health"]').waitFor();
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await check(page, "console-mine-tablet");
    await context.close();
  });

  it("sends a signed-out visitor to sign in, and logged no error and no CSP violation on any page", async () => {
    const { page, context } = await open();
    await page.goto("/queue");
    await page.waitForURL((url) => url.pathname === "/signin");
    await context.close();
    expect(pageErrors.filter((m) => !/401|403|404/.test(m))).toEqual([]);
  });
});
