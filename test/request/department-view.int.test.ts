// A department's view of its requests, served by yunshu to the caller's own
// token: it lists what the department filed and what concerns its tenants,
// and nothing of anyone else's, whoever asks and however. The API server
// itself gives departments no read access to TenantRequests at all.
import { mkdtemp, readFile } from "node:fs/promises";
import type { Server } from "node:http";
import { request } from "node:https";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MineAnswer } from "../../console/api-types.ts";
import type { Share, TenantRequest } from "../../operator/api/generated.ts";
import { SHARES, TENANT_REQUESTS, TENANTS } from "../../operator/api/resources.ts";
import { startHttpServer } from "../../operator/metrics/http-server.ts";
import type { Operator } from "../../operator/operator.ts";
import { DepartmentRequestView } from "../../operator/request/department-view.ts";
import { KubeClient, type ApiError, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { createLogger } from "../../operator/runtime/log.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { createPki } from "../../tools/controlplane/pki.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { fileRequest, type Request } from "../../tools/local/requests.ts";
import { installYunshu, startOperator, tenant, waitForReady } from "../../tools/local/yunshu.ts";

let plane: ControlPlane;
let operator: Operator;
let server: Server;
let base: string;
let ca: string;
const as: Record<string, KubeClient> = {};
const filed: Record<string, Request> = {};

/** GET from yunshu's endpoint with `token` (none: anonymous). */
function get(path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = token ? { authorization: `Bearer ${token}` } : undefined;
    const req = request(`${base}${path}`, { ca, headers, timeout: 10_000 }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const names = (body: string) => (JSON.parse(body) as { items: TenantRequest[] }).items.map((r) => r.metadata.name).sort();

beforeAll(async () => {
  plane = await ControlPlane.start({
    name: "department-view",
    users: [
      { name: "changsha-clerk", groups: ["departments", "changsha"] },
      { name: "yuelu-clerk", groups: ["departments", "yuelu"] },
      { name: "zhuzhou-clerk", groups: ["departments", "zhuzhou"] },
    ],
  });
  operator = await startOperator(plane, await installYunshu(plane));
  for (const user of ["admin", "changsha-clerk", "yuelu-clerk", "zhuzhou-clerk"]) as[user] = new KubeClient(plane.credentials(user));
  const bound = await plane.kubectl(["create", "clusterrolebinding", "departments", "--clusterrole=yunshu-department", "--group=departments"]);
  expect(bound.stderr).toBe("");
  await as.admin!.create(TENANTS, tenant("changsha", { level: "city", owners: [{ kind: "Group", name: "changsha" }] }) as Tenant & KubeObject);
  await as.admin!.create(TENANTS, tenant("changsha-yuelu", { level: "county", parent: "changsha", owners: [{ kind: "Group", name: "yuelu" }] }) as Tenant & KubeObject);
  await as.admin!.create(TENANTS, tenant("zhuzhou", { level: "city", owners: [{ kind: "Group", name: "zhuzhou" }] }) as Tenant & KubeObject);
  await Promise.all(["changsha", "changsha-yuelu", "zhuzhou"].map((t) => waitForReady(plane, t)));
  filed.changsha = await fileRequest(as["changsha-clerk"]!, "changsha-clerk", { tenant: "changsha", action: "AddNamespaces", reason: "长沙 needs a test namespace", namespaces: ["test"] });
  filed.yuelu = await fileRequest(as["yuelu-clerk"]!, "yuelu-clerk", { tenant: "changsha-yuelu", action: "AddNamespaces", reason: "岳麓 needs a dev namespace", namespaces: ["dev"] });
  filed.zhuzhou = await fileRequest(as["zhuzhou-clerk"]!, "zhuzhou-clerk", { tenant: "zhuzhou", action: "AddNamespaces", reason: "株洲's secret plans", namespaces: ["secret"] });
  // An attack on changsha: changsha sees it, since it concerns changsha.
  filed.attack = await fileRequest(as["zhuzhou-clerk"]!, "zhuzhou-clerk", { tenant: "changsha", action: "RemoveNamespaces", reason: "take it down", namespaces: ["prod"] });

  const pki = await createPki(await mkdtemp(join(plane.dir, "yunshu-tls-")));
  ca = await readFile(pki.caCert, "utf8");
  // Two Shares: changsha offers zhuzhou a service; zhuzhou offers changsha's county one.
  const share = (name: string, provider: string, consumer: string) =>
    as.admin!.create(SHARES, {
      apiVersion: "yunshu.io/v1alpha1",
      kind: "Share",
      metadata: { name },
      spec: { provider: { tenant: provider, namespace: "prod", podSelector: {}, ports: [{ port: 443 }] }, consumer: { tenant: consumer }, offeredBy: { username: "admin" }, purpose: `${name}: 政务数据共享` },
    } as Share & KubeObject);
  await share("changsha-to-zhuzhou", "changsha", "zhuzhou");
  await share("zhuzhou-to-yuelu", "zhuzhou", "changsha-yuelu");
  const view = new DepartmentRequestView({ client: new KubeClient(plane.credentials()), requests: operator.requests, tenants: operator.hub.caches.tenants, shares: operator.hub.caches.shares });
  const tls = { cert: await readFile(pki.servingCert, "utf8"), key: await readFile(pki.servingKey, "utf8") };
  const started = await startHttpServer("127.0.0.1:0", { registry: operator.metrics.registry, isReady: () => operator.isReady, log: createLogger("error"), auth: undefined, requests: view, tls });
  server = started.server;
  base = `https://127.0.0.1:${started.port}`;
  await eventually("the operator to cache the four requests", () => Object.values(filed).every((r) => operator.requests.get(r.metadata.name)));
  await eventually("the operator to cache the two shares", () => operator.hub.caches.shares!.size === 2);
});

afterAll(async () => {
  server?.close();
  await operator?.stop();
  await plane?.stop();
});

describe("the API server", () => {
  it("gives a department no read of TenantRequests, not even its own by name; the platform reads them all", async () => {
    const clerk = as["changsha-clerk"]!;
    for (const call of [() => clerk.list(TENANT_REQUESTS), () => clerk.get(TENANT_REQUESTS, filed.changsha!.metadata.name), () => clerk.get(TENANT_REQUESTS, filed.zhuzhou!.metadata.name)]) {
      const err = await call().then(() => undefined, (e: unknown) => e);
      expect((err as ApiError).status).toBe(403);
    }
    expect((await as.admin!.list(TENANT_REQUESTS)).items).toHaveLength(4);
  });
});

describe("yunshu's department view", () => {
  it("lists what a department filed and what concerns its tenants, oldest first", async () => {
    const changsha = await get("/requests", plane.token("changsha-clerk"));
    expect(changsha.status).toBe(200);
    // Its own, the attack on it, and its county's (changsha is yuelu's parent); never zhuzhou's own.
    expect(names(changsha.body)).toEqual([filed.attack!, filed.changsha!, filed.yuelu!].map((r) => r.metadata.name).sort());
    const zhuzhou = await get("/requests", plane.token("zhuzhou-clerk"));
    expect(names(zhuzhou.body)).toEqual([filed.attack!, filed.zhuzhou!].map((r) => r.metadata.name).sort());
    // A county sees its own, not its city's.
    const yuelu = await get("/requests", plane.token("yuelu-clerk"));
    expect(names(yuelu.body)).toEqual([filed.yuelu!.metadata.name]);
    expect(yuelu.body).not.toContain("长沙 needs a test namespace");
  });

  it("shows one of a department's requests in full", async () => {
    const one = await get(`/requests/${filed.changsha!.metadata.name}`, plane.token("changsha-clerk"));
    expect(one.status).toBe(200);
    expect(JSON.parse(one.body)).toMatchObject({ kind: "TenantRequest", spec: { reason: "长沙 needs a test namespace", requester: { username: "changsha-clerk" } } });
  });

  it("answers another department's request exactly as a missing one (404), telling nothing of it", async () => {
    const theirs = await get(`/requests/${filed.zhuzhou!.metadata.name}`, plane.token("changsha-clerk"));
    const missing = await get("/requests/no-such-request", plane.token("changsha-clerk"));
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(theirs.body).not.toContain("株洲");
    expect(theirs.body.replace(filed.zhuzhou!.metadata.name, "X")).toBe(missing.body.replace("no-such-request", "X"));
  });

  it("answers an anonymous or forged caller 401 with nothing listed", async () => {
    for (const token of [undefined, "forged-token", `${plane.token("changsha-clerk")}x`]) {
      const answer = await get("/requests", token);
      expect(answer.status).toBe(401);
      expect(answer.body).not.toContain("TenantRequest\",");
      expect(answer.body).not.toContain(filed.changsha!.metadata.name);
    }
  });

  it("shows a platform component's token nothing it does not own", async () => {
    const componentToken = plane.token(await plane.serviceAccountIdentity("kube-system", "default"));
    const answer = await get("/requests", componentToken);
    expect(answer.status).toBe(200);
    expect(names(answer.body)).toEqual([]);
  });
});

describe("yunshu's view of Shares", () => {
  const shareNames = (body: string) => (JSON.parse(body) as { items: Share[] }).items.map((s) => s.metadata.name).sort();

  it("lists the Shares a department's tenants (or those under them) are a side of, and no others", async () => {
    const changsha = await get("/shares", plane.token("changsha-clerk"));
    expect(changsha.status).toBe(200);
    expect(shareNames(changsha.body)).toEqual(["changsha-to-zhuzhou", "zhuzhou-to-yuelu"]);
    expect(shareNames((await get("/shares", plane.token("zhuzhou-clerk"))).body)).toEqual(["changsha-to-zhuzhou", "zhuzhou-to-yuelu"]);
    const yuelu = await get("/shares", plane.token("yuelu-clerk"));
    expect(shareNames(yuelu.body)).toEqual(["zhuzhou-to-yuelu"]);
    expect(yuelu.body).not.toContain("changsha-to-zhuzhou");
  });

  it("lists nothing for a platform component's token, and answers an anonymous or forged caller 401", async () => {
    const component = await get("/shares", plane.token(await plane.serviceAccountIdentity("kube-system", "default")));
    expect(component.status).toBe(200);
    expect(shareNames(component.body)).toEqual([]);
    for (const token of [undefined, "forged-token", `${plane.token("zhuzhou-clerk")}x`]) {
      const answer = await get("/shares", token);
      expect(answer.status).toBe(401);
      expect(answer.body).not.toContain("changsha-to-zhuzhou");
    }
  });

  it("is the only way a department reads them: the API server refuses it every Share", async () => {
    const err = await as["changsha-clerk"]!.list(SHARES).then(() => undefined, (e: unknown) => e);
    expect((err as ApiError).status).toBe(403);
    expect((await as.admin!.list(SHARES)).items).toHaveLength(2);
  });
});

describe("yunshu's view of a department's own tenants (/mine) and its changes (/watch)", () => {
  const mineNames = (body: string) => (JSON.parse(body) as MineAnswer).tenants.map((t) => t.name);

  it("lists the tenants a department owns, and those under them, and no other; a platform component's token none", async () => {
    expect(mineNames((await get("/mine", plane.token("changsha-clerk"))).body)).toEqual(["changsha", "changsha-yuelu"]);
    expect(mineNames((await get("/mine", plane.token("yuelu-clerk"))).body)).toEqual(["changsha-yuelu"]);
    expect(mineNames((await get("/mine", plane.token("zhuzhou-clerk"))).body)).toEqual(["zhuzhou"]);
    expect(mineNames((await get("/mine", plane.token(await plane.serviceAccountIdentity("kube-system", "default")))).body)).toEqual([]);
  });

  it("answers an anonymous or forged caller 401 on /mine and /watch, naming no tenant", async () => {
    for (const path of ["/mine", "/watch"]) {
      for (const token of [undefined, "forged-token", `${plane.token("zhuzhou-clerk")}x`]) {
        const answer = await get(path, token);
        expect(answer.status, `${path} ${token}`).toBe(401);
        expect(answer.body).not.toContain("zhuzhou\"");
      }
    }
  });
});
