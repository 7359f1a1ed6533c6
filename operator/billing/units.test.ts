import { describe, expect, it } from "vitest";
import { billingUnit } from "./units.ts";

describe("billingUnit", () => {
  it("bills CPU in cores", () => {
    for (const r of ["cpu", "requests.cpu", "limits.cpu"]) expect(billingUnit(r), r).toEqual({ unit: "核", divisor: 1 });
  });

  it("bills memory and storage bytes in GiB", () => {
    for (const r of ["memory", "requests.memory", "limits.memory", "requests.storage", "requests.ephemeral-storage", "gold.storageclass.storage.k8s.io/requests.storage"]) {
      expect(billingUnit(r), r).toEqual({ unit: "GiB", divisor: 2 ** 30 });
    }
  });

  it("bills everything else by the piece, including claims counted per storage class", () => {
    for (const r of ["pods", "services", "count/deployments.apps", "nvidia.com/gpu", "requests.nvidia.com/gpu", "gold.storageclass.storage.k8s.io/persistentvolumeclaims"]) {
      expect(billingUnit(r), r).toEqual({ unit: "个", divisor: 1 });
    }
  });
});
