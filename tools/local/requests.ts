// TenantRequests as departments and platform admins make them, for tests
// and the demo: the same objects `kubectl yunshu request|approve|deny` send.
import type { TenantRequest } from "../../operator/api/generated.ts";
import type { ControlPlane } from "../controlplane/controlplane.ts";
import type { KubeClient, KubeObject } from "../../operator/runtime/kube-client.ts";
import { TENANT_REQUESTS } from "../../operator/api/resources.ts";
import { decisionApply } from "../../operator/plugin/decision.ts";
import { whoami } from "../../operator/plugin/session.ts";
import { condition } from "../../operator/request/conditions.ts";
import { eventually } from "./eventually.ts";

export type Request = TenantRequest & KubeObject;
export type RequestSpec = Omit<TenantRequest["spec"], "requester">;

/**
 * Files a request as the client's user, with its groups recorded as
 * `kubectl yunshu request` does; `requester` other than that user is what
 * admission must refuse (and then no groups are sent).
 */
export async function fileRequest(client: KubeClient, requester: string, spec: RequestSpec): Promise<Request> {
  const me = await whoami(client);
  const groups = me.username === requester ? { groups: me.groups } : {};
  const body = { apiVersion: "yunshu.io/v1alpha1", kind: "TenantRequest", metadata: { generateName: `${spec.tenant}-` }, spec: { ...spec, requester: { username: requester, ...groups } } };
  return client.create(TENANT_REQUESTS, body as unknown as Request);
}

/** What `kubectl yunshu approve|deny` sends, on the request as it is now. */
export async function decide(client: KubeClient, user: string, name: string, approve: boolean, reason: string): Promise<Request> {
  const current = await client.get<Request>(TENANT_REQUESTS, name);
  if (!current) throw new Error(`TenantRequest ${name} does not exist`);
  const body = decisionApply(current, approve ? "approve" : "deny", user, reason, new Date());
  return client.apply(TENANT_REQUESTS, body as unknown as Request, "kubectl-yunshu", "status");
}

export const requestCondition = condition;

export function waitForRequestCondition(client: KubeClient, name: string, type: "Authorized" | "Fits" | "Approved" | "Applied", status?: string): Promise<Request> {
  return eventually(`request ${name} to have ${type}${status ? `=${status}` : ""}`, async () => {
    const r = await client.get<Request>(TENANT_REQUESTS, name);
    const c = r && requestCondition(r, type);
    return c && (!status || c.status === status) ? r : undefined;
  });
}

/**
 * Binds the group `departments` to ClusterRole yunshu-department (file
 * requests) and `platform-team` to yunshu-platform-admin (decide them), as a
 * platform would bind its identity provider's groups.
 */
export async function bindRequestGroups(plane: ControlPlane): Promise<void> {
  const binding = (name: string, role: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ${name} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role} }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: ${name} }]
`;
  const applied = await plane.kubectl(["apply", "-f", "-"], "admin", [binding("departments", "yunshu-department"), binding("platform-team", "yunshu-platform-admin")].join("---\n"));
  if (applied.code !== 0) throw new Error(`binding the request groups failed: ${applied.stderr}`);
}
