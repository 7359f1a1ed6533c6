// The isolation audit of one cluster, pure: from what is there (snapshot.ts)
// and what yunshu was told (Tenants, Shares), each tenant namespace's
// effective reachability and RBAC exposure, and every violation of the one
// promise: no department reads, reaches or changes another's data.
//   CrossTenantPath       a pod of one tenant reaches a pod of another (or of
//                         a namespace no tenant or the platform owns), and no
//                         active Share covers it (the namespaces, the
//                         direction and the ports);
//   OutsideSubject        someone outside the tenant can read or write in
//                         its namespace: not its owners, members or own
//                         ServiceAccounts, nor the platform;
//   ReleasedNamespaceOpen a released namespace is still reachable, still has
//                         a policy that opens it, or someone may still read or
//                         write in it;
//   MissingDefaultDeny    a tenant namespace lacks a policy that denies every
//                         pod's ingress and egress unless allowed.
import type { Namespace, NetworkPolicy, Subject } from "../api/core-types.ts";
import type { Share } from "../api/generated.ts";
import { namespaceName, RELEASED_LABEL, TENANT_LABEL } from "../tenant/labels.ts";
import { mayBeGranted, tenantGrantees, type Grantees } from "../tenant/grants.ts";
import type { Tenant } from "../tenant/types.ts";
import { consumerNamespaces } from "../share/decision.ts";
import { isActive } from "../share/render.ts";
import { intersect, normalise, formatPorts, type PortRange } from "./port-ranges.ts";
import { computeExposure, subjectKey, type Exposure } from "./rbac-exposure.ts";
import { computeReachability, type Connection } from "./reachability.ts";
import type { ClusterSnapshot } from "./snapshot.ts";

export type ViolationKind = "CrossTenantPath" | "OutsideSubject" | "ReleasedNamespaceOpen" | "MissingDefaultDeny";
export const VIOLATION_KINDS: readonly ViolationKind[] = ["CrossTenantPath", "OutsideSubject", "ReleasedNamespaceOpen", "MissingDefaultDeny"];

export interface Violation {
  kind: ViolationKind;
  cluster: string;
  tenant: string;
  namespace: string;
  message: string;
}

export interface Path {
  peer: string;
  ports: string;
}

export interface AccessEntry {
  subject: string;
  access: "read" | "write";
  via: string;
  /** Kubernetes' own, the operator's or the platform team's: expected everywhere. */
  platform: boolean;
}

export interface NamespaceAudit {
  namespace: string;
  tenant: string;
  released: boolean;
  defaultDeny: boolean;
  /** Pods of other namespaces that reach pods here ("ns/pod → ns/pod"), and where pods here reach out to. */
  ingress: Path[];
  egress: Path[];
  /** Connections between pods of this namespace: counted, not listed. */
  internal: number;
  access: AccessEntry[];
}

export interface ClusterAudit {
  cluster: string;
  namespaces: NamespaceAudit[];
  violations: Violation[];
}

/** Who the platform is: subjects that may reach into every namespace, and namespaces whose pods every tenant may talk to (DNS, monitoring). */
export interface PlatformScope {
  subjects: readonly Subject[];
  /** Name prefixes of ServiceAccounts, users and groups that belong to Kubernetes itself. */
  systemPrefixes: readonly string[];
  namespaces: readonly string[];
}

/** Kubernetes' own identities: its controllers, scheduler, nodes' bootstrappers, and cluster-admin's group. */
export const KUBERNETES_SUBJECTS: readonly Subject[] = [
  { kind: "Group", name: "system:masters" },
  { kind: "User", name: "system:kube-controller-manager" },
  { kind: "User", name: "system:kube-scheduler" },
  { kind: "User", name: "system:kube-proxy" },
  { kind: "Group", name: "system:nodes" },
  { kind: "ServiceAccount", namespace: "yunshu-system", name: "yunshu-operator" },
];

export const KUBERNETES_SYSTEM_PREFIXES = ["system:serviceaccount:kube-system:", "system:controller:"];

function isPlatform(subject: Subject, scope: PlatformScope): boolean {
  if (subject.kind === "ServiceAccount" && subject.namespace === "kube-system") return true;
  if (scope.systemPrefixes.some((p) => subject.name.startsWith(p))) return true;
  const key = subjectKey(subject);
  return scope.subjects.some((s) => subjectKey(s) === key);
}

const tenantOf = (ns: Namespace | undefined) => ns?.metadata.labels?.[TENANT_LABEL];
const isReleasedNs = (ns: Namespace | undefined) => ns?.metadata.labels?.[RELEASED_LABEL] === "true";
const nsOf = (podKey: string) => podKey.slice(0, podKey.indexOf("/"));

/** A policy that, alone, isolates every pod of its namespace in both directions and allows nothing. */
export function isDefaultDeny(policy: NetworkPolicy): boolean {
  const s = policy.spec;
  const selectsAll = Object.keys(s.podSelector?.matchLabels ?? {}).length === 0 && (s.podSelector?.matchExpressions ?? []).length === 0;
  const types = s.policyTypes ?? [];
  return selectsAll && types.includes("Ingress") && types.includes("Egress") && (s.ingress ?? []).length === 0 && (s.egress ?? []).length === 0;
}

/** The share paths an active Share allows: consumer namespace → provider namespace, on its ports. */
function sharePaths(shares: readonly Share[], tenants: ReadonlyMap<string, Tenant>): Map<string, PortRange[]> {
  const paths = new Map<string, PortRange[]>();
  for (const share of shares) {
    if (!isActive(share)) continue;
    const { provider, consumer } = share.spec;
    const dst = namespaceName(provider.tenant, provider.namespace);
    const ports = normalise(provider.ports.map((p) => ({ protocol: p.protocol ?? "TCP", from: p.port, to: p.endPort ?? p.port })));
    for (const short of consumerNamespaces(share, tenants.get(consumer.tenant))) {
      const key = `${namespaceName(consumer.tenant, short)}→${dst}`;
      paths.set(key, normalise([...(paths.get(key) ?? []), ...ports]));
    }
  }
  return paths;
}

const covers = (allowed: PortRange[] | undefined, ports: PortRange[]) => allowed !== undefined && formatPorts(intersect(ports, allowed)) === formatPorts(ports);

export function auditCluster(snapshot: ClusterSnapshot, tenantList: readonly Tenant[], shares: readonly Share[], scope: PlatformScope): ClusterAudit {
  const { cluster } = snapshot;
  const tenants = new Map(tenantList.map((t) => [t.metadata.name, t]));
  const namespaces = new Map(snapshot.namespaces.map((n) => [n.metadata.name, n]));
  const tenantNamespaces = snapshot.namespaces.filter((n) => tenantOf(n) !== undefined);
  const violations: Violation[] = [];
  const violation = (kind: ViolationKind, namespace: string, message: string) => violations.push({ kind, cluster, tenant: tenantOf(namespaces.get(namespace)) ?? "", namespace, message });

  const connections = computeReachability({ namespaces: snapshot.namespaces, pods: snapshot.pods, policies: snapshot.policies });
  const exposure = computeExposure({
    namespaces: tenantNamespaces.map((n) => n.metadata.name),
    roles: snapshot.roles,
    clusterRoles: snapshot.clusterRoles,
    roleBindings: snapshot.roleBindings,
    clusterRoleBindings: snapshot.clusterRoleBindings,
    namespacedResources: snapshot.namespacedResources,
  });
  const shared = sharePaths(shares, tenants);

  const policiesIn = new Map<string, NetworkPolicy[]>();
  for (const p of snapshot.policies) {
    const ns = p.metadata.namespace ?? "";
    const list = policiesIn.get(ns);
    if (list) list.push(p);
    else policiesIn.set(ns, [p]);
  }
  const audits = new Map<string, NamespaceAudit>();
  for (const ns of tenantNamespaces) {
    const name = ns.metadata.name;
    const defaultDeny = (policiesIn.get(name) ?? []).some(isDefaultDeny);
    audits.set(name, { namespace: name, tenant: tenantOf(ns)!, released: isReleasedNs(ns), defaultDeny, ingress: [], egress: [], internal: 0, access: [] });
  }

  for (const c of connections) judgeConnection(c);
  function judgeConnection(c: Connection): void {
    const srcNs = nsOf(c.src);
    const dstNs = nsOf(c.dst);
    const ports = formatPorts(c.ports);
    if (srcNs === dstNs) {
      const audit = audits.get(srcNs);
      if (audit) audit.internal++;
      return;
    }
    audits.get(dstNs)?.ingress.push({ peer: `${c.src} → ${c.dst}`, ports });
    audits.get(srcNs)?.egress.push({ peer: `${c.src} → ${c.dst}`, ports });
    const src = namespaces.get(srcNs);
    const dst = namespaces.get(dstNs);
    for (const end of [src, dst]) {
      if (end && isReleasedNs(end)) violation("ReleasedNamespaceOpen", end.metadata.name, `released namespace ${end.metadata.name} is still reachable: ${c.src} → ${c.dst} (${ports})`);
    }
    const srcTenant = tenantOf(src);
    const dstTenant = tenantOf(dst);
    if (srcTenant === dstTenant) return;
    if (srcTenant === undefined && scope.namespaces.includes(srcNs)) return;
    if (dstTenant === undefined && scope.namespaces.includes(dstNs)) return;
    if (srcTenant && dstTenant && covers(shared.get(`${srcNs}→${dstNs}`), c.ports)) return;
    const describe = (t: string | undefined, ns: string) => (t ? `tenant ${t}` : `namespace ${ns}, which no tenant owns`);
    const message = `${c.src} (${describe(srcTenant, srcNs)}) reaches ${c.dst} (${describe(dstTenant, dstNs)}) on ${ports}, and no active Share covers it`;
    violations.push({ kind: "CrossTenantPath", cluster, tenant: dstTenant ?? srcTenant ?? "", namespace: dstTenant ? dstNs : srcNs, message });
  }

  for (const [name, audit] of audits) {
    const tenant = tenants.get(audit.tenant);
    // A released namespace is nobody's any more; a namespace of a tenant yunshu does not know, likewise.
    const grantees: Grantees = tenant && !audit.released ? tenantGrantees(tenant) : { users: [], groups: [], namespaces: [] };
    for (const e of exposure.byNamespace.get(name) ?? []) {
      const platform = isPlatform(e.subject, scope);
      audit.access.push({ subject: subjectKey(e.subject), access: e.access, via: describeVia(e), platform });
      if (platform || mayBeGranted(e.subject, name, grantees)) continue;
      const what = `${subjectKey(e.subject)} can ${e.access} ${describeResources(e.resources)} in ${name} through ${describeVia(e)}`;
      if (audit.released) violation("ReleasedNamespaceOpen", name, `released namespace ${name}: ${what}`);
      else violation("OutsideSubject", name, `${what}, and is not one of tenant ${audit.tenant}'s people`);
    }
    if (!audit.defaultDeny) violation("MissingDefaultDeny", name, `tenant namespace ${name} has no policy that denies every pod's ingress and egress (yunshu-default-deny is missing or changed)`);
    if (audit.released) {
      const openings = (policiesIn.get(name) ?? []).filter((p) => !isDefaultDeny(p)).map((p) => p.metadata.name);
      if (openings.length > 0) violation("ReleasedNamespaceOpen", name, `released namespace ${name} still has policies that open it: ${openings.join(", ")}`);
    }
  }
  return { cluster, namespaces: [...audits.values()].sort((a, b) => a.namespace.localeCompare(b.namespace)), violations: dedupe(violations) };
}

/** What a subject reaches, short enough for a table: the first few resources, then how many more. */
function describeResources(resources: readonly string[]): string {
  const SHOWN = 4;
  const head = resources.slice(0, SHOWN).join(", ");
  return resources.length > SHOWN ? `${head} and ${resources.length - SHOWN} more` : head;
}

function describeVia(e: Exposure): string {
  const where = e.via.namespace ? `${e.via.namespace}/` : "";
  return `${e.via.kind} ${where}${e.via.name} (${e.role.kind} ${e.role.name})`;
}

/** Each violation once, in a stable order (kind, namespace, message), so that two audits of the same state read the same. */
function dedupe(violations: Violation[]): Violation[] {
  const key = (v: Violation) => `${v.kind}|${v.namespace}|${v.message}`;
  return [...new Map(violations.map((v) => [key(v), v])).values()].sort((a, b) => key(a).localeCompare(key(b)));
}
