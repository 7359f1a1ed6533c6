// A billing month: from its first day's midnight to the next month's, in
// China Standard Time (+08:00, no daylight saving), whatever the machine's
// time zone.
const CST_OFFSET_SECONDS = 8 * 3600;

export class MonthError extends Error {}

/** The month's bounds as epoch seconds: [start, end). */
export function monthBounds(month: string): { start: number; end: number } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new MonthError(`the month must look like 2026-11, not ${JSON.stringify(month)}`);
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  return { start: Date.UTC(year, index, 1) / 1000 - CST_OFFSET_SECONDS, end: Date.UTC(year, index + 1, 1) / 1000 - CST_OFFSET_SECONDS };
}

/** An instant as RFC 3339 in China Standard Time, such as 2026-11-16T00:00:00+08:00. */
export function chinaTime(epochSeconds: number): string {
  return `${new Date((epochSeconds + CST_OFFSET_SECONDS) * 1000).toISOString().slice(0, 19)}+08:00`;
}
