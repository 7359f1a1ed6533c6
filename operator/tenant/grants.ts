// Who may be granted access inside a tenant: its owners, its members, and
// the ServiceAccounts of its own namespaces; never Kubernetes' system
// identities (system:authenticated is everyone, system:anonymous is an
// unauthenticated HTTP request), never another tenant's or the platform's
// ServiceAccounts.
//
// yunshu writes the list onto each of the tenant's namespaces as
// annotations, where the yunshu-tenant-grants admission policy
// (crds/grant-policies.yaml) reads it through `namespaceObject`, so the API
// server refuses a binding to anyone else without a webhook. The revocation
// phase holds the bindings that already exist to the same list, so that
// removing someone from the Tenant removes every binding to them. The rule
// is written twice, in CEL there and in TypeScript here; the integration
// tests hold both to the same cases.
import type { RoleBinding, Subject } from "../api/core-types.ts";
import type { KubeObject } from "../api/meta.ts";
import { namespaceName } from "./labels.ts";
import type { Tenant } from "./types.ts";

export const GRANT_USERS_ANNOTATION = "yunshu.io/grant-users";
export const GRANT_GROUPS_ANNOTATION = "yunshu.io/grant-groups";
export const GRANT_NAMESPACES_ANNOTATION = "yunshu.io/grant-namespaces";

/** Whom a binding in the tenant's namespaces may name. */
export interface Grantees {
  /** User names: owners and members of kind User, and owner ServiceAccounts as system:serviceaccount:<ns>:<name>. */
  users: string[];
  groups: string[];
  /** The tenant's namespaces, whose ServiceAccounts may be bound. */
  namespaces: string[];
}

export const serviceAccountUsername = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

type Person = { kind: string; name: string; namespace?: string };

/** The name the API server authenticates a User or ServiceAccount as; a Group has none. */
const usernameOf = (p: Person) => (p.kind === "User" ? p.name : p.kind === "ServiceAccount" ? serviceAccountUsername(p.namespace!, p.name) : undefined);

export function tenantGrantees(tenant: Tenant): Grantees {
  const people: Person[] = [...tenant.spec.owners, ...(tenant.spec.members ?? [])];
  return {
    users: sorted(people.map(usernameOf).filter((u) => u !== undefined)),
    groups: sorted(people.filter((p) => p.kind === "Group").map((p) => p.name)),
    namespaces: sorted((tenant.spec.namespaces ?? []).map((n) => namespaceName(tenant.metadata.name, n.name))),
  };
}

/** The annotations the admission policy reads: one name per line (names never contain a newline). */
export function grantAnnotations(g: Grantees): Record<string, string> {
  return { [GRANT_USERS_ANNOTATION]: g.users.join("\n"), [GRANT_GROUPS_ANNOTATION]: g.groups.join("\n"), [GRANT_NAMESPACES_ANNOTATION]: g.namespaces.join("\n") };
}

/** Whether a binding in `namespace` may name `subject`. */
export function mayBeGranted(subject: Subject, namespace: string, g: Grantees): boolean {
  switch (subject.kind) {
    case "User":
      return g.users.includes(subject.name);
    case "Group":
      return g.groups.includes(subject.name);
    case "ServiceAccount": {
      const ns = subject.namespace || namespace;
      return g.namespaces.includes(ns) || g.users.includes(serviceAccountUsername(ns, subject.name));
    }
    default:
      return false;
  }
}

/** The subjects of a binding in `namespace` that the tenant does not declare. */
export function strangers(binding: KubeObject, g: Grantees): Subject[] {
  const subjects = (binding as RoleBinding).subjects ?? [];
  return subjects.filter((s) => !mayBeGranted(s, binding.metadata.namespace ?? "", g));
}

export const describeSubject = (s: Subject) => (s.kind === "ServiceAccount" ? `ServiceAccount ${s.namespace ? `${s.namespace}/` : ""}${s.name}` : `${s.kind} ${s.name}`);
