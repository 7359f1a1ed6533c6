// The frame of every page: skip link, header (site, navigation, user,
// language, sign-out), the main landmark, and the live region that says
// when a view updated by itself.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, NavLink, Outlet, useLocation } from "react-router";
import { asApiError, type ApiError } from "../api.ts";
import { otherLanguage, switchLanguage } from "../i18n/index.ts";
import { SessionProvider, useLive, useSession } from "../session.tsx";
import { useLabels } from "./labels.tsx";
import { ErrorNotice, Loading } from "./notices.tsx";
import { Page } from "./Page.tsx";

function LanguageToggle() {
  const { t, i18n } = useTranslation();
  const other = otherLanguage(i18n.language);
  return (
    <button type="button" className="outline secondary" aria-label={t("header.switchLanguage")} onClick={() => void switchLanguage(other.code)}>
      <span lang={other.code}>{other.name}</span>
    </button>
  );
}

function Header() {
  const { t } = useTranslation();
  const { state, signOut } = useSession();
  const [signOutError, setSignOutError] = useState<ApiError>();
  const session = state.status === "signed-in" ? state.session : undefined;
  const links = session
    ? [
        { to: "/", label: t("nav.mine") },
        { to: "/requests", label: t("nav.requests") },
        { to: "/bill", label: t("nav.bill") },
        ...(session.platformAdmin
          ? [
              { to: "/queue", label: t("nav.queue") },
              { to: "/tree", label: t("nav.tree") },
              { to: "/fleet", label: t("nav.fleet") },
            ]
          : []),
      ]
    : [];
  return (
    <header className="site-header">
      <div className="container">
        <p className="site-name">
          <Link to="/">{t("site.name")}</Link>
        </p>
        {links.length > 0 && (
          <nav aria-label={t("nav.label")}>
            <ul>
              {links.map((link) => (
                // NavLink sets aria-current="page" on the active one; "/" would match every page.
                <li key={link.to}>
                  <NavLink to={link.to} end={link.to === "/"}>
                    {link.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="account">
          {session && (
            <span className="user">
              <span className="visually-hidden">{t("header.user")}</span>
              {session.user.username}
              {session.platformAdmin && <span className="badge role">{t("header.platformAdmin")}</span>}
            </span>
          )}
          <LanguageToggle />
          {session && (
            <button
              type="button"
              className="outline"
              onClick={() => {
                setSignOutError(undefined);
                signOut().catch((error: unknown) => setSignOutError(asApiError(error)));
              }}
            >
              {t("header.signOut")}
            </button>
          )}
        </div>
      </div>
      {signOutError && (
        <div className="container">
          <ErrorNotice error={signOutError} headline={t("header.signOutFailed")} />
        </div>
      )}
    </header>
  );
}

function Footer() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { state } = useSession();
  if (state.status !== "signed-in") return null;
  return (
    <footer className="container site-footer">
      <small>
        {t("footer.server", { server: state.session.server })} · {t("footer.expires", { time: labels.time(state.session.expiresAt) })}
      </small>
    </footer>
  );
}

function Frame() {
  const { t } = useTranslation();
  const { announcement } = useLive();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const navigated = useRef(false);
  // After a navigation, focus goes to the new page, as after a page load, rather than staying on a link that is gone.
  useEffect(() => {
    if (navigated.current) main.current?.focus();
    navigated.current = true;
  }, [location.pathname]);
  return (
    <>
      <a className="skip-link" href="#main">
        {t("skip")}
      </a>
      <Header />
      <main id="main" className="container" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
      <Footer />
      <div className="visually-hidden" aria-live="polite" data-live>
        {announcement}
      </div>
    </>
  );
}

/** The root route: the session for everything below it. */
export function Root() {
  return (
    <SessionProvider>
      <Frame />
    </SessionProvider>
  );
}

/** Pages for signed-in users; the others go to the sign-in page. */
export function RequireSession() {
  const { state } = useSession();
  if (state.status === "loading") return <Loading />;
  if (state.status === "signed-out") return <Navigate to="/signin" replace />;
  return <Outlet />;
}

/** Pages for platform admins (the API server says who: update on tenantrequests/status). */
export function RequirePlatformAdmin() {
  const { t } = useTranslation();
  const { state } = useSession();
  if (state.status === "signed-in" && !state.session.platformAdmin) {
    return (
      <Page title={t("forbidden.title")}>
        <p>{t("forbidden.text")}</p>
      </Page>
    );
  }
  return <Outlet />;
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Page title={t("notFound.title")}>
      <p>{t("notFound.text")}</p>
      <p>
        <Link to="/">{t("notFound.home")}</Link>
      </p>
    </Page>
  );
}
