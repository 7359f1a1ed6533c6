// The platform's PriorityClasses are never a tenant's: a pod at
// system-cluster-critical would preempt other departments' pods and the
// platform's own. The yunshu-profile-pods policy admits only the profile's
// classes; this quota, scoped to the system classes, holds the same line
// with a mechanism that has no policy to unbind: it allows zero such pods.
import type { ResourceQuota } from "../api/core-types.ts";
import { tenantLabels } from "./labels.ts";

export const PRIORITY_QUOTA_NAME = "yunshu-system-priority";
export const SYSTEM_PRIORITY_CLASSES = ["system-cluster-critical", "system-node-critical"];

export function renderPriorityQuota(tenant: string, namespace: string): ResourceQuota {
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: PRIORITY_QUOTA_NAME, namespace, labels: tenantLabels(tenant) },
    spec: {
      hard: { pods: "0" },
      scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: SYSTEM_PRIORITY_CLASSES }] },
    },
  };
}
