import { describe, expect, it } from "vitest";
import { ApiError, TransportError } from "../runtime/kube-client.ts";
import { admissionMessage, explain, PluginError, rethrow, serverMessage, UsageError } from "./errors.ts";

// As KubeClient builds them: "VERB path: status reason: <the Status message>".
const denied = new ApiError(
  403,
  "Forbidden",
  "PATCH /apis/yunshu.io/v1alpha1/tenantrequests/x/status: 403 Forbidden: tenantrequests.yunshu.io \"x\" is forbidden: ValidatingAdmissionPolicy 'yunshu-tenant-request-decision' with binding 'yunshu-tenant-request-decision' denied request: alice filed TenantRequest x and cannot decide it too",
);
const rbac = new ApiError(
  403,
  "Forbidden",
  'LIST /apis/yunshu.io/v1alpha1/tenantrequests: 403 Forbidden: tenantrequests.yunshu.io is forbidden: User "dept" cannot list resource "tenantrequests" in API group "yunshu.io" at the cluster scope',
);
const conflict = new ApiError(409, "Conflict", "APPLY /apis/yunshu.io/v1alpha1/tenantrequests/x/status: 409 Conflict: the object has been modified");

describe("messages", () => {
  it("serverMessage drops KubeClient's prefix", () => {
    expect(serverMessage(rbac)).toBe('tenantrequests.yunshu.io is forbidden: User "dept" cannot list resource "tenantrequests" in API group "yunshu.io" at the cluster scope');
    expect(serverMessage(new ApiError(422, "Unprocessable Entity", "POST /apis/x: 422 Unprocessable Entity: bad"))).toBe("bad");
  });

  it("admissionMessage is the policy's own words", () => {
    expect(admissionMessage(denied)).toBe("alice filed TenantRequest x and cannot decide it too");
    expect(admissionMessage(rbac)).toBeUndefined();
  });

  it("explain gives one line for each kind of failure", () => {
    expect(explain(denied, "https://k")).toBe("alice filed TenantRequest x and cannot decide it too");
    expect(explain(new ApiError(401, "Unauthorized", "GET /x: 401 Unauthorized: Unauthorized"), "https://k")).toMatch(
      /^the API server at https:\/\/k did not accept your credentials \(401 Unauthorized\); check --kubeconfig and --context/,
    );
    const refused = new TransportError("GET /version", "https://127.0.0.1:6443", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" }));
    expect(explain(refused, "https://127.0.0.1:6443")).toBe(
      "cannot reach the API server at https://127.0.0.1:6443 (ECONNREFUSED); is the cluster running, and are --kubeconfig and --context the right ones?",
    );
    expect(explain(new UsageError("bad flag"), undefined)).toBe("bad flag");
  });
});

describe("rethrow", () => {
  const caught = (err: unknown, hints: Parameters<typeof rethrow>[1]) => {
    try {
      rethrow(err, hints);
    } catch (e) {
      return e;
    }
  };

  it("adds what to do to an RBAC 403, and replaces a 409 or 404 with the command's words", () => {
    const forbidden = caught(rbac, { forbidden: "ask for the role" });
    expect(forbidden).toBeInstanceOf(PluginError);
    expect((forbidden as Error).message).toMatch(/cannot list resource "tenantrequests" .*; ask for the role$/);
    expect((caught(conflict, { conflict: "look again" }) as Error).message).toBe("look again");
  });

  it("leaves an admission denial and anything unexpected alone", () => {
    expect(caught(denied, { forbidden: "ask for the role" })).toBe(denied);
    expect(caught(conflict, { forbidden: "x" })).toBe(conflict);
  });
});
