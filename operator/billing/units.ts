// The unit a statement bills each resource in. Quotas count memory and
// storage in bytes, but a department reads and is priced in GiB.
import type { BillingUnit } from "./types.ts";

const CORES: BillingUnit = { unit: "核", divisor: 1 };
const GIB: BillingUnit = { unit: "GiB", divisor: 2 ** 30 };
const EACH: BillingUnit = { unit: "个", divisor: 1 };

/** requests.cpu → 核; requests.memory, requests.storage, … → GiB; pods, count/…, nvidia.com/gpu → 个. */
export function billingUnit(resource: string): BillingUnit {
  // Only the part after a "/" says what is counted: <class>.storageclass.storage.k8s.io/persistentvolumeclaims counts claims, not bytes.
  const name = resource.slice(resource.lastIndexOf("/") + 1);
  if (name.endsWith("cpu")) return CORES;
  if (name.includes("memory") || name.includes("storage")) return GIB;
  return EACH;
}
