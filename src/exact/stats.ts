/**
 * The one median of the project (experiments, benchmarks, measurement scripts): the middle value,
 * or the mean of the two middle values for an even count; NaN for no values. Plain float64 — it
 * summarizes timings and sizes, it never decides a sign.
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
