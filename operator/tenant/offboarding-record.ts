// The end of an offboarding: the final check that nothing of the tenant is
// left on any cluster, read from each API server (not from caches, which
// could lag), and the OffboardingRecord that says what was deleted, where,
// when and on whose decision. The record is written only once the check
// finds nothing; its name is the request's, so a restart writes it once.
import { OFFBOARDING_RECORD_API_VERSION, OFFBOARDING_RECORD_KIND, type OffboardingRecord } from "../api/generated.ts";
import type { RoleBinding } from "../api/core-types.ts";
import type { KubeObject } from "../api/meta.ts";
import { CLUSTER_ROLE_BINDINGS, NAMESPACES, PERSISTENT_VOLUMES, ROLE_BINDINGS } from "../api/resources.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import { TENANT_LABEL } from "./labels.ts";
import { claimedVolumes } from "./phases/offboard.ts";
import type { Tenant } from "./types.ts";

export interface Leftovers {
  cluster: string;
  namespaces: string[];
  persistentVolumes: string[];
  bindings: string[];
}

/** Bindings (anywhere) that name a ServiceAccount of `namespaces`, or all of one's ServiceAccounts as a group. Pure. */
export function bindingsNaming(bindings: KubeObject[], namespaces: string[]): KubeObject[] {
  return bindings.filter((b) =>
    ((b as RoleBinding).subjects ?? []).some(
      (s) =>
        (s.kind === "ServiceAccount" && namespaces.includes(s.namespace || b.metadata.namespace || "")) ||
        (s.kind === "Group" && namespaces.some((ns) => s.name === `system:serviceaccounts:${ns}`)),
    ),
  );
}

/** What of the tenant is still on one cluster. */
export async function leftoversOn(cluster: string, client: KubeClient, tenant: string, namespaces: string[]): Promise<Leftovers> {
  const [labelled, volumes, roleBindings, clusterRoleBindings] = await Promise.all([
    client.list(NAMESPACES, { labelSelector: `${TENANT_LABEL}=${tenant}` }),
    client.list(PERSISTENT_VOLUMES),
    client.list(ROLE_BINDINGS),
    client.list(CLUSTER_ROLE_BINDINGS),
  ]);
  const all = [...new Set([...namespaces, ...labelled.items.map((ns) => ns.metadata.name)])];
  const describe = (b: KubeObject) => `${b.kind} ${b.metadata.namespace ? `${b.metadata.namespace}/` : ""}${b.metadata.name}`;
  return {
    cluster,
    namespaces: labelled.items.map((ns) => ns.metadata.name).sort(),
    persistentVolumes: claimedVolumes(volumes.items, all).map((pv) => pv.metadata.name).sort(),
    bindings: bindingsNaming([...roleBindings.items, ...clusterRoleBindings.items], all).map(describe).sort(),
  };
}

export const nothingLeft = (l: Leftovers) => l.namespaces.length + l.persistentVolumes.length + l.bindings.length === 0;

/** The record of a finished offboarding. Pure. */
export function renderOffboardingRecord(tenant: Tenant & KubeObject, checked: string[], now: Date): OffboardingRecord & KubeObject {
  const off = tenant.spec.offboarding!;
  const at = (d: Date | string) => new Date(d).toISOString().replace(/\.\d+Z$/, "Z");
  const quota = tenant.status?.quota?.hard ?? tenant.spec.quota?.hard;
  return {
    apiVersion: OFFBOARDING_RECORD_API_VERSION,
    kind: OFFBOARDING_RECORD_KIND,
    metadata: { name: off.request, labels: { [TENANT_LABEL]: tenant.metadata.name } },
    spec: {
      tenant: tenant.metadata.name,
      displayName: tenant.spec.displayName,
      ...(tenant.spec.parent ? { parent: tenant.spec.parent } : {}),
      securityLevel: tenant.spec.securityLevel ?? 3,
      request: off.request,
      requestedBy: off.requestedBy,
      approvedBy: off.approvedBy,
      ...(off.reason ? { reason: off.reason } : {}),
      startedAt: tenant.status?.offboarding?.startedAt ?? at(tenant.metadata.deletionTimestamp ?? now),
      deletionStartedAt: at(tenant.metadata.deletionTimestamp ?? now),
      completedAt: at(now),
      ...(quota ? { quota: Object.fromEntries(Object.entries(quota).map(([r, v]) => [r, String(v)])) } : {}),
      clusters: (tenant.status?.deletions ?? []).map((d) => ({ name: d.cluster, namespaces: d.namespaces ?? [], persistentVolumes: d.persistentVolumes ?? [] })),
      finalCheck: { passed: true, checkedAt: at(now), clusters: [...checked].sort() },
    },
  };
}
