import { describe, expect, it } from "vitest";
import type { Share, ShareAction } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import type { Tenant, TenantOwner } from "../tenant/types.ts";
import { consumerNamespaces, decideShare } from "./decision.ts";

function tenant(name: string, owners: TenantOwner[], opts: { level?: 2 | 3 | 4; parent?: string; namespaces?: string[]; clusters?: string[] } = {}): Tenant {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name },
    spec: {
      displayName: name,
      level: "province",
      owners,
      namespaces: (opts.namespaces ?? ["prod"]).map((n) => ({ name: n })),
      ...(opts.level ? { securityLevel: opts.level } : {}),
      ...(opts.parent ? { parent: opts.parent } : {}),
      ...(opts.clusters ? { placement: { clusters: opts.clusters } } : {}),
    },
    ...(opts.clusters ? { status: { clusters: opts.clusters.map((c) => ({ name: c })) } } : {}),
  } as Tenant;
}

const world = (tenants: Tenant[]) => ({ get: (n: string) => tenants.find((t) => t.metadata.name === n), childrenOf: () => [] });
const health = tenant("hunan-health", [{ kind: "Group", name: "health-ops" }], { namespaces: ["prod", "dev"], clusters: ["hub", "changsha"] });
const bigdata = tenant("hunan-bigdata", [{ kind: "User", name: "bob" }], { namespaces: ["prod", "etl"], clusters: ["changsha", "yueyang"] });
const secret = tenant("hunan-security", [{ kind: "User", name: "sam" }], { level: 4, clusters: ["changsha"] });
const city = tenant("changsha", [{ kind: "User", name: "carol" }]);
const cityBureau = tenant("changsha-transport", [{ kind: "User", name: "tom" }], { parent: "changsha" });

function share(spec: Partial<Share["spec"]> = {}, status?: Share["status"]): Share & KubeObject {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Share",
    metadata: { name: "health-api", creationTimestamp: "2026-11-30T09:00:00Z" },
    spec: {
      provider: { tenant: "hunan-health", namespace: "prod", podSelector: { matchLabels: { app: "api" } }, ports: [{ protocol: "TCP", port: 8443 }] },
      consumer: { tenant: "hunan-bigdata" },
      offeredBy: { username: "alice", groups: ["health-ops"] },
      purpose: "政务数据共享目录 0042",
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

let seq = 0;
function act(action: "Accept" | "Revoke", username: string, at: string, groups?: string[]): ShareAction & KubeObject {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "ShareAction",
    metadata: { name: `a${seq++}`, creationTimestamp: at },
    spec: { share: "health-api", action, actor: { username, ...(groups ? { groups } : {}) } },
  };
}

const NOW = "2026-11-30T12:00:00Z";
const decide = (s: Share & KubeObject, actions: (ShareAction & KubeObject)[], tenants = [health, bigdata, secret, city, cityBureau]) => decideShare(s, actions, world(tenants), NOW, "hub");

describe("decideShare", () => {
  it("opens nothing on an offer alone", () => {
    const status = decide(share(), []);
    expect(status.phase).toBe("Offered");
    expect(status.clusters).toBeUndefined();
    expect(status.history).toEqual([{ action: "Offer", by: "alice", at: "2026-11-30T09:00:00Z", outcome: "Applied" }]);
  });

  it("is active once an owner of the consumer accepts, on the clusters both are placed on", () => {
    const status = decide(share(), [act("Accept", "bob", "2026-11-30T10:00:00Z")]);
    expect(status).toMatchObject({ phase: "Active", acceptedBy: "bob", acceptedAt: "2026-11-30T10:00:00Z", clusters: ["changsha"] });
  });

  it("refuses an offer by someone who does not own the provider, whatever follows", () => {
    const status = decide(share({ offeredBy: { username: "mallory" } }), [act("Accept", "bob", "2026-11-30T10:00:00Z")]);
    expect(status.phase).toBe("Refused");
    expect(status.message).toContain("mallory owns neither tenant hunan-health");
  });

  it("ignores an acceptance by someone who does not own the consumer, and records it", () => {
    const status = decide(share(), [act("Accept", "alice", "2026-11-30T10:00:00Z", ["health-ops"])]);
    expect(status.phase).toBe("Offered");
    expect(status.history![1]).toMatchObject({ action: "Accept", by: "alice", outcome: "Ignored" });
  });

  it("lets either side revoke, for good; an outsider's revocation is ignored", () => {
    const accepted = act("Accept", "bob", "2026-11-30T10:00:00Z");
    const outsider = decide(share(), [accepted, act("Revoke", "mallory", "2026-11-30T10:30:00Z")]);
    expect(outsider.phase).toBe("Active");
    expect(outsider.history![2]).toMatchObject({ action: "Revoke", by: "mallory", outcome: "Ignored" });
    const byProvider = decide(share(), [accepted, act("Revoke", "alice", "2026-11-30T11:00:00Z", ["health-ops"])]);
    expect(byProvider).toMatchObject({ phase: "Revoked", revokedBy: "alice", revokedAt: "2026-11-30T11:00:00Z" });
    const byConsumer = decide(share(), [accepted, act("Revoke", "bob", "2026-11-30T11:00:00Z"), act("Accept", "bob", "2026-11-30T11:30:00Z")]);
    expect(byConsumer.phase).toBe("Revoked");
    expect(byConsumer.history!.at(-1)).toMatchObject({ action: "Accept", outcome: "Ignored", message: "the share was already revoked" });
  });

  it("needs a platform approval when either side is at MLPS level 4, and stamps when it was first seen", () => {
    const toSecret = share({ consumer: { tenant: "hunan-security" } });
    const accepted = [act("Accept", "sam", "2026-11-30T10:00:00Z")];
    expect(decide(toSecret, accepted).phase).toBe("AwaitingPlatform");
    const approved = share({ consumer: { tenant: "hunan-security" }, platformApproval: { approvedBy: "pat", reason: "ok" } });
    const status = decide(approved, accepted);
    expect(status.phase).toBe("Active");
    expect(status.history!.at(-1)).toEqual({ action: "Approve", by: "pat", at: NOW, outcome: "Applied", message: "ok" });
    const later = decideShare(share({ consumer: { tenant: "hunan-security" }, platformApproval: { approvedBy: "pat", reason: "ok" } }, status), accepted, world([health, secret]), "2026-12-01T00:00:00Z", "hub");
    expect(later.history!.at(-1)!.at).toBe(NOW);
  });

  it("counts a tenant without a placement as on the hub alone", () => {
    const onHub = tenant("hunan-archive", [{ kind: "User", name: "ann" }]);
    const toArchive = share({ consumer: { tenant: "hunan-archive" } });
    expect(decide(toArchive, [act("Accept", "ann", "2026-11-30T10:00:00Z")], [health, onHub])).toMatchObject({ phase: "Active", clusters: ["hub"] });
  });

  it("lets an owner of a tenant above act for it, as for requests", () => {
    const fromBureau = share({
      provider: { tenant: "changsha-transport", namespace: "prod", podSelector: {}, ports: [{ port: 443 }] },
      offeredBy: { username: "carol" },
    });
    expect(decide(fromBureau, [act("Accept", "bob", "2026-11-30T10:00:00Z")]).phase).toBe("Active");
  });

  it("refuses namespaces the tenants do not have, and limits the consumer to the namespaces it names", () => {
    expect(decide(share({ provider: { ...share().spec.provider, namespace: "staging" } }), []).message).toContain("tenant hunan-health has no namespace staging");
    expect(decide(share({ consumer: { tenant: "hunan-bigdata", namespaces: ["qa"] } }), []).message).toContain("tenant hunan-bigdata has no namespace qa");
    expect(consumerNamespaces(share({ consumer: { tenant: "hunan-bigdata", namespaces: ["etl"] } }), bigdata)).toEqual(["etl"]);
    expect(consumerNamespaces(share(), bigdata)).toEqual(["prod", "etl"]);
  });

  it("orders acts of the same second by resourceVersion, whatever their names", () => {
    const accept = { ...act("Accept", "bob", "2026-11-30T10:00:00Z"), metadata: { name: "zzz-accept", creationTimestamp: "2026-11-30T10:00:00Z", resourceVersion: "900" } };
    const revoke = { ...act("Revoke", "bob", "2026-11-30T10:00:00Z"), metadata: { name: "aaa-revoke", creationTimestamp: "2026-11-30T10:00:00Z", resourceVersion: "1000" } };
    const status = decide(share(), [revoke, accept]);
    expect(status.history!.slice(1).map((h) => [h.action, h.outcome])).toEqual([
      ["Accept", "Applied"],
      ["Revoke", "Applied"],
    ]);
    const late = { ...accept, metadata: { ...accept.metadata, resourceVersion: "1100" } };
    expect(decide(share(), [revoke, late]).history!.at(-1)).toMatchObject({ action: "Accept", outcome: "Ignored", message: "the share was already revoked" });
  });

  it("takes acts in the order they were made, not the order they are listed", () => {
    const status = decide(share(), [act("Revoke", "bob", "2026-11-30T11:00:00Z"), act("Accept", "bob", "2026-11-30T10:00:00Z")]);
    expect(status).toMatchObject({ phase: "Revoked", acceptedBy: "bob" });
  });
});
