// The department's people get access to each tenant namespace through one
// RoleBinding per role (crds/tenant-roles.yaml): owners and admin members
// to yunshu-tenant-admin, developers to yunshu-tenant-developer, viewers to
// yunshu-tenant-viewer. None of the roles touches quota, limits, network
// policy or the namespace itself.
import type { RoleBinding, Subject } from "../api/core-types.ts";
import type { Tenant, TenantOwner } from "./types.ts";
import { tenantLabels } from "./labels.ts";

export type TenantRole = "admin" | "developer" | "viewer";

/** The binding of each role, and the ClusterRole it binds: the same name. */
export const roleBindingName = (role: TenantRole) => `yunshu-tenant-${role}`;
export const TENANT_ADMIN_BINDING = roleBindingName("admin");
export const TENANT_ROLES: readonly TenantRole[] = ["admin", "developer", "viewer"];

function subject(person: Pick<TenantOwner, "kind" | "name" | "namespace">): Subject {
  return person.kind === "ServiceAccount"
    ? { kind: "ServiceAccount", name: person.name, namespace: person.namespace }
    : { kind: person.kind, name: person.name, apiGroup: "rbac.authorization.k8s.io" };
}

/** Who holds `role` in the tenant: owners are its admins. */
export function roleSubjects(tenant: Tenant, role: TenantRole): Subject[] {
  const owners = role === "admin" ? tenant.spec.owners.map(subject) : [];
  return [...owners, ...(tenant.spec.members ?? []).filter((m) => m.role === role).map(subject)];
}

/** The bindings of `namespace`: the admin one always (the owners), the others when someone holds the role. */
export function renderRoleBindings(tenant: Tenant, namespace: string): RoleBinding[] {
  return TENANT_ROLES.flatMap((role) => {
    const subjects = roleSubjects(tenant, role);
    if (subjects.length === 0) return [];
    const name = roleBindingName(role);
    return [
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name, namespace, labels: tenantLabels(tenant.metadata.name) },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
        subjects,
      },
    ];
  });
}
