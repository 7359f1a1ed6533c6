// How much of each resource is used, as a bar chart for the eye and a table
// for everyone: the chart is hidden from assistive technology, which reads the
// table instead.
import { useTranslation } from "react-i18next";
import { Bar, BarChart, LabelList, XAxis, YAxis } from "recharts";
import { useLabels } from "./labels.tsx";

export interface UsageRow {
  resource: string;
  used?: string;
  limit?: string;
  /** used / limit; more than 1 when over. */
  fraction?: number;
}

const BAR_HEIGHT = 34;
const AXIS_HEIGHT = 30;

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
      : [{ resource: row.resource, shown: Math.min(row.fraction, 1), label: `${row.used ?? "?"} / ${row.limit ?? "?"} (${labels.percent(row.fraction)})` }],
  );
  return (
    <figure className="usage">
      <figcaption>{caption}</figcaption>
      {charted.length > 0 && (
        <div className="usage-chart" aria-hidden="true">
          <BarChart
            layout="vertical"
            data={charted}
            responsive
            style={{ width: "100%", height: charted.length * BAR_HEIGHT + AXIS_HEIGHT }}
            margin={{ top: 4, right: 190, bottom: 4, left: 4 }}
            accessibilityLayer={false}
          >
            <XAxis type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={labels.percent} allowDataOverflow />
            <YAxis type="category" dataKey="resource" width={170} interval={0} />
            <Bar dataKey="shown" isAnimationActive={false} barSize={18}>
              <LabelList dataKey="label" position="right" />
            </Bar>
          </BarChart>
        </div>
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
