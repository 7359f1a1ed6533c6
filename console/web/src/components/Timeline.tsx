// A request's life in four steps (filed, judged, decided, applied), each
// saying in words whether it is done, failed or still to come.
import { useTranslation } from "react-i18next";
import type { RequestSummary, TimelineStep } from "../../../api-types.ts";
import { useLabels } from "./labels.tsx";
import { Verdicts } from "./Verdicts.tsx";

const MARK: Record<TimelineStep["state"], string> = { done: "✓", failed: "✗", waiting: "…" };

function Step({ step, request }: { step: TimelineStep; request: RequestSummary }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const judgedWithVerdicts = step.step === "judged" && (request.authorized !== undefined || request.fits !== undefined);
  return (
    <li data-step={step.step} data-state={step.state} className={`step step-${step.state}`}>
      <span className="step-mark" aria-hidden="true">
        {MARK[step.state]}
      </span>
      <div className="step-body">
        <h3>
          {t(`timeline.step.${step.step}`)}
          <span className="step-state">{t(`timeline.${step.step}.${step.state}`)}</span>
        </h3>
        {(step.at || step.by) && (
          <p className="step-meta">
            {step.at && <time dateTime={step.at}>{labels.time(step.at)}</time>}
            {step.at && step.by && " · "}
            {step.by && t(step.step === "decided" ? "timeline.decidedBy" : "timeline.by", { name: step.by })}
          </p>
        )}
        {step.message && !judgedWithVerdicts && <p className="step-message">{step.message}</p>}
        {judgedWithVerdicts && <Verdicts request={request} />}
      </div>
    </li>
  );
}

export function Timeline({ request }: { request: RequestSummary }) {
  const { t } = useTranslation();
  return (
    <ol className="timeline" aria-label={t("timeline.label")}>
      {request.timeline.map((step) => (
        <Step key={step.step} step={step} request={request} />
      ))}
    </ol>
  );
}
