// TenantRequests as departments and platform admins make them, for tests
// and the demo: the same objects `kubectl yunshu request|approve|deny` send.
import type { TenantRequest } from "../../operator/api/generated.ts";
import type { KubeClient, KubeObject } from "../../operator/runtime/kube-client.ts";
import { TENANT_REQUESTS } from "../../operator/runtime/resources.ts";
import { eventually } from "./eventually.ts";

export type Request = TenantRequest & KubeObject;
export type RequestSpec = Omit<TenantRequest["spec"], "requester">;

/** Files a request as the client's user; `requester` other than that user is what admission must refuse. */
export function fileRequest(client: KubeClient, requester: string, spec: RequestSpec): Promise<Request> {
  const body = { apiVersion: "yunshu.io/v1alpha1", kind: "TenantRequest", metadata: { generateName: `${spec.tenant}-` }, spec: { ...spec, requester: { username: requester } } };
  return client.create(TENANT_REQUESTS, body as unknown as Request);
}

/** The decision, its maker and reason, applied to the status subresource. */
export function decide(client: KubeClient, user: string, name: string, approve: boolean, reason: string): Promise<Request> {
  const body = {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "TenantRequest",
    metadata: { name },
    status: {
      decidedBy: user,
      conditions: [
        {
          type: "Approved",
          status: approve ? "True" : "False",
          reason: approve ? "Approved" : "Denied",
          message: reason,
          lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        },
      ],
    },
  };
  return client.apply(TENANT_REQUESTS, body as unknown as Request, "kubectl-yunshu", "status");
}

export const requestCondition = (r: TenantRequest, type: string) => r.status?.conditions?.find((c) => c.type === type);

export function waitForRequestCondition(client: KubeClient, name: string, type: string, status?: string): Promise<Request> {
  return eventually(`request ${name} to have ${type}${status ? `=${status}` : ""}`, async () => {
    const r = await client.get<Request>(TENANT_REQUESTS, name);
    const c = r && requestCondition(r, type);
    return c && (!status || c.status === status) ? r : undefined;
  });
}
