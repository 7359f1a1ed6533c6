// Shares as people read them: a row each (who offers what to whom, the
// phase, where it is open), and one in full with every act on it.
import type { Share } from "../api/generated.ts";
import { formatAge } from "./format.ts";
import { renderFields, renderTable } from "./table.ts";

const ports = (s: Share) =>
  s.spec.provider.ports.map((p) => `${p.protocol ?? "TCP"}/${p.port}${p.endPort && p.endPort !== p.port ? `-${p.endPort}` : ""}`).join(",");

const selector = (sel: Share["spec"]["provider"]["podSelector"] | undefined) =>
  Object.entries(sel?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",") || "(all pods)";

export function sharesTable(shares: readonly Share[], now: Date): string {
  const rows = [...shares]
    .sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? ""))
    .map((s) => [
      s.metadata.name,
      `${s.spec.provider.tenant}/${s.spec.provider.namespace}`,
      ports(s),
      s.spec.consumer.tenant,
      s.status?.phase ?? "-",
      s.status?.clusters?.join(",") || "-",
      s.status?.revokedBy ? `revoked by ${s.status.revokedBy}` : s.status?.acceptedBy ? `accepted by ${s.status.acceptedBy}` : `offered by ${s.spec.offeredBy.username}`,
      formatAge(s.metadata.creationTimestamp, now),
    ]);
  return renderTable(["NAME", "PROVIDER", "PORTS", "CONSUMER", "PHASE", "CLUSTERS", "LAST ACT", "AGE"], rows);
}

export function shareDetail(s: Share): string {
  const history = (s.status?.history ?? []).map((h) => `${h.at}  ${h.action.padEnd(7)} ${h.by}  ${h.outcome}${h.message ? `: ${h.message}` : ""}`).join("\n");
  return renderFields([
    ["Name", s.metadata.name],
    ["Provider", `${s.spec.provider.tenant}, namespace ${s.spec.provider.namespace}, pods ${selector(s.spec.provider.podSelector)}`],
    ["Ports", ports(s)],
    ["Consumer", `${s.spec.consumer.tenant}, namespaces ${s.spec.consumer.namespaces?.join(",") ?? "(all)"}, pods ${selector(s.spec.consumer.podSelector)}`],
    ["Purpose", s.spec.purpose],
    ["Phase", s.status?.phase ?? "(not judged yet)"],
    ["Message", s.status?.message ?? "-"],
    ["Open on", s.status?.clusters?.join(", ") || "-"],
    ["History", history || "-"],
  ]);
}
