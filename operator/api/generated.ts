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
export const CAPACITY_POOL_API_VERSION = "yunshu.io/v1alpha1";
/** Where the API server serves capacitypools: what the operator's client needs to read and write them. */
export const CAPACITY_POOL_RESOURCE = { group: "yunshu.io", version: "v1alpha1", kind: "CapacityPool", plural: "capacitypools", namespaced: false } as const;

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

// Cluster: clusters.yunshu.io/v1alpha1, from crds/yunshu.io_clusters.yaml.
export const CLUSTER_GROUP = "yunshu.io";
export const CLUSTER_VERSION = "v1alpha1";
export const CLUSTER_PLURAL = "clusters";
export const CLUSTER_KIND = "Cluster";
export const CLUSTER_API_VERSION = "yunshu.io/v1alpha1";
/** Where the API server serves clusters: what the operator's client needs to read and write them. */
export const CLUSTER_RESOURCE = { group: "yunshu.io", version: "v1alpha1", kind: "Cluster", plural: "clusters", namespaced: false } as const;

/**
 * A cluster of the provincial cloud (the provincial cluster, a city's or an industry's) that
 * tenants can be placed on. Registered in the hub, the cluster yunshu runs in; yunshu reaches the
 * cluster with the kubeconfig in spec.kubeconfigSecretRef, creates there the namespaces, quotas,
 * limit ranges, network policies and role bindings of the tenants placed on it, and reports the
 * cluster's health and load in status. Cluster-scoped.
 */
export interface Cluster {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "Cluster";
  metadata: CustomObjectMeta;
  /**
   * What the platform team (or the Pulumi bootstrap) declares for the cluster.
   */
  spec: ClusterSpec;
  /**
   * What the operator observed of the cluster; written by the operator only.
   */
  status?: ClusterStatus;
}

export interface ClusterList {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "ClusterList";
  metadata?: V1ListMeta;
  items: Cluster[];
}

/**
 * What the platform team (or the Pulumi bootstrap) declares for the cluster.
 */
export interface ClusterSpec {
  /**
   * The cluster's name as people know it, for example 长沙市政务云; 1 to 128 characters of any script.
   * Shown by `kubectl get clusters.yunshu.io`.
   */
  displayName?: string;
  /**
   * Where the cluster serves, as a DNS-1123 label (lower-case letters, digits and '-'): `hunan` for
   * the provincial cluster, a city such as `changsha` or `zhuzhou` for a city's. Tenants select
   * clusters by region in spec.placement.regions.
   */
  region: string;
  /**
   * Which part of the 1+14+N cloud the cluster is: province (the provincial cloud), city (one of
   * the fourteen city clouds) or industry (a cloud run for one sector). Tenants select clusters by
   * tier in spec.placement.tiers.
   */
  tier: "province" | "city" | "industry";
  /**
   * What the cluster can give tenants. The tenants placed on it may together hold quota up to
   * allocatable × overcommit for each resource named here; resources not named are not limited by
   * the cluster. Without it, yunshu reports the cluster's load but limits nothing.
   */
  capacity?: ClusterCapacity;
  /**
   * The Secret holding a kubeconfig for the cluster, in the namespace yunshu-clusters, kept apart
   * from the operator's yunshu-system so that those who register clusters never write Secrets where
   * the operator's identity lives. yunshu reads the Secret again when it changes, so rotating the
   * credentials needs no restart. Leave it out for the hub itself, the cluster yunshu runs in,
   * which yunshu reaches with its own service account: that is how the hub is a member of its own
   * fleet. Only one Cluster should leave it out.
   */
  kubeconfigSecretRef?: ClusterKubeconfigSecretRef;
}

/**
 * What the cluster can give tenants. The tenants placed on it may together hold quota up to
 * allocatable × overcommit for each resource named here; resources not named are not limited by the
 * cluster. Without it, yunshu reports the cluster's load but limits nothing.
 */
export interface ClusterCapacity {
  /**
   * What the cluster's machines can give tenants, by ResourceQuota resource name (requests.cpu,
   * requests.memory, requests.storage, limits.cpu, pods, …), after the platform's own reservations.
   */
  allocatable: Record<string, string | number>;
  /**
   * How many times allocatable may be promised, by resource, as a decimal with up to three places
   * such as "1.5" (default 1: no overcommit). Quotas are ceilings that departments rarely fill, so
   * limits.cpu is often overcommitted; requests.memory rarely should be.
   */
  overcommit?: Record<string, string>;
}

/**
 * The Secret holding a kubeconfig for the cluster, in the namespace yunshu-clusters, kept apart
 * from the operator's yunshu-system so that those who register clusters never write Secrets where
 * the operator's identity lives. yunshu reads the Secret again when it changes, so rotating the
 * credentials needs no restart. Leave it out for the hub itself, the cluster yunshu runs in, which
 * yunshu reaches with its own service account: that is how the hub is a member of its own fleet.
 * Only one Cluster should leave it out.
 */
export interface ClusterKubeconfigSecretRef {
  /**
   * The Secret's name, in namespace yunshu-clusters; for example cluster-changsha.
   */
  name: string;
  /**
   * The key in the Secret's data whose value is the kubeconfig; defaults to kubeconfig.
   *
   * @default "kubeconfig"
   */
  key?: string;
}

/**
 * What the operator observed of the cluster; written by the operator only.
 */
export interface ClusterStatus {
  /**
   * The metadata.generation of the spec that the status describes.
   */
  observedGeneration?: number;
  /**
   * The cluster's conditions. Ready is True (reason Reachable) when yunshu can reach the cluster's
   * API server with the kubeconfig and is converging the tenants placed on it; it is False when it
   * cannot, with reason Unreachable (no answer or an error from the API server), Unauthorized (the
   * credentials were refused), SecretNotFound (no such Secret, or no such key in it) or
   * InvalidKubeconfig (the key's value is not a usable kubeconfig). The other clusters are not held
   * up by one that is not Ready.
   */
  conditions?: ClusterStatusCondition[];
  /**
   * The Kubernetes version the cluster's API server last reported, for example v1.37.2.
   */
  kubernetesVersion?: string;
  /**
   * How many tenants are placed on the cluster.
   */
  tenants?: number;
  /**
   * How many tenant namespaces yunshu manages on the cluster.
   */
  namespaces?: number;
  /**
   * allocatable × overcommit, by resource.
   */
  capacity?: Record<string, string>;
  /**
   * The quota of the tenants placed on the cluster (each tenant's share for this cluster), summed,
   * by resource.
   */
  allocated?: Record<string, string>;
}

/**
 * A standard Kubernetes condition (metav1.Condition).
 */
export interface ClusterStatusCondition {
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

// OffboardingRecord: offboardingrecords.yunshu.io/v1alpha1, from crds/yunshu.io_offboardingrecords.yaml.
export const OFFBOARDING_RECORD_GROUP = "yunshu.io";
export const OFFBOARDING_RECORD_VERSION = "v1alpha1";
export const OFFBOARDING_RECORD_PLURAL = "offboardingrecords";
export const OFFBOARDING_RECORD_KIND = "OffboardingRecord";
export const OFFBOARDING_RECORD_API_VERSION = "yunshu.io/v1alpha1";
/** Where the API server serves offboardingrecords: what the operator's client needs to read and write them. */
export const OFFBOARDING_RECORD_RESOURCE = { group: "yunshu.io", version: "v1alpha1", kind: "OffboardingRecord", plural: "offboardingrecords", namespaced: false } as const;

/**
 * What was deleted when a tenant was offboarded, where and on whose decision, and the final check
 * that nothing of it remains on any cluster. Written once by the operator; never changed.
 */
export interface OffboardingRecord {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "OffboardingRecord";
  metadata: CustomObjectMeta;
  spec: OffboardingRecordSpec;
}

export interface OffboardingRecordList {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "OffboardingRecordList";
  metadata?: V1ListMeta;
  items: OffboardingRecord[];
}

export interface OffboardingRecordSpec {
  /**
   * The tenant that was offboarded.
   */
  tenant: string;
  /**
   * Its display name, for example 长沙市数据局.
   */
  displayName?: string;
  /**
   * The tenant its quota was carved from, which got it back; absent for a top-level tenant, whose
   * quota went back to the capacity pool.
   */
  parent?: string;
  /**
   * Its MLPS level.
   */
  securityLevel?: number;
  /**
   * The TenantRequest (action Offboard) that asked for it.
   */
  request: string;
  /**
   * Who filed the request.
   */
  requestedBy: string;
  /**
   * Who approved it.
   */
  approvedBy: string;
  /**
   * The request's reason.
   */
  reason?: string;
  /**
   * When the tenant was suspended and its grace period began.
   */
  startedAt: string;
  /**
   * When the grace period ended and deletion began.
   */
  deletionStartedAt: string;
  /**
   * When the final check found nothing of the tenant on any cluster.
   */
  completedAt: string;
  /**
   * The tenant-wide quota it held, returned to its parent or the capacity pool.
   */
  quota?: Record<string, string>;
  /**
   * What was deleted on each cluster the tenant was placed on.
   */
  clusters: OffboardingRecordCluster[];
  /**
   * Looked up on every cluster, from the API server, after the deletion: namespaces labelled with
   * the tenant, persistent volumes bound to claims in its namespaces, and RoleBindings or
   * ClusterRoleBindings naming its ServiceAccounts. The record is written only when all three are
   * empty everywhere.
   */
  finalCheck: OffboardingRecordFinalCheck;
}

export interface OffboardingRecordCluster {
  name: string;
  namespaces?: string[];
  persistentVolumes?: string[];
}

/**
 * Looked up on every cluster, from the API server, after the deletion: namespaces labelled with the
 * tenant, persistent volumes bound to claims in its namespaces, and RoleBindings or
 * ClusterRoleBindings naming its ServiceAccounts. The record is written only when all three are
 * empty everywhere.
 */
export interface OffboardingRecordFinalCheck {
  passed: boolean;
  checkedAt: string;
  /**
   * The clusters checked.
   */
  clusters?: string[];
}

// PriceSheet: pricesheets.yunshu.io/v1alpha1, from crds/yunshu.io_pricesheets.yaml.
export const PRICE_SHEET_GROUP = "yunshu.io";
export const PRICE_SHEET_VERSION = "v1alpha1";
export const PRICE_SHEET_PLURAL = "pricesheets";
export const PRICE_SHEET_KIND = "PriceSheet";
export const PRICE_SHEET_API_VERSION = "yunshu.io/v1alpha1";
/** Where the API server serves pricesheets: what the operator's client needs to read and write them. */
export const PRICE_SHEET_RESOURCE = { group: "yunshu.io", version: "v1alpha1", kind: "PriceSheet", plural: "pricesheets", namespaced: false } as const;

/**
 * Unit prices per resource and hour, per cluster tier or cluster, each from a date on. Units: a
 * core for CPU resources (requests.cpu, limits.cpu), a GiB for memory and storage (requests.memory,
 * requests.storage), one of a kind for anything else a quota names (pods, services, count/...).
 */
export interface PriceSheet {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "PriceSheet";
  metadata: CustomObjectMeta;
  spec: PriceSheetSpec;
}

export interface PriceSheetList {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "PriceSheetList";
  metadata?: V1ListMeta;
  items: PriceSheet[];
}

export interface PriceSheetSpec {
  /**
   * Prices are in yuan (人民币); amounts are rounded to the fen.
   */
  currency: "CNY";
  /**
   * Allocated bills the quota a tenant holds, whether used or not (what the platform must keep
   * ready). LargerOfAllocatedAndUsed bills, hour by hour, the larger of that and what its pods used
   * where usage is measured (CPU and memory from cAdvisor).
   */
  billedQuantity: "Allocated" | "LargerOfAllocatedAndUsed";
  /**
   * For each hour, each resource on each cluster is priced by the most specific rate in force that
   * names it (a cluster's beats a tier's beats one for all clusters), and among those by the latest
   * validFrom. A resource no rate names is not billed. Two rates with the same validFrom, cluster
   * and tier are refused.
   */
  rates: PriceSheetRate[];
}

export interface PriceSheetRate {
  /**
   * When the rate takes effect, RFC 3339 with its offset, such as 2026-11-16T00:00:00+08:00
   * (midnight in China).
   */
  validFrom: string;
  /**
   * One cluster, by its Cluster name; empty for any.
   *
   * @default ""
   */
  cluster?: string;
  /**
   * Every cluster of a tier (Cluster spec.tier); empty for any.
   *
   * @default ""
   */
  tier?: "" | "province" | "city" | "industry";
  /**
   * Yuan per unit and hour, by resource name, as a decimal with at most 6 places, such as "0.0800"
   * for requests.cpu (per core-hour) or "0.0100" for requests.memory (per GiB-hour).
   */
  prices: Record<string, string>;
}

// SecurityProfile: securityprofiles.yunshu.io/v1alpha1, from crds/yunshu.io_securityprofiles.yaml.
export const SECURITY_PROFILE_GROUP = "yunshu.io";
export const SECURITY_PROFILE_VERSION = "v1alpha1";
export const SECURITY_PROFILE_PLURAL = "securityprofiles";
export const SECURITY_PROFILE_KIND = "SecurityProfile";
export const SECURITY_PROFILE_API_VERSION = "yunshu.io/v1alpha1";
/** Where the API server serves securityprofiles: what the operator's client needs to read and write them. */
export const SECURITY_PROFILE_RESOURCE = { group: "yunshu.io", version: "v1alpha1", kind: "SecurityProfile", plural: "securityprofiles", namespaced: false } as const;

/**
 * The guardrails of one MLPS (等保) level, applied to every tenant whose spec.securityLevel is that
 * level. Named mlps-2, mlps-3 or mlps-4. A change reaches every tenant of the level at once.
 */
export interface SecurityProfile {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "SecurityProfile";
  metadata: CustomObjectMeta;
  spec: SecurityProfileSpec;
}

export interface SecurityProfileList {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "SecurityProfileList";
  metadata?: V1ListMeta;
  items: SecurityProfile[];
}

export interface SecurityProfileSpec {
  /**
   * The MLPS level this profile is for; the profile must be named mlps-<level>.
   */
  level: 2 | 3 | 4;
  /**
   * The Pod Security admission level enforced, audited and warned on the tenant's namespaces, and
   * the version of the Pod Security Standards it is pinned to, so that a cluster upgrade never
   * tightens or loosens a department's rules silently.
   */
  podSecurity: SecurityProfilePodSecurity;
  /**
   * Limits merged into the quota of every tenant of the level, for each resource the tenant's own
   * quota does not name (object counts and storage, so that no department can fill etcd or the
   * storage backend). Counted tenant-wide and split among its namespaces like the rest of its
   * quota; they protect the platform and are not carved from a parent's budget.
   */
  quota: SecurityProfileQuota;
  services: SecurityProfileServices;
  workloads: SecurityProfileWorkloads;
  images: SecurityProfileImages;
  network: SecurityProfileNetwork;
}

/**
 * The Pod Security admission level enforced, audited and warned on the tenant's namespaces, and the
 * version of the Pod Security Standards it is pinned to, so that a cluster upgrade never tightens
 * or loosens a department's rules silently.
 */
export interface SecurityProfilePodSecurity {
  level: "baseline" | "restricted";
  version: string;
}

/**
 * Limits merged into the quota of every tenant of the level, for each resource the tenant's own
 * quota does not name (object counts and storage, so that no department can fill etcd or the
 * storage backend). Counted tenant-wide and split among its namespaces like the rest of its quota;
 * they protect the platform and are not carved from a parent's budget.
 */
export interface SecurityProfileQuota {
  hard: Record<string, string | number>;
}

export interface SecurityProfileServices {
  /**
   * The Service types tenants may create. ClusterIP is always allowed; spec.externalIPs is never
   * allowed at any level (CVE-2020-8554).
   */
  allowedTypes: ("ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName")[];
}

export interface SecurityProfileWorkloads {
  /**
   * The PriorityClasses a tenant's pods may name (a pod that names none is always allowed). Never
   * system-*: those preempt the platform and every department.
   */
  priorityClasses: string[];
}

export interface SecurityProfileImages {
  /**
   * Image prefixes (registry host and optional path, ending in "/") that tenants' images must start
   * with; empty allows any registry.
   */
  registries: string[];
  /**
   * Always: every container must set imagePullPolicy Always, so the kubelet checks the department's
   * own pull credentials even when another department's pull already left the image on the node.
   * Any: no rule.
   */
  pullPolicy: "Always" | "Any";
}

export interface SecurityProfileNetwork {
  /**
   * The shortest prefix an egress CIDR of the tenant may have. With at most 32 CIDRs, a minimum
   * above /5 (IPv4) means no set of them adds up to the whole address space.
   */
  minEgressPrefix: SecurityProfileNetworkMinEgressPrefix;
  /**
   * Which ports of a tenant's pods the platform's monitoring namespace may reach: the ports the
   * Tenant declares in spec.network.metricsPorts (DeclaredPorts), or every port.
   */
  monitoring: "DeclaredPorts" | "AllPorts";
  /**
   * GrantedDomains: every Ingress host must lie under a domain the platform granted the Tenant
   * (spec.network.ingressDomains), and an Ingress may not catch every host (no rule without a host,
   * no default backend).
   */
  ingressHosts: "GrantedDomains" | "Any";
  /**
   * Whether tenants may write Endpoints and EndpointSlices by hand, which can point a Service at
   * any address.
   */
  endpointWrites: "Forbidden" | "Allowed";
}

/**
 * The shortest prefix an egress CIDR of the tenant may have. With at most 32 CIDRs, a minimum above
 * /5 (IPv4) means no set of them adds up to the whole address space.
 */
export interface SecurityProfileNetworkMinEgressPrefix {
  ipv4: number;
  ipv6: number;
}

// ShareAction: shareactions.yunshu.io/v1alpha1, from crds/yunshu.io_shareactions.yaml.
export const SHARE_ACTION_GROUP = "yunshu.io";
export const SHARE_ACTION_VERSION = "v1alpha1";
export const SHARE_ACTION_PLURAL = "shareactions";
export const SHARE_ACTION_KIND = "ShareAction";
export const SHARE_ACTION_API_VERSION = "yunshu.io/v1alpha1";
/** Where the API server serves shareactions: what the operator's client needs to read and write them. */
export const SHARE_ACTION_RESOURCE = { group: "yunshu.io", version: "v1alpha1", kind: "ShareAction", plural: "shareactions", namespaced: false } as const;

/**
 * An acceptance or a revocation of a Share, by one of its sides.
 */
export interface ShareAction {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "ShareAction";
  metadata: CustomObjectMeta;
  spec: ShareActionSpec;
}

export interface ShareActionList {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "ShareActionList";
  metadata?: V1ListMeta;
  items: ShareAction[];
}

export interface ShareActionSpec {
  /**
   * The Share acted on.
   */
  share: string;
  action: "Accept" | "Revoke";
  /**
   * Who acts, exactly as the API server authenticated them (the yunshu-shares policy checks it).
   */
  actor: ShareActionActor;
  reason?: string;
}

/**
 * Who acts, exactly as the API server authenticated them (the yunshu-shares policy checks it).
 */
export interface ShareActionActor {
  username: string;
  groups?: string[];
}

// Share: shares.yunshu.io/v1alpha1, from crds/yunshu.io_shares.yaml.
export const SHARE_GROUP = "yunshu.io";
export const SHARE_VERSION = "v1alpha1";
export const SHARE_PLURAL = "shares";
export const SHARE_KIND = "Share";
export const SHARE_API_VERSION = "yunshu.io/v1alpha1";
/** Where the API server serves shares: what the operator's client needs to read and write them. */
export const SHARE_RESOURCE = { group: "yunshu.io", version: "v1alpha1", kind: "Share", plural: "shares", namespaced: false } as const;

/**
 * An offer of one tenant's service to another tenant, with both sides' consent recorded: the
 * provider's offer here, the consumer's acceptance and either side's revocation as ShareActions.
 */
export interface Share {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "Share";
  metadata: CustomObjectMeta;
  spec: ShareSpec;
  /**
   * What yunshu made of the offer; written by the operator only.
   */
  status?: ShareStatus;
}

export interface ShareList {
  apiVersion: "yunshu.io/v1alpha1";
  kind: "ShareList";
  metadata?: V1ListMeta;
  items: Share[];
}

export interface ShareSpec {
  /**
   * What is offered.
   */
  provider: ShareProvider;
  /**
   * Who may call it.
   */
  consumer: ShareConsumer;
  /**
   * Who offered it, exactly as the API server authenticated them (the yunshu-shares policy checks
   * it). yunshu opens nothing unless they own the provider tenant or a tenant above it.
   */
  offeredBy: ShareOfferedBy;
  /**
   * Why the data is shared, and on what basis (for example the sharing catalogue entry).
   */
  purpose: string;
  /**
   * A platform admin's approval, needed when either tenant is at MLPS level 4; set once, by someone
   * other than who offered it.
   */
  platformApproval?: SharePlatformApproval;
}

/**
 * What is offered.
 */
export interface ShareProvider {
  /**
   * The tenant offering the service.
   */
  tenant: string;
  /**
   * Its namespace serving it, by its short name in the Tenant's spec.namespaces (prod, not
   * <tenant>-prod).
   */
  namespace: string;
  /**
   * The pods serving it. An empty selector offers every pod of the namespace.
   */
  podSelector: ShareProviderPodSelector;
  /**
   * The ports offered, by number: a share opens a service, never every port.
   */
  ports: ShareProviderPort[];
}

/**
 * The pods serving it. An empty selector offers every pod of the namespace.
 */
export interface ShareProviderPodSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: ShareProviderPodSelectorMatchExpression[];
}

export interface ShareProviderPodSelectorMatchExpression {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface ShareProviderPort {
  /**
   * @default "TCP"
   */
  protocol?: "TCP" | "UDP" | "SCTP";
  port: number;
  /**
   * With port, a range of ports.
   */
  endPort?: number;
}

/**
 * Who may call it.
 */
export interface ShareConsumer {
  /**
   * The tenant offered the service.
   */
  tenant: string;
  /**
   * Which of the consumer's namespaces may call it, by short name; all of them when left out.
   */
  namespaces?: string[];
  /**
   * Which of their pods may call it; all when left out.
   */
  podSelector?: ShareConsumerPodSelector;
}

/**
 * Which of their pods may call it; all when left out.
 */
export interface ShareConsumerPodSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: ShareConsumerPodSelectorMatchExpression[];
}

export interface ShareConsumerPodSelectorMatchExpression {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

/**
 * Who offered it, exactly as the API server authenticated them (the yunshu-shares policy checks
 * it). yunshu opens nothing unless they own the provider tenant or a tenant above it.
 */
export interface ShareOfferedBy {
  username: string;
  groups?: string[];
}

/**
 * A platform admin's approval, needed when either tenant is at MLPS level 4; set once, by someone
 * other than who offered it.
 */
export interface SharePlatformApproval {
  approvedBy: string;
  reason: string;
}

/**
 * What yunshu made of the offer; written by the operator only.
 */
export interface ShareStatus {
  /**
   * Offered: waits for the consumer's acceptance. AwaitingPlatform: accepted, waits for a platform
   * approval (MLPS level 4). Active: the policies are rendered. Revoked: closed for good. Refused:
   * the offer is not the provider owner's, or names what does not exist; nothing opens.
   */
  phase?: "Offered" | "AwaitingPlatform" | "Active" | "Revoked" | "Refused";
  message?: string;
  acceptedBy?: string;
  acceptedAt?: string;
  revokedBy?: string;
  revokedAt?: string;
  /**
   * Where both sides have their namespaces, so the paired policies open the service.
   */
  clusters?: string[];
  /**
   * Every act on the share in order, with who and when, those yunshu ignored included.
   */
  history?: ShareStatusHistoryItem[];
  observedGeneration?: number;
}

export interface ShareStatusHistoryItem {
  action: "Offer" | "Accept" | "Approve" | "Revoke";
  by: string;
  at: string;
  outcome: "Applied" | "Ignored";
  message?: string;
}

// TenantRequest: tenantrequests.yunshu.io/v1alpha1, from crds/yunshu.io_tenantrequests.yaml.
export const TENANT_REQUEST_GROUP = "yunshu.io";
export const TENANT_REQUEST_VERSION = "v1alpha1";
export const TENANT_REQUEST_PLURAL = "tenantrequests";
export const TENANT_REQUEST_KIND = "TenantRequest";
export const TENANT_REQUEST_API_VERSION = "yunshu.io/v1alpha1";
/** Where the API server serves tenantrequests: what the operator's client needs to read and write them. */
export const TENANT_REQUEST_RESOURCE = { group: "yunshu.io", version: "v1alpha1", kind: "TenantRequest", plural: "tenantrequests", namespaced: false } as const;

/**
 * A department's request to the platform team: create a tenant, change a tenant's quota or MLPS
 * level, or add or remove namespaces. yunshu reports whether the requester may ask it (condition
 * Authorized: owners ask for their tenants) and whether it fits the parent tenant's quota and the
 * cloud's capacity (condition Fits); a platform admin approves or denies it (condition Approved,
 * set through the status subresource, with status.decidedBy); yunshu then applies an approved
 * request to the Tenant (condition Applied). The spec cannot change after creation, and a decided
 * request cannot be deleted.
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
   * The verdicts, the decision and the outcome. Authorized, Fits and Applied are written by yunshu;
   * Approved and decidedBy by the platform admin who decides (kubectl yunshu approve|deny).
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
   * change (a DNS-1123 label; not default, kube or yunshu, nor starting with kube- or yunshu-,
   * which are Kubernetes' and the platform's).
   */
  tenant: string;
  /**
   * Create: a new tenant (displayName, level, and optionally parent, owners, namespaces, quota,
   * securityLevel). ChangeQuota: set the tenant-wide hard limits named in quota.hard to these
   * values (other resources keep theirs). AddNamespaces / RemoveNamespaces: add or remove the
   * namespaces named in namespaces (removal follows the tenant's deletionPolicy, Retain by
   * default). ChangeSecurityLevel: move the tenant to the MLPS level in securityLevel. Offboard:
   * end the tenant: it is suspended at once, its people keep reading through a grace period (30
   * days by default) to export their data, then every namespace of it on every cluster is deleted
   * with its persistent volumes, and an OffboardingRecord says so.
   */
  action: "Create" | "ChangeQuota" | "AddNamespaces" | "RemoveNamespaces" | "ChangeSecurityLevel" | "Offboard";
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
   * Create only. Where the new tenant runs (spec.placement of a Tenant): Cluster names, and regions
   * and tiers that select Clusters; its quota is split evenly over them. Without it the tenant runs
   * on the hub.
   */
  placement?: TenantRequestPlacement;
  /**
   * Create only. The new tenant's owners (spec.owners). When empty, the requester becomes the only
   * owner.
   */
  owners?: TenantRequestOwner[];
  /**
   * Create, AddNamespaces, RemoveNamespaces. Short namespace names (prod becomes <tenant>-prod):
   * one word of lower-case letters and digits each, without '-', and not system.
   */
  namespaces?: string[];
  /**
   * Create and ChangeSecurityLevel. The MLPS (等保) level, 2, 3 or 4, that selects the
   * SecurityProfile mlps-<level> (Tenant spec.securityLevel). With Create, the new tenant's level
   * (left out: the Tenant's default, 3); with ChangeSecurityLevel, required: the level the tenant
   * moves to, other than the one it has. The tenant's namespaces follow the new profile as soon as
   * the request is applied, so yunshu flags a lower level in condition Fits (reason
   * LowersSecurityLevel): approve it only with the system's re-classification (定级备案) on record.
   */
  securityLevel?: 2 | 3 | 4;
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
   * The creating user's groups, all of them or none. Ownership of a tenant through a Group counts
   * only when they are recorded (`kubectl yunshu request` records them).
   */
  groups?: string[];
}

/**
 * Create only. Where the new tenant runs (spec.placement of a Tenant): Cluster names, and regions
 * and tiers that select Clusters; its quota is split evenly over them. Without it the tenant runs
 * on the hub.
 */
export interface TenantRequestPlacement {
  /**
   * Clusters by name.
   */
  clusters?: string[];
  /**
   * Every Cluster in these regions (and tiers, when given).
   */
  regions?: string[];
  /**
   * Every Cluster of these tiers (and regions, when given).
   */
  tiers?: ("province" | "city" | "industry")[];
}

export interface TenantRequestOwner {
  /**
   * User, Group or ServiceAccount.
   */
  kind: "User" | "Group" | "ServiceAccount";
  /**
   * The user, group or service account name. A User or Group name may not start with system:
   * (Kubernetes' own identities); a service account is kind ServiceAccount.
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
 * The verdicts, the decision and the outcome. Authorized, Fits and Applied are written by yunshu;
 * Approved and decidedBy by the platform admin who decides (kubectl yunshu approve|deny).
 */
export interface TenantRequestStatus {
  /**
   * Authorized (yunshu: True when the requester may ask this: anyone for a new top-level tenant, an
   * owner of the tenant or of a tenant above it for anything else; False with reason NotOwner,
   * TenantNotFound, or TooManyPending when the requester has more requests pending than yunshu
   * judges at a time, and then Fits is not assessed; a request is approved only when True); Fits
   * (yunshu: True when the request fits the parent's quota and the cloud's capacity, with the
   * numbers in the message; for ChangeSecurityLevel True with reason RaisesSecurityLevel, or
   * LowersSecurityLevel, which asks the approver to check the re-classification first, and False
   * with reason SameSecurityLevel for the level the tenant has); Approved (the platform admin: True
   * with reason Approved, or False with reason Denied, and the decision's reason as the message;
   * final); Applied (yunshu: True once the Tenant was created or changed, False with reason Failed,
   * NotAuthorized or NoLongerFits when it could not be; final).
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
   * Authorized, Fits, Approved or Applied.
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
   * A CamelCase reason, such as Owner, NotOwner, Fits, ExceedsParentQuota, Approved, Denied,
   * Applied, Failed.
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
export const TENANT_API_VERSION = "yunshu.io/v1alpha1";
/** Where the API server serves tenants: what the operator's client needs to read and write them. */
export const TENANT_RESOURCE = { group: "yunshu.io", version: "v1alpha1", kind: "Tenant", plural: "tenants", namespaced: false } as const;

/**
 * A Tenant is a department (or any other organisation) of the provincial government cloud. yunshu
 * turns it into the department's namespaces, a tenant-wide quota, container limit ranges, network
 * policies, Pod Security labels and tenant-admin RoleBindings, and keeps them as declared.
 * Cluster-scoped; its name prefixes every namespace it owns, so it is a DNS-1123 label that is not
 * default, kube or yunshu and does not start with kube- or yunshu- (those are Kubernetes' and the
 * platform's).
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
   * The department's staff next to its owners: up to 256 users or groups, each with a role in every
   * namespace of the tenant. admin (ClusterRole yunshu-tenant-admin, as owners have): run
   * applications and manage the namespace's Roles and RoleBindings; developer
   * (yunshu-tenant-developer): run applications, read and write their configuration and secrets,
   * exec into pods; viewer (yunshu-tenant-viewer): read workloads, logs and events, never secrets.
   * The roles are aggregated: the platform adds rules to them with ClusterRoles labelled
   * yunshu.io/aggregate-to-tenant-<role>. Inside the tenant, a RoleBinding may name only owners,
   * members and the ServiceAccounts of the tenant's own namespaces (admission policy
   * yunshu-tenant-grants); removing someone here removes every binding to them, on every cluster.
   */
  members?: TenantMember[];
  /**
   * The tenant's namespaces, at most 32. Each entry `name` becomes the namespace `<tenant>-<name>`
   * (for example `prod` in tenant `hunan-data-bureau` becomes `hunan-data-bureau-prod`), which must
   * be at most 63 characters. Names are unique, one word each. Removing an entry releases or
   * deletes the namespace as deletionPolicy says.
   */
  namespaces?: TenantNamespace[];
  /**
   * Tenant-wide hard limits: what all the tenant's namespaces together may request or create.
   * yunshu divides them into a ResourceQuota per namespace and reports the summed usage in
   * status.quota. Without it the tenant has no quota.
   */
  quota?: TenantQuota;
  /**
   * Which clusters of the fleet (Cluster objects in the hub) the tenant lives on. The tenant is
   * placed on every cluster named in clusters, plus every cluster that regions and tiers select:
   * with only regions, every cluster in one of those regions; with only tiers, every cluster of one
   * of those tiers; with both, every cluster that matches both. On each of them yunshu creates the
   * tenant's namespaces, its share of the quota, limit ranges, network policies and owner bindings.
   * Without placement the tenant lives on the hub only, the cluster yunshu runs in. A cluster the
   * tenant leaves is treated like a removed namespace: deletionPolicy says whether its namespaces
   * there are released or deleted.
   */
  placement?: TenantPlacement;
  /**
   * Per-container defaults and bounds, by resource (cpu, memory, ephemeral-storage); they become a
   * LimitRange of type Container in every namespace of the tenant. The values must be ordered min
   * <= defaultRequest <= default <= max for each resource that appears in both.
   */
  limits?: TenantLimits;
  /**
   * Network isolation. Every tenant namespace denies all ingress and egress by default; always
   * allowed are traffic among the tenant's own namespaces (only within the same namespace at
   * securityLevel 4), DNS to the cluster's DNS service, and scraping of metricsPorts by the
   * platform's monitoring namespace (every port if the level's SecurityProfile says AllPorts).
   * Traffic with other tenants' namespaces is not allowed. Set by the platform.
   */
  network?: TenantNetwork;
  /**
   * The MLPS level (网络安全等级保护, 等保) the tenant's systems are classified at: 2, 3 or 4; defaults to 3.
   * It selects the SecurityProfile mlps-<level> (kubectl get securityprofiles): Pod Security level,
   * count and storage quota, Service types, registries and image pulls, PriorityClasses, egress
   * prefixes, monitoring ports, Ingress hosts and Endpoints writes. At 4 pods may also talk only
   * within their own namespace, not across the tenant's namespaces. Departments change it through a
   * TenantRequest (action ChangeSecurityLevel).
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
  /**
   * Set by the platform to suspend (cordon) the tenant, on every cluster it is placed on: new pods,
   * changes and new tokens in its namespaces are refused with the reason (the
   * yunshu-suspended-tenants policy, cluster admins included); reads, deletes and running workloads
   * continue; its TenantRequests are held (Fits=False, TenantSuspended). Removing it lifts the
   * suspension.
   */
  suspension?: TenantSuspension;
  /**
   * Set by yunshu when an approved TenantRequest with action Offboard is carried out. The tenant is
   * suspended at once (reads and running workloads go on, so the department can export its data);
   * when the grace period has passed (status.offboarding.deleteAfter) the Tenant is deleted and
   * every namespace of it on every cluster is deleted, whatever deletionPolicy says, with the
   * persistent volumes bound to its claims. An OffboardingRecord then lists what was deleted,
   * where, on whose decision, and the final check. The platform may cancel it during the grace
   * period by removing it; it cannot be changed.
   */
  offboarding?: TenantOffboarding;
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
   * to 253 characters). A User or Group name may not start with system: (Kubernetes' own
   * identities, such as system:authenticated); a service account is declared as kind ServiceAccount
   * with its namespace.
   */
  name: string;
  /**
   * The service account's namespace. Required for a ServiceAccount, forbidden for a User or a Group
   * (they are not namespaced).
   */
  namespace?: string;
}

export interface TenantMember {
  /**
   * User or Group, as the cluster's authenticator reports them.
   */
  kind: "User" | "Group";
  /**
   * The user or group name (1 to 253 characters). Names starting with system: are Kubernetes' own
   * identities (system:authenticated is everyone) and are refused.
   */
  name: string;
  /**
   * admin, developer or viewer.
   */
  role: "admin" | "developer" | "viewer";
}

export interface TenantNamespace {
  /**
   * The short name: one word of lower-case letters and digits, without '-', and not `system`; the
   * namespace is `<tenant>-<name>`.
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
 * Which clusters of the fleet (Cluster objects in the hub) the tenant lives on. The tenant is
 * placed on every cluster named in clusters, plus every cluster that regions and tiers select: with
 * only regions, every cluster in one of those regions; with only tiers, every cluster of one of
 * those tiers; with both, every cluster that matches both. On each of them yunshu creates the
 * tenant's namespaces, its share of the quota, limit ranges, network policies and owner bindings.
 * Without placement the tenant lives on the hub only, the cluster yunshu runs in. A cluster the
 * tenant leaves is treated like a removed namespace: deletionPolicy says whether its namespaces
 * there are released or deleted.
 */
export interface TenantPlacement {
  /**
   * Clusters the tenant is placed on, by the Cluster's name (for example hunan, changsha), at most
   * 64, no duplicates. A name with no Cluster behind it is reported in the tenant's status.
   */
  clusters?: string[];
  /**
   * Selects the clusters whose spec.region is one of these (for example changsha), at most 32, no
   * duplicates; combined with tiers when both are given. A cluster registered later in a selected
   * region gets the tenant too.
   */
  regions?: string[];
  /**
   * Selects the clusters whose spec.tier is one of these: province, city or industry; combined with
   * regions when both are given.
   */
  tiers?: ("province" | "city" | "industry")[];
  /**
   * How spec.quota.hard is split across the placed clusters: one entry per cluster, at most 64. For
   * each resource of spec.quota.hard, a cluster whose entry gives an amount gets that amount, and
   * the other placed clusters share what the entries leave, evenly (CPU to the milli-core,
   * everything else in whole units, the rest one unit each to the first clusters by name, so that
   * nothing is lost to rounding). Without entries every placed cluster gets an even share. An entry
   * may give no more than spec.quota.hard has; entries that give more in total, or an entry for a
   * cluster the tenant is not placed on, are reported in the tenant's status.
   */
  quotas?: TenantPlacementQuota[];
}

export interface TenantPlacementQuota {
  /**
   * The Cluster's name.
   */
  cluster: string;
  /**
   * The cluster's share, by resource of spec.quota.hard, as non-negative quantities such as 8, 500m
   * or 16Gi; a resource left out gets an even share of what remains.
   */
  hard: Record<string, string | number>;
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
 * securityLevel 4), DNS to the cluster's DNS service, and scraping of metricsPorts by the
 * platform's monitoring namespace (every port if the level's SecurityProfile says AllPorts).
 * Traffic with other tenants' namespaces is not allowed. Set by the platform.
 */
export interface TenantNetwork {
  /**
   * TCP ports of the tenant's pods that the platform's monitoring may scrape; no other port is
   * reachable from the monitoring namespace.
   */
  metricsPorts?: number[];
  /**
   * DNS domains the platform granted the tenant: its Ingress hosts must be one of them or lie under
   * one (for example czt.hunan.gov.cn admits pay.czt.hunan.gov.cn), when the level's
   * SecurityProfile says GrantedDomains. A domain is one tenant's: one that overlaps a domain
   * granted earlier to another tenant (the same, or one under the other) is withheld and reported
   * (Ready reason IngressDomainTaken).
   */
  ingressDomains?: string[];
  /**
   * IPv4 or IPv6 CIDRs outside the cluster that the tenant's pods may reach (for example
   * 10.20.0.0/16, a provincial data exchange), at most 32, no duplicates. Each must be at least as
   * narrow as the level's SecurityProfile allows (network.minEgressPrefix: /16 at level 3, /24 at
   * level 4 by default); the yunshu-profile-egress policy refuses a wider one.
   */
  egressCIDRs?: string[];
}

/**
 * Set by the platform to suspend (cordon) the tenant, on every cluster it is placed on: new pods,
 * changes and new tokens in its namespaces are refused with the reason (the
 * yunshu-suspended-tenants policy, cluster admins included); reads, deletes and running workloads
 * continue; its TenantRequests are held (Fits=False, TenantSuspended). Removing it lifts the
 * suspension.
 */
export interface TenantSuspension {
  /**
   * Why, shown in every refusal (an audit freeze, an unpaid contract, a security incident).
   */
  reason: string;
}

/**
 * Set by yunshu when an approved TenantRequest with action Offboard is carried out. The tenant is
 * suspended at once (reads and running workloads go on, so the department can export its data);
 * when the grace period has passed (status.offboarding.deleteAfter) the Tenant is deleted and every
 * namespace of it on every cluster is deleted, whatever deletionPolicy says, with the persistent
 * volumes bound to its claims. An OffboardingRecord then lists what was deleted, where, on whose
 * decision, and the final check. The platform may cancel it during the grace period by removing it;
 * it cannot be changed.
 */
export interface TenantOffboarding {
  /**
   * The TenantRequest that asked for it.
   */
  request: string;
  /**
   * Who filed the request (its spec.requester.username).
   */
  requestedBy: string;
  /**
   * Who approved it (the request's status.decidedBy).
   */
  approvedBy: string;
  /**
   * The request's reason.
   */
  reason?: string;
}

/**
 * What the operator observed and did; written by the operator only.
 */
export interface TenantStatus {
  /**
   * The offboarding's clock, while spec.offboarding is set.
   */
  offboarding?: TenantStatusOffboarding;
  /**
   * What an offboarding deletes on each cluster, written by that cluster's reconciler before it
   * deletes anything and only ever added to, so that the OffboardingRecord lists everything even
   * when the operator was stopped halfway.
   */
  deletions?: TenantStatusDeletion[];
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
   * How many of the tenant's namespaces are active, on every cluster it is placed on.
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
  /**
   * The tenant on each cluster it is placed on: per placed cluster, written by the operator.
   */
  clusters?: TenantStatusCluster[];
}

/**
 * The offboarding's clock, while spec.offboarding is set.
 */
export interface TenantStatusOffboarding {
  /**
   * When yunshu suspended the tenant for offboarding.
   */
  startedAt?: string;
  /**
   * When the grace period ends and the tenant's namespaces are deleted on every cluster.
   */
  deleteAfter?: string;
}

export interface TenantStatusDeletion {
  cluster: string;
  namespaces?: string[];
  persistentVolumes?: string[];
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

export interface TenantStatusCluster {
  /**
   * The Cluster's name.
   */
  name: string;
  /**
   * Whether the tenant's namespaces and the objects in them are as the spec declares on this
   * cluster.
   */
  ready: boolean;
  /**
   * The metadata.generation of the Tenant this entry describes.
   */
  observedGeneration?: number;
  /**
   * How many of the tenant's namespaces exist on this cluster, released ones included.
   */
  namespaces?: number;
  /**
   * Why the tenant is not ready on this cluster, for example that the cluster is unreachable.
   */
  message?: string;
  /**
   * The tenant's share of its quota on this cluster, summed across its namespaces there.
   */
  quota?: TenantStatusClusterQuota;
}

/**
 * The tenant's share of its quota on this cluster, summed across its namespaces there.
 */
export interface TenantStatusClusterQuota {
  /**
   * The cluster's share of spec.quota.hard, by resource name.
   */
  hard?: Record<string, string>;
  /**
   * The usage on this cluster, summed across namespaces, by resource name.
   */
  used?: Record<string, string>;
}
