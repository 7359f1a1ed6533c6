// Tenants as the hierarchy their spec.parent draws: province → city →
// county, each with its quota, what its children hold and what it uses.
// Pure. Whatever the parents say (missing, or a loop that admission cannot
// see across objects), every tenant is shown exactly once.
import type { Tenant } from "../api/generated.ts";
import { compactResources } from "./format.ts";
import { renderTable } from "./table.ts";

export interface TreeRow {
  tenant: Tenant;
  /** The glyphs before the name: "├─ ", "│  └─ ", … */
  prefix: string;
  /** Why a tenant with a parent sits at the top: its parent is missing, or the parents loop. */
  note?: string;
}

const byName = (a: Tenant, b: Tenant) => a.metadata.name.localeCompare(b.metadata.name);

/** The tenants in display order: roots by name, each followed by its descendants, children by name. */
export function tenantTree(tenants: readonly Tenant[]): TreeRow[] {
  const byNameMap = new Map(tenants.map((t) => [t.metadata.name, t]));
  const children = new Map<string, Tenant[]>();
  for (const t of tenants) {
    const parent = t.spec.parent;
    if (parent && byNameMap.has(parent)) children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  for (const list of children.values()) list.sort(byName);

  const rows: TreeRow[] = [];
  const placed = new Set<string>();
  const walk = (t: Tenant, lead: string, glyph: string, note?: string) => {
    placed.add(t.metadata.name);
    rows.push({ tenant: t, prefix: lead + glyph, ...(note ? { note } : {}) });
    const kids = (children.get(t.metadata.name) ?? []).filter((k) => !placed.has(k.metadata.name));
    const below = lead + (glyph === "├─ " ? "│  " : glyph === "└─ " ? "   " : "");
    kids.forEach((k, i) => walk(k, below, i === kids.length - 1 ? "└─ " : "├─ "));
  };

  for (const t of [...tenants].sort(byName)) {
    const parent = t.spec.parent;
    if (!parent) walk(t, "", "");
    else if (!byNameMap.has(parent)) walk(t, "", "", `parent ${parent} missing`);
  }
  // What is left hangs off a loop of parents: start each loop at its first member by name.
  for (const t of [...tenants].sort(byName)) {
    if (placed.has(t.metadata.name)) continue;
    const loop = parentLoop(t, byNameMap);
    const start = [...loop].sort()[0]!;
    const from = loop.indexOf(start);
    const cycle = [...loop.slice(from), ...loop.slice(0, from), start];
    walk(byNameMap.get(start)!, "", "", `parents loop: ${cycle.join(" → ")}`);
  }
  return rows;
}

/** The loop that following parents from `t` ends in; only called for tenants no root reaches, which always end in one. */
function parentLoop(t: Tenant, tenants: Map<string, Tenant>): string[] {
  const path: string[] = [];
  let name: string | undefined = t.metadata.name;
  while (name !== undefined && !path.includes(name)) {
    path.push(name);
    name = tenants.get(name)?.spec.parent;
  }
  return name === undefined ? path : path.slice(path.indexOf(name));
}

const ready = (t: Tenant) => t.status?.conditions?.find((c) => c.type === "Ready")?.status ?? "-";

export function renderTree(tenants: readonly Tenant[]): string {
  const rows = tenantTree(tenants).map(({ tenant: t, prefix, note }) => {
    const quota = t.status?.quota;
    const name = `${prefix}${t.metadata.name}${t.spec.displayName ? ` (${t.spec.displayName})` : ""}${note ? ` (${note})` : ""}`;
    return [
      name,
      t.spec.level,
      compactResources(quota?.hard),
      compactResources(quota?.children),
      compactResources(quota?.used),
      ready(t),
    ];
  });
  return renderTable(["NAME", "LEVEL", "QUOTA", "CHILDREN", "USED", "READY"], rows);
}
