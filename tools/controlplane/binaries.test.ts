import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { fakeBinaries, tempDir } from "../toolchain/fake-binaries.ts";
import { BINARIES, ensureBinaries, KUBERNETES_VERSION, parseKubernetesGoMod, renderWrapperGoMod } from "./binaries.ts";

const GO_MOD = `module k8s.io/kubernetes

go 1.26.0

require (
	go.etcd.io/etcd/client/v3 v3.7.0
	go.etcd.io/etcd/server/v3 v3.7.0 // indirect
	k8s.io/api v0.0.0
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/client-go => ./staging/src/k8s.io/client-go
	k8s.io/streaming => ./staging/src/k8s.io/streaming
)
`;


describe("the wrapper module for Kubernetes binaries", () => {
  it("derives the staging replaces, the etcd version and the go directive from Kubernetes' own go.mod", () => {
    const mod = parseKubernetesGoMod(GO_MOD, "v1.37.2");
    expect(mod).toEqual({
      stagingReplaces: [
        "k8s.io/api => k8s.io/api v0.37.2",
        "k8s.io/client-go => k8s.io/client-go v0.37.2",
        "k8s.io/streaming => k8s.io/streaming v0.37.2",
      ],
      etcdVersion: "v3.7.0",
      goDirective: "1.26",
    });
  });

  it("refuses a go.mod that has no staging replaces", () => {
    expect(() => parseKubernetesGoMod("module x\n\ngo 1.26\n", "v1.37.2")).toThrow(/lacks staging replaces/);
  });

  it("requires the release and etcd, lists the four tools and every replace", () => {
    const goMod = renderWrapperGoMod("v1.37.2", parseKubernetesGoMod(GO_MOD, "v1.37.2"));
    expect(goMod).toContain("\tk8s.io/kubernetes v1.37.2\n");
    expect(goMod).toContain("\tgo.etcd.io/etcd/server/v3 v3.7.0\n");
    expect(goMod).toContain("\tk8s.io/kubernetes/cmd/kube-controller-manager\n");
    expect(goMod).toContain("\tk8s.io/streaming => k8s.io/streaming v0.37.2\n");
    expect(goMod).toMatch(/^go 1\.26$/m);
  });

  it("pins a current Kubernetes release", () => {
    expect(KUBERNETES_VERSION).toMatch(/^v1\.(3[5-9]|[4-9]\d)\.\d+$/);
  });
});

describe("finding the binaries", () => {
  it("uses KUBEBUILDER_ASSETS when it holds all four", async () => {
    const assets = await tempDir();
    await fakeBinaries(assets, BINARIES);
    const found = await ensureBinaries(() => {}, { KUBEBUILDER_ASSETS: assets });
    expect(found.source).toBe("KUBEBUILDER_ASSETS");
    expect(found.path("kube-apiserver")).toBe(join(assets, "kube-apiserver"));
  });

  it("says what an incomplete KUBEBUILDER_ASSETS lacks and uses the cache instead", async () => {
    const assets = await tempDir();
    await fakeBinaries(assets, ["etcd", "kube-apiserver", "kubectl"]);
    const cache = await tempDir();
    const entry = join(cache, "kubernetes", KUBERNETES_VERSION);
    await fakeBinaries(join(entry, "bin"), BINARIES);
    await writeFile(join(entry, "complete.json"), "{}");
    vi.stubEnv("YUNSHU_CACHE_DIR", cache);
    const said: string[] = [];
    const found = await ensureBinaries((m) => said.push(m), { KUBEBUILDER_ASSETS: assets });
    expect(found.source).toBe("cache");
    expect(found.built).toBe(false);
    expect(found.dir).toBe(join(entry, "bin"));
    expect(said.join("\n")).toContain("lacks kube-controller-manager");
  });

  it("does not trust a cache entry whose build never finished", async () => {
    const cache = await tempDir();
    await fakeBinaries(join(cache, "kubernetes", KUBERNETES_VERSION, "bin"), BINARIES);
    vi.stubEnv("YUNSHU_CACHE_DIR", cache);
    vi.stubEnv("PATH", "/nonexistent");
    await expect(ensureBinaries(() => {}, {})).rejects.toThrow(/no Go toolchain found: install Go/);
  });

  it("without Go, says exactly what to install", async () => {
    vi.stubEnv("YUNSHU_CACHE_DIR", await tempDir());
    vi.stubEnv("PATH", "/nonexistent");
    await expect(ensureBinaries(() => {}, {})).rejects.toThrow(
      /no Go toolchain found: install Go \(https:\/\/go\.dev\/dl\/\) so that yunshu can build etcd, kube-apiserver, kube-controller-manager, kubectl/,
    );
  });

  it("without the Go module proxy, says to make it reachable or to set KUBEBUILDER_ASSETS", async () => {
    vi.stubEnv("YUNSHU_CACHE_DIR", await tempDir());
    vi.stubEnv("GOMODCACHE", await tempDir());
    vi.stubEnv("GOPROXY", "off");
    await expect(ensureBinaries(() => {}, {})).rejects.toThrow(
      /could not download k8s\.io\/kubernetes@v1\.\d+\.\d+ \(GOPROXY=off\)[\s\S]*Make the Go module proxy reachable[\s\S]*set KUBEBUILDER_ASSETS/,
    );
  });
});
