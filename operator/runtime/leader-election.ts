// Leader election on a coordination.k8s.io Lease, with client-go's rules:
// - a lease held by someone else is taken over only when its record has not
//   changed for leaseDuration, judged by our own clock since we last saw it
//   change (clocks of different machines are never compared);
// - the leader renews every retryPeriod and gives up leadership when it has
//   not renewed for renewDeadline, which is shorter than leaseDuration, so it
//   stops before anyone else may start;
// - every write carries the resourceVersion it read: two candidates never both win.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { isConflict, type KubeClient, type KubeObject, type ResourceType } from "./kube-client.ts";
import type { Logger } from "./log.ts";
import { sleep } from "./sleep.ts";

export const LEASES: ResourceType = { group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true };

interface Lease extends KubeObject {
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  log: Logger;
  onStartedLeading: () => void;
  /** Called once, when leadership is lost; the operator must stop writing at once. */
  onStoppedLeading: () => void;
}

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
function microTime(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export class LeaderElector {
  readonly identity: string;
  private readonly opts: Required<Omit<LeaderElectionOptions, "identity">>;
  private leading = false;
  private observedRecord = "";
  private observedAt = 0;

  constructor(opts: LeaderElectionOptions) {
    this.identity = opts.identity ?? `${hostname()}_${randomBytes(4).toString("hex")}`;
    this.opts = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, ...opts };
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns, then renews, until `signal` aborts or leadership is lost. */
  async run(signal: AbortSignal): Promise<void> {
    const { retryPeriodMs, renewDeadlineMs, log } = this.opts;
    while (!signal.aborted && !this.leading) {
      if (await this.tryAcquireOrRenew()) {
        this.leading = true;
        log.info("became leader", { lease: `${this.opts.namespace}/${this.opts.name}`, identity: this.identity });
        this.opts.onStartedLeading();
      } else await sleep(retryPeriodMs * (1 + Math.random() * 0.2), signal);
    }
    let lastRenew = Date.now();
    while (!signal.aborted && this.leading) {
      await sleep(retryPeriodMs, signal);
      if (signal.aborted) break;
      if (await this.tryAcquireOrRenew()) lastRenew = Date.now();
      else if (Date.now() - lastRenew > renewDeadlineMs) {
        this.leading = false;
        log.error("lost the leader lease: stopping", { lease: `${this.opts.namespace}/${this.opts.name}`, identity: this.identity });
        this.opts.onStoppedLeading();
        return;
      }
    }
    if (this.leading) await this.release();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, leaseDurationMs, log } = this.opts;
    try {
      const now = microTime();
      const lease = await client.get<Lease>(LEASES, name, namespace);
      const durationSeconds = Math.round(leaseDurationMs / 1000);
      if (!lease) {
        await client.create<Lease>(LEASES, {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name, namespace },
          spec: { holderIdentity: this.identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
        });
        return true;
      }
      const spec = lease.spec ?? {};
      const record = `${spec.holderIdentity}/${spec.renewTime}/${lease.metadata.resourceVersion}`;
      if (record !== this.observedRecord) {
        this.observedRecord = record;
        this.observedAt = Date.now();
      }
      const holder = spec.holderIdentity ?? "";
      const heldByOther = holder !== "" && holder !== this.identity;
      const expired = Date.now() > this.observedAt + (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
      if (heldByOther && !expired) return false;
      const taking = holder !== this.identity;
      await client.update<Lease>(LEASES, {
        ...lease,
        spec: {
          holderIdentity: this.identity,
          leaseDurationSeconds: durationSeconds,
          acquireTime: taking ? now : (spec.acquireTime ?? now),
          renewTime: now,
          leaseTransitions: (spec.leaseTransitions ?? 0) + (taking && holder !== "" ? 1 : 0),
        },
      });
      return true;
    } catch (err) {
      if (!isConflict(err)) log.warn("leader election: could not read or write the lease", { error: err });
      return false;
    }
  }

  /** Hands the lease back on shutdown, so a standby takes over at once instead of after it expires. */
  private async release(): Promise<void> {
    const { client, namespace, name } = this.opts;
    this.leading = false;
    try {
      const lease = await client.get<Lease>(LEASES, name, namespace);
      if (lease?.spec?.holderIdentity !== this.identity) return;
      await client.update<Lease>(LEASES, { ...lease, spec: { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: microTime() } });
    } catch (err) {
      this.opts.log.warn("could not release the leader lease; a standby takes over when it expires", { error: err });
    }
  }
}
