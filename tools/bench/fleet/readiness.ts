// Which tenants are Ready, from a watch of the hub's Tenants: polling a list
// of 2,000 tenants twice a second would cost the hub's API server, which
// the benchmark measures, more than the operator's own reads.
import { TENANTS } from "../../../operator/api/resources.ts";
import { Informer } from "../../../operator/runtime/informer.ts";
import type { KubeClient, KubeObject } from "../../../operator/runtime/kube-client.ts";
import { silentLogger } from "../../../operator/runtime/log.ts";
import { sleep } from "../../../operator/runtime/sleep.ts";
import type { Tenant } from "../../../operator/tenant/types.ts";

/** A phase that takes this long has stalled, not slowed: the benchmark stops and says so. */
const STALL_MS = 600_000;

export class Readiness {
  private readonly tenants: Informer<Tenant & KubeObject>;
  private readonly abort = new AbortController();
  private readonly say: (line: string) => void;

  constructor(hub: KubeClient, say: (line: string) => void) {
    this.tenants = new Informer<Tenant & KubeObject>(hub, TENANTS, { log: silentLogger });
    this.say = say;
    void this.tenants.run(this.abort.signal);
  }

  /** Ready at its latest generation, with `pods` as its tenant-wide quota when given (the hub's Ready covers every cluster it is placed on). */
  private isReady(name: string, pods?: string): boolean {
    const t = this.tenants.get(name);
    return (
      t?.status?.observedGeneration === t?.metadata.generation &&
      t?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true &&
      (pods === undefined || t?.status?.quota?.hard?.pods === pods)
    );
  }

  /** Seconds from `since` until every tenant in `names` is Ready, saying how many are every 5 s. */
  async until(names: readonly string[], since: number, what: string, pods?: string): Promise<number> {
    await this.tenants.waitForSync();
    let reported = performance.now();
    for (;;) {
      const ready = names.filter((n) => this.isReady(n, pods)).length;
      const elapsed = performance.now() - since;
      if (ready === names.length) {
        this.say(`  ${what}: ${ready}/${names.length} ready after ${(elapsed / 1000).toFixed(1)}s`);
        return elapsed / 1000;
      }
      if (performance.now() - reported > 5_000) {
        this.say(`  ${what}: ${ready}/${names.length} ready after ${(elapsed / 1000).toFixed(0)}s`);
        reported = performance.now();
      }
      if (elapsed > STALL_MS) throw new Error(`${what}: only ${ready}/${names.length} tenants ready after ${STALL_MS / 1000}s`);
      await sleep(100);
    }
  }

  stop(): void {
    this.abort.abort();
  }
}
