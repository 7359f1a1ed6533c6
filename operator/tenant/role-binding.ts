// The tenant's owners become admins of each tenant namespace through the
// yunshu-tenant-admin ClusterRole (crds/tenant-admin-clusterrole.yaml): they
// run their applications but cannot touch quota, limits, network policy or
// the namespace itself.
import type { RoleBinding, Subject } from "../api/core-types.ts";
import type { Tenant } from "./types.ts";
import { tenantLabels } from "./labels.ts";

export const TENANT_ADMIN_BINDING = "yunshu-tenant-admin";
export const TENANT_ADMIN_CLUSTER_ROLE = "yunshu-tenant-admin";

export function renderOwnerSubjects(tenant: Tenant): Subject[] {
  return tenant.spec.owners.map((owner) =>
    owner.kind === "ServiceAccount"
      ? { kind: "ServiceAccount", name: owner.name, namespace: owner.namespace }
      : { kind: owner.kind, name: owner.name, apiGroup: "rbac.authorization.k8s.io" },
  );
}

export function renderRoleBinding(tenant: Tenant, namespace: string): RoleBinding {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: TENANT_ADMIN_BINDING, namespace, labels: tenantLabels(tenant.metadata.name) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: TENANT_ADMIN_CLUSTER_ROLE },
    subjects: renderOwnerSubjects(tenant),
  };
}
