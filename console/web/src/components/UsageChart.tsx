// How much of each resource is used, as a bar chart for the eye and a table
// for everyone: the chart is hidden from assistive technology, which reads the
// table instead.
import { useTranslation } from "react-i18next";
import { HorizontalBars } from "./HorizontalBars.tsx";
import { useLabels } from "./labels.tsx";

export interface UsageRow {
  resource: string;
  used?: string;
  limit?: string;
  /** used / limit; more than 1 when over. */
  fraction?: number;
}

interface UsageChartProps {
  caption: string;
  rows: readonly UsageRow[];
  /** Column headings of the table: what "used" and "limit" are here. */
  usedLabel: string;
  limitLabel: string;
}

export function UsageChart({ caption, rows, usedLabel, limitLabel }: UsageChartProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const charted = rows.flatMap((row) =>
    row.fraction === undefined
      ? []
      : [{ name: row.resource, value: Math.min(row.fraction, 1), label: `${row.used ?? "?"} / ${row.limit ?? "?"} (${labels.percent(row.fraction)})` }],
  );
  return (
    <figure className="usage">
      <figcaption>{caption}</figcaption>
      {charted.length > 0 && (
        <HorizontalBars rows={charted} domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={labels.percent} labelRoom={190} />
      )}
      <details>
        <summary>{t("common.viewData")}</summary>
        <div className="overflow-auto">
          <table className="striped">
            <thead>
              <tr>
                <th scope="col">{t("usage.resource")}</th>
                <th scope="col">{usedLabel}</th>
                <th scope="col">{limitLabel}</th>
                <th scope="col">{t("usage.fraction")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.resource}>
                  <th scope="row">
                    <code>{row.resource}</code>
                  </th>
                  <td>{row.used ?? "—"}</td>
                  <td>{row.limit ?? "—"}</td>
                  <td>{row.fraction === undefined ? "—" : labels.percent(row.fraction)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
