// Finds or builds the helm binary that the chart's tests run. Like the
// Kubernetes binaries it is built once from the Go module proxy (these
// machines have no other way to get it) into the per-version cache.
import { constants as fsConstants } from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { downloadModule, ensureGoTools, renderWrapperGoMod, stderrLog, ToolchainError, type Log } from "./go-tools.ts";

export const HELM_VERSION = "v3.22.0";

/**
 * The Kubernetes minor release whose client libraries HELM_VERSION is built
 * with. Offline, `helm template` and `helm lint` assume the cluster runs this
 * version only if it is set at link time; otherwise they assume 1.20 and any
 * chart with a recent `kubeVersion` fails to render. Checked against helm's
 * go.mod when building, so bumping HELM_VERSION alone cannot leave it stale.
 */
export const HELM_KUBERNETES_MINOR = "37";

function helmLdflags(): string[] {
  const set = (pkg: string, name: string, value: string) => `-X helm.sh/helm/v3/${pkg}.${name}=${value}`;
  return [
    "-s",
    "-w",
    set("internal/version", "version", HELM_VERSION),
    set("internal/version", "gitTreeState", "clean"),
    ...["pkg/chartutil", "pkg/lint/rules"].flatMap((pkg) => [
      set(pkg, "k8sVersionMajor", "1"),
      set(pkg, "k8sVersionMinor", HELM_KUBERNETES_MINOR),
    ]),
  ];
}

export function renderHelmGoMod(goDirective: string): string {
  return renderWrapperGoMod({ module: "yunshu.local/helm", goDirective, requires: [`helm.sh/helm/v3 ${HELM_VERSION}`], tools: ["helm.sh/helm/v3/cmd/helm"], replaces: [] });
}

/** Reads the go directive from helm's go.mod and checks HELM_KUBERNETES_MINOR against it. */
export function parseHelmGoMod(goMod: string): { goDirective: string } {
  const go = /^go\s+(\d+\.\d+(?:\.\d+)?)/m.exec(goMod)?.[1];
  const clientGo = /^\s*k8s\.io\/client-go\s+v0\.(\d+)\./m.exec(goMod)?.[1];
  if (!go || !clientGo) throw new ToolchainError(`helm ${HELM_VERSION}'s go.mod lacks a go directive or k8s.io/client-go`);
  if (clientGo !== HELM_KUBERNETES_MINOR) {
    throw new ToolchainError(
      `helm ${HELM_VERSION} is built on Kubernetes 1.${clientGo} libraries but HELM_KUBERNETES_MINOR is ${HELM_KUBERNETES_MINOR}: ` +
        "update it in tools/toolchain/helm.ts",
    );
  }
  return { goDirective: go };
}

async function resolveHelmModule(log: Log): Promise<{ goMod: string; minimumGo: string }> {
  const { goDirective } = parseHelmGoMod((await downloadModule("helm.sh/helm/v3", HELM_VERSION, log, "set HELM to a helm binary")).goMod);
  return { goMod: renderHelmGoMod(goDirective), minimumGo: goDirective };
}

/** Path of a helm binary: `$HELM` when set, otherwise yunshu's cached build of HELM_VERSION. */
export async function ensureHelm(log: Log = stderrLog, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.HELM) {
    try {
      await access(env.HELM, fsConstants.X_OK);
    } catch {
      throw new ToolchainError(`HELM=${env.HELM} is not an executable file; unset it to let yunshu build helm ${HELM_VERSION}`);
    }
    return env.HELM;
  }
  const { binDir } = await ensureGoTools(
    {
      cacheKey: join("helm", HELM_VERSION),
      tools: [{ pkg: "helm.sh/helm/v3/cmd/helm", binary: "helm", ldflags: helmLdflags() }],
      env: { CGO_ENABLED: "0" },
      resolveModule: resolveHelmModule,
    },
    log,
  );
  return join(binDir, "helm");
}
