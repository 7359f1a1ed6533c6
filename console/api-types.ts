// What the console's server (console/server/) answers its page
// (console/web/), and nothing more: the page imports these types, the
// server builds them. Every answer is computed with the signed-in user's own
// token, so a type here never widens what that user may read.
import type { Statement } from "../operator/billing/types.ts";

export type { Statement, StatementLine, TenantStatement } from "../operator/billing/types.ts";

export interface UserIdentity {
  username: string;
  groups: string[];
}

/** GET /api/session, and the answer to a sign-in (POST /api/session). */
export interface SessionInfo {
  user: UserIdentity;
  /** Sent back in the x-csrf-token header with every POST and DELETE. */
  csrfToken: string;
  /** The user may decide requests (the API server says so: update on tenantrequests/status). */
  platformAdmin: boolean;
  /** The API server the console signs users in to. */
  server: string;
  /** When the session ends at the latest (the token's own expiry, or the console's limit). */
  expiresAt: string;
}

/** Every refusal: the HTTP status, a CamelCase reason, and a message in English from the API server or the console. */
export interface ApiErrorBody {
  code: number;
  reason: string;
  message: string;
  /** The causes the API server gave (field paths and messages), for a form to show beside its fields. */
  causes?: { field?: string; message: string }[];
}

export interface ConditionView {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/** One resource of a quota: what is allowed, what is used, and used/hard (0..1, or more when over). */
export interface QuotaRow {
  resource: string;
  hard?: string;
  used?: string;
  /** What the tenant's children hold of it. */
  children?: string;
  /** used / hard, when both are known and hard is not zero. */
  fraction?: number;
}

/** How the user comes to see a tenant. */
export type Relation = "owner" | "admin" | "developer" | "viewer";

export interface MyTenant {
  name: string;
  displayName: string;
  level: string;
  parent?: string;
  securityLevel?: number;
  relation: Relation;
  /** When the user owns it through a tenant above it: that tenant's name. */
  ownedThrough?: string;
  /** Where its namespaces are: one entry per cluster the tenant is placed on. */
  clusters: { name: string; ready: boolean; namespaces: string[]; message?: string }[];
  /** Every namespace the tenant has, with its state (Active, Released, Conflict, Terminating). */
  namespaces: { name: string; state: string }[];
  quota: QuotaRow[];
  conditions: ConditionView[];
  /** Set while the tenant is being offboarded. */
  offboarding?: { startedAt?: string; deleteAfter?: string };
}

/** GET /api/mine, and yunshu's GET /mine: the tenants the caller owns or is a member of, on every cluster. */
export interface MineAnswer {
  user: UserIdentity;
  tenants: MyTenant[];
}

export type RequestAction = "Create" | "ChangeQuota" | "AddNamespaces" | "RemoveNamespaces" | "ChangeSecurityLevel" | "Offboard";

export type RequestPhase = "Pending" | "NotAuthorized" | "DoesNotFit" | "Approved" | "Denied" | "Applied" | "Failed";

export interface CapacityRowView {
  budget: string;
  resource: string;
  requested: string;
  allocated: string;
  limit: string;
  fits: boolean;
}

/** One step of a request's life, in order: filed, judged, decided, applied. */
export interface TimelineStep {
  step: "filed" | "judged" | "decided" | "applied";
  state: "done" | "failed" | "waiting";
  at?: string;
  /** Who: the requester for filed, the decider for decided. */
  by?: string;
  /** What was said: the request's reason, the verdicts' messages, the decision's reason, the outcome. */
  message?: string;
}

export interface RequestSummary {
  name: string;
  tenant: string;
  action: RequestAction;
  reason: string;
  requester: string;
  filedAt: string;
  /** The request's whole spec, as filed. */
  spec: Record<string, unknown>;
  phase: RequestPhase;
  authorized?: ConditionView;
  fits?: ConditionView;
  approved?: ConditionView;
  applied?: ConditionView;
  decidedBy?: string;
  capacity: CapacityRowView[];
  timeline: TimelineStep[];
  resourceVersion: string;
  /** The signed-in user filed it: they may not decide it (four eyes). */
  filedByMe: boolean;
}

/** GET /api/requests (a department's own, through yunshu) and GET /api/queue (all, for the platform team). */
export interface RequestsAnswer {
  items: RequestSummary[];
}

/** POST /api/requests: a request's spec without requester (the console sets it to who the API server says the user is). */
export interface NewRequest {
  tenant: string;
  action: RequestAction;
  reason: string;
  [field: string]: unknown;
}

/** POST /api/requests/NAME/decision. */
export interface DecisionBody {
  verdict: "approve" | "deny";
  reason: string;
}

export interface TreeNode {
  name: string;
  displayName: string;
  level: string;
  parent?: string;
  /** 0 for a province (or any tenant without a parent), 1 below it, … */
  depth: number;
  /** Why it sits at the top although it has a parent (missing parent, a loop). */
  note?: string;
  namespaces: number;
  ready: boolean;
  quota: QuotaRow[];
}

/** GET /api/tree: every tenant, parents before their children (province → city → county). */
export interface TreeAnswer {
  nodes: TreeNode[];
}

export interface ClusterView {
  name: string;
  displayName?: string;
  region?: string;
  tier?: string;
  kubernetesVersion?: string;
  /** The Ready condition (and the others the operator writes). */
  conditions: ConditionView[];
  ready: boolean;
  tenants: number;
  namespaces: number;
  /** Per resource: what the cluster offers (allocatable × overcommit) and what tenants hold of it. */
  capacity: { resource: string; capacity?: string; allocated?: string; fraction?: number }[];
}

/** GET /api/fleet: the hub and its member clusters. */
export interface FleetAnswer {
  clusters: ClusterView[];
}

/**
 * GET /api/schema: the JSON schema of a TenantRequest's spec, from the
 * CRD that the API server validates with (its CEL rules left out: the API
 * server checks those and the form shows its answer).
 */
export interface SchemaAnswer {
  spec: Record<string, unknown>;
}

/**
 * GET /api/events streams Server-Sent Events. `change` (data: a ChangeEvent)
 * says which view changed, so the page reads it again; `signed-out` says the
 * session ended (token expired or revoked, sign-out elsewhere).
 */
export interface ChangeEvent {
  topic: "mine" | "requests" | "queue" | "tree" | "fleet";
}

/**
 * GET /api/bill?month=YYYY-MM: the month's statement of the tenants the user
 * owns (and those under them, rolled up), priced by the PriceSheet
 * `default`; GET /api/bill.csv?month=YYYY-MM the same as a CSV download
 * (UTF-8 with BOM, Chinese headers). 404 with reason MeteringNotConfigured
 * when yunshu has no Prometheus to read the metering from.
 */
export type BillAnswer = Statement;
