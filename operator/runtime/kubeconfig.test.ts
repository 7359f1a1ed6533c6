import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { KubeClient } from "./kube-client.ts";
import { loadKubeConfig } from "./kubeconfig.ts";
import { NAMESPACES } from "../api/resources.ts";

const pem = (what: string) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(what).toString("base64")}\n-----END CERTIFICATE-----\n`;
const base64 = (text: string) => Buffer.from(text).toString("base64");
const CA = pem("ca");
const CERT = pem("cert");
const KEY = pem("key").replaceAll("CERTIFICATE", "PRIVATE KEY");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "yunshu-kubeconfig-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.useRealTimers();
});

/** Writes `content` (YAML for objects) at `path` under the temp dir and returns its absolute path. */
function write(path: string, content: unknown): string {
  const file = join(dir, path);
  mkdirSync(resolve(file, ".."), { recursive: true });
  writeFileSync(file, typeof content === "string" ? content : stringify(content));
  return file;
}

interface Named {
  name: string;
  [key: string]: unknown;
}

function kubeconfig(opts: { clusters?: Named[]; users?: Named[]; contexts?: Named[]; current?: string }) {
  return { apiVersion: "v1", kind: "Config", clusters: opts.clusters ?? [], users: opts.users ?? [], contexts: opts.contexts ?? [], "current-context": opts.current };
}

const cluster = (name: string, fields: Record<string, unknown>) => ({ name, cluster: fields });
const user = (name: string, fields: Record<string, unknown>) => ({ name, user: fields });
const context = (name: string, clusterName: string, userName?: string) => ({ name, context: { cluster: clusterName, user: userName } });

/** One cluster, one user, one context `main`, current. */
const simple = (clusterFields: Record<string, unknown>, userFields: Record<string, unknown> = { token: "t0k3n" }) =>
  kubeconfig({ clusters: [cluster("c", clusterFields)], users: [user("u", userFields)], contexts: [context("main", "c", "u")], current: "main" });

const NO_DEFAULTS = { env: {}, home: "/nonexistent-home", serviceAccountDir: "/nonexistent-sa" };

describe("loadKubeConfig from a file", () => {
  it("decodes the base64 *-data fields", () => {
    const file = write("config", simple(
      { server: "https://api.example:6443/", "certificate-authority-data": base64(CA) },
      { "client-certificate-data": base64(CERT), "client-key-data": base64(KEY) },
    ));
    expect(loadKubeConfig(file, undefined, NO_DEFAULTS)).toEqual({
      server: "https://api.example:6443/",
      caPem: CA,
      clientCertPem: CERT,
      clientKeyPem: KEY,
      bearerToken: undefined,
      tokenFile: undefined,
      insecureSkipTlsVerify: false,
      tlsServerName: undefined,
    });
  });

  it("reads certificate files relative to the kubeconfig's directory, and absolute ones as they are", () => {
    write("kube/pki/ca.crt", CA);
    const certFile = write("elsewhere/client.crt", CERT);
    write("kube/client.key", KEY);
    const file = write("kube/config", simple(
      { server: "https://api.example:6443", "certificate-authority": "pki/ca.crt" },
      { "client-certificate": certFile, "client-key": "client.key" },
    ));
    const creds = loadKubeConfig(file, undefined, NO_DEFAULTS);
    expect([creds.caPem, creds.clientCertPem, creds.clientKeyPem]).toEqual([CA, CERT, KEY]);
  });

  it("prefers a *-data field to a file, as kubectl does", () => {
    const file = write("config", simple({ server: "https://a", "certificate-authority-data": base64(CA), "certificate-authority": "missing.crt" }));
    expect(loadKubeConfig(file, undefined, NO_DEFAULTS).caPem).toBe(CA);
  });

  it("says which file it could not read", () => {
    const file = write("config", simple({ server: "https://a", "certificate-authority": "pki/ca.crt" }));
    expect(() => loadKubeConfig(file, undefined, NO_DEFAULTS)).toThrow(
      `cluster "c" in ${file}: cannot read certificate-authority ${join(dir, "pki/ca.crt")}: no such file`,
    );
    expect(() => loadKubeConfig(join(dir, "nope"), undefined, NO_DEFAULTS)).toThrow(`cannot read kubeconfig ${join(dir, "nope")}: no such file`);
  });

  it("refuses data that is not base64 PEM, and a certificate without its key", () => {
    const raw = write("raw", simple({ server: "https://a", "certificate-authority-data": CA }));
    expect(() => loadKubeConfig(raw, undefined, NO_DEFAULTS)).toThrow("certificate-authority-data is not base64-encoded PEM");
    const half = write("half", simple({ server: "https://a" }, { "client-certificate-data": base64(CERT) }));
    expect(() => loadKubeConfig(half, undefined, NO_DEFAULTS)).toThrow(`user "u" in ${half} has a client certificate but no key`);
  });

  it("reads insecure-skip-tls-verify and tls-server-name", () => {
    const file = write("config", simple({ server: "https://10.0.0.1", "insecure-skip-tls-verify": true, "tls-server-name": "api.internal" }));
    expect(loadKubeConfig(file, undefined, NO_DEFAULTS)).toMatchObject({ insecureSkipTlsVerify: true, tlsServerName: "api.internal" });
  });

  it("keeps a token file's path, relative to the kubeconfig, to read it again later; a token wins over it", () => {
    write("kube/token", "from-file\n");
    const file = write("kube/config", simple({ server: "https://a" }, { tokenFile: "token" }));
    expect(loadKubeConfig(file, undefined, NO_DEFAULTS)).toMatchObject({ bearerToken: undefined, tokenFile: join(dir, "kube/token") });
    const both = write("kube/both", simple({ server: "https://a" }, { token: "inline", tokenFile: "token" }));
    expect(loadKubeConfig(both, undefined, NO_DEFAULTS)).toMatchObject({ bearerToken: "inline", tokenFile: undefined });
  });

  it("allows a context without a user (anonymous)", () => {
    const file = write("config", kubeconfig({ clusters: [cluster("c", { server: "https://a" })], contexts: [context("anon", "c")], current: "anon" }));
    expect(loadKubeConfig(file, undefined, NO_DEFAULTS)).toEqual({ server: "https://a", insecureSkipTlsVerify: false });
  });

  it.each([
    ["exec", { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "aws" } }, "exec credential plugins are not supported"],
    ["auth-provider", { "auth-provider": { name: "oidc" } }, "auth-provider plugins are not supported"],
    ["username", { username: "admin", password: "secret" }, "basic authentication is not supported"],
    ["as", { token: "t", as: "someone-else" }, "impersonation from a kubeconfig is not supported"],
  ])("refuses a user with %s, saying so", (field, fields, why) => {
    const file = write("config", simple({ server: "https://a" }, fields));
    expect(() => loadKubeConfig(file, undefined, NO_DEFAULTS)).toThrow(`user "u" in ${file} sets ${field}: ${why}`);
  });

  it("refuses a proxy-url rather than ignore it", () => {
    const file = write("config", simple({ server: "https://a", "proxy-url": "http://proxy:3128" }));
    expect(() => loadKubeConfig(file, undefined, NO_DEFAULTS)).toThrow(`cluster "c" in ${file} sets proxy-url`);
  });
});

describe("loadKubeConfig context selection", () => {
  const twoClusters = () =>
    write("config", kubeconfig({
      clusters: [cluster("hub", { server: "https://hub" }), cluster("changsha", { server: "https://changsha" })],
      users: [user("admin", { token: "admin-token" }), user("ops", { token: "ops-token" })],
      contexts: [context("admin@hub", "hub", "admin"), context("ops@changsha", "changsha", "ops"), context("broken", "nowhere", "admin")],
      current: "admin@hub",
    }));

  it("uses the current context, or the one asked for", () => {
    const file = twoClusters();
    expect(loadKubeConfig(file, undefined, NO_DEFAULTS)).toMatchObject({ server: "https://hub", bearerToken: "admin-token" });
    expect(loadKubeConfig(file, "ops@changsha", NO_DEFAULTS)).toMatchObject({ server: "https://changsha", bearerToken: "ops-token" });
  });

  it("names the file and lists the contexts when the context is not there", () => {
    const file = twoClusters();
    expect(() => loadKubeConfig(file, "ops@hub", NO_DEFAULTS)).toThrow(
      `context "ops@hub" not found in kubeconfig ${file}; its contexts: admin@hub, ops@changsha, broken`,
    );
  });

  it("says which cluster a context names that does not exist", () => {
    const file = twoClusters();
    expect(() => loadKubeConfig(file, "broken", NO_DEFAULTS)).toThrow(
      `context "broken" in ${file} names cluster "nowhere", which kubeconfig ${file} does not define (clusters: hub, changsha)`,
    );
  });

  it("asks for a context when there is no current one", () => {
    const file = write("config", kubeconfig({ clusters: [cluster("c", { server: "https://a" })], contexts: [context("x", "c")] }));
    expect(() => loadKubeConfig(file, undefined, NO_DEFAULTS)).toThrow(`kubeconfig ${file} has no current-context; choose one of its contexts (x)`);
  });
});

describe("loadKubeConfig without a path", () => {
  it("merges $KUBECONFIG's files as kubectl does: the first to define a name or current-context wins, missing files are skipped", () => {
    write("pki/ca.crt", CA);
    const first = write("a/config", kubeconfig({ users: [user("u", { token: "first" })], contexts: [context("main", "c", "u")], current: "main" }));
    const second = write("b/config", kubeconfig({
      clusters: [cluster("c", { server: "https://merged", "certificate-authority": "../pki/ca.crt" })],
      users: [user("u", { token: "second" })],
      current: "other",
    }));
    const env = { KUBECONFIG: [first, join(dir, "missing"), second].join(delimiter) };
    expect(loadKubeConfig(undefined, undefined, { ...NO_DEFAULTS, env })).toMatchObject({ server: "https://merged", caPem: CA, bearerToken: "first" });
  });

  it("says so when none of $KUBECONFIG's files exists", () => {
    const env = { KUBECONFIG: join(dir, "missing") };
    expect(() => loadKubeConfig(undefined, undefined, { ...NO_DEFAULTS, env })).toThrow(`$KUBECONFIG names ${join(dir, "missing")}, none of which exists`);
  });

  it("falls back to ~/.kube/config", () => {
    write("home/.kube/config", simple({ server: "https://from-home" }));
    expect(loadKubeConfig(undefined, undefined, { ...NO_DEFAULTS, home: join(dir, "home") }).server).toBe("https://from-home");
  });

  it("falls back to the pod's ServiceAccount, keeping the token file to re-read", () => {
    write("sa/token", "sa-token");
    write("sa/ca.crt", CA);
    const sources = { ...NO_DEFAULTS, serviceAccountDir: join(dir, "sa"), env: { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" } };
    expect(loadKubeConfig(undefined, undefined, sources)).toEqual({
      server: "https://10.96.0.1:443",
      caPem: CA,
      tokenFile: join(dir, "sa/token"),
      insecureSkipTlsVerify: false,
    });
    expect(loadKubeConfig(undefined, undefined, { ...sources, env: { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" } }).server).toBe(
      "https://[fd00::1]:443",
    );
    expect(() => loadKubeConfig(undefined, "some-context", sources)).toThrow('context "some-context" asked for, but there is no kubeconfig file');
  });

  it("says what is missing in a pod without a token, and outside a pod without a kubeconfig", () => {
    const env = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
    expect(() => loadKubeConfig(undefined, undefined, { ...NO_DEFAULTS, env })).toThrow(
      "in-cluster: cannot read the ServiceAccount token /nonexistent-sa/token: no such file",
    );
    expect(() => loadKubeConfig(undefined, undefined, NO_DEFAULTS)).toThrow("no kubeconfig: none given, $KUBECONFIG unset, no /nonexistent-home/.kube/config");
  });
});

describe("KubeClient with a token file", () => {
  let server: Server;
  const seen: (string | undefined)[] = [];
  beforeEach(async () => {
    seen.length = 0;
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ metadata: { name: "default" } }));
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  });
  afterEach(() => new Promise((done) => server.close(done)));

  it("reads the token again after a while, so that a rotated ServiceAccount token is used", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const tokenFile = write("token", "first\n");
    const address = server.address() as { port: number };
    const client = new KubeClient({ server: `http://127.0.0.1:${address.port}`, tokenFile, insecureSkipTlsVerify: false });
    await client.get(NAMESPACES, "default");
    write("token", "second\n");
    await client.get(NAMESPACES, "default");
    vi.setSystemTime(Date.now() + 60_000);
    await client.get(NAMESPACES, "default");
    expect(seen).toEqual(["Bearer first", "Bearer first", "Bearer second"]);
  });
});

describe("the operator's module graph", () => {
  // Why this loader exists: client-node's generated API costs the operator
  // ~35 MB of heap. Type-only imports are erased and do not count.
  it("does not load @kubernetes/client-node", async () => {
    const repo = resolve(import.meta.dirname, "../..");
    const script = `
      import { registerHooks } from "node:module";
      const loaded = [];
      registerHooks({ resolve(specifier, context, next) {
        const result = next(specifier, context);
        if (result.url.includes("/node_modules/@kubernetes/client-node/")) loaded.push(result.url);
        return result;
      } });
      await import(${JSON.stringify(join(repo, "operator/cli.ts"))});
      process.stderr.write(JSON.stringify(loaded));
    `;
    // Without arguments, cli.ts prints its help (to stdout) after loading everything the operator needs.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { cwd: repo });
    expect(stdout).toContain("yunshu operator");
    expect(JSON.parse(stderr)).toEqual([]);
  });
});
