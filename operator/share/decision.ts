// What a Share is, from the acts on it: the provider's offer (the Share
// itself), the consumer's acceptance and either side's revocation
// (ShareActions), and a platform approval when either tenant is at MLPS
// level 4. Admission has checked that each act names the identity that made
// it; here yunshu decides whether that identity may act for the side it acts
// for (an owner of the tenant or of a tenant above it, as for requests), and
// an act that may not is listed as Ignored and changes nothing. Pure: the
// same acts and tenants always give the same status.
import type { Share, ShareAction } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import { versionOf } from "../runtime/resource-version.ts";
import { ownedLineage } from "../request/authority.ts";
import type { TenantDirectory } from "../tenant/quota-decision.ts";
import { tenantLevel } from "../tenant/profile.ts";
import type { Tenant } from "../tenant/types.ts";

export type ShareStatus = NonNullable<Share["status"]>;
export type SharePhase = NonNullable<ShareStatus["phase"]>;
type HistoryEntry = NonNullable<ShareStatus["history"]>[number];

/**
 * The acts on one share, oldest first. Creation times have whole seconds, so
 * acts in the same second are ordered by resourceVersion: a ShareAction is
 * never changed after it is created, so its version is the etcd revision of
 * its creation, which grows (versionOf); the name settles what is left.
 */
export function inOrder(actions: readonly (ShareAction & KubeObject)[]): (ShareAction & KubeObject)[] {
  const at = (a: KubeObject) => a.metadata.creationTimestamp ?? "";
  const version = (a: KubeObject) => versionOf(a) ?? 0n;
  const byVersion = (a: KubeObject, b: KubeObject) => (version(a) < version(b) ? -1 : version(a) > version(b) ? 1 : 0);
  return [...actions].sort((a, b) => at(a).localeCompare(at(b)) || byVersion(a, b) || a.metadata.name.localeCompare(b.metadata.name));
}

/** Index name, on the Share informer, of shares by each of their two tenants. */
export const BY_SIDE = "side";
export const sidesOf = (share: Share): string[] => [share.spec.provider.tenant, share.spec.consumer.tenant];

/** Index name, on the ShareAction informer, of actions by the share they act on. */
export const BY_SHARE = "share";
export const shareOf = (action: ShareAction): string[] => [action.spec.share];

const declares = (tenant: Tenant, shortName: string) => (tenant.spec.namespaces ?? []).some((n) => n.name === shortName);

/** The consumer's namespaces the share names (all of them when it names none), by short name. */
export function consumerNamespaces(share: Share, consumer: Tenant | undefined): string[] {
  const declared = (consumer?.spec.namespaces ?? []).map((n) => n.name);
  const named = share.spec.consumer.namespaces;
  return named ? named.filter((n) => declared.includes(n)) : declared;
}

/** Whether either side's level asks for the platform's approval too. */
export const needsPlatformApproval = (provider: Tenant, consumer: Tenant) => tenantLevel(provider) >= 4 || tenantLevel(consumer) >= 4;

/** What is wrong with the offer itself, so that nothing of it may open; undefined when it stands. */
function offerProblem(share: Share, tenants: TenantDirectory): string | undefined {
  const { provider, consumer, offeredBy } = share.spec;
  const providerTenant = tenants.get(provider.tenant);
  if (!providerTenant) return `provider tenant ${provider.tenant} does not exist`;
  const consumerTenant = tenants.get(consumer.tenant);
  if (!consumerTenant) return `consumer tenant ${consumer.tenant} does not exist`;
  if (!ownedLineage(provider.tenant, tenants, offeredBy)) {
    return `${offeredBy.username} owns neither tenant ${provider.tenant} nor a tenant above it, so cannot offer its service`;
  }
  if (!declares(providerTenant, provider.namespace)) return `tenant ${provider.tenant} has no namespace ${provider.namespace}`;
  const missing = (consumer.namespaces ?? []).filter((n) => !declares(consumerTenant, n));
  if (missing.length > 0) return `tenant ${consumer.tenant} has no namespace ${missing.join(", ")}`;
  return undefined;
}

/**
 * The clusters where both tenants are placed, so the paired policies open
 * the service: a tenant without a placement is on the hub alone; one with a
 * placement is where its status says it is.
 */
export function sharedClusters(provider: Tenant | undefined, consumer: Tenant | undefined, hub: string): string[] {
  const placed = (t: Tenant | undefined) => new Set(!t ? [] : t.spec.placement ? (t.status?.clusters ?? []).map((c) => c.name) : [hub]);
  const theirs = placed(consumer);
  return [...placed(provider)].filter((c) => theirs.has(c)).sort();
}

/**
 * `now` stamps a platform approval the first time yunshu sees it (the
 * approval is a field of the Share, with no time of its own); after that the
 * previous status keeps it.
 */
export function decideShare(
  share: Share & KubeObject,
  actions: readonly (ShareAction & KubeObject)[],
  tenants: TenantDirectory,
  now: string,
  hub: string,
): ShareStatus {
  const { provider, consumer, offeredBy, platformApproval } = share.spec;
  const offeredAt = share.metadata.creationTimestamp ?? "";
  const problem = offerProblem(share, tenants);
  const history: HistoryEntry[] = [{ action: "Offer", by: offeredBy.username, at: offeredAt, outcome: problem ? "Ignored" : "Applied", ...(problem ? { message: problem } : {}) }];
  if (problem) return { phase: "Refused", message: `nothing is open: ${problem}`, history };

  let accepted: HistoryEntry | undefined;
  let revoked: HistoryEntry | undefined;
  for (const act of inOrder(actions)) {
    const who = act.spec.actor;
    const at = act.metadata.creationTimestamp ?? "";
    const entry = (outcome: HistoryEntry["outcome"], message?: string): HistoryEntry => ({ action: act.spec.action, by: who.username, at, outcome, ...(message ? { message } : {}) });
    if (revoked) {
      history.push(entry("Ignored", "the share was already revoked"));
    } else if (act.spec.action === "Accept") {
      const owns = ownedLineage(consumer.tenant, tenants, who);
      if (!owns) history.push(entry("Ignored", `${who.username} owns neither tenant ${consumer.tenant} nor a tenant above it, so cannot accept for it`));
      else if (accepted) history.push(entry("Ignored", `already accepted by ${accepted.by}`));
      else history.push((accepted = entry("Applied", act.spec.reason)));
    } else {
      const side = ownedLineage(provider.tenant, tenants, who) ? provider.tenant : ownedLineage(consumer.tenant, tenants, who) ? consumer.tenant : undefined;
      if (!side) history.push(entry("Ignored", `${who.username} owns neither side (${provider.tenant}, ${consumer.tenant}), so cannot revoke`));
      else history.push((revoked = entry("Applied", `for ${side}${act.spec.reason ? `: ${act.spec.reason}` : ""}`)));
    }
  }
  const needsPlatform = needsPlatformApproval(tenants.get(provider.tenant)!, tenants.get(consumer.tenant)!);
  if (platformApproval) {
    const seen = share.status?.history?.find((h) => h.action === "Approve")?.at ?? now;
    history.push({ action: "Approve", by: platformApproval.approvedBy, at: seen, outcome: "Applied", message: platformApproval.reason });
  }
  const acceptance = accepted ? { acceptedBy: accepted.by, acceptedAt: accepted.at } : {};
  if (revoked) {
    return { phase: "Revoked", message: `revoked by ${revoked.by} ${revoked.message ?? ""}`.trim(), ...acceptance, revokedBy: revoked.by, revokedAt: revoked.at, history };
  }
  if (!accepted) return { phase: "Offered", message: `waits for an owner of ${consumer.tenant} to accept it (kubectl yunshu share accept ${share.metadata.name})`, history };
  if (needsPlatform && !platformApproval) {
    return {
      phase: "AwaitingPlatform",
      message: `accepted; a tenant at MLPS level 4 is involved, so a platform admin must approve it too (kubectl yunshu share approve ${share.metadata.name} --reason …)`,
      ...acceptance,
      history,
    };
  }
  const clusters = sharedClusters(tenants.get(provider.tenant), tenants.get(consumer.tenant), hub);
  const where = clusters.length > 0 ? `open on ${clusters.join(", ")}` : "both tenants have no cluster in common yet, so nothing is open anywhere";
  return { phase: "Active", message: `${provider.tenant}/${provider.namespace} serves ${consumer.tenant}: ${where}`, ...acceptance, clusters, history };
}
