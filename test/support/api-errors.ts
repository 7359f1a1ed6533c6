// client-node throws ApiException with the HTTP code and the Status body as
// a string; yunshu's KubeClient throws ApiError. Tests assert on both.
import { ApiException } from "@kubernetes/client-node";
import { expect } from "vitest";
import { ApiError } from "../../operator/runtime/kube-client.ts";
import { eventually } from "../../tools/local/eventually.ts";

export interface ApiFailure {
  code: number;
  message: string;
}

/** Runs a call that must fail and returns its HTTP code and Status message. */
export async function apiFailure(call: Promise<unknown>): Promise<ApiFailure> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiException) {
      const body: unknown = typeof err.body === "string" ? safeJson(err.body) : err.body;
      const message = (body as { message?: string } | undefined)?.message ?? String(err.body);
      return { code: err.code, message };
    }
    throw err;
  }
  throw new Error("expected the API call to fail, but it succeeded");
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/** Runs a KubeClient call that the API server must refuse, and returns its error. */
export async function refusal(action: Promise<unknown>): Promise<ApiError> {
  const err = await action.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, "the API server should have refused this").toBeInstanceOf(ApiError);
  return err as ApiError;
}

/**
 * Waits until admission refuses a dry run of a write with `reason`.
 * Admission reads policies, bindings, namespace labels and policy
 * parameters from caches that trail the writes a test just made, and an API
 * server that has just started refuses everything a policy with a custom
 * parameter kind matches until its discovery knows that kind; only the
 * expected refusal says the caches have caught up.
 */
export async function untilAdmissionRefuses(what: string, dryRun: () => Promise<unknown>, reason: string): Promise<void> {
  await eventually(
    what,
    () =>
      dryRun().then(
        () => false,
        (err: unknown) => err instanceof ApiError && err.message.includes(reason),
      ),
    { timeoutMs: 60_000 },
  );
}
