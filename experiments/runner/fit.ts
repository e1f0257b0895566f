/**
 * Least-squares fits for the growth questions of the experiments: slopes on log-log axes
 * (directional: cost ∝ p^k) and exponential vs polynomial growth of solve times (hardness), with
 * 95% confidence intervals of the slopes (Student t, n − 2 degrees of freedom: the classical OLS
 * interval, which assumes independent errors of equal variance around the line — an assumption the
 * reports state rather than test).
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export interface LineFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination on the fitted axes (NaN when undefined). */
  r2: number;
  n: number;
  /** Standard error of the slope (NaN with < 3 points: no residual degree of freedom). */
  slopeSe: number;
  /** 95% confidence interval of the slope, [lo, hi] (NaN with < 3 points). */
  slopeCi: [number, number];
}

const NO_FIT = (n: number): LineFit => ({ slope: NaN, intercept: NaN, r2: NaN, n, slopeSe: NaN, slopeCi: [NaN, NaN] });

/** Ordinary least squares y ≈ intercept + slope·x. Needs ≥ 2 distinct x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError('fitLine: length mismatch');
  if (n < 2) return NO_FIT(n);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return NO_FIT(n);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  // Residual sum of squares = syy − slope·sxy; clamp the rounding error of a perfect fit at 0.
  const sse = Math.max(0, syy - slope * sxy);
  const slopeSe = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : NaN;
  const half = n > 2 ? tQuantile(0.975, n - 2) * slopeSe : NaN;
  return { slope, intercept, r2, n, slopeSe, slopeCi: [slope - half, slope + half] };
}

/** Slope of log y against log x (base 10); points with non-positive values are skipped. */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): LineFit {
  const px: number[] = [];
  const py: number[] = [];
  xs.forEach((x, i) => {
    const y = ys[i]!;
    if (x > 0 && y > 0) {
      px.push(Math.log10(x));
      py.push(Math.log10(y));
    }
  });
  return fitLine(px, py);
}

export interface GrowthFit {
  /** ln t ≈ a + b·n: t grows like e^{b n}; `base` = e^b per unit of n. */
  exponential: LineFit & { base: number };
  /** ln t ≈ a + k·ln n: t grows like n^k. */
  polynomial: LineFit & { degree: number };
  /** The model with the larger r² (ties: 'polynomial'); 'insufficient' with < 3 distinct n. */
  better: 'exponential' | 'polynomial' | 'insufficient';
}

/**
 * The stated rule that turns an exponential fit into the claims table's "holds?" for a hardness
 * claim: the 95% confidence interval of the slope of ln t against n lies above 0 (growth is not
 * noise) and r² ≥ 0.9 (the exponential model explains the medians). Needs ≥ 4 sizes (two residual
 * degrees of freedom). Returns why, in words, for the table's footnote.
 */
export const GROWTH_RULE =
  'exponential fit ln t = a + b·n of the per-n median times, over the sizes whose median is measured (not censored by the time limit): "yes" iff ≥ 4 such sizes, the 95% CI of b (Student t, k − 2 df) excludes 0 and r² ≥ 0.9';

export function exponentialGrowthHolds(f: GrowthFit): { holds: boolean; why: string } {
  const e = f.exponential;
  if (!(e.n >= 4)) return { holds: false, why: `only ${e.n} sizes (need ≥ 4)` };
  if (!(e.slopeCi[0] > 0)) return { holds: false, why: `95% CI of the slope [${fmt(e.slopeCi[0])}, ${fmt(e.slopeCi[1])}] does not exclude 0` };
  if (!(e.r2 >= 0.9)) return { holds: false, why: `r² ${fmt(e.r2)} < 0.9` };
  return { holds: true, why: `slope ${fmt(e.slope)} per variable, 95% CI [${fmt(e.slopeCi[0])}, ${fmt(e.slopeCi[1])}] > 0, r² ${fmt(e.r2)} ≥ 0.9` };
}

/** "×1.2 per variable (95% CI ×1.1–×1.3, r² 0.95)": an exponential fit in words. */
export function describeExponential(e: GrowthFit['exponential']): string {
  // Four significant digits: bases near 1 would otherwise print as an interval "×1.06–×1.06".
  const ci = Number.isFinite(e.slopeCi[0]) ? ` (95% CI ×${fmt(Math.exp(e.slopeCi[0]), 4)}–×${fmt(Math.exp(e.slopeCi[1]), 4)}, r² ${fmt(e.r2)})` : ` (r² ${fmt(e.r2)})`;
  return `×${fmt(e.base, 4)} per variable${ci}`;
}

/** Compare exponential and polynomial growth of positive times `ts` against sizes `ns`. */
export function growthFit(ns: readonly number[], ts: readonly number[]): GrowthFit {
  const px: number[] = [];
  const pl: number[] = [];
  const py: number[] = [];
  ns.forEach((n, i) => {
    const t = ts[i]!;
    if (n > 0 && t > 0) {
      px.push(n);
      pl.push(Math.log(n));
      py.push(Math.log(t));
    }
  });
  const e = fitLine(px, py);
  const p = fitLine(pl, py);
  const distinct = new Set(px).size;
  const better = distinct < 3 ? 'insufficient' : e.r2 > p.r2 ? 'exponential' : 'polynomial';
  return { exponential: { ...e, base: Math.exp(e.slope) }, polynomial: { ...p, degree: p.slope }, better };
}

export { median } from '../../src/exact/stats';

/** Geometric mean of positive values (NaN when empty). */
export function geomean(xs: readonly number[]): number {
  const p = xs.filter((x) => x > 0);
  if (p.length === 0) return NaN;
  return Math.exp(p.reduce((a, x) => a + Math.log(x), 0) / p.length);
}

/** Round for display: `sig` significant digits. */
export function fmt(x: number, sig = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Number(x.toPrecision(sig)).toString();
}
