// One tenant's quota, resource by resource: what it may hold, what its
// children hold of it, what is left for its own namespaces and how much of
// that they use; then each namespace's share. Pure.
import type { ResourceQuota } from "../api/core-types.ts";
import type { Tenant } from "../api/generated.ts";
import { formatQuantity, parseQuantity } from "../api/quantity.ts";
import { renderFields, renderTable } from "./table.ts";

export interface NamespaceQuota {
  name: string;
  state: string;
  /** The namespace's yunshu ResourceQuota; undefined when it could not be read, `problem` says why. */
  quota?: ResourceQuota;
  problem?: string;
}

function amount(list: Record<string, string> | undefined, resource: string): bigint | undefined {
  const value = list?.[resource];
  if (value === undefined) return undefined;
  try {
    return parseQuantity(value);
  } catch {
    return undefined;
  }
}

const show = (milli: bigint | undefined, resource: string) => (milli === undefined ? "-" : formatQuantity(milli, resource));

/** used as a whole percentage of own, rounded down so that 100% means full. */
function percent(used: bigint | undefined, own: bigint | undefined): string {
  if (used === undefined || own === undefined || own <= 0n) return "-";
  return `${(used * 100n) / own}%`;
}

export function tenantQuotaTable(tenant: Tenant): string | undefined {
  const quota = tenant.status?.quota;
  const resources = [...new Set([...Object.keys(quota?.hard ?? {}), ...Object.keys(quota?.used ?? {})])].sort();
  if (resources.length === 0) return undefined;
  const rows = resources.map((r) => {
    const hard = amount(quota?.hard, r);
    const children = amount(quota?.children, r) ?? (hard === undefined ? undefined : 0n);
    const own = hard === undefined ? undefined : hard - (children ?? 0n);
    const used = amount(quota?.used, r);
    return [r, show(hard, r), show(children, r), show(own, r), show(used, r), percent(used, own)];
  });
  return renderTable(["RESOURCE", "HARD", "CHILDREN", "OWN", "USED", "USED%"], rows);
}

export function namespaceQuotaTable(namespaces: readonly NamespaceQuota[]): string | undefined {
  if (namespaces.length === 0) return undefined;
  const rows = namespaces.flatMap((ns) => {
    const hard = ns.quota?.status?.hard ?? ns.quota?.spec.hard;
    const resources = Object.keys(hard ?? {}).sort();
    if (!ns.quota || resources.length === 0) return [[ns.name, ns.state, `(${ns.problem ?? "no quota"})`, "-", "-"]];
    return resources.map((r, i) => [
      i === 0 ? ns.name : "",
      i === 0 ? ns.state : "",
      r,
      show(amount(hard, r), r),
      show(amount(ns.quota?.status?.used, r), r),
    ]);
  });
  return renderTable(["NAMESPACE", "STATE", "RESOURCE", "HARD", "USED"], rows);
}

export function renderUsage(tenant: Tenant, namespaces: readonly NamespaceQuota[]): string {
  const { spec, metadata } = tenant;
  const header = renderFields([
    ["Tenant", `${metadata.name}${spec.displayName ? ` (${spec.displayName})` : ""}`],
    ["Level", spec.level],
    ["Parent", spec.parent ?? "none (top level)"],
    ["Ready", tenant.status?.conditions?.find((c) => c.type === "Ready")?.status ?? "-"],
  ]);
  const quota =
    tenantQuotaTable(tenant) ??
    (spec.quota?.hard && Object.keys(spec.quota.hard).length > 0 ? "yunshu has not reported this tenant's quota yet.\n" : "This tenant has no quota (spec.quota is empty).\n");
  const own = namespaceQuotaTable(namespaces) ?? "No namespaces yet.\n";
  return [header, quota, own].join("\n");
}
