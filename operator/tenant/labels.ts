// The names yunshu writes on every object it manages. The admission policies
// in crds/ and the operator's informers select on the same labels, so they
// live in one place.

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "yunshu";
/** Selects everything yunshu manages, in every cluster. */
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
/** Which tenant an object belongs to; network policies trust it, so only the operator may set it. */
export const TENANT_LABEL = "yunshu.io/tenant";
/** A tenant namespace's short name (`prod` for `<tenant>-prod`). */
export const SHORT_NAME_LABEL = "yunshu.io/namespace";
/** Set on a namespace its tenant no longer declares and that deletionPolicy Retain kept. */
export const RELEASED_LABEL = "yunshu.io/released";

/** A namespace yunshu released under deletionPolicy Retain: kept, without owner access. */
export const isReleased = (ns: { metadata: { labels?: Record<string, string> } }) => ns.metadata.labels?.[RELEASED_LABEL] === "true";
/** On a namespace its deleted tenant left behind: the parent tenant charged with it, or "" for the capacity pool (retained.ts). */
export const RETAINED_FOR_ANNOTATION = "yunshu.io/retained-for";
/** When yunshu released the namespace, and what access it revoked then: the release's record on the namespace itself. */
export const RELEASED_AT_ANNOTATION = "yunshu.io/released-at";
export const REVOKED_ACCESS_ANNOTATION = "yunshu.io/revoked-access";
export const DISPLAY_NAME_ANNOTATION = "yunshu.io/display-name";
/** On every namespace of a suspended tenant: the yunshu-suspended-tenants policy selects them by it. */
export const SUSPENDED_LABEL = "yunshu.io/suspended";
/** Why, for the policy's refusals. */
export const SUSPENSION_REASON_ANNOTATION = "yunshu.io/suspension-reason";

export function tenantLabels(tenant: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY, [TENANT_LABEL]: tenant };
}

export function namespaceName(tenant: string, shortName: string): string {
  return `${tenant}-${shortName}`;
}
