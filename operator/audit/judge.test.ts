import { describe, expect, it } from "vitest";
import type { Namespace, NetworkPolicy, Pod, Subject } from "../api/core-types.ts";
import type { Share } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import { shippedProfile } from "../api/manifests.ts";
import { renderNamespace } from "../tenant/namespace.ts";
import { renderNetworkPolicies } from "../tenant/network-policies.ts";
import { DEFAULT_PLATFORM } from "../tenant/platform.ts";
import { tenantProfile } from "../tenant/profile.ts";
import { renderSharePolicies } from "../share/render.ts";
import type { Tenant } from "../tenant/types.ts";
import { auditCluster, KUBERNETES_SUBJECTS, KUBERNETES_SYSTEM_PREFIXES, type PlatformScope } from "./judge.ts";
import type { ClusterRole, ClusterRoleBinding, RoleBinding } from "./rbac-objects.ts";
import type { ClusterSnapshot } from "./snapshot.ts";

const tenant = (name: string, owner: string): Tenant =>
  ({ apiVersion: "yunshu.io/v1alpha1", kind: "Tenant", metadata: { name }, spec: { displayName: name, level: "province", owners: [{ kind: "Group", name: owner }], namespaces: [{ name: "prod" }] } }) as Tenant;
const health = tenant("hunan-health", "health-ops");
const finance = tenant("hunan-finance", "finance-ops");
const TENANTS = [health, finance];

const pod = (namespace: string, name: string, labels: Record<string, string> = { app: name }): Pod => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels }, spec: { containers: [{ name: "app" }] } });
const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "kubernetes.io/metadata.name": name, ...labels } } });

function tenantObjects(t: Tenant): { namespace: Namespace; policies: NetworkPolicy[] } {
  const guardrails = tenantProfile(t, shippedProfile(3));
  const namespace = renderNamespace(t, "prod", guardrails);
  return { namespace, policies: renderNetworkPolicies(t, namespace.metadata.name, DEFAULT_PLATFORM, guardrails.profile, []) };
}

const viewRole: ClusterRole = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "view" }, rules: [{ apiGroups: [""], resources: ["pods", "configmaps"], verbs: ["get", "list"] }] };
const rb = (namespace: string, name: string, subjects: Subject[]): RoleBinding =>
  ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name, namespace }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects }) as RoleBinding;
const crb = (name: string, subjects: Subject[], role = "view"): ClusterRoleBinding =>
  ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role }, subjects }) as ClusterRoleBinding;

const SCOPE: PlatformScope = { subjects: [...KUBERNETES_SUBJECTS, { kind: "Group", name: "platform-team" }], systemPrefixes: KUBERNETES_SYSTEM_PREFIXES, namespaces: ["kube-system", "monitoring"] };

function snapshot(extra: Partial<ClusterSnapshot> = {}, opts: { releasedFinance?: boolean } = {}): ClusterSnapshot {
  const h = tenantObjects(health);
  const f = tenantObjects(finance);
  if (opts.releasedFinance) f.namespace.metadata.labels!["yunshu.io/released"] = "true";
  return {
    cluster: "hub",
    namespaces: [h.namespace, f.namespace, ns("kube-system"), ns("default"), ...(extra.namespaces ?? [])],
    pods: [pod("hunan-health-prod", "api"), pod("hunan-finance-prod", "ledger"), pod("kube-system", "coredns", { "k8s-app": "kube-dns" }), ...(extra.pods ?? [])],
    policies: [...h.policies, ...(opts.releasedFinance ? f.policies.filter((p) => p.metadata.name === "yunshu-default-deny") : f.policies), ...(extra.policies ?? [])],
    roles: [],
    clusterRoles: [viewRole],
    roleBindings: extra.roleBindings ?? [],
    clusterRoleBindings: extra.clusterRoleBindings ?? [],
    namespacedResources: new Set(["/pods", "/configmaps"]),
  };
}

const openIngress = (namespace: string, name: string, from: NetworkPolicy["spec"]["ingress"]): NetworkPolicy => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: from } });
const openEgress = (namespace: string, name: string): NetworkPolicy => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: {} }] }] } });
const kinds = (s: ClusterSnapshot, shares: Share[] = []) => auditCluster(s, TENANTS, shares, SCOPE).violations.map((v) => `${v.kind} ${v.namespace}`);

describe("auditCluster", () => {
  it("finds nothing in what yunshu renders, and reports each namespace fenced in by its default deny", () => {
    const result = auditCluster(snapshot({ clusterRoleBindings: [crb("platform", [{ kind: "Group", name: "platform-team" }])] }), TENANTS, [], SCOPE);
    expect(result.violations).toEqual([]);
    expect(result.namespaces.map((n) => [n.namespace, n.defaultDeny, n.ingress.length])).toEqual([
      ["hunan-finance-prod", true, 0],
      ["hunan-health-prod", true, 0],
    ]);
  });

  it("finds a path between tenants that no Share covers, and none when an active Share covers its namespaces, direction and ports", () => {
    const both = { policies: [openIngress("hunan-health-prod", "hole", [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: "TCP", port: 8443 }] }]), openEgress("hunan-finance-prod", "out")] };
    expect(kinds(snapshot(both))).toEqual(["CrossTenantPath hunan-health-prod"]);
    const share = (port: number, phase: "Active" | "Revoked" = "Active"): Share =>
      ({
        apiVersion: "yunshu.io/v1alpha1",
        kind: "Share",
        metadata: { name: "s" },
        spec: { provider: { tenant: "hunan-health", namespace: "prod", podSelector: {}, ports: [{ protocol: "TCP", port }] }, consumer: { tenant: "hunan-finance" }, offeredBy: { username: "a" }, purpose: "p" },
        status: { phase },
      }) as Share;
    expect(kinds(snapshot(both), [share(8443)])).toEqual([]);
    expect(kinds(snapshot(both), [share(443)]), "another port").toEqual(["CrossTenantPath hunan-health-prod"]);
    expect(kinds(snapshot(both), [share(8443, "Revoked")]), "a revoked share").toEqual(["CrossTenantPath hunan-health-prod"]);
    // yunshu's own rendering of the share is backed by it.
    const active = share(8443);
    const rendered = [health, finance].flatMap((t) => renderSharePolicies(t, "prod", [active as Share & KubeObject], (n) => TENANTS.find((x) => x.metadata.name === n)));
    const audit = auditCluster(snapshot({ policies: rendered }), TENANTS, [active], SCOPE);
    expect(audit.violations).toEqual([]);
    expect(audit.namespaces.find((n) => n.namespace === "hunan-health-prod")!.ingress).toEqual([{ peer: "hunan-finance-prod/ledger → hunan-health-prod/api", ports: "TCP 8443" }]);
  });

  it("finds pods of a namespace nobody owns reaching a tenant, but not the platform's DNS reached by a tenant", () => {
    const debug = { pods: [pod("default", "debugger")], policies: [openIngress("hunan-health-prod", "hole", [{ from: [{ namespaceSelector: {} }] }])] };
    const audit = auditCluster(snapshot(debug), TENANTS, [], SCOPE);
    expect(audit.violations.map((v) => v.message)).toEqual(["default/debugger (namespace default, which no tenant owns) reaches hunan-health-prod/api (tenant hunan-health) on all, and no active Share covers it"]);
    expect(audit.namespaces.find((n) => n.namespace === "hunan-health-prod")!.egress.map((p) => p.peer)).toContain("hunan-health-prod/api → kube-system/coredns");
  });

  it("finds someone outside the tenant who can read in its namespace, but not its owners, its own ServiceAccounts or the platform", () => {
    const owners = rb("hunan-health-prod", "owners", [{ kind: "Group", name: "health-ops" }, { kind: "ServiceAccount", name: "ci", namespace: "hunan-health-prod" }]);
    expect(kinds(snapshot({ roleBindings: [owners], clusterRoleBindings: [crb("platform", [{ kind: "Group", name: "platform-team" }]), crb("controllers", [{ kind: "ServiceAccount", name: "namespace-controller", namespace: "kube-system" }])] }))).toEqual([]);
    const outsider = rb("hunan-health-prod", "leak", [{ kind: "Group", name: "finance-ops" }]);
    expect(kinds(snapshot({ roleBindings: [outsider] }))).toEqual(["OutsideSubject hunan-health-prod"]);
    const everyone = crb("everyone", [{ kind: "Group", name: "system:authenticated" }]);
    expect(kinds(snapshot({ clusterRoleBindings: [everyone] }))).toEqual(["OutsideSubject hunan-finance-prod", "OutsideSubject hunan-health-prod"]);
  });

  it("finds a tenant namespace without its default deny", () => {
    const s = snapshot();
    s.policies = s.policies.filter((p) => !(p.metadata.namespace === "hunan-finance-prod" && p.metadata.name === "yunshu-default-deny"));
    expect(kinds(s)).toEqual(["MissingDefaultDeny hunan-finance-prod"]);
    // A policy of that name that allows something is no default deny.
    s.policies.push(openIngress("hunan-finance-prod", "yunshu-default-deny", [{ from: [{ podSelector: {} }] }]));
    expect(kinds(s)).toContain("MissingDefaultDeny hunan-finance-prod");
  });

  it("finds a released namespace still open, reachable or accessible, and nothing in one fenced in", () => {
    expect(kinds(snapshot({}, { releasedFinance: true }))).toEqual([]);
    const reopened = snapshot({ policies: [openIngress("hunan-finance-prod", "reopen", [{ from: [{ namespaceSelector: {} }] }])] }, { releasedFinance: true });
    expect(kinds(reopened)).toEqual(["ReleasedNamespaceOpen hunan-finance-prod", "ReleasedNamespaceOpen hunan-finance-prod"]);
    const formerOwner = rb("hunan-finance-prod", "left-behind", [{ kind: "Group", name: "finance-ops" }]);
    expect(kinds(snapshot({ roleBindings: [formerOwner] }, { releasedFinance: true }))).toEqual(["ReleasedNamespaceOpen hunan-finance-prod"]);
  });
});
