// `yunshu audit` as people read it: per cluster, a row per tenant namespace
// (default deny, who reaches in and out, who holds access), then every
// violation with what to look at. The JSON output is the ClusterAudit list
// itself.
import type { ClusterAudit } from "../audit/judge.ts";
import { renderTable } from "./table.ts";

const summarise = (paths: readonly { peer: string; ports: string }[]) =>
  paths.length === 0 ? "-" : paths.length === 1 ? `${paths[0]!.peer} (${paths[0]!.ports})` : `${paths.length} paths (-o json lists them)`;

export function auditTable(audits: readonly ClusterAudit[]): string {
  const out: string[] = [];
  for (const audit of audits) {
    out.push(`Cluster ${audit.cluster}: ${audit.namespaces.length} tenant namespace(s), ${audit.violations.length} violation(s)\n`);
    if (audit.namespaces.length > 0) {
      const rows = audit.namespaces.map((n) => [
        n.tenant,
        n.namespace + (n.released ? " (released)" : ""),
        n.defaultDeny ? "yes" : "NO",
        summarise(n.ingress),
        summarise(n.egress),
        [...new Set(n.access.filter((a) => a.access === "write" && !a.platform).map((a) => a.subject))].join(", ") || "-",
      ]);
      out.push(renderTable(["TENANT", "NAMESPACE", "DEFAULT DENY", "REACHED FROM OTHER NAMESPACES", "REACHES OTHER NAMESPACES", "CAN WRITE (BESIDES THE PLATFORM)"], rows));
    }
    if (audit.violations.length > 0) {
      out.push("\nViolations:\n");
      out.push(renderTable(["KIND", "TENANT", "NAMESPACE", "DETAIL"], audit.violations.map((v) => [v.kind, v.tenant || "-", v.namespace, v.message])));
    }
    out.push("\n");
  }
  const total = audits.reduce((n, a) => n + a.violations.length, 0);
  out.push(total === 0 ? "No violations: every tenant namespace is fenced in, and only Shares open it to other tenants.\n" : `${total} violation(s) in all.\n`);
  return out.join("");
}
