// The words for the API's values (levels, relations, actions, phases, ...) in
// the page's language; a value the page does not know is shown as it is.
import { useTranslation } from "react-i18next";
import type { RequestPhase } from "../../../api-types.ts";

export function useLabels() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const word = (group: string, value: string) => t(`${group}.${value}`, { defaultValue: value });
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });
  const percent = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 });
  return {
    level: (value: string) => word("level", value),
    tier: (value: string) => word("tier", value),
    relation: (value: string) => word("relation", value),
    action: (value: string) => word("action", value),
    phase: (value: string) => word("phase", value),
    namespaceState: (value: string) => word("namespaceState", value),
    mlps: (level: number) => t("mlps", { level }),
    ready: (ready: boolean) => (ready ? t("common.ready") : t("common.notReady")),
    time: (iso: string | undefined) => {
      const date = iso ? new Date(iso) : undefined;
      return date && !Number.isNaN(date.getTime()) ? dateTime.format(date) : (iso ?? "");
    },
    percent: (fraction: number) => percent.format(fraction),
  };
}

/** The request's phase in words, marked for styling by phase (never by colour alone: the words say it). */
export function PhaseBadge({ phase }: { phase: RequestPhase }) {
  const labels = useLabels();
  return (
    <span className={`badge phase-${phase}`} data-phase={phase}>
      {labels.phase(phase)}
    </span>
  );
}
