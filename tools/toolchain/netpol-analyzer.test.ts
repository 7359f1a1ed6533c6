import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { fakeBinaries, tempDir } from "./fake-binaries.ts";
import {
  ALL_PORTS,
  analyzeConnectivity,
  checkPinnedHashes,
  ensureNetpolAnalyzer,
  NETPOL_ANALYZER_GO_MOD_SUM,
  NETPOL_ANALYZER_SUM,
  NETPOL_ANALYZER_VERSION,
  netpolAnalyzerGoEnv,
  normalisePortRanges,
  parseConnectionString,
  parseConnlist,
  parsePeer,
  renderAnalyzerInput,
  renderNetpolAnalyzerModule,
} from "./netpol-analyzer.ts";

const UPSTREAM_GO_MOD = `module github.com/np-guard/netpol-analyzer

go 1.23.0

toolchain go1.24.1

require (
	github.com/np-guard/models v0.5.7
	github.com/spf13/cobra v1.9.1
)
`;

const UPSTREAM_GO_SUM = `github.com/np-guard/models v0.5.7 h1:U3Cc3NVRGG88+1KPdxhPTUe8JxrDUME+jiSvjHXdkyg=
github.com/np-guard/models v0.5.7/go.mod h1:Cj2nHAECvIuNoEBHXyzvauf3jXYgLzjxuHH73COaazE=
`;

describe("the wrapper module for netpol-analyzer", () => {
  it("requires the pinned version, builds cmd/netpolicy and keeps upstream's go directive", () => {
    const { goMod, minimumGo } = renderNetpolAnalyzerModule(UPSTREAM_GO_MOD, UPSTREAM_GO_SUM);
    expect(NETPOL_ANALYZER_VERSION).toBe("v1.4.4");
    expect(minimumGo).toBe("1.23.0");
    expect(goMod).toMatch(/^go 1\.23\.0$/m);
    expect(goMod).toContain(`\tgithub.com/np-guard/netpol-analyzer ${NETPOL_ANALYZER_VERSION}\n`);
    expect(goMod).toMatch(/^\tgithub\.com\/np-guard\/netpol-analyzer\/cmd\/netpolicy$/m);
  });

  it("starts its go.sum with the pinned hashes followed by upstream's own go.sum", () => {
    const { files } = renderNetpolAnalyzerModule(UPSTREAM_GO_MOD, UPSTREAM_GO_SUM);
    expect(files["go.sum"]).toBe(
      `github.com/np-guard/netpol-analyzer v1.4.4 ${NETPOL_ANALYZER_SUM}\n` +
        `github.com/np-guard/netpol-analyzer v1.4.4/go.mod ${NETPOL_ANALYZER_GO_MOD_SUM}\n` +
        UPSTREAM_GO_SUM,
    );
  });

  it("refuses an upstream go.sum with a line that is not a module hash", () => {
    expect(() => renderNetpolAnalyzerModule(UPSTREAM_GO_MOD, `${UPSTREAM_GO_SUM}<<<<<<< HEAD\n`)).toThrow(/not a module hash: "<<<<<<< HEAD"/);
  });

  it("accepts only the pinned zip and go.mod hashes", () => {
    expect(() => checkPinnedHashes({ Sum: NETPOL_ANALYZER_SUM, GoModSum: NETPOL_ANALYZER_GO_MOD_SUM })).not.toThrow();
    const changed = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    expect(() => checkPinnedHashes({ Sum: changed, GoModSum: NETPOL_ANALYZER_GO_MOD_SUM })).toThrow(
      new RegExp(`not the release yunshu pinned \\(zip ${changed}, pinned ${NETPOL_ANALYZER_SUM}\\)`),
    );
    expect(() => checkPinnedHashes({ Sum: NETPOL_ANALYZER_SUM })).toThrow(/go\.mod \(no hash\), pinned/);
  });

  it("exempts only netpol-analyzer from the checksum database and builds with -mod=readonly", () => {
    expect(netpolAnalyzerGoEnv({})).toEqual({ GONOSUMDB: "github.com/np-guard/netpol-analyzer", GOFLAGS: "-mod=readonly", CGO_ENABLED: "0" });
    expect(netpolAnalyzerGoEnv({ GONOSUMDB: "corp.example", GOFLAGS: "-buildvcs=false" })).toMatchObject({
      GONOSUMDB: "corp.example,github.com/np-guard/netpol-analyzer",
      GOFLAGS: "-buildvcs=false -mod=readonly",
    });
    expect(netpolAnalyzerGoEnv({ GOPRIVATE: "corp.example" }).GONOSUMDB).toBe("corp.example,github.com/np-guard/netpol-analyzer");
    expect(Object.keys(netpolAnalyzerGoEnv({}))).not.toContain("GOSUMDB");
  });
});

const tcp = (from: number, to = from) => ({ protocol: "TCP" as const, from, to });
const udp = (from: number, to = from) => ({ protocol: "UDP" as const, from, to });

describe("reading the analyzer's output", () => {
  it("reads ports, ranges and several protocols into sorted, merged ranges", () => {
    expect(parseConnectionString("TCP 80,8000-8080,UDP 53")).toEqual([tcp(80), tcp(8000, 8080), udp(53)]);
    expect(parseConnectionString("SCTP 9,TCP 81-90,80,UDP 1-65535")).toEqual([
      { protocol: "SCTP", from: 9, to: 9 },
      tcp(80, 90),
      udp(1, 65535),
    ]);
  });

  it("reads All Connections as every port of TCP, UDP and SCTP", () => {
    expect(parseConnectionString("All Connections")).toEqual([
      { protocol: "SCTP", from: 1, to: 65535 },
      tcp(1, 65535),
      udp(1, 65535),
    ]);
  });

  it("refuses connection strings it does not know", () => {
    expect(() => parseConnectionString("ICMP 1")).toThrow(/"ICMP 1" is neither/);
    expect(() => parseConnectionString("80,TCP 443")).toThrow(/port "80" comes before any protocol/);
    expect(() => parseConnectionString("TCP 0")).toThrow(/"TCP 0" is neither/);
    expect(() => parseConnectionString("TCP 90-80")).toThrow(/not a port range within 1-65535/);
    expect(() => parseConnectionString("TCP 65536")).toThrow(/not a port range within 1-65535/);
    expect(() => parseConnectionString("No Connections")).toThrow(/is neither/);
    expect(() => parseConnectionString("")).toThrow(/is neither/);
  });

  it("merges overlapping and adjacent ranges of one protocol only", () => {
    expect(normalisePortRanges([tcp(10, 20), udp(21), tcp(21, 25), tcp(5, 12), tcp(27)])).toEqual([tcp(5, 25), tcp(27), udp(21)]);
  });

  it("names a pod namespace/name and an IP block not at all", () => {
    expect(parsePeer("shop/web-0.a[Pod]")).toBe("shop/web-0.a");
    expect(parsePeer("0.0.0.0-9.255.255.255")).toBeUndefined();
    expect(parsePeer("0.0.0.0-9.255.255.255,11.0.0.0-255.255.255.255")).toBeUndefined();
    expect(() => parsePeer("shop/web[ReplicaSet]")).toThrow(/neither namespace\/name\[Pod\] nor IP ranges/);
    expect(() => parsePeer("{ingress-controller}")).toThrow(/neither/);
    expect(() => parsePeer("10.0.0.0/8")).toThrow(/neither/);
  });

  it("keeps the pod-to-pod connections, sorted, without IP blocks or a pod's connection to itself", () => {
    const output = JSON.stringify([
      { src: "0.0.0.0-255.255.255.255", dst: "shop/web[Pod]", conn: "All Connections" },
      { src: "shop/web[Pod]", dst: "0.0.0.0-255.255.255.255", conn: "All Connections" },
      { src: "shop/web[Pod]", dst: "shop/web[Pod]", conn: "All Connections" },
      { src: "shop/web[Pod]", dst: "clients/browser[Pod]", conn: "TCP 8080,80" },
      { src: "clients/browser[Pod]", dst: "shop/web[Pod]", conn: "UDP 53" },
    ]);
    expect(parseConnlist(output)).toEqual([
      { src: "clients/browser", dst: "shop/web", ports: [udp(53)] },
      { src: "shop/web", dst: "clients/browser", ports: [tcp(80), tcp(8080)] },
    ]);
    expect(parseConnlist("[]")).toEqual([]);
  });

  it("refuses a line it cannot read, quoting it, rather than skipping it", () => {
    const bad = JSON.stringify([{ src: "shop/web[Pod]", dst: "clients/browser[Pod]", conn: "TCP 80,ICMP" }]);
    expect(() => parseConnlist(bad)).toThrow(/cannot read netpol-analyzer's line "shop\/web\[Pod\] => clients\/browser\[Pod\] : TCP 80,ICMP": "ICMP" is neither/);
    expect(() => parseConnlist(JSON.stringify([{ src: "a/b[Pod]", dst: "c/d[Pod]" }]))).toThrow(/without src, dst and conn: \{"src":"a\/b\[Pod\]","dst":"c\/d\[Pod\]"\}/);
    expect(() => parseConnlist("2026/01/01 warning\n[]")).toThrow(/not JSON: "2026\/01\/01 warning/);
    expect(() => parseConnlist("{}")).toThrow(/not a list of connections/);
  });
});

describe("the analyzer's input", () => {
  it("is the objects as YAML documents, pods without their controllers", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "n", ownerReferences: [{ kind: "ReplicaSet", name: "r", controller: true }] } };
    const docs = parseAllDocuments(renderAnalyzerInput([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "n" } }, pod]));
    expect(docs.map((d) => d.toJS())).toEqual([
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "n" } },
      { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "n" } },
    ]);
    expect(pod.metadata.ownerReferences).toHaveLength(1);
  });

  it("takes only Namespaces, Pods and NetworkPolicies", () => {
    expect(() => renderAnalyzerInput([{ kind: "Service" }])).toThrow(/takes Namespaces, Pods and NetworkPolicies, not "Service"/);
    expect(parse(renderAnalyzerInput([{ kind: "NetworkPolicy" }]))).toEqual({ kind: "NetworkPolicy" });
  });

  it("without pods there is no connection, and no analyzer to run", async () => {
    await expect(analyzeConnectivity("/nonexistent/netpolicy", [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "n" } }])).resolves.toEqual([]);
  });
});

describe("finding netpol-analyzer", () => {
  it("uses NETPOL_ANALYZER_BIN when it names an executable, and builds nothing", async () => {
    const dir = await tempDir();
    await fakeBinaries(dir, ["k8snetpolicy"]);
    vi.stubEnv("YUNSHU_CACHE_DIR", await tempDir());
    vi.stubEnv("PATH", "/nonexistent");
    await expect(ensureNetpolAnalyzer(() => {}, { NETPOL_ANALYZER_BIN: join(dir, "k8snetpolicy") })).resolves.toBe(join(dir, "k8snetpolicy"));
  });

  it("says when NETPOL_ANALYZER_BIN is not an executable file", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "netpolicy"), "not a program");
    await expect(ensureNetpolAnalyzer(() => {}, { NETPOL_ANALYZER_BIN: join(dir, "netpolicy") })).rejects.toThrow(
      /NETPOL_ANALYZER_BIN=.*\/netpolicy is not an executable file: name a netpol-analyzer binary, or unset NETPOL_ANALYZER_BIN/,
    );
  });

  it("finds a complete cache entry without Go", async () => {
    const cache = await tempDir();
    const entry = join(cache, "netpol-analyzer", NETPOL_ANALYZER_VERSION);
    await fakeBinaries(join(entry, "bin"), ["netpolicy"]);
    await writeFile(join(entry, "complete.json"), "{}");
    vi.stubEnv("YUNSHU_CACHE_DIR", cache);
    vi.stubEnv("PATH", "/nonexistent");
    await expect(ensureNetpolAnalyzer(() => {}, {})).resolves.toBe(join(entry, "bin", "netpolicy"));
  });

  it("without the Go module proxy, says to make it reachable or to set NETPOL_ANALYZER_BIN", async () => {
    vi.stubEnv("YUNSHU_CACHE_DIR", await tempDir());
    vi.stubEnv("GOMODCACHE", await tempDir());
    vi.stubEnv("GOPROXY", "off");
    await expect(ensureNetpolAnalyzer(() => {}, {})).rejects.toThrow(
      /could not download github\.com\/np-guard\/netpol-analyzer@v1\.4\.4 \(GOPROXY=off\)[\s\S]*Make the Go module proxy reachable[\s\S]*set NETPOL_ANALYZER_BIN/,
    );
  });
});

const namespace = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });

// Neither pod has a status or a container, and the client's pod is owned by
// a ReplicaSet: the analyzer must still see two pods by their own names.
const SCENARIO = [
  namespace("shop"),
  namespace("clients"),
  { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "shop", labels: { app: "web" } }, spec: {} },
  {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "browser-7d9f",
      namespace: "clients",
      labels: { app: "browser" },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "browser", uid: "1", controller: true }],
    },
    spec: {},
  },
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny", namespace: "shop" },
    spec: { podSelector: {}, policyTypes: ["Ingress"] },
  },
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "allow-clients-8080", namespace: "shop" },
    spec: {
      podSelector: { matchLabels: { app: "web" } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "clients" } } }], ports: [{ protocol: "TCP", port: 8080 }] }],
    },
  },
];

// Builds the analyzer when it is not cached yet: about a minute and a half
// from cold caches on two cores.
describe("the real netpol-analyzer", () => {
  let binary: string;
  beforeAll(async () => {
    binary = await ensureNetpolAnalyzer();
  }, 900_000);

  it("lets the client reach the web pod on TCP 8080 only, and the web pod reach the client on everything", async () => {
    expect(await analyzeConnectivity(binary, SCENARIO)).toEqual([
      { src: "clients/browser-7d9f", dst: "shop/web", ports: [tcp(8080)] },
      { src: "shop/web", dst: "clients/browser-7d9f", ports: [...ALL_PORTS] },
    ]);
  });

  it("fails on an object it cannot read instead of analysing without it", async () => {
    const broken = { apiVersion: "v1", kind: "Pod", metadata: { name: "broken", namespace: "shop" }, spec: { containers: "web" } };
    await expect(analyzeConnectivity(binary, [...SCENARIO, broken])).rejects.toThrow(/list reported an error:[\s\S]*malformed[\s\S]*name: broken/);
  });
});
