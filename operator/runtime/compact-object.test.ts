import { describe, expect, it } from "vitest";
import type { KubeObject } from "../api/meta.ts";
import { compactObject } from "./compact-object.ts";

const policy = (name: string): KubeObject =>
  JSON.parse(
    JSON.stringify({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: {
        name,
        namespace: "dept-00001-prod",
        uid: `uid-${name}`,
        resourceVersion: "42",
        labels: { "app.kubernetes.io/managed-by": "yunshu", "yunshu.io/tenant": "dept-00001" },
        managedFields: [{ manager: "yunshu", operation: "Apply", fieldsV1: { "f:spec": {} } }],
      },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "yunshu.io/tenant": "dept-00001" } } }] }] },
    }),
  ) as KubeObject;

describe("compactObject", () => {
  it("drops managed fields and keeps everything else as it was", () => {
    const received = policy("yunshu-same-tenant");
    const { managedFields: _, ...expectedMetadata } = structuredClone(received.metadata);
    const expected = { ...structuredClone(received), metadata: expectedMetadata };
    const kept = compactObject(received);
    expect(kept.metadata.managedFields).toBeUndefined();
    expect("managedFields" in kept.metadata).toBe(false);
    expect(kept).toEqual(expected);
  });

  it("keeps objects equal to what was received when the pool fills up and starts again", () => {
    // Each object brings one new short string (its name): more than the pool holds.
    const kept: KubeObject[] = [];
    const expected: KubeObject[] = [];
    for (let i = 0; i < 210_000; i++) {
      const received = policy(`policy-${i}`);
      if (i % 4999 === 0) {
        const copy = structuredClone(received);
        delete copy.metadata.managedFields;
        expected.push(copy);
        kept.push(compactObject(received));
      } else compactObject(received);
    }
    expect(kept).toEqual(expected);
  });
});
