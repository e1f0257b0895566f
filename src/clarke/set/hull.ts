/**
 * Convex hulls of finitely many exact points, by exact LP (docs/theory.md §9 "Membership",
 * "Extreme points"). Points are the piece gradients in reduced coordinates q (g = E_out + q·R,
 * src/clarke/set/forms.ts), where conv and extreme points are the same as in R^p because
 * q ↦ E_out + q·R is affine and injective.
 *
 *   - target ∈ conv{q_i}: convex weights λ (λ ≥ 0, Σ λ = 1, Σ λ_i q_i = target), or a separating
 *     direction d with d·target > max_i d·q_i (the Farkas alternative of the same LP);
 *   - q_j is an extreme point iff q_j ∉ conv{q_i : i ≠ j}: an exposing direction d
 *     (d·q_j > d·q_i for every i ≠ j) or the convex weights that show it is not.
 * Seeded random integer directions find most extreme points first (a unique maximizer of a linear
 * function is extreme; the maximum is located in floating point and then checked exactly); the
 * points left are decided by one LP each.
 */
import { Rational, ZERO, ONE } from '../../exact/rational';
import { solveLp } from '../../exact/simplex';
import { Rng } from '../../exact/rng';

type Vec = Rational[];

const dotV = (a: readonly Rational[], b: readonly Rational[]): Rational => {
  let s = ZERO;
  for (let i = 0; i < a.length; i++) if (!a[i]!.isZero() && !b[i]!.isZero()) s = s.add(a[i]!.mul(b[i]!));
  return s;
};

export type Combination = { inside: true; weights: Array<[number, Rational]> } | { inside: false; d: Vec; max: Rational };

/**
 * Is `target` in the convex hull of `points` (all of length r)? Exact; both outcomes are re-checked.
 * `points` must be nonempty.
 */
export function convexCombination(points: readonly Vec[], target: readonly Rational[]): Combination {
  const r = target.length;
  const N = points.length;
  if (N === 0) throw new RangeError('convexCombination: no points');
  const A: Rational[][] = [];
  for (let c = 0; c < r; c++) A.push(points.map((q) => q[c]!));
  A.push(points.map(() => ONE));
  const sol = solveLp({ A, b: [...target, ONE], n: N });
  if (sol.status === 'optimal') {
    const weights: Array<[number, Rational]> = [];
    sol.x.forEach((v, i) => {
      if (!v.isZero()) weights.push([i, v]);
    });
    const sum = new Array<Rational>(r).fill(ZERO);
    let total = ZERO;
    for (const [i, v] of weights) {
      if (v.sign() < 0) throw new Error('internal: negative convex weight');
      total = total.add(v);
      points[i]!.forEach((x, c) => (sum[c] = sum[c]!.add(v.mul(x))));
    }
    if (!total.eq(ONE) || !sum.every((x, c) => x.eq(target[c]!))) throw new Error('internal: convex weights from the LP fail the exact check');
    return { inside: true, weights };
  }
  if (sol.status !== 'infeasible') throw new Error(`internal: the membership LP is ${sol.status}`);
  const d = sol.farkas.slice(0, r).map((x) => x.neg());
  let max: Rational | null = null;
  for (const q of points) {
    const v = dotV(d, q);
    if (max === null || v.cmp(max) > 0) max = v;
  }
  if (!(dotV(d, target).cmp(max!) > 0)) throw new Error('internal: the separating direction from the LP fails the exact check');
  return { inside: false, d, max: max! };
}

/** Extreme or not, with the reason (an exposing direction or convex weights over other points). */
export type Extremality = { extreme: true; d: Vec } | { extreme: false; weights: Array<[number, Rational]> };

/**
 * Classify every point as extreme or not (module header). Pre: the points are pairwise distinct.
 * Cost: O(rounds · N · r) float operations, one exact check of N·r operations per extreme point
 * found by a random direction, and one LP over N − 1 columns per point left.
 */
export function classifyExtreme(points: readonly Vec[], seed = 1, deadline = Infinity): Array<Extremality | null> {
  const N = points.length;
  const r = N > 0 ? points[0]!.length : 0;
  const out: Array<Extremality | null> = new Array(N).fill(null);
  if (N === 1) return [{ extreme: true, d: new Array<Rational>(r).fill(ZERO) }];
  if (N === 2) {
    const d = points[0]!.map((x, c) => x.sub(points[1]![c]!));
    return [{ extreme: true, d }, { extreme: true, d: d.map((x) => x.neg()) }];
  }
  const fl = points.map((q) => Float64Array.from(q, (x) => x.toNumber()));
  const rng = new Rng(seed);
  let found = 0;
  let idle = 0;
  const R = 1 << 20;
  for (let round = 0; round < 8 * N + 64 && idle < 4 * N + 32 && found < N; round++) {
    const di = Array.from({ length: r }, () => rng.int(-R, R));
    let bi = -1;
    let bv = -Infinity;
    let second = -Infinity;
    for (let i = 0; i < N; i++) {
      let s = 0;
      const q = fl[i]!;
      for (let c = 0; c < r; c++) s += di[c]! * q[c]!;
      if (s > bv) {
        second = bv;
        bv = s;
        bi = i;
      } else if (s > second) second = s;
    }
    if (out[bi] !== null) {
      idle++;
      continue;
    }
    // Exact check: bi is the unique maximizer of d·q.
    const d = di.map((v) => Rational.int(v));
    const top = dotV(d, points[bi]!);
    let unique = true;
    for (let i = 0; i < N && unique; i++) if (i !== bi && dotV(d, points[i]!).cmp(top) >= 0) unique = false;
    if (unique) {
      out[bi] = { extreme: true, d };
      found++;
      idle = 0;
    } else idle++;
    if ((round & 15) === 0 && performance.now() > deadline) return out;
  }
  for (let j = 0; j < N; j++) {
    if (out[j] !== null) continue;
    if (performance.now() > deadline) break;
    const idx = points.map((_, i) => i).filter((i) => i !== j);
    const c = convexCombination(idx.map((i) => points[i]!), points[j]!);
    out[j] = c.inside ? { extreme: false, weights: c.weights.map(([t, v]) => [idx[t]!, v]) } : { extreme: true, d: c.d };
  }
  return out;
}
