// A platform admin's decision on a request, with the reason that goes into
// the audit trail. The API server has the last word (a 403 is shown as it
// says); the form only spares asking what it would refuse.
import { useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { DecisionBody, RequestSummary } from "../../../api-types.ts";
import { api, asApiError, type ApiError } from "../api.ts";
import { useLive } from "../session.tsx";
import { PhaseBadge } from "./labels.tsx";
import { ErrorNotice } from "./notices.tsx";

type Verdict = DecisionBody["verdict"];

export interface Decided {
  result: RequestSummary;
  verdict: Verdict;
}

/** What became of a decision just made, said once it is made. */
export function DecisionResult({ result, verdict }: Decided) {
  const { t } = useTranslation();
  return (
    <p className="notice notice-success">
      {t(verdict === "approve" ? "decision.approved" : "decision.denied", { name: result.name })} <PhaseBadge phase={result.phase} />
    </p>
  );
}

export function DecisionForm({ request, onDecided }: { request: RequestSummary; onDecided(result: RequestSummary, verdict: Verdict): void }) {
  const { t } = useTranslation();
  const { announce } = useLive();
  const id = useId();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState("");
  const [missingReason, setMissingReason] = useState(false);
  const [busy, setBusy] = useState<Verdict>();
  const [error, setError] = useState<ApiError>();

  // Four eyes: whoever filed a request does not decide it.
  const ownRequest = request.filedByMe;
  const approveBlocked = request.fits?.status === "False" ? t("decision.doesNotFit") : request.authorized?.status === "False" ? t("decision.notAuthorized") : undefined;
  const noteId = `${id}-note`;
  const errorId = `${id}-error`;

  async function decide(verdict: Verdict) {
    if (!reason.trim()) {
      setMissingReason(true);
      reasonRef.current?.focus();
      return;
    }
    setBusy(verdict);
    setError(undefined);
    try {
      const result = await api.decide(request.name, { verdict, reason: reason.trim() });
      announce(t(verdict === "approve" ? "decision.approved" : "decision.denied", { name: result.name }));
      onDecided(result, verdict);
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setBusy(undefined);
    }
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = (event.nativeEvent as SubmitEvent).submitter?.getAttribute("value");
    if (value === "approve" || value === "deny") void decide(value);
  };

  return (
    <form data-decide={request.name} onSubmit={onSubmit} noValidate aria-label={t("decision.label", { name: request.name })}>
      <label htmlFor={`${id}-reason`}>{t("decision.reason")}</label>
      <textarea
        id={`${id}-reason`}
        ref={reasonRef}
        name="reason"
        rows={2}
        required
        value={reason}
        onChange={(event) => {
          setReason(event.target.value);
          if (event.target.value.trim()) setMissingReason(false);
        }}
        aria-invalid={missingReason || undefined}
        aria-describedby={missingReason ? errorId : undefined}
      />
      {missingReason && (
        <small id={errorId} className="field-error">
          {t("decision.reasonMissing")}
        </small>
      )}
      {(ownRequest || approveBlocked) && (
        <p id={noteId} className="note">
          {ownRequest ? t("decision.fourEyes") : approveBlocked}
        </p>
      )}
      <div role="group">
        <button type="submit" name="verdict" value="approve" disabled={ownRequest || approveBlocked !== undefined || busy !== undefined} aria-busy={busy === "approve"} aria-describedby={ownRequest || approveBlocked ? noteId : undefined}>
          {t("decision.approve")}
        </button>
        <button type="submit" name="verdict" value="deny" className="secondary" disabled={ownRequest || busy !== undefined} aria-busy={busy === "deny"} aria-describedby={ownRequest ? noteId : undefined}>
          {t("decision.deny")}
        </button>
      </div>
      {error && <ErrorNotice error={error} headline={error.status === 403 ? t("decision.refused") : undefined} />}
    </form>
  );
}
