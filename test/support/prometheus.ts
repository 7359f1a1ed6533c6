// A real Prometheus for a test, beside its control plane: its data and
// config under the plane's directory, its log with the plane's logs, and
// PromQL queries against it.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, type ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { startSupervised, type Supervised } from "../../tools/controlplane/processes.ts";
import { ensurePrometheus } from "../../tools/toolchain/prometheus.ts";
import { eventually } from "../../tools/local/eventually.ts";

export interface TestPrometheus {
  /** Where its config lives: files the config names (a token) go here too. Its TSDB is `dir`/data. */
  dir: string;
  url: string;
  process: Supervised;
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Stops it and starts it again on the same data (to load blocks moved into it), ready when this resolves. */
  restart(): Promise<void>;
}

/**
 * Creates the directory, lets `config(dir)` write what the config needs
 * (and, for backfilled history, blocks into `dir`/data) and return the
 * config itself, and starts Prometheus with it and `args`.
 */
export async function startPrometheus(plane: ControlPlane, config: (dir: string) => Promise<string>, args: string[] = []): Promise<TestPrometheus> {
  const dir = join(plane.dir, "prometheus");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "prometheus.yml"), await config(dir));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const binary = (await ensurePrometheus()).prometheus;
  const start = () =>
    startSupervised(
      "prometheus",
      binary,
      [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, ...args],
      join(plane.dir, "logs", "prometheus.log"),
    );
  const query = async (promql: string) => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    return ((await response.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
  };
  const ready = () => eventually("Prometheus to be ready", async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true, { timeoutMs: 60_000 });
  const prometheus: TestPrometheus = {
    dir,
    url,
    process: start(),
    query,
    async restart() {
      await prometheus.process.stop();
      prometheus.process = start();
      await ready();
    },
  };
  await ready();
  return prometheus;
}
