// How a figure grows with the fleet: the least-squares line through the
// sizes measured, so that a benchmark states a slope (seconds per member,
// MiB per 1,000 tenants) rather than leaving three numbers to be eyeballed.

export interface Line {
  slope: number;
  intercept: number;
}

/** The line y = slope × x + intercept nearest the points in the least-squares sense; undefined with fewer than two distinct x. */
export function leastSquares(points: readonly (readonly [number, number])[]): Line | undefined {
  const n = points.length;
  const mean = (f: (p: readonly [number, number]) => number) => points.reduce((s, p) => s + f(p), 0) / n;
  const mx = mean((p) => p[0]);
  const my = mean((p) => p[1]);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  if (n < 2 || sxx === 0) return undefined;
  const slope = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  return { slope, intercept: my - slope * mx };
}
