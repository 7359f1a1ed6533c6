// Who can read or write inside each namespace through RBAC, evaluated the way
// the API server's RBAC authorizer matches rules, so that `yunshu audit` can
// name every subject that reaches into a tenant from outside it, including
// whole groups such as system:authenticated. Pure: the caller lists the
// objects and discovery.
import type { Subject } from "../api/core-types.ts";
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding } from "./rbac-objects.ts";

export type Access = "read" | "write";

export interface BindingRef {
  kind: "RoleBinding" | "ClusterRoleBinding";
  name: string;
  namespace?: string;
}

export interface RoleName {
  kind: "Role" | "ClusterRole";
  name: string;
}

export interface Exposure {
  readonly subject: Subject;
  readonly access: Access;
  readonly via: BindingRef;
  readonly role: RoleName;
  /**
   * What the role reaches with this access, named as kubectl names resources:
   * "secrets", "pods/exec", "deployments.apps", "deployments.apps/scale",
   * "*.apps", "*". A rule for any API group names its resources bare.
   */
  readonly resources: readonly string[];
  /**
   * The resources of `resources` reached only for the objects a rule names in
   * resourceNames, with those names: partial, but real access. Absent when
   * every resource is reached whole.
   */
  readonly resourceNames?: Readonly<Record<string, readonly string[]>>;
}

/** A binding to a role that does not exist: it grants nothing until someone creates the role. */
export interface DanglingBinding {
  via: BindingRef;
  role: RoleName;
  subjects: Subject[];
}

export interface ExposureInput {
  namespaces: readonly string[];
  roles: readonly Role[];
  clusterRoles: readonly ClusterRole[];
  roleBindings: readonly RoleBinding[];
  clusterRoleBindings: readonly ClusterRoleBinding[];
  /** "group/resource" and "group/resource/subresource" of the namespaced resources discovery lists; the core group is "". */
  namespacedResources: ReadonlySet<string>;
}

export interface ExposureReport {
  /**
   * For every namespace asked about: the RoleBinding exposures, then the
   * ClusterRoleBinding ones, each sorted by subject, access and binding.
   * Namespaces without RoleBinding exposures share one array.
   */
  byNamespace: Map<string, readonly Exposure[]>;
  /** ClusterRoleBindings, and RoleBindings of the namespaces asked about, whose role is missing. */
  danglingBindings: DanglingBinding[];
}

export const subjectKey = (s: Subject) => (s.kind === "ServiceAccount" ? `ServiceAccount:${s.namespace ?? ""}/${s.name}` : `${s.kind}:${s.name}`);

const ACCESSES: readonly Access[] = ["read", "write"];
const VERBS: Record<Access, ReadonlySet<string>> = {
  read: new Set(["get", "list", "watch"]),
  write: new Set(["create", "update", "patch", "delete", "deletecollection"]),
};

/** Per API group, and under "*" (never a group's name) for all of them together. */
interface ResourceIndex {
  paths: Map<string, Set<string>>;
  subresources: Map<string, Set<string>>;
}

function addTo(map: Map<string, Set<string>>, group: string, value: string) {
  for (const key of [group, "*"]) {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  }
}

function indexResources(keys: ReadonlySet<string>): ResourceIndex {
  const index: ResourceIndex = { paths: new Map(), subresources: new Map() };
  for (const key of keys) {
    const slash = key.indexOf("/");
    const group = key.slice(0, slash);
    const path = key.slice(slash + 1);
    addTo(index.paths, group, path);
    const sub = path.indexOf("/");
    if (sub >= 0) addTo(index.subresources, group, path.slice(sub + 1));
  }
  return index;
}

/**
 * Whether a rule's (group, resource) pair covers a namespaced resource. Only
 * those matter inside a namespace: a rule for cluster-scoped resources (nodes,
 * selfsubjectreviews) grants nothing there even through a binding that
 * applies everywhere. "*" covers a group's subresources too, and "*\/scale"
 * covers the scale subresource of every resource, as in the authorizer.
 */
function covers(index: ResourceIndex, group: string, resource: string): boolean {
  if (resource === "*") return index.paths.has(group);
  if (resource.startsWith("*/")) return index.subresources.get(group)?.has(resource.slice(2)) ?? false;
  return index.paths.get(group)?.has(resource) ?? false;
}

function resourceLabel(group: string, resource: string): string {
  if (group === "" || group === "*") return resource;
  const sub = resource.indexOf("/");
  return sub < 0 ? `${resource}.${group}` : `${resource.slice(0, sub)}.${group}${resource.slice(sub)}`;
}

/** Resource label → the names it is limited to, or undefined once some rule reaches it whole. */
type Reach = Map<string, Set<string> | undefined>;

function widen(reach: Reach, label: string, names: readonly string[] | undefined) {
  if (!reach.has(label)) {
    reach.set(label, names && new Set(names));
    return;
  }
  const held = reach.get(label);
  if (!held) return;
  if (!names) reach.set(label, undefined);
  else for (const name of names) held.add(name);
}

type Grant = Pick<Exposure, "resources" | "resourceNames">;

function grantOf(reach: Reach): Grant | undefined {
  if (reach.size === 0) return undefined;
  const resources = [...reach.keys()].sort();
  const limited = resources.flatMap((label) => {
    const names = reach.get(label);
    return names ? [[label, [...names].sort()] as const] : [];
  });
  return limited.length ? { resources, resourceNames: Object.fromEntries(limited) } : { resources };
}

type RoleAccess = Record<Access, Grant | undefined>;

function accessOf(rules: readonly PolicyRule[], index: ResourceIndex): RoleAccess {
  const reach: Record<Access, Reach> = { read: new Map(), write: new Map() };
  for (const rule of rules) {
    const accesses = ACCESSES.filter((a) => rule.verbs.some((v) => v === "*" || VERBS[a].has(v)));
    if (!accesses.length) continue;
    // An empty resourceNames restricts nothing.
    const names = rule.resourceNames?.length ? rule.resourceNames : undefined;
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        if (!covers(index, group, resource)) continue;
        const label = resourceLabel(group, resource);
        for (const a of accesses) widen(reach[a], label, names);
      }
    }
  }
  return { read: grantOf(reach.read), write: grantOf(reach.write) };
}

/** As the authorizer matches it: a ServiceAccount named without a namespace is one of the binding's namespace. */
function boundSubject(s: Subject, bindingNamespace: string | undefined): Subject {
  if (s.kind !== "ServiceAccount") return { kind: s.kind, name: s.name };
  const namespace = s.namespace || bindingNamespace;
  return namespace ? { kind: s.kind, name: s.name, namespace } : { kind: s.kind, name: s.name };
}

function exposuresOf(via: BindingRef, role: RoleName, access: RoleAccess, subjects: readonly Subject[]): Exposure[] {
  const exposures: Exposure[] = [];
  const seen = new Set<string>();
  for (const s of subjects) {
    const subject = boundSubject(s, via.namespace);
    const key = subjectKey(subject);
    if (seen.has(key)) continue;
    seen.add(key);
    for (const a of ACCESSES) {
      const grant = access[a];
      if (grant) exposures.push({ subject, access: a, via, role, ...grant });
    }
  }
  return exposures;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byTable = (a: Exposure, b: Exposure) =>
  compare(subjectKey(a.subject), subjectKey(b.subject)) ||
  compare(a.access, b.access) ||
  compare(a.via.kind, b.via.kind) ||
  compare(a.via.namespace ?? "", b.via.namespace ?? "") ||
  compare(a.via.name, b.via.name);

export function computeExposure(input: ExposureInput): ExposureReport {
  const index = indexResources(input.namespacedResources);
  const roles = new Map(input.roles.map((r) => [`${r.metadata.namespace}/${r.metadata.name}`, r]));
  const clusterRoles = new Map(input.clusterRoles.map((r) => [r.metadata.name, r]));
  // A ClusterRole bound in thousands of namespaces is evaluated once.
  const evaluated = new Map<Role | ClusterRole, RoleAccess>();
  const accessOfRole = (r: Role | ClusterRole) => {
    let access = evaluated.get(r);
    if (!access) evaluated.set(r, (access = accessOf(r.rules ?? [], index)));
    return access;
  };
  const danglingBindings: DanglingBinding[] = [];

  const everywhere = input.clusterRoleBindings
    .flatMap((b) => {
      const via: BindingRef = { kind: "ClusterRoleBinding", name: b.metadata.name };
      const role: RoleName = { kind: "ClusterRole", name: b.roleRef.name };
      const clusterRole = clusterRoles.get(role.name);
      if (!clusterRole) {
        danglingBindings.push({ via, role, subjects: b.subjects ?? [] });
        return [];
      }
      return exposuresOf(via, role, accessOfRole(clusterRole), b.subjects ?? []);
    })
    .sort(byTable);

  const asked = new Set(input.namespaces);
  const local = new Map<string, Exposure[]>();
  for (const b of input.roleBindings) {
    const namespace = b.metadata.namespace;
    if (namespace === undefined || !asked.has(namespace)) continue;
    const via: BindingRef = { kind: "RoleBinding", name: b.metadata.name, namespace };
    const role: RoleName = { kind: b.roleRef.kind, name: b.roleRef.name };
    const target = role.kind === "Role" ? roles.get(`${namespace}/${role.name}`) : clusterRoles.get(role.name);
    if (!target) {
      danglingBindings.push({ via, role, subjects: b.subjects ?? [] });
      continue;
    }
    const exposures = exposuresOf(via, role, accessOfRole(target), b.subjects ?? []);
    if (!exposures.length) continue;
    const held = local.get(namespace);
    if (held) held.push(...exposures);
    else local.set(namespace, exposures);
  }

  const byNamespace = new Map(
    input.namespaces.map((namespace) => {
      const own = local.get(namespace);
      return [namespace, own ? [...own.sort(byTable), ...everywhere] : everywhere] as const;
    }),
  );
  return { byNamespace, danglingBindings };
}
