// 审批队列: every department's requests for the platform team, those
// awaiting a decision first, each with yunshu's verdicts and a decision form.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { RequestSummary } from "../../../api-types.ts";
import { api } from "../api.ts";
import { type Decided, DecisionForm, DecisionResult } from "../components/DecisionForm.tsx";
import { PhaseBadge, useLabels } from "../components/labels.tsx";
import { ErrorNotice, Loading } from "../components/notices.tsx";
import { Page } from "../components/Page.tsx";
import { Verdicts } from "../components/Verdicts.tsx";
import { useLiveData } from "../live-data.ts";
import { UNDECIDED } from "./RequestDetail.tsx";
import { newestFirst, RequestTable } from "./Requests.tsx";

const oldestFirst = (a: RequestSummary, b: RequestSummary): number => a.filedAt.localeCompare(b.filedAt);

function Undecided({ request, onDecided }: { request: RequestSummary; onDecided(decided: Decided): void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const headingId = `request-${request.name}`;
  return (
    <article data-request={request.name} aria-labelledby={headingId}>
      <header>
        <h3 id={headingId}>
          <Link to={`/requests/${encodeURIComponent(request.name)}`}>{request.name}</Link> <PhaseBadge phase={request.phase} />
        </h3>
        <dl className="facts">
          <dt>{t("requests.tenant")}</dt>
          <dd>
            <code>{request.tenant}</code>
          </dd>
          <dt>{t("requests.action")}</dt>
          <dd>{labels.action(request.action)}</dd>
          <dt>{t("requests.requester")}</dt>
          <dd>{request.requester}</dd>
          <dt>{t("requests.filedAt")}</dt>
          <dd>
            <time dateTime={request.filedAt}>{labels.time(request.filedAt)}</time>
          </dd>
          <dt>{t("form.reason")}</dt>
          <dd className="reason">{request.reason}</dd>
        </dl>
      </header>
      <Verdicts request={request} />
      <DecisionForm request={request} onDecided={(result, verdict) => onDecided({ result, verdict })} />
    </article>
  );
}

export function Queue() {
  const { t } = useTranslation();
  const queue = useLiveData(api.queue, ["queue", "requests"]);
  const [decided, setDecided] = useState<Decided>();
  const items = queue.data?.items ?? [];
  // Oldest first among the undecided: they have waited longest.
  const undecided = items.filter((request) => UNDECIDED.includes(request.phase)).sort(oldestFirst);
  const done = items.filter((request) => !UNDECIDED.includes(request.phase)).sort(newestFirst);
  return (
    <Page title={t("queue.title")}>
      {decided && <DecisionResult {...decided} />}
      {queue.error && <ErrorNotice error={queue.error} />}
      {queue.loading ? (
        <Loading />
      ) : (
        queue.data && (
          <>
            <section aria-labelledby="undecided-heading">
              <h2 id="undecided-heading">{t("queue.undecided", { n: undecided.length })}</h2>
              {undecided.length === 0 ? (
                <p>{t("queue.nothingUndecided")}</p>
              ) : (
                undecided.map((request) => (
                  <Undecided
                    key={request.name}
                    request={request}
                    onDecided={(result) => {
                      setDecided(result);
                      queue.reload();
                    }}
                  />
                ))
              )}
            </section>
            <section aria-labelledby="decided-heading">
              <h2 id="decided-heading">{t("queue.decided", { n: done.length })}</h2>
              {done.length === 0 ? <p>{t("queue.nothingDecided")}</p> : <RequestTable requests={done} caption={t("queue.decidedCaption")} />}
            </section>
          </>
        )
      )}
    </Page>
  );
}
