// The API server's answer to this reconciler's last write of each
// namespace's ResourceQuota. Only yunshu writes these limits, so the newer of
// this answer and the cache is the truth (runtime/resource-version.ts): a
// cache that lags behind our own write must not make the quota split grant
// headroom that a limit lowered a moment ago still holds.
import type { KubeObject } from "../api/meta.ts";
import { compactObject } from "../runtime/compact-object.ts";
import { newerObject } from "../runtime/resource-version.ts";

/** A ResourceQuota as read from a cache or a write's answer. */
export interface QuotaObject extends KubeObject {
  spec?: { hard?: Record<string, string> };
  status?: { used?: Record<string, string>; hard?: Record<string, string> };
}

export class QuotaWrites {
  private readonly answers = new Map<string, QuotaObject>();

  /** The namespace's quota as it is: the cached copy, unless our own last write's answer is newer. */
  live(namespace: string, cached: QuotaObject | undefined): QuotaObject | undefined {
    const written = this.answers.get(namespace);
    if (!written) return cached;
    const live = newerObject(cached, written);
    if (live === cached) this.answers.delete(namespace);
    return live;
  }

  remember<T extends QuotaObject>(answer: T | undefined): T | undefined {
    // Kept until the cache catches up, which a converged namespace is not
    // asked about again for hours: compact, as the cache keeps them.
    if (answer?.metadata.namespace) this.answers.set(answer.metadata.namespace, compactObject(answer));
    return answer;
  }

  forget(namespace: string): void {
    this.answers.delete(namespace);
  }
}
