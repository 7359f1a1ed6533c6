// Where the local control plane's binaries come from: a KUBEBUILDER_ASSETS
// directory when it is complete (envtest users already have one), otherwise a
// cache built from Go modules at the Kubernetes release pinned in
// versions.json.
import { join } from "node:path";
import versions from "./versions.json" with { type: "json" };
import { downloadModule, ensureGoTools, missingBinaries, renderWrapperGoMod as renderGoToolsMod, stderrLog, ToolchainError, type Log } from "../toolchain/go-tools.ts";

export const BINARIES = ["etcd", "kube-apiserver", "kube-controller-manager", "kubectl"] as const;
export type BinaryName = (typeof BINARIES)[number];

export interface Binaries {
  dir: string;
  source: "KUBEBUILDER_ASSETS" | "cache";
  /** True when this call built them (a cold start). */
  built: boolean;
  path(name: BinaryName): string;
}

export const KUBERNETES_VERSION: string = versions.kubernetes;

export interface KubernetesModule {
  /** `replace` lines for k8s.io/kubernetes's staging modules at this release. */
  stagingReplaces: string[];
  etcdVersion: string;
  goDirective: string;
}

/**
 * Reads what the wrapper module needs from k8s.io/kubernetes's own go.mod at
 * the pinned tag: it maps its ~30 staging modules to ./staging, which a
 * dependent module must replace with the published v0.<minor>.<patch>; the
 * list changes between releases, so it is derived, never hand-kept.
 */
export function parseKubernetesGoMod(goMod: string, kubernetesVersion: string): KubernetesModule {
  const published = kubernetesVersion.replace(/^v1\./, "v0.");
  const stagingReplaces = [...goMod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\/src\/\S+\s*$/gm)].map(
    (m) => `${m[1]} => ${m[1]} ${published}`,
  );
  const etcd = /^\s*go\.etcd\.io\/etcd\/server\/v3\s+(v\S+)/m.exec(goMod)?.[1];
  const go = /^go\s+(\d+\.\d+)/m.exec(goMod)?.[1];
  if (stagingReplaces.length === 0 || !etcd || !go) {
    throw new ToolchainError(`k8s.io/kubernetes ${kubernetesVersion}'s go.mod lacks staging replaces, an etcd server version or a go directive`);
  }
  return { stagingReplaces, etcdVersion: etcd, goDirective: go };
}

export function renderWrapperGoMod(kubernetesVersion: string, mod: KubernetesModule): string {
  return renderGoToolsMod({
    module: "yunshu.local/kubernetes-binaries",
    goDirective: mod.goDirective,
    requires: [`k8s.io/kubernetes ${kubernetesVersion}`, `go.etcd.io/etcd/server/v3 ${mod.etcdVersion}`],
    tools: kubernetesTools(kubernetesVersion).map((t) => t.pkg),
    replaces: mod.stagingReplaces,
  });
}

function kubernetesTools(version: string) {
  const [major, minor] = version.replace(/^v/, "").split(".");
  // Without these /version says v0.0.0-master, and version checks (Helm's
  // kubeVersion, kubectl's skew warning) break.
  const versionFlags = ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ]);
  const ldflags = ["-s", "-w", ...versionFlags];
  return [
    { pkg: "go.etcd.io/etcd/server/v3", binary: "etcd", ldflags: ["-s", "-w"] },
    { pkg: "k8s.io/kubernetes/cmd/kube-apiserver", binary: "kube-apiserver", ldflags },
    { pkg: "k8s.io/kubernetes/cmd/kube-controller-manager", binary: "kube-controller-manager", ldflags },
    { pkg: "k8s.io/kubernetes/cmd/kubectl", binary: "kubectl", ldflags },
  ];
}

async function resolveKubernetesModule(version: string, log: Log): Promise<KubernetesModule> {
  const { goMod } = await downloadModule("k8s.io/kubernetes", version, log, `set KUBEBUILDER_ASSETS to a directory holding ${BINARIES.join(", ")}`);
  return parseKubernetesGoMod(goMod, version);
}

function binariesIn(dir: string, source: Binaries["source"], built: boolean): Binaries {
  return { dir, source, built, path: (name) => join(dir, name) };
}

export async function ensureBinaries(log: Log = stderrLog, env: NodeJS.ProcessEnv = process.env): Promise<Binaries> {
  const assets = env.KUBEBUILDER_ASSETS;
  if (assets) {
    const missing = await missingBinaries(assets, BINARIES);
    if (missing.length === 0) return binariesIn(assets, "KUBEBUILDER_ASSETS", false);
    log(
      `KUBEBUILDER_ASSETS=${assets} lacks ${missing.join(", ")} (envtest's own assets have no kube-controller-manager); ` +
        `using yunshu's build of Kubernetes ${KUBERNETES_VERSION} instead`,
    );
  }
  const tools = kubernetesTools(KUBERNETES_VERSION);
  const { binDir, built } = await ensureGoTools(
    {
      cacheKey: join("kubernetes", KUBERNETES_VERSION),
      tools,
      tags: ["selinux", "notest", "grpcnotrace"],
      env: { CGO_ENABLED: "0" },
      resolveModule: async (l) => {
        const mod = await resolveKubernetesModule(KUBERNETES_VERSION, l);
        return { goMod: renderWrapperGoMod(KUBERNETES_VERSION, mod), minimumGo: mod.goDirective };
      },
    },
    log,
  );
  return binariesIn(binDir, "cache", built);
}
