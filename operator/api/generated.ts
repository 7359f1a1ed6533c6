// Generated from crds/*.yaml by scripts/generate-api-types.ts. DO NOT EDIT.
// Regenerate with: node scripts/generate-api-types.ts
import type { V1ListMeta, V1ManagedFieldsEntry, V1ObjectMeta } from "@kubernetes/client-node";

/**
 * client-node's V1ObjectMeta as custom objects arrive: raw JSON, with timestamps as strings
 * (client-node turns them into Dates only for the built-in kinds it deserializes).
 */
export type CustomObjectMeta = Omit<V1ObjectMeta, "name" | "creationTimestamp" | "deletionTimestamp" | "managedFields"> & {
  name: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  managedFields?: (Omit<V1ManagedFieldsEntry, "time"> & { time?: string })[];
};

// CapacityPool: capacitypools.yunshu.io/v1alpha1, from crds/yunshu.io_capacitypools.yaml.
export const CAPACITY_POOL_GROUP = "yunshu.io";
export const CAPACITY_POOL_VERSION = "v1alpha1";
export const CAPACITY_POOL_PLURAL = "capacitypools";
export const CAPACITY_POOL_KIND = "CapacityPool";

/**
 * The capacity the platform offers to tenants. Top-level tenants (those without spec.parent)
 * together may hold quota up to allocatable × overcommit for each resource named here; a child
 * tenant's quota is carved from its parent's and does not count again. Resources not named here are
 * not limited by the pool.
 */
export interface CapacityPool {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "CapacityPool";
  metadata: CustomObjectMeta;
  spec: CapacityPoolSpec;
  /**
   * What yunshu computed; written by the operator only.
   */
  status?: CapacityPoolStatus;
}

export interface CapacityPoolList {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "CapacityPoolList";
  metadata?: V1ListMeta;
  items: CapacityPool[];
}

export interface CapacityPoolSpec {
  /**
   * What the machines can give tenants, by ResourceQuota resource name (requests.cpu,
   * requests.memory, requests.storage, limits.cpu, pods, …), after the platform's own reservations.
   */
  allocatable: Record<string, string | number>;
  /**
   * How many times allocatable may be promised, by resource, as a decimal such as "1.5" (default 1:
   * no overcommit). Quotas are ceilings that departments rarely fill, so limits.cpu is often
   * overcommitted; requests.memory rarely should be.
   */
  overcommit?: Record<string, string>;
}

/**
 * What yunshu computed; written by the operator only.
 */
export interface CapacityPoolStatus {
  /**
   * allocatable × overcommit, by resource.
   */
  capacity?: Record<string, string>;
  /**
   * The quota top-level tenants hold, summed, by resource the pool names.
   */
  committed?: Record<string, string>;
  /**
   * How many top-level tenants the pool counts.
   */
  tenants?: number;
}

// TenantRequest: tenantrequests.yunshu.io/v1alpha1, from crds/yunshu.io_tenantrequests.yaml.
export const TENANT_REQUEST_GROUP = "yunshu.io";
export const TENANT_REQUEST_VERSION = "v1alpha1";
export const TENANT_REQUEST_PLURAL = "tenantrequests";
export const TENANT_REQUEST_KIND = "TenantRequest";

/**
 * A department's request to the platform team: create a tenant, change a tenant's quota, or add or
 * remove namespaces. yunshu reports whether it fits the parent tenant's quota and the cloud's
 * capacity (condition Fits); a platform admin approves or denies it (condition Approved, set
 * through the status subresource, with status.decidedBy); yunshu then applies an approved request
 * to the Tenant (condition Applied). The spec cannot change after creation, and a decided request
 * cannot be deleted.
 */
export interface TenantRequest {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "TenantRequest";
  metadata: CustomObjectMeta;
  /**
   * What is asked, by whom and why. Immutable.
   */
  spec: TenantRequestSpec;
  /**
   * The verdict, the decision and the outcome. Fits and Applied are written by yunshu; Approved and
   * decidedBy by the platform admin who decides (kubectl yunshu approve|deny).
   */
  status?: TenantRequestStatus;
}

export interface TenantRequestList {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "TenantRequestList";
  metadata?: V1ListMeta;
  items: TenantRequest[];
}

/**
 * What is asked, by whom and why. Immutable.
 */
export interface TenantRequestSpec {
  /**
   * The tenant the request is about: the name of the Tenant to create, or of the existing Tenant to
   * change (a DNS-1123 label).
   */
  tenant: string;
  /**
   * Create: a new tenant (displayName, level, and optionally parent, owners, namespaces, quota).
   * ChangeQuota: set the tenant-wide hard limits named in quota.hard to these values (other
   * resources keep theirs). AddNamespaces / RemoveNamespaces: add or remove the namespaces named in
   * namespaces (removal follows the tenant's deletionPolicy, Retain by default).
   */
  action: "Create" | "ChangeQuota" | "AddNamespaces" | "RemoveNamespaces";
  /**
   * Why the department asks, in its own words (any script), for the platform team and the audit
   * trail; 1 to 2048 characters.
   */
  reason: string;
  /**
   * Who filed the request, exactly as the API server authenticated them: the admission policy
   * yunshu-tenant-requests refuses a request whose requester is not the creating user. `kubectl
   * yunshu request` fills it in.
   */
  requester: TenantRequestRequester;
  /**
   * Create only. The new tenant's spec.displayName, for example 长沙市数据局.
   */
  displayName?: string;
  /**
   * Create only. The new tenant's unified social credit code (spec.code).
   */
  code?: string;
  /**
   * Create only. The new tenant's administrative level (spec.level).
   */
  level?: "province" | "city" | "county" | "township" | "village";
  /**
   * Create only. The tenant whose quota the new one is carved from (spec.parent), for example a
   * county bureau's city.
   */
  parent?: string;
  /**
   * Create only. The new tenant's owners (spec.owners). When empty, the requester becomes the only
   * owner.
   */
  owners?: TenantRequestOwner[];
  /**
   * Create, AddNamespaces, RemoveNamespaces. Short namespace names (prod becomes <tenant>-prod).
   */
  namespaces?: string[];
  /**
   * Create and ChangeQuota. Tenant-wide hard limits, as in Tenant spec.quota.
   */
  quota?: TenantRequestQuota;
}

/**
 * Who filed the request, exactly as the API server authenticated them: the admission policy
 * yunshu-tenant-requests refuses a request whose requester is not the creating user. `kubectl
 * yunshu request` fills it in.
 */
export interface TenantRequestRequester {
  /**
   * The creating user's name (kubectl auth whoami).
   */
  username: string;
  /**
   * The creating user's groups, all of them or none.
   */
  groups?: string[];
}

export interface TenantRequestOwner {
  /**
   * User, Group or ServiceAccount.
   */
  kind: "User" | "Group" | "ServiceAccount";
  /**
   * The user, group or service account name.
   */
  name: string;
  /**
   * The service account's namespace.
   */
  namespace?: string;
}

/**
 * Create and ChangeQuota. Tenant-wide hard limits, as in Tenant spec.quota.
 */
export interface TenantRequestQuota {
  /**
   * Hard limits by ResourceQuota resource name, such as requests.cpu 8 or requests.memory 16Gi.
   */
  hard?: Record<string, string | number>;
}

/**
 * The verdict, the decision and the outcome. Fits and Applied are written by yunshu; Approved and
 * decidedBy by the platform admin who decides (kubectl yunshu approve|deny).
 */
export interface TenantRequestStatus {
  /**
   * Fits (yunshu: True when the request fits the parent's quota and the cloud's capacity, with the
   * numbers in the message); Approved (the platform admin: True with reason Approved, or False with
   * reason Denied, and the decision's reason as the message; final); Applied (yunshu: True once the
   * Tenant was created or changed, False with reason Failed or NoLongerFits when it could not be;
   * final).
   */
  conditions?: TenantRequestStatusCondition[];
  /**
   * The user who approved or denied the request, as the API server authenticated them (checked by
   * admission).
   */
  decidedBy?: string;
  /**
   * The numbers behind the Fits condition, one row per resource and budget the request draws on.
   */
  capacity?: TenantRequestStatusCapacityItem[];
}

export interface TenantRequestStatusCondition {
  /**
   * Fits, Approved or Applied.
   */
  type: string;
  /**
   * True, False or Unknown.
   */
  status: "True" | "False" | "Unknown";
  /**
   * The metadata.generation the condition was set for.
   */
  observedGeneration?: number;
  /**
   * When the status last changed; for Approved, when the decision was made.
   */
  lastTransitionTime: string;
  /**
   * A CamelCase reason, such as Fits, ExceedsParentQuota, Approved, Denied, Applied, Failed.
   */
  reason: string;
  /**
   * A human-readable explanation; for Approved, the decider's reason.
   */
  message: string;
}

export interface TenantRequestStatusCapacityItem {
  /**
   * Which budget: `tenant/<name>` for a parent tenant's quota, `pool/<name>` for the cloud's
   * capacity pool.
   */
  budget: string;
  /**
   * The resource name, such as requests.cpu.
   */
  resource: string;
  /**
   * What the tenant would hold after the request.
   */
  requested: string;
  /**
   * What the budget's other holders hold already.
   */
  allocated: string;
  /**
   * The budget's size (for a pool, allocatable × overcommit).
   */
  limit: string;
  /**
   * Whether requested + allocated <= limit.
   */
  fits?: boolean;
}

// Tenant: tenants.yunshu.io/v1alpha1, from crds/yunshu.io_tenants.yaml.
export const TENANT_GROUP = "yunshu.io";
export const TENANT_VERSION = "v1alpha1";
export const TENANT_PLURAL = "tenants";
export const TENANT_KIND = "Tenant";

/**
 * A Tenant is a department (or any other organisation) of the provincial government cloud. yunshu
 * turns it into the department's namespaces, a tenant-wide quota, container limit ranges, network
 * policies, Pod Security labels and tenant-admin RoleBindings, and keeps them as declared.
 * Cluster-scoped; its name prefixes every namespace it owns.
 */
export interface Tenant {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "Tenant";
  metadata: CustomObjectMeta;
  /**
   * What the platform team declares for the department.
   */
  spec: TenantSpec;
  /**
   * What the operator observed and did; written by the operator only.
   */
  status?: TenantStatus;
}

export interface TenantList {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "TenantList";
  metadata?: V1ListMeta;
  items: Tenant[];
}

/**
 * What the platform team declares for the department.
 */
export interface TenantSpec {
  /**
   * The department's full name as people know it, for example 湖南省数据局; 1 to 128 characters of any
   * script. Shown by `kubectl get tenants`; it never becomes a Kubernetes name, so it needs no
   * escaping.
   */
  displayName: string;
  /**
   * The department's 18-character unified social credit code (统一社会信用代码), for example
   * 11430000MB1234567X: digits and upper-case letters except I, O, S, V and Z, with digits in
   * positions 3 to 8. Optional; recorded for billing and audit.
   */
  code?: string;
  /**
   * The administrative level of the department: province, city, county, township or village (省, 市,
   * 县, 乡, 村).
   */
  level: "province" | "city" | "county" | "township" | "village";
  /**
   * The tenant whose quota this one is carved from, for example a county bureau's city. The
   * children of a tenant together may hold at most its quota, for every resource it names, and each
   * child must name every resource its parent names; the parent's own namespaces get what its
   * children do not hold. A change that would break this is not applied (the tenant keeps the quota
   * it has, a new tenant waits) and is reported in the QuotaAllocated condition. Top-level tenants
   * have no parent and draw on the CapacityPool.
   */
  parent?: string;
  /**
   * Who administers the tenant: 1 to 64 users, groups or service accounts. Each becomes a subject
   * of the tenant-admin RoleBinding in every namespace of the tenant; they can manage workloads
   * there but cannot change the quota, limit range, network policies or RBAC that yunshu manages.
   * Removing an owner removes its access.
   */
  owners: TenantOwner[];
  /**
   * The tenant's namespaces, at most 32. Each entry `name` becomes the namespace `<tenant>-<name>`
   * (for example `prod` in tenant `hunan-data-bureau` becomes `hunan-data-bureau-prod`), which must
   * be at most 63 characters. Names are unique. Removing an entry releases or deletes the namespace
   * as deletionPolicy says.
   */
  namespaces?: TenantNamespace[];
  /**
   * Tenant-wide hard limits: what all the tenant's namespaces together may request or create.
   * yunshu divides them into a ResourceQuota per namespace and reports the summed usage in
   * status.quota. Without it the tenant has no quota.
   */
  quota?: TenantQuota;
  /**
   * Per-container defaults and bounds, by resource (cpu, memory, ephemeral-storage); they become a
   * LimitRange of type Container in every namespace of the tenant. The values must be ordered min
   * <= defaultRequest <= default <= max for each resource that appears in both.
   */
  limits?: TenantLimits;
  /**
   * Network isolation. Every tenant namespace denies all ingress and egress by default; always
   * allowed are traffic among the tenant's own namespaces (only within the same namespace at
   * securityLevel 4), DNS to the cluster's DNS service, and scraping by the platform's monitoring
   * namespace. Traffic to other tenants exists only through a Share. This field adds egress outside
   * the cluster.
   */
  network?: TenantNetwork;
  /**
   * The MLPS level (网络安全等级保护, 等保) the tenant's systems are classified at: 2, 3 or 4; defaults to 3.
   * It sets the Pod Security admission level of the tenant's namespaces (2: baseline; 3 and 4:
   * restricted). At 3 and 4 egress to the whole internet (0.0.0.0/0, ::/0) is refused; at 4 pods
   * may talk only within their own namespace, not across the tenant's namespaces.
   *
   * @default 3
   */
  securityLevel?: 2 | 3 | 4;
  /**
   * What happens to a namespace when the Tenant is deleted or the namespace is removed from
   * spec.namespaces. Retain (the default) keeps the namespace, its workloads and its isolation,
   * removes the owners' access and labels it released, so that nothing is lost by accident. Delete
   * deletes the namespace and everything in it.
   *
   * @default "Retain"
   */
  deletionPolicy?: "Retain" | "Delete";
}

/**
 * One owner, an RBAC subject bound to the tenant-admin role.
 */
export interface TenantOwner {
  /**
   * User, Group or ServiceAccount, as in an RBAC subject.
   */
  kind: "User" | "Group" | "ServiceAccount";
  /**
   * The user name, group name or service account name, as the cluster's authenticator reports it (1
   * to 253 characters).
   */
  name: string;
  /**
   * The service account's namespace. Required for a ServiceAccount, forbidden for a User or a Group
   * (they are not namespaced).
   */
  namespace?: string;
}

export interface TenantNamespace {
  /**
   * The short name, a DNS-1123 label (lower-case letters, digits and '-'); the namespace is
   * `<tenant>-<name>`.
   */
  name: string;
}

/**
 * Tenant-wide hard limits: what all the tenant's namespaces together may request or create. yunshu
 * divides them into a ResourceQuota per namespace and reports the summed usage in status.quota.
 * Without it the tenant has no quota.
 */
export interface TenantQuota {
  /**
   * Hard limits by ResourceQuota resource name, as in a ResourceQuota's spec.hard: cpu, memory,
   * ephemeral-storage, requests.cpu, requests.memory, requests.ephemeral-storage, requests.storage,
   * limits.cpu, limits.memory, limits.ephemeral-storage, pods, services, services.loadbalancers,
   * services.nodeports, persistentvolumeclaims, configmaps, secrets, replicationcontrollers,
   * resourcequotas, object counts `count/<resource>.<group>` and extended resources
   * `requests.<domain>/<name>` (for example requests.nvidia.com/gpu). Values are non-negative
   * quantities such as 8, 500m or 16Gi; at most 32 entries.
   */
  hard?: Record<string, string | number>;
}

/**
 * Per-container defaults and bounds, by resource (cpu, memory, ephemeral-storage); they become a
 * LimitRange of type Container in every namespace of the tenant. The values must be ordered min <=
 * defaultRequest <= default <= max for each resource that appears in both.
 */
export interface TenantLimits {
  /**
   * The limit given to a container that declares none (LimitRange default), by cpu, memory or
   * ephemeral-storage.
   */
  default?: Record<string, string | number>;
  /**
   * The request given to a container that declares none (LimitRange defaultRequest), by cpu, memory
   * or ephemeral-storage. Must not exceed default.
   */
  defaultRequest?: Record<string, string | number>;
  /**
   * The largest limit a container may declare (LimitRange max), by cpu, memory or
   * ephemeral-storage.
   */
  max?: Record<string, string | number>;
  /**
   * The smallest request a container may declare (LimitRange min), by cpu, memory or
   * ephemeral-storage. Must not exceed max.
   */
  min?: Record<string, string | number>;
}

/**
 * Network isolation. Every tenant namespace denies all ingress and egress by default; always
 * allowed are traffic among the tenant's own namespaces (only within the same namespace at
 * securityLevel 4), DNS to the cluster's DNS service, and scraping by the platform's monitoring
 * namespace. Traffic to other tenants exists only through a Share. This field adds egress outside
 * the cluster.
 */
export interface TenantNetwork {
  /**
   * IPv4 or IPv6 CIDRs outside the cluster that the tenant's pods may reach (for example
   * 10.20.0.0/16, a provincial data exchange), at most 32, no duplicates. At securityLevel 3 and 4
   * a default route (0.0.0.0/0 or ::/0) is refused.
   */
  egressCIDRs?: string[];
}

/**
 * What the operator observed and did; written by the operator only.
 */
export interface TenantStatus {
  /**
   * The metadata.generation of the spec that the status describes.
   */
  observedGeneration?: number;
  /**
   * The tenant's conditions. Ready is True when every namespace, quota, limit range, network policy
   * and role binding is as the spec declares. QuotaAllocated is True when the quota fits the
   * parent's (always, for a top-level tenant); False means the spec's quota is not applied.
   * OwnersVerified says whether the owners exist, as far as Kubernetes can tell.
   */
  conditions?: TenantStatusCondition[];
  /**
   * How many of the tenant's namespaces exist, released ones included.
   */
  namespaceCount?: number;
  /**
   * Every namespace the tenant has or had, and its state.
   */
  namespaces?: TenantStatusNamespace[];
  /**
   * The tenant-wide quota, summed across the tenant's namespaces.
   */
  quota?: TenantStatusQuota;
}

/**
 * A standard Kubernetes condition (metav1.Condition).
 */
export interface TenantStatusCondition {
  /**
   * The condition's type in CamelCase, such as Ready.
   */
  type: string;
  /**
   * True, False or Unknown.
   */
  status: "True" | "False" | "Unknown";
  /**
   * The metadata.generation the condition was set for.
   */
  observedGeneration?: number;
  /**
   * When the status last changed.
   */
  lastTransitionTime: string;
  /**
   * A CamelCase, machine-readable reason for the last transition.
   */
  reason: string;
  /**
   * A human-readable explanation of the last transition.
   */
  message: string;
}

export interface TenantStatusNamespace {
  /**
   * The full namespace name, `<tenant>-<name>`.
   */
  name: string;
  /**
   * Active: managed as declared. Released: removed from the spec (or the tenant deleted) under
   * deletionPolicy Retain, kept without owner access. Conflict: a namespace of that name exists and
   * is not this tenant's, so yunshu leaves it alone. Terminating: being deleted.
   */
  state: "Active" | "Released" | "Conflict" | "Terminating";
  /**
   * Why the namespace is in this state, when it is not Active.
   */
  message?: string;
}

/**
 * The tenant-wide quota, summed across the tenant's namespaces.
 */
export interface TenantStatusQuota {
  /**
   * The enforced hard limits, by resource name.
   */
  hard?: Record<string, string>;
  /**
   * The usage summed across namespaces, by resource name.
   */
  used?: Record<string, string>;
  /**
   * What the tenant's children hold of its quota, summed, by resource name; the tenant's own
   * namespaces get hard minus children.
   */
  children?: Record<string, string>;
}
