// What shows instead of a page that failed to render: a way on, not a blank screen.
import { useTranslation } from "react-i18next";
import { useRouteError } from "react-router";

export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  return (
    <main className="container" id="main">
      <title>{t("routeError.title")}</title>
      <h1>{t("routeError.title")}</h1>
      <p role="alert">{t("routeError.text")}</p>
      <p lang="en">
        <code>{error instanceof Error ? error.message : String(error)}</code>
      </p>
      <p>
        <a href="/">{t("notFound.home")}</a>
      </p>
    </main>
  );
}
