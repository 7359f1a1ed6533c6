import { describe, expect, it } from "vitest";
import { installFailure } from "./install.ts";
import { ApiError, TransportError } from "./runtime/api-errors.ts";
import { GaveUp } from "./runtime/retry.ts";

describe("an install that fails", () => {
  it("says which object, how far it got, the cause with its code and server, and that re-running is safe", () => {
    const refused = new TransportError(
      "APPLY /apis/rbac.authorization.k8s.io/v1/clusterroles/yunshu-operator",
      "https://127.0.0.1:6443",
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" }),
    );
    expect(installFailure("applying ClusterRole yunshu-operator", 11, 11, 25, new GaveUp(refused, 11, 30_012))).toBe(
      "install failed while applying ClusterRole yunshu-operator (object 12 of 25; 11 applied): " +
        "gave up after 11 attempts in 30.0s: APPLY /apis/rbac.authorization.k8s.io/v1/clusterroles/yunshu-operator on https://127.0.0.1:6443 failed: " +
        "connect ECONNREFUSED 127.0.0.1:6443 (ECONNREFUSED); nothing accepts connections there: check that the API server is running and that the kubeconfig's server address is right. " +
        "Re-running yunshu install is safe: it applies the same objects again and changes only what differs",
    );
  });

  it("passes a permanent refusal on in the API server's words", () => {
    const forbidden = new ApiError(403, "Forbidden", 'APPLY /apis/apiextensions.k8s.io/v1/customresourcedefinitions/tenants.yunshu.io: 403 Forbidden: User "bob" cannot patch');
    expect(installFailure("applying CustomResourceDefinition tenants.yunshu.io", 0, 0, 25, forbidden)).toMatch(
      /^install failed while applying CustomResourceDefinition tenants\.yunshu\.io \(object 1 of 25; 0 applied\): APPLY \S+: 403 Forbidden: User "bob" cannot patch\. Re-running/,
    );
  });
});
