import type { AdapterName } from "../topology/topology.ts";
import type { ClusterAdapter } from "./adapter.ts";
import { provisionAlicloud } from "./alicloud.ts";
import { provisionExisting } from "./existing.ts";
import { provisionOpenstack } from "./openstack.ts";

export const ADAPTER_IMPLEMENTATIONS: Record<AdapterName, ClusterAdapter> = {
  existing: provisionExisting,
  alicloud: provisionAlicloud,
  openstack: provisionOpenstack,
};
