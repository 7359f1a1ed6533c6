// TenantRequests for people: the queue (`requests`) and one request in full
// (`show`). Pure: objects in, text out.
import type { TenantRequest, TenantRequestSpec, TenantRequestStatusCondition } from "../api/generated.ts";
import { condition as findCondition, isPending } from "../request/conditions.ts";
import { decisionOf } from "./decision.ts";
import { formatAge, truncate } from "./format.ts";
import { fieldsWidth, indent, renderFields, renderTable, type Field } from "./table.ts";

const DETAIL_WIDTH = 60;


function byAge(a: TenantRequest, b: TenantRequest): number {
  return (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || a.metadata.name.localeCompare(b.metadata.name);
}

/** The action as the queue shows it: a level change with the level asked for, the one thing that tells two apart. */
const actionCell = (spec: TenantRequestSpec) => (spec.action === "ChangeSecurityLevel" ? `${spec.action}(${spec.securityLevel!})` : spec.action);

/** The queue, oldest first: what was asked, whether its requester may ask it and it fits, and, with `all`, what became of it. */
export function requestsTable(requests: readonly TenantRequest[], now: Date, opts: { all: boolean }): string {
  const shown = requests.filter((r) => opts.all || isPending(r)).sort(byAge);
  const headers = ["NAME", "TENANT", "ACTION", "REQUESTER", "AGE", "AUTHORIZED", "FITS", ...(opts.all ? ["DECISION", "APPLIED"] : []), "DETAIL"];
  const rows = shown.map((r) => {
    const authorized = findCondition(r, "Authorized");
    const fits = findCondition(r, "Fits");
    // Why a request cannot be approved comes first: who asked outranks what it costs.
    const detail = authorized?.status === "False" ? authorized : fits;
    return [
      r.metadata.name,
      r.spec.tenant,
      actionCell(r.spec),
      r.spec.requester.username,
      formatAge(r.metadata.creationTimestamp, now),
      authorized?.status ?? "-",
      fits?.status ?? "-",
      ...(opts.all ? [findCondition(r, "Approved")?.reason ?? "Pending", findCondition(r, "Applied")?.reason ?? "-"] : []),
      detail ? truncate(detail.message, DETAIL_WIDTH) : "not assessed yet",
    ];
  });
  return renderTable(headers, rows);
}

function whatIsAsked(spec: TenantRequestSpec): string {
  switch (spec.action) {
    case "Create":
      return `create tenant ${spec.tenant}`;
    case "ChangeQuota":
      return `change the quota of tenant ${spec.tenant}`;
    case "AddNamespaces":
      return `add namespaces to tenant ${spec.tenant}`;
    case "RemoveNamespaces":
      return `remove namespaces from tenant ${spec.tenant}`;
    case "ChangeSecurityLevel":
      return `change the MLPS level of tenant ${spec.tenant}`;
    case "Offboard":
      return `offboard tenant ${spec.tenant}: suspend it, then delete all of it on every cluster after the grace period`;
  }
}

function hardList(hard: Record<string, string | number> | undefined): string {
  return Object.entries(hard ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ");
}

function condition(c: TenantRequestStatusCondition | undefined, missing: string): string {
  return c ? `${c.status} (${c.reason})${c.message ? ` — ${c.message}` : ""}` : missing;
}

/** A level with the profile it selects; a new tenant without one gets the Tenant's default. */
const mlpsLevel = (level: number | undefined) => (level === undefined ? "3, the default (SecurityProfile mlps-3)" : `${level} (SecurityProfile mlps-${level})`);

const when = (time: string | undefined, now: Date) => (time ? `${time} (${formatAge(time, now)} ago)` : "-");

/** One request in full, like kubectl describe: what, who, why, the verdict with its numbers, the decision and the outcome. */
export function describeRequest(request: TenantRequest, now: Date, prog: string): string {
  const { spec, metadata } = request;
  const name = metadata.name;
  const fields: Field[] = [
    ["Name", name],
    ["Asks to", whatIsAsked(spec)],
  ];
  if (spec.action === "Create") {
    fields.push(["Display name", spec.displayName ?? "-"], ["Level", spec.level ?? "-"], ["MLPS level", mlpsLevel(spec.securityLevel)]);
    fields.push(["Parent", spec.parent ?? "none (a top-level tenant, drawing on the capacity pool)"]);
    if (spec.code) fields.push(["Code", spec.code]);
    fields.push(["Owners", spec.owners?.length ? spec.owners.map((o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`).join(", ") : "the requester"]);
  }
  if (spec.namespaces?.length) fields.push(["Namespaces", spec.namespaces.map((n) => `${n} (${spec.tenant}-${n})`).join(", ")]);
  if (spec.quota?.hard) fields.push(["Quota", hardList(spec.quota.hard)]);
  if (spec.action === "ChangeSecurityLevel") fields.push(["MLPS level", mlpsLevel(spec.securityLevel)]);
  const groups = spec.requester.groups?.length ? ` (groups: ${spec.requester.groups.join(", ")})` : "";
  fields.push(["Requester", spec.requester.username + groups], ["Filed", when(metadata.creationTimestamp, now)], ["Reason", spec.reason]);

  const authorized = findCondition(request, "Authorized");
  fields.push(["Authorized", condition(authorized, "not assessed yet (yunshu writes the verdict shortly after a request is filed)")]);
  const unjudged = authorized?.reason === "TooManyPending" ? "not assessed: the requester has too many requests pending" : "not assessed yet";
  fields.push(["Fits", condition(findCondition(request, "Fits"), unjudged)]);

  const decision = decisionOf(request);
  const after: Field[] = decision
    ? [
        ["Decision", `${decision.approved ? "Approved" : "Denied"} by ${decision.decidedBy ?? "(unknown)"}, ${when(decision.at, now)}`],
        ["Decision reason", decision.reason],
      ]
    : [["Decision", `pending: \`${prog} approve ${name} --reason TEXT\` or \`${prog} deny ${name} --reason TEXT\``]];
  after.push(["Applied", condition(findCondition(request, "Applied"), decision?.approved ? "not yet" : "-")]);

  const width = fieldsWidth([...fields, ...after]);
  const capacity = request.status?.capacity ?? [];
  const numbers = capacity.map((c) => [c.budget, c.resource, c.requested, c.allocated, c.limit, c.fits === undefined ? "-" : c.fits ? "yes" : "no"]);
  return (
    renderFields(fields, width) +
    (numbers.length > 0 ? indent(renderTable(["BUDGET", "RESOURCE", "REQUESTED", "ALLOCATED", "LIMIT", "FITS"], numbers)) : "") +
    renderFields(after, width)
  );
}
