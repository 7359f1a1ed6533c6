// OffboardingRecords as the plugin prints them: one line each, or one in
// full, as an evaluator reads it. Pure.
import type { OffboardingRecord } from "../api/generated.ts";
import { compactResources, formatAge } from "./format.ts";
import { renderTable } from "./table.ts";

export function offboardingsTable(records: readonly OffboardingRecord[], now: Date): string {
  const rows = [...records]
    .sort((a, b) => (a.spec.completedAt < b.spec.completedAt ? 1 : -1))
    .map((r) => [
      r.metadata.name!,
      r.spec.tenant,
      r.spec.requestedBy,
      r.spec.approvedBy,
      r.spec.completedAt,
      String(r.spec.clusters.reduce((n, c) => n + (c.namespaces?.length ?? 0), 0)),
      r.spec.finalCheck.passed ? "yes" : "NO",
      formatAge(r.metadata.creationTimestamp, now),
    ]);
  return renderTable(["RECORD", "TENANT", "REQUESTED BY", "APPROVED BY", "DELETED", "NAMESPACES", "NOTHING LEFT", "AGE"], rows);
}

export function offboardingDetail(r: OffboardingRecord): string {
  const { spec } = r;
  const lines = [
    `Record:          ${r.metadata.name!} (OffboardingRecord, never changed)`,
    `Tenant:          ${spec.tenant}${spec.displayName ? ` (${spec.displayName})` : ""}, MLPS level ${spec.securityLevel ?? "-"}`,
    `Request:         ${spec.request}, filed by ${spec.requestedBy}, approved by ${spec.approvedBy}`,
    ...(spec.reason ? [`Reason:          ${spec.reason}`] : []),
    `Suspended:       ${spec.startedAt} (grace period began)`,
    `Deletion began:  ${spec.deletionStartedAt}`,
    `Completed:       ${spec.completedAt}`,
    `Quota returned:  ${compactResources(spec.quota) || "-"} to ${spec.parent ? `tenant ${spec.parent}` : "the capacity pool"}`,
    "Deleted:",
    ...spec.clusters.map(
      (c) => `  ${c.name}: namespaces ${(c.namespaces ?? []).join(", ") || "-"}; persistent volumes ${(c.persistentVolumes ?? []).join(", ") || "-"}`,
    ),
    `Final check:     ${spec.finalCheck.passed ? "nothing of the tenant left" : "FAILED"} on ${(spec.finalCheck.clusters ?? []).join(", ")} at ${spec.finalCheck.checkedAt}`,
    "                 (namespaces labelled with the tenant, volumes bound to its claims, bindings naming its ServiceAccounts)",
  ];
  return lines.join("\n") + "\n";
}
