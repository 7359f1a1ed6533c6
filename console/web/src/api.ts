// The console server's JSON API (console/api-types.ts). The CSRF token lives
// in this module only: never in storage, so a reload reads it again from
// GET /api/session.
import type { ApiErrorBody, BillAnswer, DecisionBody, FleetAnswer, MineAnswer, NewRequest, RequestSummary, RequestsAnswer, SchemaAnswer, SessionInfo, TreeAnswer } from "../../api-types.ts";

export class ApiError extends Error {
  readonly body: ApiErrorBody;

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = "ApiError";
    this.body = body;
  }

  /** The HTTP status; 0 when the console did not answer at all. */
  get status(): number {
    return this.body.code;
  }
}

export const asApiError = (error: unknown): ApiError =>
  error instanceof ApiError ? error : new ApiError({ code: 0, reason: "Unreachable", message: error instanceof Error ? error.message : String(error) });

let csrfToken = "";
let sessionGone = (): void => {};

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called on a 401 from any call that expects a session. */
export function onSessionGone(handler: () => void): void {
  sessionGone = handler;
}

interface CallOptions {
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** A 401 is this call's answer (a rejected token, no session yet) rather than a session that ended. */
  own401?: boolean;
}

async function errorBody(response: Response): Promise<ApiErrorBody> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (typeof body.message === "string") {
      return { code: response.status, reason: body.reason ?? response.statusText, message: body.message, ...(body.causes ? { causes: body.causes } : {}) };
    }
  } catch {
    // Not JSON: a proxy in front of the console answered; its text is all there is.
  }
  return { code: response.status, reason: response.statusText, message: text.trim().slice(0, 500) || response.statusText };
}

async function call<T>(method: "GET" | "POST" | "DELETE", path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET") {
    headers["content-type"] = "application/json";
    // Before sign-in there is no token to send.
    if (csrfToken) headers["x-csrf-token"] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw asApiError(error);
  }
  if (response.status === 401 && !options.own401) sessionGone();
  if (!response.ok) throw new ApiError(await errorBody(response));
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

const at = (name: string): string => `/api/requests/${encodeURIComponent(name)}`;

export const api = {
  session: (signal?: AbortSignal) => call<SessionInfo>("GET", "/api/session", { signal, own401: true }),
  signIn: (token: string) => call<SessionInfo>("POST", "/api/session", { body: { token }, own401: true }),
  signOut: () => call<undefined>("DELETE", "/api/session", { own401: true }),
  mine: (signal?: AbortSignal) => call<MineAnswer>("GET", "/api/mine", { signal }),
  requests: (signal?: AbortSignal) => call<RequestsAnswer>("GET", "/api/requests", { signal }),
  request: (name: string, signal?: AbortSignal) => call<RequestSummary>("GET", at(name), { signal }),
  file: (request: NewRequest) => call<RequestSummary>("POST", "/api/requests", { body: request }),
  schema: (signal?: AbortSignal) => call<SchemaAnswer>("GET", "/api/schema", { signal }),
  queue: (signal?: AbortSignal) => call<RequestsAnswer>("GET", "/api/queue", { signal }),
  decide: (name: string, decision: DecisionBody) => call<RequestSummary>("POST", `${at(name)}/decision`, { body: decision }),
  tree: (signal?: AbortSignal) => call<TreeAnswer>("GET", "/api/tree", { signal }),
  fleet: (signal?: AbortSignal) => call<FleetAnswer>("GET", "/api/fleet", { signal }),
  bill: (month: string, signal?: AbortSignal) => call<BillAnswer>("GET", `/api/bill?${new URLSearchParams({ month }).toString()}`, { signal }),
};

/** The month's statement as a CSV download: a plain link, a GET with the session cookie. */
export const billCsvUrl = (month: string): string => `/api/bill.csv?${new URLSearchParams({ month }).toString()}`;
