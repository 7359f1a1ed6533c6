// `yunshu install`: applies what yunshu ships in crds/ (CRDs, ClusterRoles,
// admission policies, the operator's identity) to a cluster with
// server-side apply, CRDs first and established before anything else, and
// returns once the API server enforces the admission policies (and knows
// the SecurityProfile kind the profile policies take as their parameter). A
// restarting or overloaded API server is waited out (INSTALL_RETRY); a
// failure says which object, how far install got, and why.
import { loadManifests, MANIFEST_KINDS } from "./api/manifests.ts";
import { TENANT_REQUESTS, TENANTS } from "./api/resources.ts";
import { TENANT_FINALIZER } from "./api/names.ts";
import { ApiError, type KubeClient, type KubeObject } from "./runtime/kube-client.ts";
import { retrying, seconds, type OnRetry, type RetryPolicy } from "./runtime/retry.ts";
import { sleep } from "./runtime/sleep.ts";

interface Crd extends KubeObject {
  status?: { conditions?: { type: string; status: string }[] };
}

interface ClusterRole extends KubeObject {
  aggregationRule?: unknown;
  rules?: unknown[];
}

/**
 * How long install keeps trying one call through a restarting or overloaded
 * API server: 0.2s doubling to 5s, about ten attempts within 30s.
 */
export const INSTALL_RETRY: RetryPolicy = { initialDelayMs: 200, maxDelayMs: 5_000, maxAttempts: 12, maxElapsedMs: 30_000 };

const FIELD_MANAGER = "yunshu-install";

export async function install(client: KubeClient, log: (message: string) => void = () => {}): Promise<void> {
  const manifests = await loadManifests();
  for (const [index, obj] of manifests.entries()) {
    const what = describe(obj);
    const onRetry: OnRetry = (err, attempt, delayMs) => log(`${what}: attempt ${attempt} failed, retrying in ${seconds(delayMs)}: ${err.message}`);
    // Server-side apply and reads are idempotent, so a call whose connection
    // broke may be sent again even if the server had carried it out.
    let step = `applying ${what}`;
    let applied = index;
    try {
      await retrying(() => client.apply(MANIFEST_KINDS[obj.kind!]!, obj, FIELD_MANAGER), INSTALL_RETRY, onRetry);
      log(`applied ${what}`);
      if (obj.kind === "CustomResourceDefinition") {
        step = `waiting for ${what} to be established`;
        applied++;
        await waitEstablished(client, obj.metadata.name, onRetry);
      }
      // A binding to an aggregated role grants nothing until the
      // controller-manager has filled its rules in: tenants created right
      // after install would find their owners locked out.
      if (obj.kind === "ClusterRole" && (obj as ClusterRole).aggregationRule) {
        step = `waiting for the controller-manager to aggregate ${what}`;
        applied++;
        await waitAggregated(client, obj.metadata.name, onRetry);
      }
    } catch (err) {
      throw new Error(installFailure(step, index, applied, manifests.length, err), { cause: err });
    }
  }
  const onRetry: OnRetry = (err, attempt, delayMs) => log(`checking the admission policies: attempt ${attempt} failed, retrying in ${seconds(delayMs)}: ${err.message}`);
  try {
    await waitEnforced(client, onRetry);
  } catch (err) {
    throw new Error(installFailure("waiting for the API server to enforce the admission policies", manifests.length - 1, manifests.length, manifests.length, err), { cause: err });
  }
  log("the API server enforces yunshu's admission policies");
}

/** What no admission policy of yunshu's lets through: a request in someone else's name (dry run, never stored). */
const PROBE_REQUESTER = "yunshu-install-probe";

/**
 * The API server enforces a new admission policy a moment after it is
 * created (its policy cache catches up, slower on a busy server); until
 * then what the policy forbids is admitted. install returns only once
 * yunshu's policies are in force, so nothing made right after it, such as
 * the first tenants, slips through. The probe meets the policies applied
 * last (the request policies, after the others in install order).
 */
async function waitEnforced(client: KubeClient, onRetry: OnRetry): Promise<void> {
  const probe = {
    apiVersion: `${TENANT_REQUESTS.group}/${TENANT_REQUESTS.version}`,
    kind: TENANT_REQUESTS.kind,
    metadata: { name: PROBE_REQUESTER },
    spec: { tenant: "installprobe", action: "Create", displayName: "probe", level: "province", reason: "yunshu install checks its policies", requester: { username: PROBE_REQUESTER } },
  } as KubeObject;
  const refused = async () => {
    try {
      await retrying(() => client.create(TENANT_REQUESTS, probe, FIELD_MANAGER, { dryRun: true }), INSTALL_RETRY, onRetry);
      return false;
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) return true;
      throw err;
    }
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await refused()) return waitParamKindResolved(client, onRetry, deadline);
    await sleep(200);
  }
  throw new Error("the API server still admits what yunshu's admission policies forbid after 60s; check kubectl get validatingadmissionpolicybindings");
}

/**
 * The profile policies take a SecurityProfile, a kind the API server's
 * admission learns of some time after its CRD is established; until then
 * each of them refuses everything it matches ("failed to find resource
 * referenced by paramKind"). A dry-run Tenant meets yunshu-profile-egress:
 * once it is admitted, the kind is known. It also comes back holding
 * yunshu's finalizer once the mutating policy that adds it is in force.
 */
async function waitParamKindResolved(client: KubeClient, onRetry: OnRetry, deadline: number): Promise<void> {
  const probe = {
    apiVersion: `${TENANTS.group}/${TENANTS.version}`,
    kind: TENANTS.kind,
    metadata: { name: "installprobe" },
    spec: { displayName: "install probe", level: "province", owners: [{ kind: "User", name: PROBE_REQUESTER }] },
  } as KubeObject;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const admitted = await retrying(() => client.create(TENANTS, probe, FIELD_MANAGER, { dryRun: true }), INSTALL_RETRY, onRetry);
      if (admitted.metadata.finalizers?.includes(TENANT_FINALIZER)) return;
      last = "a new Tenant does not get yunshu's finalizer yet (mutatingadmissionpolicy yunshu-tenant-finalizer)";
    } catch (err) {
      if (!(err instanceof ApiError && /paramKind/.test(err.message))) throw err;
      last = err.message;
    }
    await sleep(500);
  }
  throw new Error(`the API server's admission is not ready for Tenants after 60s (${last}); check kubectl get crd securityprofiles.yunshu.io and kubectl get mutatingadmissionpolicybindings`);
}

function describe(obj: KubeObject): string {
  return `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata.name}`;
}

/** One line: where install stopped, how far it got, why, and that running it again is safe. */
export function installFailure(step: string, index: number, applied: number, total: number, err: unknown): string {
  const cause = err instanceof Error ? err.message : String(err);
  return (
    `install failed while ${step} (object ${index + 1} of ${total}; ${applied} applied): ${cause}. ` +
    "Re-running yunshu install is safe: it applies the same objects again and changes only what differs"
  );
}

/** Polls `kind`/`name` until `done` holds, for at most a minute; `hint` says what to check when it never does. */
async function waitFor<T extends KubeObject>(client: KubeClient, kind: string, name: string, done: (obj: T | undefined) => boolean, hint: string, onRetry: OnRetry): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const obj = await retrying(() => client.get<T>(MANIFEST_KINDS[kind]!, name), INSTALL_RETRY, onRetry);
    if (done(obj)) return;
    await sleep(200);
  }
  throw new Error(`${kind} ${name} ${hint}`);
}

function waitEstablished(client: KubeClient, name: string, onRetry: OnRetry): Promise<void> {
  const established = (crd: Crd | undefined) => crd?.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
  return waitFor(client, "CustomResourceDefinition", name, established, `was not established within 60s; check it with kubectl describe crd ${name}`, onRetry);
}

function waitAggregated(client: KubeClient, name: string, onRetry: OnRetry): Promise<void> {
  const aggregated = (role: ClusterRole | undefined) => (role?.rules?.length ?? 0) > 0;
  const hint = `got no rules within 60s: the kube-controller-manager's clusterrole-aggregation controller fills them in; check that it runs`;
  return waitFor(client, "ClusterRole", name, aggregated, hint, onRetry);
}
