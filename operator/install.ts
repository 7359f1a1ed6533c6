// `yunshu install`: applies what yunshu ships in crds/ (CRDs, ClusterRoles,
// admission policies, the operator's identity) to a cluster with
// server-side apply, CRDs first and established before anything else. A
// restarting or overloaded API server is waited out (INSTALL_RETRY); a
// failure says which object, how far install got, and why.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import type { KubeClient, KubeObject, ResourceType } from "./runtime/kube-client.ts";
import { retrying, seconds, type OnRetry, type RetryPolicy } from "./runtime/retry.ts";
import { sleep } from "./runtime/sleep.ts";

export const CRDS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../crds");

/** The kinds crds/ holds; install refuses anything else rather than guess its endpoint. */
const KINDS: Record<string, ResourceType> = {
  CustomResourceDefinition: { group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false },
  ClusterRole: { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false },
  ClusterRoleBinding: { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false },
  ValidatingAdmissionPolicy: {
    group: "admissionregistration.k8s.io",
    version: "v1",
    kind: "ValidatingAdmissionPolicy",
    plural: "validatingadmissionpolicies",
    namespaced: false,
  },
  ValidatingAdmissionPolicyBinding: {
    group: "admissionregistration.k8s.io",
    version: "v1",
    kind: "ValidatingAdmissionPolicyBinding",
    plural: "validatingadmissionpolicybindings",
    namespaced: false,
  },
  Role: { group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true },
  RoleBinding: { group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true },
  Namespace: { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false },
  ServiceAccount: { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true },
};

/** Install order: types before their users, namespaces before what lives in them. */
const ORDER = [
  "CustomResourceDefinition",
  "Namespace",
  "ServiceAccount",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
];

/** Every manifest in crds/ (not its samples), in install order. */
export async function loadManifests(dir = CRDS_DIR): Promise<KubeObject[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  const docs: KubeObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(join(dir, file), "utf8"))) {
      const obj = doc.toJS() as KubeObject | null;
      if (!obj) continue;
      if (!obj.kind || !KINDS[obj.kind]) throw new Error(`${file}: yunshu install does not know kind ${obj.kind}`);
      docs.push(obj);
    }
  }
  return docs.sort((a, b) => ORDER.indexOf(a.kind!) - ORDER.indexOf(b.kind!));
}

interface Crd extends KubeObject {
  status?: { conditions?: { type: string; status: string }[] };
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
      await retrying(() => client.apply(KINDS[obj.kind!]!, obj, FIELD_MANAGER), INSTALL_RETRY, onRetry);
      log(`applied ${what}`);
      if (obj.kind === "CustomResourceDefinition") {
        step = `waiting for ${what} to be established`;
        applied++;
        await waitEstablished(client, obj.metadata.name, onRetry);
      }
    } catch (err) {
      throw new Error(installFailure(step, index, applied, manifests.length, err), { cause: err });
    }
  }
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

async function waitEstablished(client: KubeClient, name: string, onRetry: OnRetry): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const crd = await retrying(() => client.get<Crd>(KINDS.CustomResourceDefinition!, name), INSTALL_RETRY, onRetry);
    if (crd?.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) return;
    await sleep(200);
  }
  throw new Error(`CustomResourceDefinition ${name} was not established within 60s; check it with kubectl describe crd ${name}`);
}
