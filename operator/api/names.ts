// The names yunshu's manifests (crds/), its chart, its Pulumi bootstrap and
// its code must agree on. The admission policies exempt exactly the
// operator's ServiceAccount, so a second spelling anywhere would be a hole
// or an outage. Plain constants: infra/ imports this without pulling in the
// operator's runtime.

/** The operator's namespace: its ServiceAccount and its Lease live here. */
export const OPERATOR_NAMESPACE = "yunshu-system";
/**
 * Member clusters' kubeconfig Secrets live here, apart from the operator's
 * namespace: whoever may write Secrets in a namespace can have
 * kube-controller-manager mint a token for any ServiceAccount there, so the
 * registrar must write Secrets only where no privileged ServiceAccount lives.
 */
export const CLUSTER_CREDENTIALS_NAMESPACE = "yunshu-clusters";
/** The operator's ServiceAccount, the one identity every admission policy exempts. */
export const OPERATOR_SERVICE_ACCOUNT = "yunshu-operator";
/** The username the API server gives the operator's ServiceAccount. */
export const OPERATOR_USERNAME = `system:serviceaccount:${OPERATOR_NAMESPACE}:${OPERATOR_SERVICE_ACCOUNT}`;
/** The groups the API server gives that ServiceAccount; impersonating it needs them too. */
export const OPERATOR_GROUPS = ["system:serviceaccounts", `system:serviceaccounts:${OPERATOR_NAMESPACE}`, "system:authenticated"];
/** The leader-election Lease's default name. */
export const OPERATOR_LEASE = "yunshu-operator";

/** One field manager for every write of the tenant controllers, so server-side apply tracks exactly what yunshu owns. */
export const FIELD_MANAGER = "yunshu";
/** Holds a Tenant until its namespaces have been released or deleted per its deletionPolicy. */
export const TENANT_FINALIZER = "yunshu.io/namespaces";
