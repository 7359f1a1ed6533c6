// Builds or finds the Kubernetes binaries, the Pulumi toolchain and
// Prometheus once, before any test file starts, so that parallel test files
// never race to build them and no test's timeout includes a build.
import { ensureBinaries } from "../tools/controlplane/binaries.ts";
import { ensurePrometheus } from "../tools/toolchain/prometheus.ts";
import { ensurePulumi } from "../tools/toolchain/pulumi.ts";

export default async function setup(): Promise<void> {
  await ensureBinaries();
  await ensurePulumi();
  await ensurePrometheus();
}
