// `request`'s flags → a TenantRequest. Everything the API server would
// refuse for a reason visible in the flags is refused here first, with the
// flag's name in the message, before anything is sent.
import type { TenantRequest, TenantRequestOwner, TenantRequestRequester, TenantRequestSpec } from "../api/generated.ts";
import { parseQuantity, QuantityError } from "../api/quantity.ts";
import { UsageError } from "./errors.ts";

export interface RequestFlags {
  tenant?: string;
  reason?: string;
  create?: boolean;
  displayName?: string;
  level?: string;
  parent?: string;
  code?: string;
  owner?: string[];
  namespace?: string[];
  cluster?: string[];
  region?: string[];
  tier?: string[];
  quota?: string[];
  addNamespace?: string[];
  removeNamespace?: string[];
  securityLevel?: string;
  offboard?: boolean;
}

export type RequestDraft = Omit<TenantRequestSpec, "requester">;

export const LEVELS = ["province", "city", "county", "township", "village"] as const;
type Level = (typeof LEVELS)[number];
export const TIERS = ["province", "city", "industry"] as const;
type Tier = (typeof TIERS)[number];
const SECURITY_LEVELS = [2, 3, 4] as const;
type SecurityLevel = (typeof SECURITY_LEVELS)[number];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The CRDs' short namespace name: one word, so that <tenant>-<name> reads one way only. */
const SHORT_NAME = /^[a-z0-9]+$/;
const MAX_REASON = 2048;
/** The Tenant CRD's pattern for spec.code; the request's own schema only bounds its length. */
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The resource names a Tenant's quota accepts (the Tenant CRD's rule), so that a typo fails now rather than at apply. */
const QUOTA_RESOURCES = new Set([
  "cpu",
  "memory",
  "ephemeral-storage",
  "requests.cpu",
  "requests.memory",
  "requests.ephemeral-storage",
  "requests.storage",
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
  "pods",
  "services",
  "services.loadbalancers",
  "services.nodeports",
  "persistentvolumeclaims",
  "configmaps",
  "secrets",
  "replicationcontrollers",
  "resourcequotas",
]);

const isQuotaResource = (name: string) =>
  QUOTA_RESOURCES.has(name) || name.startsWith("count/") || (name.startsWith("requests.") && name.includes("/"));

function dnsLabel(flag: string, value: string, what: string): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a valid ${what}: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`);
  }
  return value;
}

/** --tenant as the CRDs take it: a DNS-1123 label, not a name kept for Kubernetes and the platform (whose namespaces a tenant's would pass for). */
function tenantName(value: string): string {
  const tenant = dnsLabel("--tenant", value, "tenant name");
  if (["default", "kube", "yunshu"].includes(tenant) || tenant.startsWith("kube-") || tenant.startsWith("yunshu-")) {
    throw new UsageError(`--tenant ${tenant} is reserved: default, kube, yunshu and names starting with kube- or yunshu- are Kubernetes' and the platform's; name the tenant after the department`);
  }
  return tenant;
}

/** `requests.cpu=8` → ["requests.cpu", "8"], checked like the CRD checks it. */
export function parseQuotaFlags(values: readonly string[]): Record<string, string> {
  const hard: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    const resource = eq > 0 ? value.slice(0, eq).trim() : "";
    const amount = eq > 0 ? value.slice(eq + 1).trim() : "";
    if (!resource || !amount) throw new UsageError(`--quota ${JSON.stringify(value)} must be RESOURCE=QUANTITY, such as requests.cpu=8 or requests.memory=16Gi`);
    if (!isQuotaResource(resource)) {
      throw new UsageError(
        `--quota ${resource} is not a ResourceQuota resource name; use one such as requests.cpu, requests.memory, limits.cpu, pods, count/deployments.apps or requests.nvidia.com/gpu`,
      );
    }
    if (resource in hard) throw new UsageError(`--quota names ${resource} twice`);
    let milli: bigint;
    try {
      milli = parseQuantity(amount);
    } catch (err) {
      if (err instanceof QuantityError) throw new UsageError(`--quota ${resource}: "${amount}" is not a quantity (examples: 8, 500m, 16Gi)`);
      throw err;
    }
    if (milli < 0n) throw new UsageError(`--quota ${resource}: "${amount}" is negative; use zero or more`);
    hard[resource] = amount;
  }
  return hard;
}

/**
 * `User:alice`, `Group:dept-x`, `ServiceAccount:NAMESPACE:NAME` — the
 * namespace comes first, as in kubectl's --serviceaccount and in the
 * ServiceAccount's user name system:serviceaccount:NAMESPACE:NAME.
 */
export function parseOwnerFlag(value: string): TenantRequestOwner {
  const [kindText = "", ...rest] = value.split(":");
  const kind = (["User", "Group", "ServiceAccount"] as const).find((k) => k.toLowerCase() === kindText.toLowerCase());
  const shape = "use User:NAME, Group:NAME or ServiceAccount:NAMESPACE:NAME";
  if (!kind) throw new UsageError(`--owner ${JSON.stringify(value)}: the kind must be User, Group or ServiceAccount; ${shape}`);
  if (kind === "ServiceAccount") {
    const [namespace = "", name = "", ...extra] = rest;
    if (!namespace || !name || extra.length > 0) throw new UsageError(`--owner ${JSON.stringify(value)}: a ServiceAccount owner is ServiceAccount:NAMESPACE:NAME`);
    return { kind, name, namespace: dnsLabel("--owner", namespace, "namespace") };
  }
  // User and group names may contain colons themselves (oidc:alice).
  const name = rest.join(":");
  if (!name) throw new UsageError(`--owner ${JSON.stringify(value)} names no ${kind.toLowerCase()}; ${shape}`);
  const serviceAccount = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name);
  if (kind === "User" && serviceAccount) {
    throw new UsageError(`--owner ${JSON.stringify(value)} is a service account: use --owner ServiceAccount:${serviceAccount[1]}:${serviceAccount[2]}`);
  }
  if (name.startsWith("system:")) {
    throw new UsageError(
      `--owner ${JSON.stringify(value)} is a Kubernetes system identity: system: names stand for Kubernetes components or for everyone of a kind (system:authenticated is every signed-in user), who would all own the tenant; name the department's own users and groups`,
    );
  }
  return { kind, name };
}

function namespaceList(flag: string, tenant: string, values: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    if (!SHORT_NAME.test(value)) {
      const joined = value.replaceAll("-", "");
      const instead = SHORT_NAME.test(joined) ? `"${joined}" or another single word` : "a word such as prod, test or staging";
      throw new UsageError(`${flag} ${JSON.stringify(value)} is not a short namespace name: short namespace names are one word of lower-case letters and digits, without '-', so that <tenant>-<name> reads one way only; use ${instead}`);
    }
    if (value === "system") throw new UsageError(`${flag} system is reserved: ${tenant}-system would read as a platform component's namespace; use another word, such as ops or infra`);
    if (tenant.length + 1 + value.length > 63) {
      throw new UsageError(`${flag} ${value}: namespace "${tenant}-${value}" would be longer than 63 characters; shorten the namespace name`);
    }
    if (seen.has(value)) throw new UsageError(`${flag} names ${value} twice`);
    seen.add(value);
  }
  return [...seen];
}

const given = (list: readonly string[] | undefined) => (list?.length ?? 0) > 0;

function securityLevel(value: string): SecurityLevel {
  const level = SECURITY_LEVELS.find((l) => String(l) === value.trim());
  if (level === undefined) throw new UsageError(`--security-level ${JSON.stringify(value)} is not an MLPS level; use one of ${SECURITY_LEVELS.join(", ")}`);
  return level;
}

/** Checks the flags and says what they ask for; throws a UsageError naming the flag at fault. */
export function draftFromFlags(flags: RequestFlags): RequestDraft {
  if (!flags.tenant) throw new UsageError("--tenant is required: the tenant to create or change");
  const tenant = tenantName(flags.tenant);
  const reason = (flags.reason ?? "").trim();
  if (!reason) throw new UsageError("--reason is required: say why, for the platform team and the audit trail");
  if ([...reason].length > MAX_REASON) throw new UsageError(`--reason is ${[...reason].length} characters; keep it to ${MAX_REASON}`);

  const actions = [
    flags.create ? "--create" : undefined,
    !flags.create && given(flags.quota) ? "--quota" : undefined,
    given(flags.addNamespace) ? "--add-namespace" : undefined,
    given(flags.removeNamespace) ? "--remove-namespace" : undefined,
    !flags.create && flags.securityLevel !== undefined ? "--security-level" : undefined,
    flags.offboard ? "--offboard" : undefined,
  ].filter((a) => a !== undefined);
  const createOnly = (
    [
      ["--display-name", flags.displayName !== undefined],
      ["--level", flags.level !== undefined],
      ["--parent", flags.parent !== undefined],
      ["--code", flags.code !== undefined],
      ["--owner", given(flags.owner)],
      ["--namespace", given(flags.namespace)],
      ["--cluster", given(flags.cluster)],
      ["--region", given(flags.region)],
      ["--tier", given(flags.tier)],
    ] as const
  )
    .filter(([, set]) => set)
    .map(([flag]) => flag);
  const describe = `${createOnly.join(", ")} ${createOnly.length === 1 ? "describes" : "describe"} a new tenant`;
  if (actions.length === 0) {
    if (createOnly.length > 0) throw new UsageError(`${describe}: add --create`);
    throw new UsageError(
      "say what you ask for: --create (a new tenant), --quota RESOURCE=QUANTITY (change quota), --add-namespace NAME, --remove-namespace NAME, --security-level N (change the MLPS level) or --offboard (end the tenant)",
    );
  }
  if (actions.length > 1) throw new UsageError(`one request asks for one thing, but ${actions.join(" and ")} were given; file two requests`);

  if (flags.create) return createDraft(tenant, reason, flags);
  if (createOnly.length > 0) {
    throw new UsageError(`${describe}, which only --create takes, not ${actions[0]}`);
  }
  if (given(flags.quota)) return { tenant, action: "ChangeQuota", reason, quota: { hard: parseQuotaFlags(flags.quota!) } };
  if (flags.securityLevel !== undefined) return { tenant, action: "ChangeSecurityLevel", reason, securityLevel: securityLevel(flags.securityLevel) };
  if (flags.offboard) return { tenant, action: "Offboard", reason };
  if (given(flags.addNamespace)) return { tenant, action: "AddNamespaces", reason, namespaces: namespaceList("--add-namespace", tenant, flags.addNamespace!) };
  return { tenant, action: "RemoveNamespaces", reason, namespaces: namespaceList("--remove-namespace", tenant, flags.removeNamespace!) };
}

function createDraft(tenant: string, reason: string, flags: RequestFlags): RequestDraft {
  const displayName = flags.displayName?.trim();
  if (!displayName) throw new UsageError("--create needs --display-name: the department's name as people know it, such as 长沙市数据局");
  if ([...displayName].length > 128) throw new UsageError(`--display-name is ${[...displayName].length} characters; keep it to 128`);
  if (!flags.level) throw new UsageError(`--create needs --level: one of ${LEVELS.join(", ")}`);
  if (!LEVELS.includes(flags.level as Level)) throw new UsageError(`--level ${JSON.stringify(flags.level)} is not a level; use one of ${LEVELS.join(", ")}`);
  const draft: RequestDraft = { tenant, action: "Create", reason, displayName, level: flags.level as Level };
  if (flags.code !== undefined) {
    if (!CREDIT_CODE.test(flags.code)) {
      throw new UsageError(`--code ${JSON.stringify(flags.code)} is not a unified social credit code: 18 digits and upper-case letters (no I, O, S, V, Z), digits in positions 3 to 8`);
    }
    draft.code = flags.code;
  }
  if (flags.parent !== undefined) {
    draft.parent = dnsLabel("--parent", flags.parent, "tenant name");
    if (draft.parent === tenant) throw new UsageError("--parent names the tenant itself; a tenant cannot be its own parent");
  }
  if (given(flags.owner)) draft.owners = flags.owner!.map(parseOwnerFlag);
  if (given(flags.namespace)) draft.namespaces = namespaceList("--namespace", tenant, flags.namespace!);
  if (given(flags.quota)) draft.quota = { hard: parseQuotaFlags(flags.quota!) };
  if (flags.securityLevel !== undefined) draft.securityLevel = securityLevel(flags.securityLevel);
  if (given(flags.cluster) || given(flags.region) || given(flags.tier)) {
    const tiers = flags.tier ?? [];
    const badTier = tiers.find((t) => !TIERS.includes(t as Tier));
    if (badTier !== undefined) throw new UsageError(`--tier ${JSON.stringify(badTier)} is not a tier; use one of ${TIERS.join(", ")}`);
    draft.placement = {
      ...(given(flags.cluster) ? { clusters: [...new Set(flags.cluster!.map((c) => dnsLabel("--cluster", c, "cluster name")))] } : {}),
      ...(given(flags.region) ? { regions: [...new Set(flags.region!.map((r) => dnsLabel("--region", r, "region name")))] } : {}),
      ...(given(flags.tier) ? { tiers: [...new Set(tiers as Tier[])] } : {}),
    };
  }
  return draft;
}

/** The object to create: the draft in the requester's name, with a generated name that starts with the tenant's. */
export function tenantRequestFor(draft: RequestDraft, requester: TenantRequestRequester): TenantRequest {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "TenantRequest",
    // An empty name lets the API server generate one from generateName.
    metadata: { name: "", generateName: `${draft.tenant}-` },
    spec: { ...draft, requester },
  };
}
