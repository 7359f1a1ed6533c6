import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../api.ts";

export function Loading() {
  const { t } = useTranslation();
  return <p aria-busy="true">{t("common.loading")}</p>;
}

function useHeadline(error: ApiError): string {
  const { t } = useTranslation();
  if (error.status === 0) return t("errors.unreachable");
  if (error.status === 403) return t("errors.forbidden");
  if (error.status === 404) return t("errors.notFound");
  if (error.status === 409) return t("errors.conflict");
  if (error.status >= 500) return t("errors.server", { code: error.status });
  return t("errors.failed", { code: error.status });
}

/**
 * A refusal, in an alert: what it means in the page's language, then what the
 * API server or the console said (in English), with its causes.
 */
export function ErrorNotice({ error, headline, children }: { error: ApiError; headline?: string; children?: ReactNode }) {
  const { t } = useTranslation();
  const fallback = useHeadline(error);
  const causes = error.body.causes ?? [];
  return (
    <div role="alert" className="notice notice-error">
      <p>
        <strong>{headline ?? fallback}</strong>
      </p>
      {error.message && (
        <p>
          {t("errors.said")} <q lang="en">{error.message}</q>
        </p>
      )}
      {causes.length > 0 && (
        <ul aria-label={t("errors.causes")}>
          {causes.map((cause, index) => (
            <li key={index} lang="en">
              {cause.field && <code>{cause.field}</code>} {cause.message}
            </li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}
