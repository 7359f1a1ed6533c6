// The Tenant API as the CRD defines it (types generated from crds/).
export type { Tenant } from "../api/generated.ts";
import type { Tenant } from "../api/generated.ts";

export type TenantSpec = Tenant["spec"];
export type TenantStatus = NonNullable<Tenant["status"]>;
export type TenantOwner = TenantSpec["owners"][number];
export type TenantCondition = NonNullable<TenantStatus["conditions"]>[number];
