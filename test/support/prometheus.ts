// A real Prometheus for a test, beside its control plane: its data and
// config under the plane's directory, its log with the plane's logs, and
// PromQL queries against it.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, type ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { startSupervised, type Supervised } from "../../tools/controlplane/processes.ts";
import { ensurePrometheus } from "../../tools/toolchain/prometheus.ts";

export interface TestPrometheus {
  /** Where its config lives: files the config names (a token) go here too. */
  dir: string;
  process: Supervised;
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
}

/** Creates the directory, lets `config(dir)` write what the config needs and return the config itself, and starts Prometheus with it. */
export async function startPrometheus(plane: ControlPlane, config: (dir: string) => Promise<string>): Promise<TestPrometheus> {
  const dir = join(plane.dir, "prometheus");
  await mkdir(dir);
  await writeFile(join(dir, "prometheus.yml"), await config(dir));
  const port = await freePort();
  const process = startSupervised(
    "prometheus",
    (await ensurePrometheus()).prometheus,
    [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
    join(plane.dir, "logs", "prometheus.log"),
  );
  const query = async (promql: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`);
    return ((await response.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
  };
  return { dir, process, query };
}
