import { describe, expect, it } from "vitest";
import type { NetworkPolicy, RoleBinding } from "../api/core-types.ts";
import { DEFAULT_PLATFORM } from "./platform.ts";
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

const kinds = (t: Tenant) => renderTenant(t, DEFAULT_PLATFORM).map((ns) => [ns.name, ...ns.children.map((c) => `${c.kind}/${c.metadata.name}`)]);
const policies = (t: Tenant) => renderTenant(t, DEFAULT_PLATFORM)[0]!.children.filter((c): c is NetworkPolicy => c.kind === "NetworkPolicy");

describe("renderTenant", () => {
  it("gives each declared namespace its limits, isolation and, last, owner access", () => {
    expect(kinds(tenant({ limits: { default: { cpu: "500m" } } }))).toEqual([
      ["hunan-data-bureau-prod", "LimitRange/yunshu-container-defaults", "NetworkPolicy/yunshu-default-deny", "NetworkPolicy/yunshu-baseline", "RoleBinding/yunshu-tenant-admin"],
      ["hunan-data-bureau-test", "LimitRange/yunshu-container-defaults", "NetworkPolicy/yunshu-default-deny", "NetworkPolicy/yunshu-baseline", "RoleBinding/yunshu-tenant-admin"],
    ]);
  });

  it("renders no LimitRange when the tenant sets no limits", () => {
    expect(kinds(tenant())[0]).not.toContain("LimitRange/yunshu-container-defaults");
  });

  it("maps MLPS levels to Pod Security: 2 baseline, 3 and 4 restricted, version pinned", () => {
    const labels = (securityLevel: 2 | 3 | 4) => renderTenant(tenant({ securityLevel }), DEFAULT_PLATFORM)[0]!.namespace.metadata.labels!;
    expect(labels(2)["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    expect(labels(3)["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(labels(4)["pod-security.kubernetes.io/warn"]).toBe("restricted");
    expect(labels(3)["pod-security.kubernetes.io/audit-version"]).toBe(DEFAULT_PLATFORM.podSecurityVersion);
  });

  it("allows the tenant's own namespaces, DNS and monitoring, and nothing else by default", () => {
    const [deny, baseline] = policies(tenant());
    expect(deny!.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    expect(baseline!.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { "yunshu.io/tenant": "hunan-data-bureau" } } }] },
      { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }] },
    ]);
    expect(baseline!.spec.egress).toHaveLength(2);
    expect(baseline!.spec.egress![1]!.ports).toEqual([
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ]);
  });

  it("keeps even the tenant's own namespaces apart at MLPS level 4, and adds declared egress CIDRs", () => {
    const baseline = policies(tenant({ securityLevel: 4, network: { egressCIDRs: ["10.20.0.0/16"] } }))[1]!;
    expect(baseline.spec.ingress![0]).toEqual({ from: [{ podSelector: {} }] });
    expect(baseline.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: "10.20.0.0/16" } }] });
  });

  it("binds users and groups with the RBAC API group and service accounts with their namespace", () => {
    const t = tenant({ owners: [{ kind: "Group", name: "ops" }, { kind: "ServiceAccount", name: "ci", namespace: "tools" }] });
    const binding = renderTenant(t, DEFAULT_PLATFORM)[0]!.children.find((c): c is RoleBinding => c.kind === "RoleBinding")!;
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
    const bindings = renderTenant(t, DEFAULT_PLATFORM)[0]!.children.filter((c): c is RoleBinding => c.kind === "RoleBinding");
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
    for (const ns of renderTenant(t, DEFAULT_PLATFORM)) {
      expect(ns.namespace.metadata.annotations).toMatchObject({
        "yunshu.io/grant-users": "dan\nsystem:serviceaccount:tools:ci\nzoe",
        "yunshu.io/grant-groups": "auditors\nops",
        "yunshu.io/grant-namespaces": "hunan-data-bureau-prod\nhunan-data-bureau-test",
      });
    }
  });

  it("labels everything with the tenant, so informers, policies and pruning can find it", () => {
    for (const ns of renderTenant(tenant(), DEFAULT_PLATFORM)) {
      for (const obj of [ns.namespace, ...ns.children]) {
        expect(obj.metadata.labels).toMatchObject({ "app.kubernetes.io/managed-by": "yunshu", "yunshu.io/tenant": "hunan-data-bureau" });
      }
    }
  });
});
