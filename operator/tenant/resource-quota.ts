// The per-namespace share of a tenant's quota. The split itself is decided
// in operator/quota/allocate.ts; this only shapes the object.
import type { ResourceQuota } from "../api/core-types.ts";
import { formatResourceList, type ResourceList } from "../api/quantity.ts";
import { tenantLabels } from "./labels.ts";

export const RESOURCE_QUOTA_NAME = "yunshu-tenant-quota";

export function renderResourceQuota(tenant: string, namespace: string, hard: ResourceList): ResourceQuota {
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: RESOURCE_QUOTA_NAME, namespace, labels: tenantLabels(tenant) },
    spec: { hard: formatResourceList(hard) },
  };
}
