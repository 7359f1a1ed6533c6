import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, asTransportError, isTransient, TransportError } from "./api-errors.ts";
import { KubeClient, type ResourceType } from "./kube-client.ts";

const SERVER = "https://127.0.0.1:6443";
const systemError = (code: string | undefined, message: string) => Object.assign(new Error(message), code ? { code } : {});

describe("a call that got no answer (TransportError)", () => {
  it("names the call, the server, the system's code and words, and what to do", () => {
    const err = new TransportError("APPLY /apis/rbac.authorization.k8s.io/v1/clusterroles/x", SERVER, systemError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:6443"));
    expect(err.message).toBe(
      "APPLY /apis/rbac.authorization.k8s.io/v1/clusterroles/x on https://127.0.0.1:6443 failed: connect ECONNREFUSED 127.0.0.1:6443 (ECONNREFUSED); " +
        "nothing accepts connections there: check that the API server is running and that the kubeconfig's server address is right",
    );
    expect(err.code).toBe("ECONNREFUSED");
    expect(err.transient).toBe(true);
    expect((err.cause as Error).message).toBe("connect ECONNREFUSED 127.0.0.1:6443");
  });

  it.each([
    ["ECONNREFUSED", true, "check that the API server is running"],
    ["ECONNRESET", true, "the connection broke off"],
    ["EPIPE", true, "the connection broke off"],
    ["UND_ERR_SOCKET", true, "the API server may be restarting"],
    ["UND_ERR_CLOSED", true, "the connection broke off"],
    ["UND_ERR_INFO", true, "the API server may be restarting"],
    ["ETIMEDOUT", true, "no answer in time"],
    ["UND_ERR_CONNECT_TIMEOUT", true, "no answer in time"],
    ["UND_ERR_HEADERS_TIMEOUT", true, "no answer in time"],
    ["UND_ERR_BODY_TIMEOUT", true, "no answer in time"],
    ["EHOSTUNREACH", true, "the network cannot reach the server"],
    ["EAI_AGAIN", true, "the network cannot reach the server"],
    ["ENOTFOUND", false, "the host name does not resolve"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", false, "check the kubeconfig's certificate-authority"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", false, "the TLS handshake failed"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", false, "tls-server-name"],
    ["CERT_HAS_EXPIRED", false, "the TLS handshake failed"],
    ["ERR_SSL_WRONG_VERSION_NUMBER", false, "serves the API over HTTPS"],
    ["EPROTO", false, "the TLS handshake failed"],
    ["ESOMETHINGNEW", false, "check that the API server is up and reachable from here"],
    [undefined, false, "check that the API server is up and reachable from here"],
  ])("%s: transient %s, advice %j", (code, transient, advice) => {
    const err = new TransportError("GET /version", SERVER, systemError(code, "boom"));
    expect(err.transient).toBe(transient);
    expect(isTransient(err)).toBe(transient);
    expect(err.message).toContain(advice);
    expect(err.message).toContain(code ? `boom (${code})` : "failed: boom;");
  });

  it("keeps OpenSSL's first line only, and takes an AggregateError's words from the addresses it tried", () => {
    const tls = new TransportError("GET /version", SERVER, systemError("ERR_SSL_WRONG_VERSION_NUMBER", "4067:error:0A00010B:SSL routines::wrong version number:\n../deps/openssl/ssl/record.c:77:\n"));
    expect(tls.message).toContain("failed: 4067:error:0A00010B:SSL routines::wrong version number: (ERR_SSL_WRONG_VERSION_NUMBER);");
    const both = Object.assign(new AggregateError([new Error("connect ECONNREFUSED ::1:6443"), new Error("connect ECONNREFUSED 127.0.0.1:6443")], ""), { code: "ECONNREFUSED" });
    expect(new TransportError("GET /version", "https://localhost:6443", both).message).toContain(
      "failed: connect ECONNREFUSED ::1:6443, connect ECONNREFUSED 127.0.0.1:6443 (ECONNREFUSED);",
    );
  });

  it("wraps only undici's network failures, never an abort or a bug", () => {
    const network = asTransportError(new TypeError("fetch failed", { cause: systemError("ECONNRESET", "read ECONNRESET") }), "LIST /api/v1/pods", SERVER);
    expect(network).toBeInstanceOf(TransportError);
    expect((network as TransportError).message).toMatch(/^LIST \/api\/v1\/pods on https:\/\/127\.0\.0\.1:6443 failed: read ECONNRESET \(ECONNRESET\);/);
    const abort = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(asTransportError(abort, "GET /version", SERVER)).toBe(abort);
    const bug = new TypeError("Invalid header value");
    expect(asTransportError(bug, "GET /version", SERVER)).toBe(bug);
    // undici's dispatcher throws the system's error itself, or its own with a code.
    const refused = asTransportError(systemError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:6443"), "GET /version", SERVER);
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as TransportError).transient).toBe(true);
    const aborted = systemError("UND_ERR_ABORTED", "Request aborted");
    expect(asTransportError(aborted, "GET /version", SERVER)).toBe(aborted);
    const misuse = systemError("ERR_INVALID_ARG_TYPE", "The argument must be of type string");
    expect(asTransportError(misuse, "GET /version", SERVER)).toBe(misuse);
  });
});

describe("an answer that says no (ApiError)", () => {
  it.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
    [410, false],
    [422, false],
    [501, false],
    [0, false],
  ])("%i: transient %s", (status, transient) => {
    expect(isTransient(new ApiError(status, "Reason", `GET /x: ${status} Reason: m`))).toBe(transient);
  });

  it("anything that is not the client's error is not transient", () => {
    expect(isTransient(new Error("connect ECONNREFUSED"))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });
});

// Real sockets, so that the shapes undici really throws are the ones classified.
describe("KubeClient's failures on real sockets", () => {
  const CONFIG_MAPS: ResourceType = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };
  let server: Server | undefined;

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done) ?? done(undefined));
    server = undefined;
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((done) => server!.listen(0, "127.0.0.1", done));
    return `127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  const client = (url: string) => new KubeClient({ server: url, insecureSkipTlsVerify: false });
  const failure = (call: Promise<unknown>) => call.then(() => expect.fail("the call should have failed"), (err: unknown) => err);

  it("a port nobody listens on: ECONNREFUSED, transient, naming the object and the server", async () => {
    const url = `http://${await serve(() => {})}`;
    await new Promise((done) => server!.close(done));
    server = undefined;
    const err = await failure(client(url).get(CONFIG_MAPS, "settings", "team-a"));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe("ECONNREFUSED");
    expect((err as TransportError).transient).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`^GET /api/v1/namespaces/team-a/configmaps/settings on ${url} failed: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+ \\(ECONNREFUSED\\);`));
  });

  it("a connection closed before the answer, and one closed in the middle of the body: transient", async () => {
    const address = await serve((req, res) => {
      if (req.url?.includes("half")) {
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        res.write('{"items": [');
        setTimeout(() => req.socket.destroy(), 20);
      } else req.socket.destroy();
    });
    for (const name of ["none", "half"]) {
      const err = await failure(client(`http://${address}`).get(CONFIG_MAPS, name, "team-a"));
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).code).toBe("UND_ERR_SOCKET");
      expect((err as TransportError).transient).toBe(true);
      expect((err as Error).message).toContain(`GET /api/v1/namespaces/team-a/configmaps/${name} on http://${address} failed: other side closed (UND_ERR_SOCKET)`);
    }
  });

  it("a watch whose connection breaks mid-stream", async () => {
    const address = await serve((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(JSON.stringify({ type: "ADDED", object: { metadata: { name: "a", resourceVersion: "2" } } }) + "\n");
      setTimeout(() => req.socket.destroy(), 20);
    });
    const seen: string[] = [];
    const err = await failure(
      (async () => {
        for await (const event of client(`http://${address}`).watch(CONFIG_MAPS, { resourceVersion: "1", namespace: "team-a" })) seen.push(event.object.metadata.name);
      })(),
    );
    expect(seen).toEqual(["a"]);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(/^WATCH \/api\/v1\/namespaces\/team-a\/configmaps on http:\/\/.* failed: other side closed \(UND_ERR_SOCKET\); the connection broke off/);
  });

  it("HTTPS to a server that speaks plain HTTP: a TLS failure, not transient", async () => {
    const address = await serve((_req, res) => res.end("{}"));
    const err = await failure(client(`https://${address}`).serverVersion());
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).transient).toBe(false);
    expect((err as Error).message).toContain("the TLS handshake failed");
  });

  it("the caller's own timeout stays the caller's: not a TransportError", async () => {
    const address = await serve(() => {});
    const err = await failure(client(`http://${address}`).serverVersion(AbortSignal.timeout(50)));
    expect(err).not.toBeInstanceOf(TransportError);
    expect((err as Error).name).toBe("TimeoutError");
  });
});
