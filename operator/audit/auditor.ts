// The operator's isolation audit: every `intervalMs` the whole fleet is
// audited (fleet-audit.ts) and the violations are exported as metrics, so
// that a path opened behind yunshu's back (a binding made as cluster-admin,
// a policy changed with the admission protection switched off) pages
// someone (alert YunshuIsolationViolation) instead of waiting for the next
// evaluation. It only reads. A cluster that cannot be read keeps its last
// figures; its last-success time says how old they are.
import type { Share } from "../api/generated.ts";
import type { Logger } from "../runtime/log.ts";
import { sleep } from "../runtime/sleep.ts";
import type { PlatformSettings } from "../tenant/platform.ts";
import type { Tenant } from "../tenant/types.ts";
import type { ClusterAudit } from "./judge.ts";
import { auditLiveCluster, type AuditedCluster } from "./fleet-audit.ts";

/** Every five minutes: an audit lists every pod, policy and binding of every cluster. */
export const DEFAULT_AUDIT_INTERVAL_MS = 300_000;

/** How long a cluster's discovery answer (which resources are namespaced) is reused: it changes when CRDs do. */
const DISCOVERY_TTL_MS = 600_000;

export interface AuditResult {
  audit: ClusterAudit;
  at: number;
  durationMs: number;
}

export interface AuditorDeps {
  clusters: () => AuditedCluster[];
  tenants: () => readonly Tenant[];
  shares: () => readonly Share[];
  platform: Pick<PlatformSettings, "dnsNamespace" | "monitoringNamespace">;
  log: Logger;
  intervalMs: number;
}

export class IsolationAuditor {
  /** The latest audit of each cluster. */
  readonly latest = new Map<string, AuditResult>();
  private readonly deps: AuditorDeps;
  private seen = new Set<string>();
  private readonly discovery = new Map<string, { at: number; resources: ReadonlySet<string> }>();

  constructor(deps: AuditorDeps) {
    this.deps = deps;
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.auditOnce();
      await sleep(this.deps.intervalMs, signal);
    }
  }

  async auditOnce(): Promise<void> {
    const tenants = this.deps.tenants();
    const shares = this.deps.shares();
    const now = new Set<string>();
    await Promise.all(
      this.deps.clusters().map(async ({ name, client }) => {
        const started = Date.now();
        try {
          const audit = await auditLiveCluster({ name, client }, tenants, shares, this.deps.platform, () => this.namespacedResources(name, client));
          this.latest.set(name, { audit, at: Date.now(), durationMs: Date.now() - started });
          for (const v of audit.violations) {
            const key = `${v.cluster}|${v.kind}|${v.namespace}|${v.message}`;
            now.add(key);
            // Each violation is logged when it appears, not at every audit.
            if (!this.seen.has(key)) this.deps.log.warn("isolation violation", { cluster: v.cluster, kind: v.kind, tenant: v.tenant, namespace: v.namespace, message: v.message });
          }
        } catch (err) {
          this.deps.log.warn("could not audit a cluster; its isolation figures are kept from the last audit", { cluster: name, error: err });
          for (const key of this.seen) if (key.startsWith(`${name}|`)) now.add(key);
        }
      }),
    );
    this.seen = now;
  }

  private async namespacedResources(cluster: string, client: AuditedCluster["client"]): Promise<ReadonlySet<string>> {
    const known = this.discovery.get(cluster);
    if (known && Date.now() - known.at < DISCOVERY_TTL_MS) return known.resources;
    const resources = await client.namespacedResources();
    this.discovery.set(cluster, { at: Date.now(), resources });
    return resources;
  }
}
