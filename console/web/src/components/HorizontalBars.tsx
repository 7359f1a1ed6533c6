// One horizontal bar per row, labelled at its end: the console's charts
// (quota use, a statement's amounts). Hidden from assistive technology:
// every chart comes with a table that carries the same data.
import { Bar, BarChart, LabelList, XAxis, YAxis } from "recharts";

const BAR_HEIGHT = 34;
const AXIS_HEIGHT = 30;

export interface BarRow {
  /** The category axis' text. */
  name: string;
  value: number;
  /** Written at the bar's end. */
  label: string;
}

interface HorizontalBarsProps {
  rows: readonly BarRow[];
  /** The value axis: its extent and how its ticks read. */
  domain: [number, number | "auto"];
  ticks?: number[];
  tickFormatter: (value: number) => string;
  /** Room right of the bars for the longest label, in pixels. */
  labelRoom: number;
}

export function HorizontalBars({ rows, domain, ticks, tickFormatter, labelRoom }: HorizontalBarsProps) {
  return (
    <div className="usage-chart" aria-hidden="true">
      <BarChart
        layout="vertical"
        data={[...rows]}
        responsive
        style={{ width: "100%", height: rows.length * BAR_HEIGHT + AXIS_HEIGHT }}
        margin={{ top: 4, right: labelRoom, bottom: 4, left: 4 }}
        accessibilityLayer={false}
      >
        <XAxis type="number" domain={domain} {...(ticks ? { ticks } : {})} tickFormatter={tickFormatter} allowDataOverflow />
        <YAxis type="category" dataKey="name" width={170} interval={0} />
        <Bar dataKey="value" isAnimationActive={false} barSize={18}>
          <LabelList dataKey="label" position="right" />
        </Bar>
      </BarChart>
    </div>
  );
}
