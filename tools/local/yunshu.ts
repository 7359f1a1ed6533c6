// Runs yunshu against a test control plane the way it runs for real: its
// manifests installed with `yunshu install`'s code, and the operator acting
// with a real token of its own ServiceAccount (so its RBAC and the admission
// policies' exemption are exercised, never bypassed as admin).
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT } from "../../operator/api/names.ts";
import { install } from "../../operator/install.ts";
import { Operator } from "../../operator/operator.ts";
import { KubeClient } from "../../operator/runtime/kube-client.ts";
import { createLogger } from "../../operator/runtime/log.ts";
import { DEFAULT_PLATFORM } from "../../operator/tenant/platform.ts";
import type { Tenant, TenantSpec } from "../../operator/tenant/types.ts";
import type { ControlPlane } from "../controlplane/controlplane.ts";
import { eventually } from "./eventually.ts";

export { OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT };

/** Installs crds/ and returns the operator ServiceAccount's identity on `plane`. */
export async function installYunshu(plane: ControlPlane): Promise<string> {
  await install(new KubeClient(plane.credentials()));
  return plane.serviceAccountIdentity(OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT);
}

/** Starts the operator in this process; its JSON log goes to the plane's logs directory. */
export async function startOperator(
  plane: ControlPlane,
  identity: string,
  opts: { workers?: number; syncTimeoutMs?: number; clusterProbeIntervalMs?: number; maxPendingRequests?: number; offboardingGracePeriodMs?: number; auditIntervalMs?: number } = {},
): Promise<Operator> {
  const logFile = join(plane.dir, "logs", "operator.log");
  const operator = new Operator({
    kubeConfig: plane.credentials(identity),
    workers: opts.workers ?? 4,
    resyncMs: 600_000,
    platform: { ...DEFAULT_PLATFORM, offboardingGracePeriodMs: opts.offboardingGracePeriodMs ?? DEFAULT_PLATFORM.offboardingGracePeriodMs },
    log: createLogger("debug", (line) => appendFileSync(logFile, line + "\n")),
    clusterProbeIntervalMs: opts.clusterProbeIntervalMs,
    maxPendingRequests: opts.maxPendingRequests,
    auditIntervalMs: opts.auditIntervalMs,
  });
  operator.start().catch((err: unknown) => appendFileSync(logFile, `operator stopped with error: ${String(err)}\n`));
  try {
    await eventually("the operator's caches to sync", () => operator.isReady, { timeoutMs: opts.syncTimeoutMs ?? 30_000 });
  } catch (err) {
    await operator.stop();
    throw err;
  }
  return operator;
}

export function tenant(name: string, spec: Partial<TenantSpec> = {}): Tenant {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name },
    spec: {
      displayName: `测试部门 ${name}`,
      level: "province",
      owners: [{ kind: "User", name: `${name}-owner` }],
      namespaces: [{ name: "prod" }],
      ...spec,
    },
  };
}

export function tenantsApi(plane: ControlPlane, identity?: string) {
  const api = plane.kubeConfig(identity).makeApiClient(CustomObjectsApi);
  const ref = { group: "yunshu.io", version: "v1alpha1", plural: "tenants" };
  return {
    create: (body: Tenant) => api.createClusterCustomObject({ ...ref, body }) as Promise<Tenant>,
    get: (name: string) => api.getClusterCustomObject({ ...ref, name }) as Promise<Tenant>,
    delete: (name: string) => api.deleteClusterCustomObject({ ...ref, name }),
    /** Replaces the spec, retrying on conflicts with the operator's own writes. */
    async update(name: string, change: (spec: TenantSpec) => TenantSpec): Promise<Tenant> {
      for (;;) {
        const current = (await api.getClusterCustomObject({ ...ref, name })) as Tenant;
        try {
          return (await api.replaceClusterCustomObject({ ...ref, name, body: { ...current, spec: change(structuredClone(current.spec)) } })) as Tenant;
        } catch (err) {
          if ((err as { code?: number }).code !== 409) throw err;
        }
      }
    },
  };
}

/** Waits until the operator has seen the tenant's latest generation and says it is Ready. */
export async function waitForReady(plane: ControlPlane, name: string, timeoutMs = 30_000): Promise<Tenant> {
  const api = tenantsApi(plane);
  return eventually(
    `tenant ${name} to be Ready`,
    async () => {
      const t = await api.get(name);
      const ready = t.status?.conditions?.find((c) => c.type === "Ready");
      return t.status?.observedGeneration === t.metadata.generation && ready?.status === "True" ? t : undefined;
    },
    { timeoutMs },
  );
}

/** Waits for the tenant's Ready condition to have `reason`. */
export async function waitForReason(plane: ControlPlane, name: string, reason: string, timeoutMs = 30_000): Promise<Tenant> {
  const api = tenantsApi(plane);
  return eventually(`tenant ${name} to report ${reason}`, async () => {
    const t = await api.get(name);
    return t.status?.conditions?.find((c) => c.type === "Ready")?.reason === reason ? t : undefined;
  }, { timeoutMs });
}

/** The platform registry the shipped level-3 and level-4 profiles allow (crds/defaults/security-profiles.yaml). */
export const PLATFORM_REGISTRY = "registry.yunshu.internal/";

/** A pod that Pod Security "restricted" and every shipped MLPS profile admit, requesting `cpu`. */
export function restrictedPod(name: string, cpu = "100m") {
  return {
    metadata: { name },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "app",
          image: `${PLATFORM_REGISTRY}app:1`,
          imagePullPolicy: "Always",
          resources: { requests: { cpu, memory: "64Mi" }, limits: { cpu, memory: "64Mi" } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
        },
      ],
    },
  };
}
