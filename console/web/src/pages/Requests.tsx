// 我的申请: the department's own requests, newest first.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { RequestSummary } from "../../../api-types.ts";
import { api } from "../api.ts";
import { PhaseBadge, useLabels } from "../components/labels.tsx";
import { ErrorNotice, Loading } from "../components/notices.tsx";
import { Page } from "../components/Page.tsx";
import { useLiveData } from "../live-data.ts";

export const newestFirst = (a: RequestSummary, b: RequestSummary): number => b.filedAt.localeCompare(a.filedAt);

export function RequestTable({ requests, caption }: { requests: readonly RequestSummary[]; caption: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <div className="overflow-auto">
      <table className="striped nowrap">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("requests.name")}</th>
            <th scope="col">{t("requests.tenant")}</th>
            <th scope="col">{t("requests.action")}</th>
            <th scope="col">{t("requests.phase")}</th>
            <th scope="col">{t("requests.requester")}</th>
            <th scope="col">{t("requests.filedAt")}</th>
          </tr>
        </thead>
        <tbody>
          {requests.map((request) => (
            <tr key={request.name} data-request={request.name}>
              <th scope="row">
                <Link to={`/requests/${encodeURIComponent(request.name)}`}>{request.name}</Link>
              </th>
              <td>
                <code>{request.tenant}</code>
              </td>
              <td>{labels.action(request.action)}</td>
              <td>
                <PhaseBadge phase={request.phase} />
              </td>
              <td>{request.requester}</td>
              <td>
                <time dateTime={request.filedAt}>{labels.time(request.filedAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Requests() {
  const { t } = useTranslation();
  const requests = useLiveData(api.requests, ["requests"]);
  const items = [...(requests.data?.items ?? [])].sort(newestFirst);
  return (
    <Page title={t("requests.title")}>
      <p>
        <Link to="/requests/new">{t("requests.new")}</Link>
      </p>
      {requests.error && <ErrorNotice error={requests.error} />}
      {requests.loading ? <Loading /> : requests.data && (items.length === 0 ? <p>{t("requests.empty")}</p> : <RequestTable requests={items} caption={t("requests.title")} />)}
    </Page>
  );
}
