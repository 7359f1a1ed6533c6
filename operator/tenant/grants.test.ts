import { describe, expect, it } from "vitest";
import type { Subject } from "../api/core-types.ts";
import type { KubeObject } from "../api/meta.ts";
import { mayBeGranted, strangers, tenantGrantees } from "./grants.ts";
import type { Tenant } from "./types.ts";

const finance: Tenant = {
  apiVersion: "yunshu.io/v1alpha1",
  kind: "Tenant",
  metadata: { name: "finance" },
  spec: {
    displayName: "财政厅",
    level: "province",
    owners: [{ kind: "Group", name: "finance-ops" }, { kind: "ServiceAccount", namespace: "ci", name: "deployer" }],
    members: [{ kind: "User", name: "dan", role: "developer" }],
    namespaces: [{ name: "prod" }, { name: "dev" }],
  },
};
const g = tenantGrantees(finance);
const rbac = "rbac.authorization.k8s.io";

describe("mayBeGranted", () => {
  it("admits the tenant's owners and members, and the ServiceAccounts of its own namespaces", () => {
    const admitted: Subject[] = [
      { kind: "Group", name: "finance-ops", apiGroup: rbac },
      { kind: "User", name: "dan", apiGroup: rbac },
      { kind: "ServiceAccount", namespace: "finance-dev", name: "builder" },
      // An owner ServiceAccount lives outside the tenant, and is declared.
      { kind: "ServiceAccount", namespace: "ci", name: "deployer" },
      { kind: "User", name: "system:serviceaccount:ci:deployer", apiGroup: rbac },
    ];
    for (const s of admitted) expect(mayBeGranted(s, "finance-prod", g), s.name).toBe(true);
    // A ServiceAccount subject without a namespace means the binding's own.
    expect(mayBeGranted({ kind: "ServiceAccount", name: "default" }, "finance-prod", g)).toBe(true);
  });

  it("refuses system identities, strangers, and other tenants' or the platform's ServiceAccounts", () => {
    const refused: Subject[] = [
      { kind: "Group", name: "system:authenticated", apiGroup: rbac },
      { kind: "Group", name: "system:unauthenticated", apiGroup: rbac },
      { kind: "User", name: "system:anonymous", apiGroup: rbac },
      { kind: "User", name: "mallory", apiGroup: rbac },
      { kind: "ServiceAccount", namespace: "health-prod", name: "default" },
      { kind: "ServiceAccount", namespace: "ci", name: "other-bot" },
      { kind: "ServiceAccount", namespace: "yunshu-system", name: "yunshu-operator" },
      // A name that looks like a member but is of another kind.
      { kind: "Group", name: "dan", apiGroup: rbac },
    ];
    for (const s of refused) expect(mayBeGranted(s, "finance-prod", g), `${s.kind} ${s.name}`).toBe(false);
  });
});

it("strangers lists only the subjects the tenant does not declare", () => {
  const binding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "b", namespace: "finance-prod" },
    subjects: [
      { kind: "User", name: "dan", apiGroup: rbac },
      { kind: "Group", name: "system:authenticated", apiGroup: rbac },
    ],
  } as KubeObject;
  expect(strangers(binding, g)).toEqual([{ kind: "Group", name: "system:authenticated", apiGroup: rbac }]);
  expect(strangers({ ...binding, subjects: undefined } as KubeObject, g)).toEqual([]);
});
