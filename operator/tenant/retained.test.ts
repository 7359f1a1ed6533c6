import { describe, expect, it } from "vitest";
import type { KubeObject } from "../api/meta.ts";
import type { Informer } from "../runtime/informer.ts";
import { BY_RETAINED, BY_RETAINED_FOR, retainedFor } from "./caches.ts";
import { retainedLedger } from "./retained.ts";

/** Just what the ledger reads of an informer: get, list and the retained indexes. */
function cache(objects: KubeObject[]): Informer<KubeObject> {
  return {
    get: (name: string, namespace?: string) => objects.find((o) => o.metadata.name === name && o.metadata.namespace === namespace),
    list: () => objects,
    byIndex: (index: string, key: string) =>
      index === BY_RETAINED_FOR ? objects.filter((o) => retainedFor(o).includes(key)) : index === BY_RETAINED ? objects.filter((o) => retainedFor(o).length > 0) : [],
  } as unknown as Informer<KubeObject>;
}

const ns = (name: string, tenant: string, budget?: string) =>
  ({ metadata: { name, labels: { "yunshu.io/tenant": tenant }, ...(budget !== undefined ? { annotations: { "yunshu.io/retained-for": budget } } : {}) } }) as KubeObject;
const quota = (namespace: string, hard: string, used: string) => ({ metadata: { name: "yunshu-tenant-quota", namespace }, spec: { hard: { pods: hard } }, status: { used: { pods: used } } }) as unknown as KubeObject;

const ledger = retainedLedger(() => [
  {
    cluster: "hunan",
    caches: { namespaces: cache([ns("unit-prod", "unit", "bureau"), ns("unit-test", "unit", "bureau"), ns("bureau-prod", "bureau")]), children: new Map([["resourcequotas", cache([quota("unit-prod", "4", "4"), quota("unit-test", "2", "3")])]]) },
  },
  {
    cluster: "changsha",
    caches: { namespaces: cache([ns("unit-prod", "unit", "bureau"), ns("gone-prod", "gone", "")]), children: new Map([["resourcequotas", cache([quota("unit-prod", "1", "0"), quota("gone-prod", "5", "5")])]]) },
  },
]);

describe("the ledger of retained namespaces", () => {
  it("sums, across every cluster, what a deleted tenant's namespaces hold of its parent's budget: one holder, held already", () => {
    expect(ledger.under("bureau")).toEqual([{ name: "unit (deleted; its retained namespaces)", created: "", declared: { pods: 8000n }, enforced: { pods: 8000n } }]);
    expect(ledger.under("")).toEqual([{ name: "gone (deleted; its retained namespaces)", created: "", declared: { pods: 5000n }, enforced: { pods: 5000n } }]);
    expect(ledger.under("nobody")).toEqual([]);
  });

  it("says what they hold on one cluster, of one budget or of all", () => {
    expect(ledger.heldOn("changsha", "")).toEqual({ pods: 5000n });
    expect(ledger.heldOn("changsha")).toEqual({ pods: 6000n });
    expect(ledger.heldOn("hunan")).toEqual({ pods: 7000n });
  });
});
