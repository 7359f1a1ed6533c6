// One audit of every cluster: each cluster's snapshot read from its API
// server, judged against the Tenants and Shares the hub holds. The platform
// is Kubernetes' own identities, the yunshu operator, and whoever is bound
// to yunshu-platform-admin on that cluster; its namespaces are the DNS and
// monitoring namespaces and yunshu's own.
import type { Subject } from "../api/core-types.ts";
import type { Share } from "../api/generated.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import type { PlatformSettings } from "../tenant/platform.ts";
import type { Tenant } from "../tenant/types.ts";
import { auditCluster, KUBERNETES_SUBJECTS, KUBERNETES_SYSTEM_PREFIXES, type ClusterAudit, type PlatformScope } from "./judge.ts";
import { readClusterSnapshot, type ClusterSnapshot } from "./snapshot.ts";

export const PLATFORM_ADMIN_ROLE = "yunshu-platform-admin";

export interface AuditedCluster {
  name: string;
  client: KubeClient;
}

/** The platform as this cluster's bindings say it is. */
export function platformScope(snapshot: ClusterSnapshot, platform: Pick<PlatformSettings, "dnsNamespace" | "monitoringNamespace">): PlatformScope {
  const admins: Subject[] = snapshot.clusterRoleBindings.filter((b) => b.roleRef.name === PLATFORM_ADMIN_ROLE).flatMap((b) => b.subjects ?? []);
  return {
    subjects: [...KUBERNETES_SUBJECTS, ...admins],
    systemPrefixes: KUBERNETES_SYSTEM_PREFIXES,
    namespaces: [...new Set(["kube-system", "yunshu-system", platform.dnsNamespace, platform.monitoringNamespace])],
  };
}

/** One cluster read from its API server and judged; `discover` as readClusterSnapshot takes it. */
export async function auditLiveCluster(
  { name, client }: AuditedCluster,
  tenants: readonly Tenant[],
  shares: readonly Share[],
  platform: Pick<PlatformSettings, "dnsNamespace" | "monitoringNamespace">,
  discover?: () => Promise<ReadonlySet<string>>,
): Promise<ClusterAudit> {
  const snapshot = await readClusterSnapshot(name, client, discover);
  return auditCluster(snapshot, tenants, shares, platformScope(snapshot, platform));
}

export function auditFleet(
  clusters: readonly AuditedCluster[],
  tenants: readonly Tenant[],
  shares: readonly Share[],
  platform: Pick<PlatformSettings, "dnsNamespace" | "monitoringNamespace">,
): Promise<ClusterAudit[]> {
  return Promise.all(clusters.map((cluster) => auditLiveCluster(cluster, tenants, shares, platform)));
}
