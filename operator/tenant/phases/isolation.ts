// Phase: the objects that fence a tenant's namespaces in (limit range,
// network policies), applied where the cache differs. They go on beside the
// quota split and before owner access (owner-access.ts), so that nobody can
// act in a namespace before it is fenced.
import { ROLE_BINDINGS } from "../../api/resources.ts";
import type { DesiredNamespace } from "../render.ts";
import { applyChildren, type TenantRun } from "../run.ts";

export function applyIsolation(run: TenantRun, active: DesiredNamespace[]): Promise<void> {
  return applyChildren(
    run,
    active.flatMap((ns) => ns.children.filter((c) => c.kind !== ROLE_BINDINGS.kind)),
  );
}
