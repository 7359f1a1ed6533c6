import { describe, expect, it } from "vitest";
import type { NetworkPolicy, RoleBinding } from "../api/core-types.ts";
import { shippedProfile } from "../api/manifests.ts";
import { DEFAULT_PLATFORM } from "./platform.ts";
import { tenantProfile, type SecurityProfile } from "./profile.ts";
import { renderTenant } from "./render.ts";
import type { Tenant } from "./types.ts";

function tenant(spec: Partial<Tenant["spec"]> = {}): Tenant {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name: "hunan-data-bureau" },
    spec: { displayName: "湖南省数据局", level: "province", owners: [{ kind: "User", name: "alice" }], namespaces: [{ name: "prod" }, { name: "test" }], ...spec },
  };
}

/** What yunshu renders of `t` under the profile its level selects, as shipped (or `profile`). */
const render = (t: Tenant, profile: SecurityProfile = shippedProfile(t.spec.securityLevel ?? 3)) => renderTenant(t, DEFAULT_PLATFORM, tenantProfile(t, profile));
const kinds = (t: Tenant) => render(t).map((ns) => [ns.name, ...ns.children.map((c) => `${c.kind}/${c.metadata.name}`)]);
const policies = (t: Tenant, profile?: SecurityProfile) => render(t, profile)[0]!.children.filter((c): c is NetworkPolicy => c.kind === "NetworkPolicy");

describe("renderTenant", () => {
  it("gives each declared namespace its limits, isolation and, last, owner access", () => {
    expect(kinds(tenant({ limits: { default: { cpu: "500m" } } }))).toEqual([
      ["hunan-data-bureau-prod", "LimitRange/yunshu-container-defaults", "ResourceQuota/yunshu-system-priority", "NetworkPolicy/yunshu-default-deny", "NetworkPolicy/yunshu-baseline", "NetworkPolicy/yunshu-same-tenant", "RoleBinding/yunshu-tenant-admin"],
      ["hunan-data-bureau-test", "LimitRange/yunshu-container-defaults", "ResourceQuota/yunshu-system-priority", "NetworkPolicy/yunshu-default-deny", "NetworkPolicy/yunshu-baseline", "NetworkPolicy/yunshu-same-tenant", "RoleBinding/yunshu-tenant-admin"],
    ]);
  });

  it("renders no LimitRange when the tenant sets no limits", () => {
    expect(kinds(tenant())[0]).not.toContain("LimitRange/yunshu-container-defaults");
  });

  it("takes Pod Security from the level's profile (2 baseline, 3 and 4 restricted, version pinned) and labels the level", () => {
    const labels = (securityLevel: 2 | 3 | 4) => render(tenant({ securityLevel }))[0]!.namespace.metadata.labels!;
    expect(labels(2)["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    expect(labels(3)["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(labels(4)["pod-security.kubernetes.io/warn"]).toBe("restricted");
    expect(labels(3)["pod-security.kubernetes.io/audit-version"]).toBe(shippedProfile(3).spec.podSecurity.version);
    expect(labels(4)["yunshu.io/security-level"]).toBe("4");
  });

  it("allows the tenant's own namespaces (to pods not labelled yunshu.io/network=declared), DNS, and monitoring on its declared metrics ports only", () => {
    const [deny, baseline, sameTenant] = policies(tenant({ network: { metricsPorts: [9090, 8081] } }));
    expect(deny!.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    expect(baseline!.spec.podSelector).toEqual({});
    expect(baseline!.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
        ports: [
          { protocol: "TCP", port: 9090 },
          { protocol: "TCP", port: 8081 },
        ],
      },
    ]);
    expect(baseline!.spec.egress).toHaveLength(1);
    expect(baseline!.spec.egress![0]!.ports).toEqual([
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ]);
    const own = [{ namespaceSelector: { matchLabels: { "yunshu.io/tenant": "hunan-data-bureau" } } }];
    expect(sameTenant!.spec).toEqual({
      podSelector: { matchExpressions: [{ key: "yunshu.io/network", operator: "NotIn", values: ["declared"] }] },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: own }],
      egress: [{ to: own }],
    });
  });

  it("lets monitoring reach nothing when no metrics port is declared, and every port only if the profile says AllPorts", () => {
    expect(policies(tenant())[1]!.spec.ingress).toBeUndefined();
    const open = structuredClone(shippedProfile(3));
    open.spec.network.monitoring = "AllPorts";
    expect(policies(tenant({ network: { metricsPorts: [9090] } }), open)[1]!.spec.ingress![0]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
    });
  });

  it("keeps even the tenant's own namespaces apart at MLPS level 4, and adds declared egress CIDRs the profile allows", () => {
    const [, baseline, sameTenant] = policies(tenant({ securityLevel: 4, network: { egressCIDRs: ["10.20.30.0/24", "10.20.0.0/16", "2001:db8::/56"] } }));
    expect(sameTenant!.spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(baseline!.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: "10.20.30.0/24" } }, { ipBlock: { cidr: "2001:db8::/56" } }] });
  });

  it("blocks system-* priority classes with a scoped quota of zero pods in every namespace", () => {
    const quota = render(tenant())[0]!.children.find((c) => c.kind === "ResourceQuota")!;
    expect(quota).toMatchObject({
      metadata: { name: "yunshu-system-priority" },
      spec: { hard: { pods: "0" }, scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: ["system-cluster-critical", "system-node-critical"] }] } },
    });
  });

  it("writes the granted Ingress domains onto every namespace for the Ingress policy", () => {
    for (const ns of render(tenant({ network: { ingressDomains: ["czt.hunan.gov.cn", "pay.hunan.gov.cn"] } }))) {
      expect(ns.namespace.metadata.annotations?.["yunshu.io/ingress-domains"]).toBe("czt.hunan.gov.cn,pay.hunan.gov.cn");
    }
    expect(render(tenant())[0]!.namespace.metadata.annotations).not.toHaveProperty("yunshu.io/ingress-domains");
  });

  it("binds users and groups with the RBAC API group and service accounts with their namespace", () => {
    const t = tenant({ owners: [{ kind: "Group", name: "ops" }, { kind: "ServiceAccount", name: "ci", namespace: "tools" }] });
    const binding = render(t)[0]!.children.find((c): c is RoleBinding => c.kind === "RoleBinding")!;
    expect(binding.subjects).toEqual([
      { kind: "Group", name: "ops", apiGroup: "rbac.authorization.k8s.io" },
      { kind: "ServiceAccount", name: "ci", namespace: "tools" },
    ]);
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "yunshu-tenant-admin" });
  });

  it("binds admin members with the owners, and developers and viewers each to their own role, only when there are any", () => {
    const t = tenant({
      members: [
        { kind: "User", name: "dan", role: "developer" },
        { kind: "Group", name: "auditors", role: "viewer" },
        { kind: "User", name: "ada", role: "admin" },
      ],
    });
    const bindings = render(t)[0]!.children.filter((c): c is RoleBinding => c.kind === "RoleBinding");
    expect(bindings.map((b) => [b.metadata.name, b.roleRef.name, b.subjects.map((s) => s.name)])).toEqual([
      ["yunshu-tenant-admin", "yunshu-tenant-admin", ["alice", "ada"]],
      ["yunshu-tenant-developer", "yunshu-tenant-developer", ["dan"]],
      ["yunshu-tenant-viewer", "yunshu-tenant-viewer", ["auditors"]],
    ]);
    expect(kinds(tenant())[0]!.filter((k) => k.startsWith("RoleBinding/"))).toEqual(["RoleBinding/yunshu-tenant-admin"]);
  });

  it("writes whom bindings may name onto every namespace, one name per line, sorted", () => {
    const t = tenant({
      owners: [{ kind: "Group", name: "ops" }, { kind: "ServiceAccount", name: "ci", namespace: "tools" }, { kind: "User", name: "zoe" }],
      members: [{ kind: "User", name: "dan", role: "developer" }, { kind: "Group", name: "auditors", role: "viewer" }],
    });
    for (const ns of render(t)) {
      expect(ns.namespace.metadata.annotations).toMatchObject({
        "yunshu.io/grant-users": "dan\nsystem:serviceaccount:tools:ci\nzoe",
        "yunshu.io/grant-groups": "auditors\nops",
        "yunshu.io/grant-namespaces": "hunan-data-bureau-prod\nhunan-data-bureau-test",
      });
    }
  });

  it("labels everything with the tenant, so informers, policies and pruning can find it", () => {
    for (const ns of render(tenant())) {
      for (const obj of [ns.namespace, ...ns.children]) {
        expect(obj.metadata.labels).toMatchObject({ "app.kubernetes.io/managed-by": "yunshu", "yunshu.io/tenant": "hunan-data-bureau" });
      }
    }
  });
});
