// Phase: the tenant's namespaces in this cluster. Each is created, or the
// existing one checked to be this tenant's. A namespace someone else owns is
// never taken over: that is reported, and the tenant's other namespaces go
// ahead.
import type { KubeObject } from "../../api/meta.ts";
import { FIELD_MANAGER } from "../../api/names.ts";
import { NAMESPACES, TENANTS } from "../../api/resources.ts";
import { isConflict } from "../../runtime/kube-client.ts";
import { needsApply } from "../../runtime/needs-apply.ts";
import { isReleased, MANAGED_BY, RETAINED_FOR_ANNOTATION, MANAGED_BY_LABEL, RELEASED_AT_ANNOTATION, RELEASED_LABEL, REVOKED_ACCESS_ANNOTATION, TENANT_LABEL } from "../labels.ts";
import type { DesiredNamespace } from "../render.ts";
import { describeFailure, write, type TenantRun } from "../run.ts";
import type { NamespaceObservation } from "../status.ts";

export interface NamespacesOutcome {
  /** One per desired namespace, in the same order. */
  observed: NamespaceObservation[];
  /** The desired namespaces that are the tenant's and usable: the later phases fill these. */
  active: DesiredNamespace[];
}

export async function ensureNamespaces(run: TenantRun, desired: DesiredNamespace[]): Promise<NamespacesOutcome> {
  const created: string[] = [];
  // Namespaces are independent of one another: create or check them all at once.
  const observed = await Promise.all(desired.map((ns) => ensureNamespace(run, ns, created)));
  if (created.length > 0) run.events.record(TENANTS, run.tenant, "Normal", "NamespacesCreated", `created namespace(s) ${created.join(", ")}`);
  return { observed, active: desired.filter((_, i) => observed[i]!.state === "Active") };
}

async function ensureNamespace(run: TenantRun, ns: DesiredNamespace, created: string[]): Promise<NamespaceObservation> {
  const cached = run.caches.namespaces.get(ns.name);
  // The cache holds yunshu's namespaces only; one missing from it is
  // created, and looked at only if that conflicts. This saves a read per
  // namespace on the common path, a new tenant.
  if (!cached) return createNamespace(run, ns, created);
  const problem = ownershipProblem(cached, run.tenant.metadata.name);
  if (problem) return problem;
  if (isReleased(cached)) {
    // Declared again after a release: the label and record yunshu set by
    // patch go by patch, then apply brings the namespace back to its
    // rendering (the grant annotations and the owners' bindings with it).
    await write(run, ns.namespace, () => run.client.mergePatch(NAMESPACES, ns.name, { metadata: { labels: { [RELEASED_LABEL]: null }, annotations: { [RELEASED_AT_ANNOTATION]: null, [REVOKED_ACCESS_ANNOTATION]: null, [RETAINED_FOR_ANNOTATION]: null } } }));
    run.events.record(TENANTS, run.tenant, "Normal", "NamespaceAdopted", `namespace ${ns.name} was released and is the tenant's again`);
  }
  if (needsApply(ns.namespace, cached)) await write(run, ns.namespace, () => run.client.apply(NAMESPACES, ns.namespace, FIELD_MANAGER));
  return { name: ns.name, state: "Active" };
}

/**
 * Creates, not applies: when the namespace exists already, create fails
 * with a conflict instead of silently taking someone else's namespace
 * over, and the namespace as it is decides what to report.
 */
async function createNamespace(run: TenantRun, ns: DesiredNamespace, created: string[]): Promise<NamespaceObservation> {
  try {
    await run.client.create(NAMESPACES, ns.namespace);
    created.push(ns.name);
    return { name: ns.name, state: "Active" };
  } catch (err) {
    if (!isConflict(err)) {
      run.errors.push(describeFailure(ns.namespace, err));
      return { name: ns.name, state: "Active" };
    }
  }
  const existing = await run.client.get(NAMESPACES, ns.name);
  if (!existing) return { name: ns.name, state: "Conflict", message: `namespace ${ns.name} was created and deleted by someone else meanwhile; retrying` };
  // Ours, and the cache has not caught up yet: the next event brings it.
  return ownershipProblem(existing, run.tenant.metadata.name) ?? { name: ns.name, state: "Active" };
}

/** Why an existing namespace cannot serve as this tenant's: someone else's, or being deleted. */
export function ownershipProblem(ns: KubeObject, tenant: string): NamespaceObservation | undefined {
  const name = ns.metadata.name;
  const owner = ns.metadata.labels?.[TENANT_LABEL];
  if (ns.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) {
    return {
      name,
      state: "Conflict",
      message: `namespace ${name} already exists and is not managed by yunshu; rename the namespace in the Tenant, or have the platform team move or remove the existing one`,
    };
  }
  if (owner !== tenant) return { name, state: "Conflict", message: `namespace ${name} belongs to tenant ${owner}; choose another namespace name` };
  if (ns.metadata.deletionTimestamp) return { name, state: "Terminating" };
  return undefined;
}
