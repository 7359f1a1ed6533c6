// The Share controller: a share's status is the operator's verdict on the
// acts on it (decision.ts), and the tenant reconciles render what that
// verdict opens. A share is woken by its own changes, by every act on it,
// and by any change of its two tenants (who owns them, their level, their
// namespaces, where they are placed).
import type { Share, ShareAction } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import { SHARES } from "../api/resources.ts";
import { watch, type ControllerDefinition, type ReconcileResult, type Reconciler } from "../runtime/controller.ts";
import type { EventRecorder } from "../runtime/events.ts";
import type { Informer } from "../runtime/informer.ts";
import type { KubeClient } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import { applyStatus, sameStatus } from "../runtime/status.ts";
import { tenantDirectory } from "../tenant/directory.ts";
import type { Tenant } from "../tenant/types.ts";
import { BY_SHARE, BY_SIDE, decideShare, type ShareStatus } from "./decision.ts";

export const SHARE_CONTROLLER = "share";
const FIELD_MANAGER = "yunshu-share";

export interface ShareControllerDeps {
  client: KubeClient;
  shares: Informer<Share & KubeObject>;
  actions: Informer<ShareAction & KubeObject>;
  tenants: Informer<Tenant & KubeObject>;
  /** The hub's name in the fleet, where a tenant without a placement lives. */
  hub: () => string;
  events: EventRecorder;
  log: Logger;
}

export function shareController(deps: ShareControllerDeps): ControllerDefinition {
  return {
    name: SHARE_CONTROLLER,
    workers: 1,
    watch(queue) {
      watch(deps.shares, queue, (_event, share) => [share.metadata.name]);
      watch(deps.actions, queue, (_event, action) => [action.spec.share]);
      watch(deps.tenants, queue, (_event, tenant) => deps.shares.byIndex(BY_SIDE, tenant.metadata.name).map((s) => s.metadata.name));
    },
    resync(queue) {
      for (const share of deps.shares.list()) queue.add(share.metadata.name);
    },
    reconciler: () => new ShareReconciler(deps),
  };
}

/** What changed between two verdicts that deserves an Event on the Share: who made it open or closed. */
function transition(before: ShareStatus | undefined, after: ShareStatus): { type: "Normal" | "Warning"; reason: string; message: string } | undefined {
  if (before?.phase === after.phase) return undefined;
  switch (after.phase) {
    case "Active":
      return { type: "Normal", reason: "Opened", message: `accepted by ${after.acceptedBy}; ${after.message}` };
    case "Revoked":
      return { type: "Normal", reason: "Revoked", message: `${after.message}; its policies are removed` };
    case "Refused":
      return { type: "Warning", reason: "Refused", message: after.message ?? "refused" };
    case "AwaitingPlatform":
      return { type: "Normal", reason: "AwaitingPlatform", message: after.message ?? "" };
    default:
      return before?.phase ? { type: "Normal", reason: after.phase ?? "Offered", message: after.message ?? "" } : undefined;
  }
}

class ShareReconciler implements Reconciler {
  private readonly deps: ShareControllerDeps;

  constructor(deps: ShareControllerDeps) {
    this.deps = deps;
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const share = this.deps.shares.get(name);
    if (!share) return;
    const actions = this.deps.actions.byIndex(BY_SHARE, name);
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const verdict = { ...decideShare(share, actions, tenantDirectory(this.deps.tenants), now, this.deps.hub()), observedGeneration: share.metadata.generation };
    if (sameStatus(verdict, share.status)) return;
    await applyStatus(this.deps.client, SHARES, { name }, verdict, FIELD_MANAGER);
    const change = transition(share.status, verdict);
    if (change) this.deps.events.record(SHARES, share, change.type, change.reason, change.message);
    this.deps.log.info("share judged", { share: name, phase: verdict.phase, provider: share.spec.provider.tenant, consumer: share.spec.consumer.tenant });
  }
}
