// How the plugin fails: one line saying what went wrong and what to do.
// A command line it cannot use exits 2, anything else 1.
import { ApiError, TransportError } from "../runtime/kube-client.ts";

/** The command line is wrong; nothing was sent to the cluster. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The command ran and failed; the message is ready for the user. */
export class PluginError extends Error {
  override name = "PluginError";
}

/** The API server's own words: KubeClient prefixes its messages with "VERB path: status reason: ". */
export function serverMessage(err: ApiError): string {
  return err.message.replace(/^[A-Z]+ \/\S*: \d{3} [^:]*: /, "");
}

/** What an admission policy said when it refused a write, without the API server's wrapping. */
export function admissionMessage(err: ApiError): string | undefined {
  const marker = " denied request: ";
  const at = err.message.indexOf(marker);
  return at >= 0 ? err.message.slice(at + marker.length) : undefined;
}

export interface Hints {
  /** What to do about a 403 that RBAC (not an admission policy) gave. */
  forbidden?: string;
  /** What a 404 means here. */
  notFound?: string;
  /** What a 409 means here. */
  conflict?: string;
}

/** Rethrows an API error as the command's own words for the statuses it expects; anything else as it was. */
export function rethrow(err: unknown, hints: Hints): never {
  if (err instanceof ApiError && !admissionMessage(err)) {
    if (err.status === 403 && hints.forbidden) throw new PluginError(`${serverMessage(err)}; ${hints.forbidden}`);
    if (err.status === 404 && hints.notFound) throw new PluginError(hints.notFound);
    if (err.status === 409 && hints.conflict) throw new PluginError(hints.conflict);
  }
  throw err;
}

/** The one line a failure becomes; `server` is the API server the command talked to, when it got that far. */
export function explain(err: unknown, server: string | undefined): string {
  if (err instanceof UsageError || err instanceof PluginError) return err.message;
  if (err instanceof ApiError) {
    const admission = admissionMessage(err);
    if (admission) return admission;
    if (err.status === 401) {
      return `the API server${server ? ` at ${server}` : ""} did not accept your credentials (401 Unauthorized); check --kubeconfig and --context, or get a fresh token`;
    }
    return serverMessage(err);
  }
  if (err instanceof TransportError) {
    const cause = err.code ?? (err.cause as Error).message;
    return `cannot reach the API server${server ? ` at ${server}` : ""} (${cause}); is the cluster running, and are --kubeconfig and --context the right ones?`;
  }
  return err instanceof Error ? err.message : String(err);
}
