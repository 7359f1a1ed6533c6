import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** A page's one <h1>, and the document's title to match (React puts <title> in the head). */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <title>{`${title} · ${t("site.short")}`}</title>
      <h1>{title}</h1>
      {children}
    </>
  );
}
