// Generated Tenant, TenantRequest and Cluster specs, valid and invalid
// (spec-generator.ts), sent to a real API server with the operator running
// as its own process: tenants and clusters as the platform admin, requests
// as a department's clerk. Every refusal must say what is wrong; every
// admitted object must become Ready or say in its status why not; the
// operator must never crash; and nothing may be half-made: a tenant that is
// not Ready has no namespace without its quota and isolation, and a Ready
// one is exactly its spec.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CapacityPool } from "../../operator/api/generated.ts";
import { CAPACITY_POOLS, CLUSTERS, NAMESPACES, NETWORK_POLICIES, RESOURCE_QUOTAS, TENANT_REQUESTS, TENANTS } from "../../operator/api/resources.ts";
import { whoami } from "../../operator/plugin/session.ts";
import { inParallel } from "../../operator/runtime/in-parallel.ts";
import { ApiError, KubeClient, type KubeObject, type ResourceType } from "../../operator/runtime/kube-client.ts";
import { MANAGED_SELECTOR, TENANT_LABEL } from "../../operator/tenant/labels.ts";
import { DEFAULT_DENY_POLICY } from "../../operator/tenant/network-policies.ts";
import { PRIORITY_QUOTA_NAME } from "../../operator/tenant/priority-quota.ts";
import { RESOURCE_QUOTA_NAME } from "../../operator/tenant/resource-quota.ts";
import type { Tenant } from "../../operator/tenant/types.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { bindRequestGroups } from "../../tools/local/requests.ts";
import { installYunshu, tenant } from "../../tools/local/yunshu.ts";
import { untilAdmissionRefuses } from "../support/api-errors.ts";
import { differencesFromSpec } from "./invariants.ts";
import { OperatorProcess } from "../../tools/local/operator-process.ts";
import { faultRun, keepLogs, say } from "./seed.ts";
import { generateSpecs, type GeneratedSpec } from "./spec-generator.ts";

const run = faultRun("test/faults/generated-specs.int.test.ts");
const COUNT = run.size === "full" ? 10_000 : 1_000;
const IN_FLIGHT = 16;
const CLERK = "gen-clerk";

let plane: ControlPlane;
let admin: KubeClient;
let clerk: KubeClient;
let operator: OperatorProcess;

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "faults-specs", users: [{ name: CLERK, groups: ["departments"] }] });
  const kubeconfig = plane.kubeconfigPath(await installYunshu(plane));
  admin = new KubeClient(plane.credentials(), { qps: 0 });
  clerk = new KubeClient(plane.credentials(CLERK), { qps: 0 });
  await bindRequestGroups(plane);
  const pool = { apiVersion: "yunshu.io/v1alpha1", kind: "CapacityPool", metadata: { name: "default" }, spec: { allocatable: { "requests.cpu": "10000", "requests.memory": "20Ti", pods: "100000" } } };
  await admin.create(CAPACITY_POOLS, pool as CapacityPool & KubeObject);
  // The department's own tenant, which its change requests name.
  await admin.create(TENANTS, tenant("gen-existing", { owners: [{ kind: "Group", name: "departments" }], quota: { hard: { "requests.cpu": "4", pods: "20" } } }) as Tenant & KubeObject);
  // The admission policies read the SecurityProfiles the operator creates when it starts, through caches
  // that trail: specs are sent once a level-3 tenant with egress to everything is refused, as after an install.
  const wide = tenant("gen-probe", { securityLevel: 3, network: { egressCIDRs: ["0.0.0.0/0"] } }) as Tenant & KubeObject;
  // Large enough that the flood is judged on its merits, not cut off by the per-requester limit.
  operator = new OperatorProcess({ logDir: `${plane.dir}/logs`, name: "operator", kubeconfig, args: ["--workers", "8", "--qps", "0", "--max-pending-requests", String(COUNT)] });
  await untilAdmissionRefuses("the egress policy to be in force", () => admin.create(TENANTS, wide, undefined, { dryRun: true }), "0.0.0.0/0");
});

afterAll(async () => {
  await operator?.kill();
  await plane?.stop();
});

const TYPES: Record<GeneratedSpec["kind"], ResourceType> = { Tenant: TENANTS, TenantRequest: TENANT_REQUESTS, Cluster: CLUSTERS };

interface Outcome {
  spec: GeneratedSpec;
  admitted: boolean;
  message: string;
}

type Condition = { type: string; status: string; reason?: string; message?: string; observedGeneration?: number };
type Judged = KubeObject & { status?: { conditions?: Condition[]; observedGeneration?: number } };

/** Whether the object's status already says what became of it: Ready (or, for a request, the operator's verdicts), or why not. */
function verdict(kind: GeneratedSpec["kind"], obj: Judged): "ready" | "reported" | undefined {
  const conditions = obj.status?.conditions ?? [];
  if (kind === "TenantRequest") {
    const authorized = conditions.find((c) => c.type === "Authorized");
    if (!authorized?.message) return undefined;
    const fits = conditions.find((c) => c.type === "Fits");
    return authorized.status === "True" && fits?.status === "True" ? "ready" : "reported";
  }
  const ready = conditions.find((c) => c.type === "Ready");
  if (!ready) return undefined;
  if (kind === "Tenant" && obj.status?.observedGeneration !== obj.metadata.generation) return undefined;
  if (ready.status === "True") return "ready";
  return ready.reason && ready.message ? "reported" : undefined;
}

describe(`generated specs (seed ${run.seed}, size ${run.size}: ${COUNT})`, () => {
  it("refuses the invalid with a clear message, reports the rest in status, never crashes the operator, leaves nothing half-made", async () => {
    const started = performance.now();
    const me = await whoami(clerk);
    const specs = generateSpecs(run.random("specs"), COUNT, { username: me.username, groups: me.groups, existingTenant: "gen-existing" });

    const outcomes = await inParallel(specs, IN_FLIGHT, async (spec): Promise<Outcome> => {
      const client = spec.kind === "TenantRequest" ? clerk : admin;
      try {
        await client.create(TYPES[spec.kind], spec.body as unknown as KubeObject);
        return { spec, admitted: true, message: "" };
      } catch (err) {
        // Only the API server's answer counts as a refusal; a broken connection is a failure of the run.
        if (!(err instanceof ApiError) || err.status >= 500) throw err;
        return { spec, admitted: false, message: err.message };
      }
    });
    const sentSeconds = (performance.now() - started) / 1000;
    const admitted = outcomes.filter((o) => o.admitted);
    const refused = outcomes.filter((o) => !o.admitted);
    const unexpectedAdmissions = admitted.filter((o) => o.spec.expect === "invalid");
    const unexpectedRefusals = refused.filter((o) => o.spec.expect === "valid");
    const unclear = refused.filter((o) => {
      // The message after the call's own prefix ("POST /apis/...: 422 Invalid: ").
      const text = o.message.replace(/^[A-Z]+ \S+: \d+ \w+: /, "");
      return text.trim() === "" || (o.spec.mentions.length > 0 && !o.spec.mentions.some((m) => text.includes(m)));
    });

    // Every admitted object gets a verdict in its status.
    const verdicts = new Map<string, "ready" | "reported">();
    let pending: Outcome[] = admitted;
    await eventually(
      "every admitted object to be Ready or to say why not",
      async () => {
        const lists = await Promise.all(Object.values(TYPES).map((type) => admin.list<Judged>(type)));
        const live = new Map(lists.flatMap((l) => l.items).map((o) => [`${o.kind}/${o.metadata.name}`, o]));
        pending = pending.filter((o) => {
          const obj = live.get(`${o.spec.kind}/${o.spec.name}`);
          const v = obj && verdict(o.spec.kind, obj);
          if (v) verdicts.set(`${o.spec.kind}/${o.spec.name}`, v);
          return !v;
        });
        return pending.length === 0;
      },
      { timeoutMs: run.size === "full" ? 600_000 : 90_000, intervalMs: 2_000 },
    ).catch(() => undefined);
    const ready = [...verdicts.values()].filter((v) => v === "ready").length;
    const reported = [...verdicts.values()].filter((v) => v === "reported").length;

    // Nothing half-made: a tenant not Ready has no namespace without its quota and isolation.
    const readyTenants = new Set([...verdicts].filter(([k, v]) => k.startsWith("Tenant/") && v === "ready").map(([k]) => k.slice("Tenant/".length)));
    const [namespaces, quotas, policies] = await Promise.all([
      admin.list(NAMESPACES, { labelSelector: MANAGED_SELECTOR }),
      admin.list(RESOURCE_QUOTAS, { labelSelector: MANAGED_SELECTOR }),
      admin.list(NETWORK_POLICIES, { labelSelector: MANAGED_SELECTOR }),
    ]);
    const has = (list: { items: KubeObject[] }, namespace: string, name: string) => list.items.some((o) => o.metadata.namespace === namespace && o.metadata.name === name);
    const partial = namespaces.items
      .filter((ns) => ns.metadata.labels?.[TENANT_LABEL] && !readyTenants.has(ns.metadata.labels[TENANT_LABEL]))
      .filter((ns) => !has(quotas, ns.metadata.name, RESOURCE_QUOTA_NAME) || !has(quotas, ns.metadata.name, PRIORITY_QUOTA_NAME) || !has(policies, ns.metadata.name, DEFAULT_DENY_POLICY))
      .map((ns) => `namespace ${ns.metadata.name} of tenant ${ns.metadata.labels![TENANT_LABEL]}, not Ready, lacks its quota or isolation`);
    // The Ready ones are exactly their specs, and no namespace belongs to a tenant that was refused.
    const differences = await differencesFromSpec(admin, {}, { tenants: (t) => readyTenants.has(t.metadata.name) });
    const crashes = operator.crashes();

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const byKind = (kind: string) => outcomes.filter((o) => o.spec.kind === kind).length;
    say(
      `generated specs | sent=${outcomes.length} (Tenant ${byKind("Tenant")}, TenantRequest ${byKind("TenantRequest")}, Cluster ${byKind("Cluster")}) in ${sentSeconds.toFixed(1)}s ` +
        `admitted=${admitted.length} refused-at-admission=${refused.length} ready=${ready} reported-in-status=${reported} no-verdict=${pending.length} ` +
        `crashes=${crashes.length} partial-objects=${partial.length} differences=${differences.length} unexpected-admissions=${unexpectedAdmissions.length} ` +
        `unexpected-refusals=${unexpectedRefusals.length} unclear-messages=${unclear.length} seconds=${seconds}`,
    );
    const show = (label: string, items: string[]) => items.slice(0, 10).forEach((line) => say(`  ${label}: ${line}`));
    show("unexpected admission", unexpectedAdmissions.map((o) => `${o.spec.kind} ${o.spec.name} [${o.spec.mutations.join(", ")}]`));
    show("unexpected refusal", unexpectedRefusals.map((o) => `${o.spec.kind} ${o.spec.name} [${o.spec.mutations.join(", ")}]: ${o.message}`));
    show("unclear", unclear.map((o) => `${o.spec.kind} [${o.spec.mutations.join(", ")}] wants one of ${JSON.stringify(o.spec.mentions)}: ${o.message}`));
    show("no verdict", pending.map((o) => `${o.spec.kind} ${o.spec.name} [${o.spec.mutations.join(", ")}]`));
    show("partial", partial);
    show("difference", differences);
    show("crash", crashes);
    if (partial.length + differences.length + crashes.length + pending.length > 0) say(`  logs kept in ${keepLogs(plane, "specs")}`);

    expect(unexpectedAdmissions.map((o) => `${o.spec.kind} ${o.spec.name}: ${o.spec.mutations.join(", ")}`), "invalid specs admitted").toEqual([]);
    expect(unexpectedRefusals.map((o) => `${o.spec.kind}: ${o.spec.mutations.join(", ")}: ${o.message}`), "valid specs refused").toEqual([]);
    expect(unclear.map((o) => `${o.spec.mutations.join(", ")}: ${o.message}`), "refusals that do not say what is wrong").toEqual([]);
    expect(pending.map((o) => `${o.spec.kind} ${o.spec.name}`), "admitted objects with no verdict in their status").toEqual([]);
    expect(partial, "partial objects").toEqual([]);
    expect(differences, "Ready tenants that differ from their spec").toEqual([]);
    expect(crashes, operator.logTail()).toEqual([]);
    expect(operator.exit).toBeUndefined();
    // Both sides were exercised: a generator that only made valid (or only invalid) specs tests half.
    expect(refused.length).toBeGreaterThan(COUNT / 4);
    expect(ready).toBeGreaterThan(COUNT / 20);
  }, run.size === "full" ? 1_800_000 : 180_000);
});


