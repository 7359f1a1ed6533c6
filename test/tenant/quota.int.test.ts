// The tenant-wide quota holds across namespaces, even when pods are created
// at the same moment in several of them, and headroom moves to where it is
// needed and comes back when pods go.
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Operator } from "../../operator/operator.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, restrictedPod, startOperator, tenant, tenantsApi, waitForReady } from "../../tools/local/yunshu.ts";

let plane: ControlPlane;
let operator: Operator;
let core: CoreV1Api;
const namespaces = ["budget-east", "budget-west"];
const LIMIT = 6;

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "quota" });
  operator = await startOperator(plane, await installYunshu(plane));
  core = plane.kubeConfig().makeApiClient(CoreV1Api);
  await tenantsApi(plane).create(tenant("budget", { namespaces: [{ name: "east" }, { name: "west" }], quota: { hard: { pods: String(LIMIT), "requests.cpu": "2" } } }));
  await waitForReady(plane, "budget");
  for (const namespace of namespaces) {
    await eventually(`quota usage in ${namespace} to be known`, async () =>
      (await core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace })).status?.used?.pods === "0",
    );
  }
});

afterAll(async () => {
  await operator?.stop();
  await plane?.stop();
});

async function podCount(): Promise<number> {
  let n = 0;
  for (const namespace of namespaces) n += (await core.listNamespacedPod({ namespace })).items.length;
  return n;
}

async function hardSum(): Promise<number> {
  let sum = 0;
  for (const namespace of namespaces) {
    sum += Number((await core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace })).spec?.hard?.pods);
  }
  return sum;
}

/** Tries to create a pod; true when the API server admitted it. */
const tryPod = (namespace: string, name: string) =>
  core.createNamespacedPod({ namespace, body: restrictedPod(name, "100m") }).then(
    () => true,
    () => false,
  );

describe("the tenant-wide quota", () => {
  it("is never exceeded by pods created concurrently in two namespaces, while headroom moves to where it is asked for", async () => {
    // Waves of concurrent creates in both namespaces, far more than the
    // limit, with time between waves for yunshu to move headroom.
    let attempts = 0;
    for (let wave = 0; wave < 6; wave++) {
      const creates = namespaces.flatMap((namespace) => [0, 1, 2].map((i) => tryPod(namespace, `w${wave}-${i}`)));
      attempts += creates.length;
      await Promise.all(creates);
      expect(await podCount()).toBeLessThanOrEqual(LIMIT);
      expect(await hardSum()).toBeLessThanOrEqual(LIMIT);
      await new Promise((r) => setTimeout(r, 1_500));
    }
    expect(attempts).toBeGreaterThan(LIMIT * 3);
    // With retries, the tenant gets all of its budget, and not one pod more.
    expect(await eventually("the whole budget to be usable", async () => ((await podCount()) === LIMIT ? true : undefined), { timeoutMs: 20_000 })).toBe(true);
    expect(await podCount()).toBe(LIMIT);
    const t = await eventually("status to sum the usage", async () => {
      const x = await tenantsApi(plane).get("budget");
      return x.status?.quota?.used?.pods === String(LIMIT) ? x : undefined;
    });
    expect(t.status?.quota?.hard?.pods).toBe(String(LIMIT));
  });

  it("moves headroom back when pods go: one namespace can then use what the other freed", async () => {
    const east = (await core.listNamespacedPod({ namespace: "budget-east" })).items;
    const west = (await core.listNamespacedPod({ namespace: "budget-west" })).items;
    // Free everything in east, then fill up west with what east gave back.
    for (const pod of east) await core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: "budget-east", gracePeriodSeconds: 0 });
    const want = LIMIT - west.length;
    let created = 0;
    await eventually(
      "west to get the headroom east freed",
      async () => {
        if (await tryPod("budget-west", `refill-${created}`)) created++;
        return created >= want ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300 },
    );
    expect((await core.listNamespacedPod({ namespace: "budget-west" })).items).toHaveLength(LIMIT);
    expect(await tryPod("budget-west", "one-too-many")).toBe(false);
    expect(await tryPod("budget-east", "one-too-many")).toBe(false);
    expect(await hardSum()).toBeLessThanOrEqual(LIMIT);
  });

  it("moves no headroom while the limit it comes from is still enforced: the quota controller copies a lowered limit late", async () => {
    // Admission enforces status.hard, which kube-controller-manager copies
    // from spec.hard. With it stopped, a lowered limit stays enforced at its
    // old value, and granting that headroom elsewhere would let the sum of
    // enforced limits pass the tenant's.
    await tenantsApi(plane).create(tenant("ledger", { namespaces: [{ name: "a" }, { name: "b" }], quota: { hard: { pods: String(LIMIT) } } }));
    await waitForReady(plane, "ledger");
    const quotaOf = (namespace: string) => core.readNamespacedResourceQuota({ name: "yunshu-tenant-quota", namespace });
    for (const namespace of ["ledger-a", "ledger-b"]) {
      await eventually(`${namespace}'s limit enforced`, async () => (await quotaOf(namespace)).status?.hard?.pods === String(LIMIT / 2));
    }
    const claims = async () => {
      let sum = 0;
      for (const namespace of ["ledger-a", "ledger-b"]) {
        const q = await quotaOf(namespace);
        sum += Math.max(Number(q.spec?.hard?.pods ?? 0), Number(q.status?.hard?.pods ?? 0));
      }
      return sum;
    };

    await plane.stopControllerManager();
    try {
      // Fill b: yunshu plans a's headroom for b and lowers a's limit.
      for (let i = 0; i < LIMIT / 2; i++) expect(await tryPod("ledger-b", `fill-${i}`)).toBe(true);
      await eventually("a's limit lowered", async () => Number((await quotaOf("ledger-a")).spec?.hard?.pods) < LIMIT / 2);
      // Several reconciles later, b has been given nothing a still enforces.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(Number((await quotaOf("ledger-a")).status?.hard?.pods)).toBe(LIMIT / 2);
      expect(await claims()).toBeLessThanOrEqual(LIMIT);
      expect(Number((await quotaOf("ledger-b")).spec?.hard?.pods)).toBe(LIMIT / 2);
    } finally {
      await plane.startControllerManager();
    }
    // Once a's lower limit is enforced, b gets the headroom, and never more.
    await eventually("b's limit raised", async () => Number((await quotaOf("ledger-b")).status?.hard?.pods) > LIMIT / 2, { timeoutMs: 30_000 });
    expect(await claims()).toBeLessThanOrEqual(LIMIT);
    expect(await tryPod("ledger-b", "more")).toBe(true);
  });
});
