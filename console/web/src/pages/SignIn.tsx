// Sign-in with a Kubernetes bearer token: the console hands it to the API
// server, which says who it is; the page never keeps it.
import { useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Navigate } from "react-router";
import { asApiError, type ApiError } from "../api.ts";
import { ErrorNotice } from "../components/notices.tsx";
import { Page } from "../components/Page.tsx";
import { useSession } from "../session.tsx";

export function SignIn() {
  const { t } = useTranslation();
  const id = useId();
  const { state, signIn } = useSession();
  const field = useRef<HTMLInputElement>(null);
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [missing, setMissing] = useState(false);

  if (state.status === "signed-in") return <Navigate to="/" replace />;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(undefined);
    if (!token.trim()) {
      setMissing(true);
      field.current?.focus();
      return;
    }
    setMissing(false);
    setBusy(true);
    try {
      await signIn(token.trim());
    } catch (failure) {
      setError(asApiError(failure));
      setBusy(false);
      field.current?.focus();
    }
  }

  const notice = state.status === "signed-out" ? state.notice : undefined;
  const startupError = state.status === "signed-out" ? state.error : undefined;
  return (
    <Page title={t("signin.title")}>
      <div role="alert" className="alerts">
        {notice && <p className={`notice notice-${notice}`}>{t(`signin.notice.${notice}`)}</p>}
        {missing && <p className="notice notice-error">{t("signin.missing")}</p>}
      </div>
      {error && <ErrorNotice error={error} headline={error.status === 401 ? t("signin.rejected") : error.status === 400 ? t("signin.missing") : undefined} />}
      {startupError && <ErrorNotice error={startupError} />}
      <form onSubmit={(event) => void submit(event)} noValidate className="signin">
        <label htmlFor={`${id}-token`}>{t("signin.token")}</label>
        <input
          id={`${id}-token`}
          ref={field}
          type="password"
          name="token"
          autoComplete="off"
          spellCheck={false}
          required
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-invalid={missing || error?.status === 401 || undefined}
          aria-describedby={`${id}-help`}
        />
        <div id={`${id}-help`} className="help">
          <p>{t("signin.help.intro")}</p>
          <ul>
            <li>
              {t("signin.help.serviceAccount")} <code>kubectl create token SERVICE_ACCOUNT -n NAMESPACE --duration=8h</code>
            </li>
            <li>{t("signin.help.oidc")}</li>
          </ul>
        </div>
        <button type="submit" aria-busy={busy} disabled={busy}>
          {t("signin.submit")}
        </button>
      </form>
    </Page>
  );
}
