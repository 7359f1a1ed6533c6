// Sharing between departments, tested as the people involved: an offer
// opens nothing until the consumer accepts; then exactly the offered ports
// between the selected pods are open (by yunshu's reachability engine and
// by np-guard's analyzer, read from the live API server); either side
// revokes and it closes within seconds; level 4 needs the platform. And the
// departments' own NetworkPolicies: stricter ones take effect, openings
// beyond the tenant, its accepted Shares and its profile's networks are
// refused with the rule named. Every refusal checks that nothing changed,
// next to a positive control that is admitted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NetworkPolicy } from "../../operator/api/core-types.ts";
import type { Share, ShareAction } from "../../operator/api/generated.ts";
import type { KubeObject } from "../../operator/api/meta.ts";
import { NAMESPACES, NETWORK_POLICIES, PODS, SHARE_ACTIONS, SHARES } from "../../operator/api/resources.ts";
import { computeReachability } from "../../operator/audit/reachability.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient } from "../../operator/runtime/kube-client.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, startOperator } from "../../tools/local/yunshu.ts";
import { refusal } from "../support/api-errors.ts";
import { anonymousStatus } from "../support/anonymous.ts";
import { labelledPod, reachability, setUpDepartments, USERS } from "../support/sharing-fixture.ts";

let plane: ControlPlane;
let operator: Operator;
const as: Record<string, KubeClient> = {};

const API = "hunan-health-prod/api";
const CLIENT = "hunan-bigdata-prod/client";

/** `groups` left out: the offer records none (the policy then does not compare them). */
function offer(name: string, by: string, groups: string[] | undefined, spec: Partial<Share["spec"]> = {}): Share & KubeObject {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Share",
    metadata: { name },
    spec: {
      provider: { tenant: "hunan-health", namespace: "prod", podSelector: { matchLabels: { app: "api" } }, ports: [{ protocol: "TCP", port: 8443 }] },
      consumer: { tenant: "hunan-bigdata", namespaces: ["prod"] },
      offeredBy: { username: by, ...(groups ? { groups } : {}) },
      purpose: "政务数据共享目录 HN-0042：电子健康档案查询",
      ...spec,
    },
  };
}

function action(share: string, act: "Accept" | "Revoke", username: string, groups?: string[]): ShareAction & KubeObject {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "ShareAction",
    metadata: { name: "", generateName: `${share}-${act.toLowerCase()}-` },
    spec: { share, action: act, actor: { username, ...(groups ? { groups } : {}) } },
  } as ShareAction & KubeObject;
}

const groupsOf = (user: string) => [...USERS.find((u) => u.name === user)!.groups, "system:authenticated"];
const offerAs = (user: string, name: string, spec: Partial<Share["spec"]> = {}) => as[user]!.create(SHARES, offer(name, user, groupsOf(user), spec));
const actAs = (user: string, share: string, act: "Accept" | "Revoke") => as[user]!.create(SHARE_ACTIONS, action(share, act, user, groupsOf(user)));
const getShare = (name: string) => as.admin!.get<Share & KubeObject>(SHARES, name);
const waitForPhase = (name: string, phase: string, timeoutMs = 15_000) =>
  eventually(`share ${name} to be ${phase}`, async () => ((await getShare(name))?.status?.phase === phase ? getShare(name) : undefined), { timeoutMs });
const policy = (namespace: string, name: string) => as.admin!.get<NetworkPolicy & KubeObject>(NETWORK_POLICIES, name, namespace);

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "shares", users: USERS });
  operator = await startOperator(plane, await installYunshu(plane), { auditIntervalMs: 0 });
  for (const user of ["admin", ...USERS.map((u) => u.name)]) as[user] = new KubeClient(plane.credentials(user));
  await setUpDepartments(plane, as.admin!);
});

afterAll(async () => {
  await operator?.stop();
  await plane?.stop();
});

describe("a Share", () => {
  it("opens nothing while it is only an offer", async () => {
    const before = await reachability(as.admin!);
    expect(before.engine).toEqual(before.analyzer);
    expect(before.engine.filter((l) => l.includes("hunan-bigdata") && l.includes("hunan-health")), "no path between the two before any share").toEqual([]);
    await offerAs("alice", "health-records");
    const offered = await waitForPhase("health-records", "Offered");
    expect(offered!.status!.history).toEqual([expect.objectContaining({ action: "Offer", by: "alice", outcome: "Applied" })]);
    expect(await policy("hunan-health-prod", "yunshu-share-health-records")).toBeUndefined();
    const after = await reachability(as.admin!);
    expect(after).toEqual(before);
  });

  it("is not accepted by an outsider in their own name, nor in the consumer's", async () => {
    await actAs("mallory", "health-records", "Accept");
    await eventually("mallory's acceptance to be recorded as ignored", async () =>
      (await getShare("health-records"))?.status?.history?.some((h) => h.by === "mallory" && h.outcome === "Ignored"),
    );
    expect((await getShare("health-records"))!.status!.phase).toBe("Offered");
    expect(await policy("hunan-bigdata-prod", "yunshu-share-health-records")).toBeUndefined();
    const actions = (await as.admin!.list(SHARE_ACTIONS)).items.length;
    const forged = await refusal(as.mallory!.create(SHARE_ACTIONS, action("health-records", "Accept", "bob", groupsOf("bob"))));
    expect(forged.status).toBe(403);
    expect(forged.message).toContain('spec.actor.username is "bob" but you are "mallory"');
    expect((await as.admin!.list(SHARE_ACTIONS)).items.length).toBe(actions);
  });

  it("is neither readable nor changeable by a department, nor by an anonymous client", async () => {
    const before = await getShare("health-records");
    expect((await refusal(as.mallory!.list(SHARES))).status).toBe(403);
    expect((await refusal(as.bob!.get(SHARES, "health-records"))).status).toBe(403);
    expect((await refusal(as.mallory!.mergePatch(SHARES, "health-records", { spec: { consumer: { tenant: "hunan-finance" } } }))).status).toBe(403);
    expect(await anonymousStatus(plane, "GET", "/apis/yunshu.io/v1alpha1/shares")).toBe(403);
    expect(await anonymousStatus(plane, "POST", "/apis/yunshu.io/v1alpha1/shares", offer("anon", "system:anonymous", []))).toBe(403);
    expect(await anonymousStatus(plane, "POST", "/apis/yunshu.io/v1alpha1/shareactions", action("health-records", "Accept", "system:anonymous"))).toBe(403);
    // Even a cluster admin cannot write the operator's verdict, nor change an offer once filed.
    const status = await refusal(as.admin!.apply(SHARES, { apiVersion: "yunshu.io/v1alpha1", kind: "Share", metadata: { name: "health-records" }, status: { phase: "Active" } } as KubeObject, "forger", "status"));
    expect(status.message).toContain("written by the yunshu operator only");
    const changed = await refusal(as.admin!.mergePatch(SHARES, "health-records", { spec: { consumer: { tenant: "hunan-finance" } } }));
    expect(changed.message).toContain("an offer is fixed once filed");
    const after = await getShare("health-records");
    expect(after!.spec).toEqual(before!.spec);
    expect(after!.status!.phase).toBe("Offered");
  });

  it("refuses an offer made in someone else's name, and opens nothing of one by a non-owner", async () => {
    const forged = await refusal(as.mallory!.create(SHARES, offer("forged", "alice", groupsOf("alice"))));
    expect(forged.message).toContain('spec.offeredBy.username is "alice" but you are "mallory"');
    expect(await getShare("forged")).toBeUndefined();
    await offerAs("mallory", "mallory-offers-health", { consumer: { tenant: "hunan-finance" } });
    const refused = await waitForPhase("mallory-offers-health", "Refused");
    expect(refused!.status!.message).toContain("mallory owns neither tenant hunan-health nor a tenant above it");
    await actAs("mallory", "mallory-offers-health", "Accept");
    await eventually("mallory's acceptance to be judged", async () => ((await getShare("mallory-offers-health"))?.status?.history?.length ?? 0) >= 1);
    expect((await getShare("mallory-offers-health"))!.status!.phase).toBe("Refused");
    expect(await policy("hunan-health-prod", "yunshu-share-mallory-offers-health")).toBeUndefined();
  });

  it("opens exactly the offered port between the selected pods once the consumer accepts", async () => {
    await actAs("bob", "health-records", "Accept");
    const active = await waitForPhase("health-records", "Active");
    expect(active!.status).toMatchObject({ acceptedBy: "bob", clusters: ["hub"] });
    await eventually("both sides' policies", async () => (await policy("hunan-health-prod", "yunshu-share-health-records")) && (await policy("hunan-bigdata-prod", "yunshu-share-health-records")));
    expect(await policy("hunan-bigdata-etl", "yunshu-share-health-records"), "etl was not named").toBeUndefined();
    const reach = await reachability(as.admin!);
    expect(reach.engine).toEqual(reach.analyzer);
    expect(reach.engine).toEqual([`${CLIENT} → ${API}: TCP 8443`]);
  });

  it("closes within seconds when the consumer revokes it, for good", async () => {
    const started = Date.now();
    await actAs("bob", "health-records", "Revoke");
    await eventually("both policies to go", async () => !(await policy("hunan-health-prod", "yunshu-share-health-records")) && !(await policy("hunan-bigdata-prod", "yunshu-share-health-records")), { timeoutMs: 10_000 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`revocation: both sides' policies gone ${seconds.toFixed(2)} s after the consumer's ShareAction was created`);
    expect(seconds).toBeLessThan(10);
    const revoked = await waitForPhase("health-records", "Revoked");
    expect(revoked!.status).toMatchObject({ revokedBy: "bob" });
    const reach = await reachability(as.admin!);
    expect(reach.engine).toEqual(reach.analyzer);
    expect(reach.engine).toEqual([]);
    // Accepting again does not reopen a revoked share.
    await actAs("bob", "health-records", "Accept");
    await eventually("the late acceptance to be ignored", async () => (await getShare("health-records"))?.status?.history?.at(-1)?.message === "the share was already revoked");
    expect(await policy("hunan-health-prod", "yunshu-share-health-records")).toBeUndefined();
  });

  it("closes when the provider revokes it", async () => {
    await offerAs("alice", "health-to-etl", { consumer: { tenant: "hunan-bigdata", namespaces: ["etl"] } });
    await actAs("bob", "health-to-etl", "Accept");
    await waitForPhase("health-to-etl", "Active");
    await eventually("the etl share's policy", () => policy("hunan-bigdata-etl", "yunshu-share-health-to-etl"));
    expect((await reachability(as.admin!)).engine).toEqual([`hunan-bigdata-etl/etl → ${API}: TCP 8443`]);
    await actAs("alice", "health-to-etl", "Revoke");
    await eventually("the provider's revocation to close it", async () => !(await policy("hunan-health-prod", "yunshu-share-health-to-etl")));
    expect((await waitForPhase("health-to-etl", "Revoked"))!.status!.revokedBy).toBe("alice");
    expect((await reachability(as.admin!)).engine).toEqual([]);
  });

  it("into a level-4 tenant waits for a platform admin, who is neither the offerer nor someone else's name", async () => {
    await offerAs("alice", "health-to-security", { consumer: { tenant: "hunan-security" } });
    await actAs("sam", "health-to-security", "Accept");
    await waitForPhase("health-to-security", "AwaitingPlatform");
    expect(await policy("hunan-security-prod", "yunshu-share-health-to-security")).toBeUndefined();
    const approval = (approvedBy: string) => ({ spec: { platformApproval: { approvedBy, reason: "公安厅调阅经省政府批准" } } });
    expect((await refusal(as.alice!.mergePatch(SHARES, "health-to-security", approval("alice")))).status).toBe(403);
    const inOthersName = await refusal(as.pat!.mergePatch(SHARES, "health-to-security", approval("quinn")));
    expect(inOthersName.message).toContain('must name the user approving, "pat"');
    expect((await getShare("health-to-security"))!.spec.platformApproval).toBeUndefined();
    await as.pat!.mergePatch(SHARES, "health-to-security", approval("pat"));
    const active = await waitForPhase("health-to-security", "Active");
    expect(active!.status!.history!.at(-1)).toMatchObject({ action: "Approve", by: "pat", outcome: "Applied" });
    await eventually("the level-4 side's policy", () => policy("hunan-security-prod", "yunshu-share-health-to-security"));
    expect((await reachability(as.admin!)).engine).toEqual([`hunan-security-prod/vault → ${API}: TCP 8443`]);
    // Four eyes: whoever offered a share cannot approve it too.
    await as.admin!.create(SHARES, offer("admin-offer", "admin", undefined, { consumer: { tenant: "hunan-security" } }));
    const selfApproval = await refusal(as.admin!.mergePatch(SHARES, "admin-offer", approval("admin")));
    expect(selfApproval.message).toContain("admin offered Share admin-offer and cannot approve it too");
    await actAs("sam", "health-to-security", "Revoke");
    await eventually("the level-4 share to close", async () => !(await policy("hunan-security-prod", "yunshu-share-health-to-security")));
  });
});

function netpol(namespace: string, name: string, spec: NetworkPolicy["spec"]): NetworkPolicy & KubeObject {
  return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec };
}

const fromNamespace = (labels: Record<string, string>) => [{ from: [{ namespaceSelector: { matchLabels: labels } }] }];

describe("a department's own NetworkPolicies", () => {
  it("take effect when stricter: a pod labelled yunshu.io/network=declared gets only what its department declares", async () => {
    await as.alice!.create(PODS, labelledPod("hunan-health-prod", "ledger", { app: "ledger", "yunshu.io/network": "declared" }, [{ containerPort: 5432 }]) as unknown as KubeObject);
    const sealed = await reachability(as.admin!, ["hunan-health-prod", "hunan-health-dev"]);
    expect(sealed.engine).toEqual(sealed.analyzer);
    expect(sealed.engine.filter((l) => l.includes("/ledger")), "nothing of its own tenant reaches it until a policy says so").toEqual([]);
    expect(sealed.engine, "the rest of the tenant still talks").toContain("hunan-health-dev/tester → hunan-health-prod/api: all");
    await as.alice!.create(
      NETWORK_POLICIES,
      netpol("hunan-health-prod", "ledger-from-api", {
        podSelector: { matchLabels: { app: "ledger" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: "api" } } }], ports: [{ protocol: "TCP", port: 5432 }] }],
      }),
    );
    const internal = await as.admin!.list(PODS, { namespace: "hunan-health-prod" });
    expect(internal.items.length).toBe(3);
    const opened = await reachability(as.admin!, ["hunan-health-prod", "hunan-health-dev"]);
    expect(opened.engine).toEqual(opened.analyzer);
    expect(opened.engine.filter((l) => l.includes("/ledger")), "cross-namespace: still nothing").toEqual([]);
    // Within the namespace (the fixture lists only cross-namespace pairs): api reaches it on 5432, web does not.
    const [namespaces, pods, policies] = await Promise.all([as.admin!.list(NAMESPACES), as.admin!.list(PODS), as.admin!.list(NETWORK_POLICIES)]);
    const toLedger = computeReachability({ namespaces: namespaces.items as never, pods: pods.items as never, policies: policies.items as never })
      .filter((c) => c.dst === "hunan-health-prod/ledger")
      .map((c) => c.src);
    expect(toLedger).toEqual(["hunan-health-prod/api"]);
  });

  it("may open to the tenant's own namespaces and the networks its profile allows", async () => {
    await as.alice!.create(NETWORK_POLICIES, netpol("hunan-health-prod", "from-own", { podSelector: {}, policyTypes: ["Ingress"], ingress: fromNamespace({ "yunshu.io/tenant": "hunan-health" }) }));
    await as.alice!.create(NETWORK_POLICIES, netpol("hunan-health-prod", "to-registry", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.30.1.0/24" } }] }] }));
    expect(await policy("hunan-health-prod", "to-registry")).toBeDefined();
  });

  it("may not open to another tenant, to everything, or to a network outside the profile: the message names the rule", async () => {
    const cases: [string, NetworkPolicy["spec"], string][] = [
      ["to-finance", { podSelector: {}, policyTypes: ["Ingress"], ingress: fromNamespace({ "yunshu.io/tenant": "hunan-finance" }) }, "spec.ingress[0].from[0] selects namespaces outside tenant hunan-health"],
      ["by-name", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "hunan-finance-prod" } } }] }] }, "spec.egress[0].to[0] selects namespaces outside"],
      ["all-namespaces", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }] }] }, "spec.ingress[0].from[0] selects namespaces outside"],
      ["everyone", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ ports: [{ protocol: "TCP", port: 8443 }] }] }, "spec.ingress[0] names no peers"],
      ["internet", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] }, "spec.egress[0].to[0] (0.0.0.0/0) is outside the networks tenant hunan-health may reach (10.30.0.0/16)"],
    ];
    for (const [name, spec, message] of cases) {
      for (const who of ["alice", "admin"]) {
        const refused = await refusal(as[who]!.create(NETWORK_POLICIES, netpol("hunan-health-prod", name, spec)));
        expect(refused.status, `${who}: ${name}`).toBe(403);
        expect(refused.message, `${who}: ${name}`).toContain(message);
        expect(await policy("hunan-health-prod", name)).toBeUndefined();
      }
    }
    // Loosening an admitted policy is refused the same way, and the policy stays as it was.
    const before = await policy("hunan-health-prod", "from-own");
    const loosened = await refusal(as.alice!.mergePatch(NETWORK_POLICIES, "from-own", { spec: { ingress: fromNamespace({ "yunshu.io/tenant": "hunan-finance" }) } }, "hunan-health-prod"));
    expect(loosened.message).toContain("outside tenant hunan-health");
    expect((await policy("hunan-health-prod", "from-own"))!.spec).toEqual(before!.spec);
  });

  it("may name the other side of an accepted Share only while it is accepted, and only in its direction", async () => {
    const peer = (name: string) => netpol("hunan-health-prod", name, { podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Ingress"], ingress: fromNamespace({ "kubernetes.io/metadata.name": "hunan-bigdata-prod" }) });
    expect((await refusal(as.alice!.create(NETWORK_POLICIES, peer("bigdata-before")))).message).toContain("this namespace has none");
    await offerAs("alice", "health-api-2");
    await actAs("bob", "health-api-2", "Accept");
    await waitForPhase("health-api-2", "Active");
    await eventually("the namespace to list its Share peer", async () => {
      try {
        await as.alice!.create(NETWORK_POLICIES, peer("bigdata-during"), undefined, { dryRun: true });
        return true;
      } catch {
        return false;
      }
    });
    await as.alice!.create(NETWORK_POLICIES, peer("bigdata-during"));
    const wrongWay = await refusal(
      as.alice!.create(NETWORK_POLICIES, netpol("hunan-health-prod", "to-bigdata", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "hunan-bigdata-prod" } } }] }] })),
    );
    expect(wrongWay.message).toContain("ingress from: hunan-bigdata-prod; egress to: none");
    await actAs("alice", "health-api-2", "Revoke");
    await waitForPhase("health-api-2", "Revoked");
    await eventually("the peer to be taken off the namespace", async () => {
      try {
        await as.alice!.create(NETWORK_POLICIES, peer("bigdata-after"), undefined, { dryRun: true });
        return false;
      } catch {
        return true;
      }
    });
  });

  it("keep a level-4 tenant's namespaces apart, and are not for other departments or anonymous clients", async () => {
    const own = await refusal(as.sam!.create(NETWORK_POLICIES, netpol("hunan-security-prod", "own", { podSelector: {}, policyTypes: ["Ingress"], ingress: fromNamespace({ "yunshu.io/tenant": "hunan-security" }) })));
    expect(own.message).toContain("at MLPS level 4 only this namespace itself");
    await as.sam!.create(NETWORK_POLICIES, netpol("hunan-security-prod", "within", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }] }] }));
    expect((await refusal(as.mallory!.create(NETWORK_POLICIES, netpol("hunan-health-prod", "intruder", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }] }] })))).status).toBe(403);
    expect(await policy("hunan-health-prod", "intruder")).toBeUndefined();
    expect((await refusal(as.mallory!.mergePatch(NETWORK_POLICIES, "from-own", { spec: { ingress: [] } }, "hunan-health-prod"))).status).toBe(403);
    expect(await anonymousStatus(plane, "POST", "/apis/networking.k8s.io/v1/namespaces/hunan-health-prod/networkpolicies", netpol("hunan-health-prod", "anon", { podSelector: {}, policyTypes: ["Ingress"] }))).toBe(403);
    expect(await policy("hunan-health-prod", "anon")).toBeUndefined();
  });
});
