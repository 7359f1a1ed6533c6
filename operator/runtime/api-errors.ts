// How a call to the API server fails: an answer that says no (ApiError) or
// no answer at all (TransportError). Each message names the call, and a
// TransportError also the server, the system's cause and what to do; both
// say whether trying again later can help.

import { STATUS_CODES } from "node:http";

/** A failed API call: the HTTP status, the Status reason and message, and what it was about. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly reason: string;
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, reason: string, message: string, retryAfterSeconds?: number) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const isNotFound = (err: unknown) => err instanceof ApiError && err.status === 404;
export const isConflict = (err: unknown) => err instanceof ApiError && err.status === 409;
export const isGone = (err: unknown) => err instanceof ApiError && err.status === 410;

/** An API server's answer that says no: its status, its Retry-After header, and its body. */
export function toApiError(status: number, retryAfter: string | undefined, text: string, what: string): ApiError {
  let reason = STATUS_CODES[status] ?? "Error";
  let message = text;
  try {
    const answer = JSON.parse(text) as { reason?: string; message?: string };
    reason = answer.reason ?? reason;
    message = answer.message ?? message;
  } catch {
    // Not a Status object (a proxy's error page, say): keep the raw text.
  }
  return new ApiError(status, reason, `${what}: ${status} ${reason}: ${message}`, retryAfter ? Number(retryAfter) : undefined);
}

interface Diagnosis {
  transient: boolean;
  advice: string;
}

const REFUSED: Diagnosis = { transient: true, advice: "nothing accepts connections there: check that the API server is running and that the kubeconfig's server address is right" };
const BROKEN: Diagnosis = { transient: true, advice: "the connection broke off: the API server may be restarting or overloaded, or something in between drops connections" };
const SLOW: Diagnosis = { transient: true, advice: "no answer in time: the API server may be overloaded or the network slow" };
const UNREACHABLE: Diagnosis = { transient: true, advice: "the network cannot reach the server right now: check the route to it" };
const UNKNOWN_HOST: Diagnosis = { transient: false, advice: "the host name does not resolve: check the kubeconfig's server address" };
const TLS: Diagnosis = {
  transient: false,
  advice: "the TLS handshake failed: check the kubeconfig's certificate-authority, tls-server-name and client certificate, and that the address serves the API over HTTPS",
};
const UNKNOWN: Diagnosis = { transient: false, advice: "check that the API server is up and reachable from here" };

const BY_CODE: Record<string, Diagnosis> = {
  ECONNREFUSED: REFUSED,
  ECONNRESET: BROKEN,
  EPIPE: BROKEN,
  UND_ERR_SOCKET: BROKEN,
  UND_ERR_CLOSED: BROKEN,
  // undici's informational error: an HTTP/2 GOAWAY, which a shutting-down
  // API server sends on its open connections; the request was not carried out.
  UND_ERR_INFO: BROKEN,
  ETIMEDOUT: SLOW,
  UND_ERR_CONNECT_TIMEOUT: SLOW,
  UND_ERR_HEADERS_TIMEOUT: SLOW,
  UND_ERR_BODY_TIMEOUT: SLOW,
  EHOSTUNREACH: UNREACHABLE,
  ENETUNREACH: UNREACHABLE,
  ENETDOWN: UNREACHABLE,
  EHOSTDOWN: UNREACHABLE,
  // A resolver that could not answer this time, unlike ENOTFOUND.
  EAI_AGAIN: UNREACHABLE,
  ENOTFOUND: UNKNOWN_HOST,
  EPROTO: TLS,
};

// OpenSSL's and Node's certificate and handshake errors: a wrong CA or name
// stays wrong however often one tries.
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

function diagnose(code: string | undefined): Diagnosis {
  if (!code) return UNKNOWN;
  return BY_CODE[code] ?? (TLS_CODE.test(code) ? TLS : UNKNOWN);
}

/** The system's words: an AggregateError (one per address tried) has none of its own. */
function causeText(cause: Error & { code?: string }): string {
  const inner = cause instanceof AggregateError ? (cause.errors as unknown[]).map((e) => (e instanceof Error ? e.message : String(e))).join(", ") : "";
  // OpenSSL appends its source file and line on a line of their own.
  const text = (cause.message || inner || cause.name).split("\n")[0]!.trim();
  return cause.code ? `${text} (${cause.code})` : text;
}

/** No answer from the API server: the connection was refused, broke off or timed out, or TLS failed. */
export class TransportError extends Error {
  override name = "TransportError";
  /** The system's or undici's code, e.g. ECONNREFUSED or UND_ERR_SOCKET. */
  readonly code: string | undefined;
  /** Whether the same call may well work a little later (a restarting or overloaded server). */
  readonly transient: boolean;
  /** `what` is the call, e.g. "APPLY /apis/rbac.authorization.k8s.io/v1/clusterroles/x". */
  constructor(what: string, server: string, cause: Error & { code?: string }) {
    const { transient, advice } = diagnose(cause.code);
    // The cause is the system's error itself: undici's wrapper says only "fetch failed".
    super(`${what} on ${server} failed: ${causeText(cause)}; ${advice}`, { cause });
    this.code = cause.code;
    this.transient = transient;
  }
}

/**
 * A network failure, as undici's dispatcher throws it (the system's or
 * undici's own error, with its code) or as fetch() does (TypeError("fetch
 * failed") or TypeError("terminated"), the real error as the cause).
 * Anything else (an abort the caller asked for, a bug) is returned as it was.
 */
export function asTransportError(err: unknown, what: string, server: string): unknown {
  if (err instanceof TypeError && err.cause instanceof Error) return new TransportError(what, server, err.cause);
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === "string" && diagnose(code) !== UNKNOWN ? new TransportError(what, server, err as Error & { code: string }) : err;
}

/** Statuses that say "not now" rather than "no": throttled, or the server or a proxy in front of it failing. */
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Whether the same call may succeed if tried again after a pause. */
export function isTransient(err: unknown): boolean {
  if (err instanceof TransportError) return err.transient;
  return err instanceof ApiError && TRANSIENT_STATUSES.has(err.status);
}
