// 申请详情: what was asked, and where the request stands, kept current by the
// console's events.
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import type { RequestSummary } from "../../../api-types.ts";
import { api } from "../api.ts";
import { type Decided, DecisionForm, DecisionResult } from "../components/DecisionForm.tsx";
import { PhaseBadge, useLabels } from "../components/labels.tsx";
import { ErrorNotice, Loading } from "../components/notices.tsx";
import { Page } from "../components/Page.tsx";
import { Timeline } from "../components/Timeline.tsx";
import { useLiveData } from "../live-data.ts";
import { useSession } from "../session.tsx";

export const UNDECIDED: readonly RequestSummary["phase"][] = ["Pending", "NotAuthorized", "DoesNotFit"];

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const record = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** The spec's fields beyond tenant, action and reason: what this action asks for. */
function Asked({ spec }: { spec: Record<string, unknown> }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const hard = Object.entries(record(record(spec["quota"])["hard"]));
  const namespaces = strings(spec["namespaces"]);
  const owners = Array.isArray(spec["owners"]) ? spec["owners"].map(record) : [];
  const placement = record(spec["placement"]);
  const placed = [...strings(placement["clusters"]), ...strings(placement["regions"]), ...strings(placement["tiers"]).map(labels.tier)];
  const text = (key: string) => (typeof spec[key] === "string" ? (spec[key] as string) : undefined);
  const rows: [string, ReactNode][] = [];
  if (text("displayName")) rows.push([t("form.displayName"), text("displayName")]);
  if (text("code")) rows.push([t("detail.code"), <code key="code">{text("code")}</code>]);
  if (text("level")) rows.push([t("form.level"), labels.level(text("level") ?? "")]);
  if (text("parent")) rows.push([t("form.parent"), <code key="parent">{text("parent")}</code>]);
  if (typeof spec["securityLevel"] === "number") rows.push([t("form.securityLevel"), labels.mlps(spec["securityLevel"])]);
  if (namespaces.length > 0) rows.push([t("form.namespaces"), <code key="namespaces">{namespaces.join(", ")}</code>]);
  if (owners.length > 0) rows.push([t("detail.owners"), owners.map((owner) => `${String(owner["kind"])} ${String(owner["name"])}`).join(", ")]);
  if (placed.length > 0) rows.push([t("detail.placement"), placed.join(", ")]);
  return (
    <>
      {rows.length > 0 && (
        <dl className="facts">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {hard.length > 0 && (
        <div className="overflow-auto">
          <table className="striped">
            <caption>{t("form.quota")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("usage.resource")}</th>
                <th scope="col">{t("usage.hard")}</th>
              </tr>
            </thead>
            <tbody>
              {hard.map(([resource, value]) => (
                <tr key={resource}>
                  <th scope="row">
                    <code>{resource}</code>
                  </th>
                  <td>{String(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function RequestDetail() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { name = "" } = useParams();
  const { state } = useSession();
  const request = useLiveData((signal) => api.request(name, signal), ["requests", "queue"], name);
  const [decided, setDecided] = useState<Decided>();
  const platformAdmin = state.status === "signed-in" && state.session.platformAdmin;
  const shown = request.data;
  return (
    <Page title={t("detail.title")}>
      <p>
        <Link to={platformAdmin ? "/queue" : "/requests"}>{platformAdmin ? t("detail.backToQueue") : t("detail.back")}</Link>
      </p>
      {request.error && <ErrorNotice error={request.error} />}
      {request.loading && <Loading />}
      {shown && (
        <>
          <dl className="facts">
            <dt>{t("requests.name")}</dt>
            <dd>
              <code>{shown.name}</code>
            </dd>
            <dt>{t("requests.tenant")}</dt>
            <dd>
              <code>{shown.tenant}</code>
            </dd>
            <dt>{t("requests.action")}</dt>
            <dd>{labels.action(shown.action)}</dd>
            <dt>{t("requests.phase")}</dt>
            <dd>
              <PhaseBadge phase={shown.phase} />
            </dd>
            <dt>{t("requests.requester")}</dt>
            <dd>{shown.requester}</dd>
            <dt>{t("requests.filedAt")}</dt>
            <dd>
              <time dateTime={shown.filedAt}>{labels.time(shown.filedAt)}</time>
            </dd>
            <dt>{t("form.reason")}</dt>
            <dd className="reason">{shown.reason}</dd>
          </dl>
          <h2>{t("detail.asked")}</h2>
          <Asked spec={shown.spec} />
          <h2>{t("timeline.label")}</h2>
          <Timeline request={shown} />
          {platformAdmin && UNDECIDED.includes(shown.phase) && (
            <section aria-labelledby="decide-heading">
              <h2 id="decide-heading">{t("decision.heading")}</h2>
              <DecisionForm
                request={shown}
                onDecided={(result, verdict) => {
                  setDecided({ result, verdict });
                  request.reload();
                }}
              />
            </section>
          )}
          {decided?.result.name === shown.name && <DecisionResult {...decided} />}
        </>
      )}
    </Page>
  );
}
