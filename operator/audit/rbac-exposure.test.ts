import { describe, expect, it } from "vitest";
import type { Subject } from "../api/core-types.ts";
import { computeExposure, subjectKey, type Exposure, type ExposureInput } from "./rbac-exposure.ts";
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding } from "./rbac-objects.ts";

const rbac = "rbac.authorization.k8s.io" as const;

// What discovery lists as namespaced on a plain cluster; nodes, namespaces,
// persistentvolumes and the self*reviews are cluster-scoped and absent.
const namespacedResources: ReadonlySet<string> = new Set([
  "/pods",
  "/pods/exec",
  "/pods/log",
  "/secrets",
  "/configmaps",
  "/serviceaccounts",
  "/serviceaccounts/token",
  "apps/deployments",
  "apps/deployments/scale",
  "apps/statefulsets",
  "apps/statefulsets/scale",
  "rbac.authorization.k8s.io/roles",
  "rbac.authorization.k8s.io/rolebindings",
]);

const role = (namespace: string, name: string, rules: PolicyRule[]): Role => ({ metadata: { namespace, name }, rules });
const clusterRole = (name: string, rules: PolicyRule[] | null): ClusterRole => ({ metadata: { name }, rules });
const roleBinding = (namespace: string, name: string, roleRef: { kind: "Role" | "ClusterRole"; name: string }, subjects?: Subject[]): RoleBinding => ({
  metadata: { namespace, name },
  roleRef: { apiGroup: rbac, ...roleRef },
  ...(subjects && { subjects }),
});
const clusterRoleBinding = (name: string, roleName: string, subjects?: Subject[]): ClusterRoleBinding => ({
  metadata: { name },
  roleRef: { apiGroup: rbac, kind: "ClusterRole", name: roleName },
  ...(subjects && { subjects }),
});

const alice: Subject = { kind: "User", name: "alice", apiGroup: rbac };
const bob: Subject = { kind: "User", name: "bob", apiGroup: rbac };
const everyone: Subject = { kind: "Group", name: "system:authenticated", apiGroup: rbac };

const run = (input: Partial<ExposureInput>) =>
  computeExposure({ namespaces: ["hunan-health-prod", "hunan-health-dev"], roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [], namespacedResources, ...input });

/** The exposures of one namespace, for an exact comparison. */
const exposed = (input: Partial<ExposureInput>, namespace = "hunan-health-prod") => run(input).byNamespace.get(namespace);

const prod = "hunan-health-prod";
const podReader = role(prod, "pod-reader", [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }]);

describe("computeExposure", () => {
  it("applies a RoleBinding to a Role in the binding's namespace only", () => {
    const report = run({ roles: [podReader], roleBindings: [roleBinding(prod, "alice-pods", { kind: "Role", name: "pod-reader" }, [alice])] });
    expect(report.byNamespace.get(prod)).toEqual([
      {
        subject: { kind: "User", name: "alice" },
        access: "read",
        via: { kind: "RoleBinding", name: "alice-pods", namespace: prod },
        role: { kind: "Role", name: "pod-reader" },
        resources: ["pods"],
      },
    ]);
    expect(report.byNamespace.get("hunan-health-dev")).toEqual([]);
    expect(report.danglingBindings).toEqual([]);
  });

  it("applies a RoleBinding to a ClusterRole with the ClusterRole's rules, in the binding's namespace only", () => {
    const editor = clusterRole("editor", [
      { apiGroups: [""], resources: ["secrets", "configmaps"], verbs: ["get"] },
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ["create", "update"] },
    ]);
    const report = run({ clusterRoles: [editor], roleBindings: [roleBinding(prod, "bob-edits", { kind: "ClusterRole", name: "editor" }, [bob])] });
    const via = { kind: "RoleBinding", name: "bob-edits", namespace: prod };
    const role = { kind: "ClusterRole", name: "editor" };
    expect(report.byNamespace.get(prod)).toEqual([
      { subject: { kind: "User", name: "bob" }, access: "read", via, role, resources: ["configmaps", "secrets"] },
      { subject: { kind: "User", name: "bob" }, access: "write", via, role, resources: ["deployments.apps"] },
    ]);
    expect(report.byNamespace.get("hunan-health-dev")).toEqual([]);
  });

  it("applies a ClusterRoleBinding to every namespace, through one shared array", () => {
    const secretReader = clusterRole("secret-reader", [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }]);
    const report = run({ clusterRoles: [secretReader], clusterRoleBindings: [clusterRoleBinding("everyone-reads-secrets", "secret-reader", [everyone])] });
    const expected: Exposure[] = [
      {
        subject: { kind: "Group", name: "system:authenticated" },
        access: "read",
        via: { kind: "ClusterRoleBinding", name: "everyone-reads-secrets" },
        role: { kind: "ClusterRole", name: "secret-reader" },
        resources: ["secrets"],
      },
    ];
    expect(report.byNamespace.get(prod)).toEqual(expected);
    expect(report.byNamespace.get("hunan-health-dev")).toBe(report.byNamespace.get(prod));
  });

  it("puts a namespace's RoleBinding exposures before the ClusterRoleBinding ones, each sorted", () => {
    const secretReader = clusterRole("secret-reader", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }]);
    const report = run({
      roles: [podReader],
      clusterRoles: [secretReader],
      roleBindings: [roleBinding(prod, "z-pods", { kind: "Role", name: "pod-reader" }, [bob]), roleBinding(prod, "a-pods", { kind: "Role", name: "pod-reader" }, [alice, bob])],
      clusterRoleBindings: [clusterRoleBinding("readers", "secret-reader", [everyone, alice])],
    });
    const rows = (ns: string) => report.byNamespace.get(ns)!.map((e) => `${subjectKey(e.subject)} ${e.access} ${e.via.kind}/${e.via.name}`);
    expect(rows(prod)).toEqual([
      "User:alice read RoleBinding/a-pods",
      "User:bob read RoleBinding/a-pods",
      "User:bob read RoleBinding/z-pods",
      "Group:system:authenticated read ClusterRoleBinding/readers",
      "User:alice read ClusterRoleBinding/readers",
    ]);
    expect(rows("hunan-health-dev")).toEqual(["Group:system:authenticated read ClusterRoleBinding/readers", "User:alice read ClusterRoleBinding/readers"]);
  });

  it("reports group subjects as groups, as bound", () => {
    const report = run({
      roles: [podReader],
      roleBindings: [roleBinding(prod, "admins", { kind: "Role", name: "pod-reader" }, [{ kind: "Group", name: "hunan-health-admins", apiGroup: rbac }])],
    });
    expect(report.byNamespace.get(prod)!.map((e) => e.subject)).toEqual([{ kind: "Group", name: "hunan-health-admins" }]);
    expect(subjectKey({ kind: "Group", name: "hunan-health-admins" })).toBe("Group:hunan-health-admins");
  });

  it("keeps a ServiceAccount's namespace, and gives one named without it the binding's namespace", () => {
    const tokenMinter = clusterRole("token-minter", [{ apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] }]);
    const report = run({
      roles: [podReader],
      clusterRoles: [tokenMinter],
      roleBindings: [
        roleBinding(prod, "sa-pods", { kind: "Role", name: "pod-reader" }, [
          { kind: "ServiceAccount", name: "default" },
          { kind: "ServiceAccount", name: "deployer", namespace: "ci" },
        ]),
      ],
      clusterRoleBindings: [clusterRoleBinding("vault-tokens", "token-minter", [{ kind: "ServiceAccount", name: "vault", namespace: "vault" }])],
    });
    expect(report.byNamespace.get(prod)!.map((e) => [subjectKey(e.subject), e.subject, e.access, e.resources])).toEqual([
      ["ServiceAccount:ci/deployer", { kind: "ServiceAccount", name: "deployer", namespace: "ci" }, "read", ["pods"]],
      ["ServiceAccount:hunan-health-prod/default", { kind: "ServiceAccount", name: "default", namespace: prod }, "read", ["pods"]],
      ["ServiceAccount:vault/vault", { kind: "ServiceAccount", name: "vault", namespace: "vault" }, "write", ["serviceaccounts/token"]],
    ]);
    expect(subjectKey({ kind: "User", name: "alice" })).toBe("User:alice");
  });

  it("follows wildcards in verbs, resources and API groups", () => {
    const wild = (name: string, rule: PolicyRule) => ({ clusterRole: clusterRole(name, [rule]), binding: clusterRoleBinding(name, name, [{ kind: "User", name }]) });
    const cases = [
      wild("all-verbs", { apiGroups: [""], resources: ["configmaps"], verbs: ["*"] }),
      wild("all-core", { apiGroups: [""], resources: ["*"], verbs: ["get"] }),
      wild("all-apps", { apiGroups: ["apps"], resources: ["*"], verbs: ["delete"] }),
      wild("any-group-secrets", { apiGroups: ["*"], resources: ["secrets"], verbs: ["watch"] }),
      wild("cluster-admin", { apiGroups: ["*"], resources: ["*"], verbs: ["*"] }),
      wild("any-scale", { apiGroups: ["apps"], resources: ["*/scale"], verbs: ["patch"] }),
      // A group of cluster-scoped resources only: "*" reaches nothing namespaced.
      wild("apiservices", { apiGroups: ["apiregistration.k8s.io"], resources: ["*"], verbs: ["*"] }),
    ];
    const rows = exposed({ clusterRoles: cases.map((c) => c.clusterRole), clusterRoleBindings: cases.map((c) => c.binding) })!;
    expect(rows.map((e) => [e.subject.name, e.access, e.resources])).toEqual([
      ["all-apps", "write", ["*.apps"]],
      ["all-core", "read", ["*"]],
      ["all-verbs", "read", ["configmaps"]],
      ["all-verbs", "write", ["configmaps"]],
      ["any-group-secrets", "read", ["secrets"]],
      ["any-scale", "write", ["*.apps/scale"]],
      ["cluster-admin", "read", ["*"]],
      ["cluster-admin", "write", ["*"]],
    ]);
  });

  it("finds nothing in a namespace through rules for cluster-scoped resources, even bound to everyone", () => {
    const basicUser = clusterRole("system:basic-user", [
      { apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], verbs: ["create"] },
      { apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"], verbs: ["create"] },
    ]);
    const nodeReader = clusterRole("node-reader", [{ apiGroups: [""], resources: ["nodes", "namespaces", "persistentvolumes"], verbs: ["get", "list", "delete"] }]);
    const report = run({
      clusterRoles: [basicUser, nodeReader],
      clusterRoleBindings: [clusterRoleBinding("system:basic-user", "system:basic-user", [everyone]), clusterRoleBinding("node-readers", "node-reader", [everyone])],
    });
    expect(report.byNamespace.get(prod)).toEqual([]);
    expect(report.danglingBindings).toEqual([]);
  });

  it("ignores nonResourceURLs", () => {
    const discovery = clusterRole("system:discovery", [{ nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/version"], verbs: ["get"] }]);
    const anything = clusterRole("all-urls", [{ nonResourceURLs: ["*"], verbs: ["*"] }]);
    const report = run({
      clusterRoles: [discovery, anything],
      clusterRoleBindings: [clusterRoleBinding("system:discovery", "system:discovery", [everyone]), clusterRoleBinding("all-urls", "all-urls", [everyone])],
    });
    expect(report.byNamespace.get(prod)).toEqual([]);
  });

  it("counts rules restricted by resourceNames, and says which names", () => {
    const named = role(prod, "named", [
      { apiGroups: [""], resources: ["secrets"], resourceNames: ["db-password"], verbs: ["get"] },
      { apiGroups: [""], resources: ["secrets"], resourceNames: ["api-key", "db-password"], verbs: ["get"] },
      { apiGroups: [""], resources: ["configmaps"], resourceNames: ["settings"], verbs: ["update"] },
      { apiGroups: [""], resources: ["configmaps"], verbs: ["patch"] },
      // An empty list names no restriction.
      { apiGroups: [""], resources: ["pods"], resourceNames: [], verbs: ["list"] },
    ]);
    const rows = exposed({ roles: [named], roleBindings: [roleBinding(prod, "named", { kind: "Role", name: "named" }, [alice])] })!;
    expect(rows.map((e) => [e.access, e.resources, e.resourceNames])).toEqual([
      ["read", ["pods", "secrets"], { secrets: ["api-key", "db-password"] }],
      // A rule for every configmap outweighs one for a named configmap.
      ["write", ["configmaps"], undefined],
    ]);
    expect("resourceNames" in rows[1]!).toBe(false);
  });

  it("tells subresources from their resources: pods/exec create is a write, pods get does not reach it", () => {
    const exec = role(prod, "exec", [
      { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
      { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get"] },
    ]);
    const rows = exposed({ roles: [exec], roleBindings: [roleBinding(prod, "exec", { kind: "Role", name: "exec" }, [alice])] })!;
    expect(rows.map((e) => [e.access, e.resources])).toEqual([
      ["read", ["pods", "pods/log"]],
      ["write", ["pods/exec"]],
    ]);
  });

  it("reports a binding to a missing role as dangling, not as an exposure", () => {
    const devReader = role("hunan-health-dev", "pod-reader", [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }]);
    const report = run({
      roles: [devReader],
      roleBindings: [
        // The Role of that name lives in another namespace: it does not count here.
        roleBinding(prod, "wrong-namespace", { kind: "Role", name: "pod-reader" }, [alice]),
        roleBinding(prod, "gone", { kind: "ClusterRole", name: "deleted" }),
        // Not a namespace asked about.
        roleBinding("kube-system", "elsewhere", { kind: "Role", name: "missing" }, [alice]),
      ],
      clusterRoleBindings: [clusterRoleBinding("stale", "removed-operator", [everyone])],
    });
    expect(report.byNamespace.get(prod)).toEqual([]);
    expect(report.byNamespace.get("hunan-health-dev")).toEqual([]);
    expect(report.danglingBindings).toEqual([
      { via: { kind: "ClusterRoleBinding", name: "stale" }, role: { kind: "ClusterRole", name: "removed-operator" }, subjects: [everyone] },
      { via: { kind: "RoleBinding", name: "wrong-namespace", namespace: prod }, role: { kind: "Role", name: "pod-reader" }, subjects: [alice] },
      { via: { kind: "RoleBinding", name: "gone", namespace: prod }, role: { kind: "ClusterRole", name: "deleted" }, subjects: [] },
    ]);
  });

  it("reports read and write each only when the role grants it", () => {
    const cases: [string, string[], string[]][] = [
      ["viewer", ["get", "list", "watch"], ["read"]],
      ["deleter", ["delete", "deletecollection"], ["write"]],
      ["both", ["list", "create"], ["read", "write"]],
      // Powerful, but neither reading nor writing the namespace's objects.
      ["other", ["bind", "escalate", "impersonate", "use"], []],
    ];
    const rows = exposed({
      roles: cases.map(([name, verbs]) => role(prod, name, [{ apiGroups: [""], resources: ["configmaps"], verbs }])),
      roleBindings: cases.map(([name]) => roleBinding(prod, name, { kind: "Role", name }, [{ kind: "User", name }])),
    })!;
    for (const [name, , accesses] of cases) expect(rows.filter((e) => e.subject.name === name).map((e) => e.access), name).toEqual(accesses);
  });

  it("gives one exposure per subject, access and binding, merging the rules' resources", () => {
    const mixed = role(prod, "mixed", [
      { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
      { apiGroups: ["", "apps"], resources: ["secrets", "deployments"], verbs: ["list"] },
    ]);
    const report = run({
      roles: [mixed],
      roleBindings: [
        roleBinding(prod, "twice", { kind: "Role", name: "mixed" }, [alice, { kind: "User", name: "alice" }]),
        roleBinding(prod, "again", { kind: "Role", name: "mixed" }, [alice]),
      ],
    });
    expect(report.byNamespace.get(prod)!.map((e) => [e.via.name, e.access, e.resources])).toEqual([
      ["again", "read", ["deployments.apps", "pods", "secrets"]],
      ["twice", "read", ["deployments.apps", "pods", "secrets"]],
    ]);
  });

  it("reads an aggregated ClusterRole's stored rules, and nothing before the controller fills them", () => {
    const aggregated: ClusterRole = {
      ...clusterRole("aggregate-view", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }]),
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "rbac.example/aggregate-to-view": "true" } }] },
    };
    const unfilled: ClusterRole = { ...clusterRole("aggregate-edit", null), aggregationRule: { clusterRoleSelectors: [] } };
    const report = run({
      clusterRoles: [aggregated, unfilled],
      clusterRoleBindings: [clusterRoleBinding("view", "aggregate-view", [alice]), clusterRoleBinding("edit", "aggregate-edit", [alice])],
    });
    expect(report.byNamespace.get(prod)!.map((e) => [e.role.name, e.access, e.resources])).toEqual([["aggregate-view", "read", ["configmaps"]]]);
    expect(report.danglingBindings).toEqual([]);
  });

  it("exposes nothing through a binding without subjects", () => {
    expect(exposed({ roles: [podReader], roleBindings: [roleBinding(prod, "empty", { kind: "Role", name: "pod-reader" })] })).toEqual([]);
  });
});
