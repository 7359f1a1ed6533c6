import { describe, expect, it } from "vitest";
import type { Share } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import type { Tenant } from "../tenant/types.ts";
import { renderSharePolicies, shareAnnotations } from "./render.ts";

const tenant = (name: string, namespaces: string[]): Tenant =>
  ({ apiVersion: "yunshu.io/v1alpha1", kind: "Tenant", metadata: { name }, spec: { displayName: name, level: "province", owners: [], namespaces: namespaces.map((n) => ({ name: n })) } }) as Tenant;
const health = tenant("hunan-health", ["prod", "dev"]);
const bigdata = tenant("hunan-bigdata", ["prod", "etl"]);
const lookup = (n: string) => [health, bigdata].find((t) => t.metadata.name === n);

function share(phase: NonNullable<Share["status"]>["phase"], consumer: Share["spec"]["consumer"] = { tenant: "hunan-bigdata" }): Share & KubeObject {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Share",
    metadata: { name: "health-api" },
    spec: {
      provider: { tenant: "hunan-health", namespace: "prod", podSelector: { matchLabels: { app: "api" } }, ports: [{ protocol: "TCP", port: 8443 }, { protocol: "TCP", port: 9000, endPort: 9010 }] },
      consumer,
      offeredBy: { username: "alice" },
      purpose: "p",
    },
    status: { phase },
  };
}

const ports = [
  { protocol: "TCP", port: 8443 },
  { protocol: "TCP", port: 9000, endPort: 9010 },
];

describe("renderSharePolicies", () => {
  it("renders nothing for a share that is not active", () => {
    for (const phase of ["Offered", "AwaitingPlatform", "Revoked", "Refused"] as const) {
      expect(renderSharePolicies(health, "prod", [share(phase)], lookup)).toEqual([]);
      expect(renderSharePolicies(bigdata, "prod", [share(phase)], lookup)).toEqual([]);
    }
  });

  it("opens the offered pods and ports to the consumer's namespaces, pinned by name and tenant", () => {
    const [ingress, ...rest] = renderSharePolicies(health, "prod", [share("Active")], lookup);
    expect(rest).toEqual([]);
    expect(ingress!.metadata).toMatchObject({ name: "yunshu-share-health-api", namespace: "hunan-health-prod", labels: { "yunshu.io/tenant": "hunan-health" } });
    expect(ingress!.spec).toEqual({
      podSelector: { matchLabels: { app: "api" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: ["hunan-bigdata-prod", "hunan-bigdata-etl"].map((ns) => ({
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns, "yunshu.io/tenant": "hunan-bigdata" } },
            podSelector: {},
          })),
          ports,
        },
      ],
    });
    expect(renderSharePolicies(health, "dev", [share("Active")], lookup)).toEqual([]);
  });

  it("lets the consumer's named namespaces (and pods) out to them, and no others", () => {
    const s = share("Active", { tenant: "hunan-bigdata", namespaces: ["etl"], podSelector: { matchLabels: { role: "etl" } } });
    expect(renderSharePolicies(bigdata, "prod", [s], lookup)).toEqual([]);
    const [egress] = renderSharePolicies(bigdata, "etl", [s], lookup);
    expect(egress!.spec).toEqual({
      podSelector: { matchLabels: { role: "etl" } },
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "hunan-health-prod", "yunshu.io/tenant": "hunan-health" } }, podSelector: { matchLabels: { app: "api" } } }],
          ports,
        },
      ],
    });
  });

  it("tells each side's namespace which peers its own policies may name, per direction", () => {
    const s = share("Active", { tenant: "hunan-bigdata", namespaces: ["etl"] });
    expect(shareAnnotations(health, "prod", [s], lookup)).toEqual({ "yunshu.io/share-ingress-from": "hunan-bigdata-etl" });
    expect(shareAnnotations(bigdata, "etl", [s], lookup)).toEqual({ "yunshu.io/share-egress-to": "hunan-health-prod" });
    expect(shareAnnotations(bigdata, "prod", [s], lookup)).toEqual({});
    expect(shareAnnotations(health, "prod", [share("Revoked")], lookup)).toEqual({});
  });
});
