// Finds or builds prometheus and promtool: the chart's alert tests run
// promtool, and the metrics test scrapes the operator with a real Prometheus.
// Like the Kubernetes binaries they are built once from the Go module proxy
// into the per-version cache: a distribution's package would install and
// start a system-wide service on a developer's machine, and lags releases.
// Someone who has both binaries already names their directory instead.
import { join } from "node:path";
import {
  downloadModule,
  ensureGoTools,
  missingBinaries,
  parseUpstreamGoMod,
  renderWrapperGoMod,
  stderrLog,
  ToolchainError,
  type Log,
} from "./go-tools.ts";

const MODULE = "github.com/prometheus/prometheus";

/** Prometheus 3.MM.P is tagged v0.3MM.P on the Go module proxy. */
export const PROMETHEUS_MODULE_VERSION = "v0.316.0";

export const PROMETHEUS_BINARIES = ["prometheus", "promtool"] as const;

/** The environment variable naming a directory that holds both binaries. */
export const PROMETHEUS_BIN_DIR = "PROMETHEUS_BIN_DIR";

/** The release a module version is, e.g. v0.316.0 → 3.16.0. */
export function prometheusRelease(moduleVersion: string): string {
  const match = /^v0\.(\d)(\d\d)\.(\d+)$/.exec(moduleVersion);
  if (!match) throw new ToolchainError(`${moduleVersion} is not a Prometheus module version (v0.3MM.P for release 3.MM.P)`);
  return `${match[1]}.${Number(match[2])}.${match[3]}`;
}

export const PROMETHEUS_VERSION = prometheusRelease(PROMETHEUS_MODULE_VERSION);

const COMMANDS = PROMETHEUS_BINARIES.map((binary) => ({
  pkg: `${MODULE}/cmd/${binary}`,
  binary,
  ldflags: ["-s", "-w", `-X github.com/prometheus/common/version.Version=${PROMETHEUS_VERSION}`],
}));

/**
 * `remove_all_sd` leaves out of prometheus every service discovery but file
 * and HTTP (the tests scrape static targets), and the cloud SDKs they pull
 * in: that about halves a cold build of both binaries (331 instead of 594
 * CPU seconds, measured with v3.16.0). `builtinassets` stays off: the module
 * carries no compiled web UI to embed, and the tests need only the HTTP API.
 */
const BUILD_TAGS = ["remove_all_sd"];

export function renderPrometheusGoMod(upstreamGoMod: string): { goMod: string; minimumGo: string } {
  const { goDirective, replaces } = parseUpstreamGoMod(upstreamGoMod);
  const goMod = renderWrapperGoMod({
    module: "yunshu.local/prometheus",
    goDirective,
    requires: [`${MODULE} ${PROMETHEUS_MODULE_VERSION}`],
    replaces,
    tools: COMMANDS.map((c) => c.pkg),
  });
  return { goMod, minimumGo: goDirective };
}

export interface PrometheusBinaries {
  dir: string;
  prometheus: string;
  promtool: string;
}

function binariesIn(dir: string): PrometheusBinaries {
  return { dir, prometheus: join(dir, "prometheus"), promtool: join(dir, "promtool") };
}

/** The user's own directory, when it holds both binaries; an error saying what it lacks otherwise. */
export async function userPrometheus(dir: string): Promise<PrometheusBinaries> {
  const missing = await missingBinaries(dir, PROMETHEUS_BINARIES);
  if (missing.length > 0) {
    throw new ToolchainError(
      `${PROMETHEUS_BIN_DIR}=${dir} lacks ${missing.join(" and ")} (an executable file of that name): ` +
        `put both prometheus and promtool there, or unset ${PROMETHEUS_BIN_DIR} to let yunshu build Prometheus ${PROMETHEUS_VERSION} once`,
    );
  }
  return binariesIn(dir);
}

/** prometheus and promtool: from `$PROMETHEUS_BIN_DIR` when set, otherwise yunshu's cached build of PROMETHEUS_VERSION. */
export async function ensurePrometheus(log: Log = stderrLog, env: NodeJS.ProcessEnv = process.env): Promise<PrometheusBinaries> {
  const userDir = env[PROMETHEUS_BIN_DIR];
  if (userDir) return userPrometheus(userDir);
  const { binDir } = await ensureGoTools(
    {
      cacheKey: join("prometheus", `v${PROMETHEUS_VERSION}`),
      tools: COMMANDS,
      tags: BUILD_TAGS,
      env: { CGO_ENABLED: "0" },
      resolveModule: async (l) =>
        renderPrometheusGoMod(
          (await downloadModule(MODULE, PROMETHEUS_MODULE_VERSION, l, `set ${PROMETHEUS_BIN_DIR} to a directory holding prometheus and promtool`)).goMod,
        ),
    },
    log,
  );
  return binariesIn(binDir);
}

// `node tools/toolchain/prometheus.ts` builds (or finds) both and prints
// their directory, for PATH; `make prometheus` uses it.
if (import.meta.main) {
  ensurePrometheus().then(
    (binaries) => process.stdout.write(`${binaries.dir}\n`),
    (err: unknown) => {
      process.stderr.write(`[yunshu] ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
