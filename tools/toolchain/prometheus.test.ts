import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { fakeBinaries, tempDir } from "./fake-binaries.ts";
import {
  ensurePrometheus,
  PROMETHEUS_MODULE_VERSION,
  PROMETHEUS_VERSION,
  prometheusRelease,
  renderPrometheusGoMod,
  userPrometheus,
} from "./prometheus.ts";

const UPSTREAM_GO_MOD = `module github.com/prometheus/prometheus

go 1.26.7

require (
	github.com/prometheus/common v0.67.5
	k8s.io/client-go v0.35.1
)

replace example.com/broken => example.com/fixed v1.0.1

replace github.com/prometheus/prometheus/web/ui => ./web/ui
`;


describe("the Prometheus release", () => {
  it("is read from the Go module's v0.3MM.P tag", () => {
    expect(prometheusRelease("v0.316.0")).toBe("3.16.0");
    expect(prometheusRelease("v0.305.12")).toBe("3.5.12");
  });

  it("refuses a tag that is not a Prometheus 3 module version", () => {
    expect(() => prometheusRelease("v3.16.0")).toThrow(/not a Prometheus module version/);
  });

  it("pins a current, stable Prometheus 3", () => {
    expect(PROMETHEUS_MODULE_VERSION).toMatch(/^v0\.3(1[6-9]|[2-9]\d)\.\d+$/);
    expect(PROMETHEUS_VERSION).toMatch(/^3\.\d+\.\d+$/);
  });
});

describe("the wrapper module for prometheus and promtool", () => {
  it("requires the pinned module, builds both commands and repeats upstream's go directive and non-local replaces", () => {
    const { goMod, minimumGo } = renderPrometheusGoMod(UPSTREAM_GO_MOD);
    expect(minimumGo).toBe("1.26.7");
    expect(goMod).toMatch(/^go 1\.26\.7$/m);
    expect(goMod).toContain(`\tgithub.com/prometheus/prometheus ${PROMETHEUS_MODULE_VERSION}\n`);
    expect(goMod).toMatch(/^\tgithub\.com\/prometheus\/prometheus\/cmd\/prometheus$/m);
    expect(goMod).toMatch(/^\tgithub\.com\/prometheus\/prometheus\/cmd\/promtool$/m);
    expect(goMod).toMatch(/^\texample\.com\/broken => example\.com\/fixed v1\.0\.1$/m);
    expect(goMod).not.toContain("./web/ui");
  });
});

describe("finding prometheus and promtool", () => {
  it("uses PROMETHEUS_BIN_DIR when it holds both, and builds nothing", async () => {
    const dir = await tempDir();
    await fakeBinaries(dir, ["prometheus", "promtool"]);
    vi.stubEnv("YUNSHU_CACHE_DIR", await tempDir());
    vi.stubEnv("PATH", "/nonexistent");
    const found = await ensurePrometheus(() => {}, { PROMETHEUS_BIN_DIR: dir });
    expect(found).toEqual({ dir, promtool: join(dir, "promtool"), prometheus: join(dir, "prometheus") });
  });

  it("says which binary PROMETHEUS_BIN_DIR lacks", async () => {
    const dir = await tempDir();
    await fakeBinaries(dir, ["prometheus"]);
    await expect(userPrometheus(dir)).rejects.toThrow(new RegExp(`PROMETHEUS_BIN_DIR=${dir} lacks promtool \\(`));
  });

  it("does not take a file that is not executable", async () => {
    const dir = await tempDir();
    await fakeBinaries(dir, ["promtool"]);
    await writeFile(join(dir, "prometheus"), "not a program");
    await expect(userPrometheus(dir)).rejects.toThrow(/lacks prometheus \(an executable file of that name\): put both prometheus and promtool there, or unset/);
  });

  it("finds a complete cache entry without Go", async () => {
    const cache = await tempDir();
    const entry = join(cache, "prometheus", `v${PROMETHEUS_VERSION}`);
    await fakeBinaries(join(entry, "bin"), ["prometheus", "promtool"]);
    await writeFile(join(entry, "complete.json"), "{}");
    vi.stubEnv("YUNSHU_CACHE_DIR", cache);
    vi.stubEnv("PATH", "/nonexistent");
    const found = await ensurePrometheus(() => {}, {});
    expect(found).toEqual({ dir: join(entry, "bin"), promtool: join(entry, "bin", "promtool"), prometheus: join(entry, "bin", "prometheus") });
  });

  it("without the Go module proxy, says to make it reachable or to set PROMETHEUS_BIN_DIR", async () => {
    vi.stubEnv("YUNSHU_CACHE_DIR", await tempDir());
    vi.stubEnv("GOMODCACHE", await tempDir());
    vi.stubEnv("GOPROXY", "off");
    await expect(ensurePrometheus(() => {}, {})).rejects.toThrow(
      /could not download github\.com\/prometheus\/prometheus@v0\.3\d+\.\d+ \(GOPROXY=off\)[\s\S]*Make the Go module proxy reachable[\s\S]*set PROMETHEUS_BIN_DIR/,
    );
  });
});
