// Container defaults: a pod that states no requests still gets some, which a
// quota on requests.* needs (it refuses pods without them otherwise).
import type { LimitRange, LimitRangeItem } from "../api/core-types.ts";
import type { Tenant } from "./types.ts";
import { tenantLabels } from "./labels.ts";

export const LIMIT_RANGE_NAME = "yunshu-container-defaults";

const asStrings = (list: Record<string, string | number> | undefined) =>
  list ? Object.fromEntries(Object.entries(list).map(([k, v]) => [k, String(v)])) : undefined;

/** Undefined when the tenant sets no limits: there is then nothing to render. */
export function renderLimitRange(tenant: Tenant, namespace: string): LimitRange | undefined {
  const limits = tenant.spec.limits;
  if (!limits || Object.values(limits).every((l) => !l || Object.keys(l).length === 0)) return undefined;
  const item: LimitRangeItem = { type: "Container" };
  for (const key of ["default", "defaultRequest", "max", "min"] as const) {
    const list = asStrings(limits[key]);
    if (list && Object.keys(list).length > 0) item[key] = list;
  }
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: LIMIT_RANGE_NAME, namespace, labels: tenantLabels(tenant.metadata.name) },
    spec: { limits: [item] },
  };
}
