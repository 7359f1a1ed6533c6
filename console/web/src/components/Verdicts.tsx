// yunshu's verdicts on a request: may the requester ask it (Authorized),
// does it fit (Fits, with the numbers).
import { useTranslation } from "react-i18next";
import type { CapacityRowView, ConditionView, RequestSummary } from "../../../api-types.ts";

export function CapacityTable({ rows }: { rows: readonly CapacityRowView[] }) {
  const { t } = useTranslation();
  if (rows.length === 0) return null;
  return (
    <div className="overflow-auto">
      <table className="striped nowrap">
        <caption>{t("capacity.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("capacity.budget")}</th>
            <th scope="col">{t("capacity.resource")}</th>
            <th scope="col">{t("capacity.requested")}</th>
            <th scope="col">{t("capacity.allocated")}</th>
            <th scope="col">{t("capacity.limit")}</th>
            <th scope="col">{t("capacity.fits")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.budget} ${row.resource}`}>
              <td>{row.budget}</td>
              <td>
                <code>{row.resource}</code>
              </td>
              <td>{row.requested}</td>
              <td>{row.allocated}</td>
              <td>{row.limit}</td>
              <td className={row.fits ? "yes" : "no"}>{row.fits ? t("capacity.fitsYes") : t("capacity.fitsNo")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Verdict({ label, condition, yes, no }: { label: string; condition: ConditionView | undefined; yes: string; no: string }) {
  const { t } = useTranslation();
  const status = condition?.status ?? "Unknown";
  const word = status === "True" ? yes : status === "False" ? no : t("verdict.pending");
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <span className={`verdict verdict-${status}`}>{word}</span>
        {condition?.message && (
          <>
            {" "}
            <span lang="en">{condition.message}</span>
          </>
        )}
      </dd>
    </>
  );
}

export function Verdicts({ request }: { request: RequestSummary }) {
  const { t } = useTranslation();
  return (
    <>
      <dl className="facts">
        <Verdict label={t("verdict.authorized")} condition={request.authorized} yes={t("verdict.authorizedTrue")} no={t("verdict.authorizedFalse")} />
        <Verdict label={t("verdict.fits")} condition={request.fits} yes={t("verdict.fitsTrue")} no={t("verdict.fitsFalse")} />
      </dl>
      <CapacityTable rows={request.capacity} />
    </>
  );
}
