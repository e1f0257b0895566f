/**
 * Oracles for the Clarke set tests, independent of src/clarke and src/verify: they read only the
 * weight matrices and biases and use Rational arithmetic.
 *
 * regionGradients: the distinct gradients of the regions of F whose closures contain x̄, by the
 * tests' one exhaustive exact region enumeration (test/soundness/regions.ts, p ≤ 3, with the
 * argument that ∂^c F(x̄) is their convex hull).
 *
 * inHull: v ∈ conv P by Carathéodory: some affinely independent subset of at most dim + 1 points
 * has barycentric coordinates ≥ 0 for v; brute force over subsets, each solved by elimination.
 */
import { Rational, ZERO, ONE } from '../../src/exact/rational';
import type { Network } from '../../src/network/network';
import { regionTruth } from '../soundness/regions';

/** The distinct gradients of the regions of F at x̄ (test/soundness/regions.ts, p ≤ 3). */
export function regionGradients(net: Network, xbar: readonly Rational[], r: Rational = Rational.of(1n, 16n), maxLeaves = 200_000): Rational[][] {
  return regionTruth(net, xbar, r, maxLeaves).gradients;
}

/** Solve A λ = b exactly (A: rows × k); the unique solution, or null if none or not unique. */
function solveUnique(A: Rational[][], b: Rational[], k: number): Rational[] | null {
  const M = A.map((row, i) => [...row, b[i]!]);
  const piv: number[] = [];
  let r = 0;
  for (let c = 0; c < k && r < M.length; c++) {
    const pr = M.findIndex((row, i) => i >= r && !row[c]!.isZero());
    if (pr < 0) continue;
    [M[r], M[pr]] = [M[pr]!, M[r]!];
    const inv = M[r]![c]!.inv();
    M[r] = M[r]!.map((x) => x.mul(inv));
    for (let i = 0; i < M.length; i++) {
      if (i === r || M[i]![c]!.isZero()) continue;
      const f = M[i]![c]!;
      M[i] = M[i]!.map((x, j) => x.sub(f.mul(M[r]![j]!)));
    }
    piv.push(c);
    r++;
  }
  if (piv.length < k) return null;
  for (let i = r; i < M.length; i++) if (!M[i]![k]!.isZero()) return null;
  const x = new Array<Rational>(k).fill(ZERO);
  piv.forEach((c, i) => (x[c] = M[i]![k]!));
  return x;
}

export function inHull(points: readonly Rational[][], v: readonly Rational[]): boolean {
  const n = points.length;
  const dim = v.length;
  const maxSize = Math.min(n, dim + 1);
  const rec = (start: number, chosen: number[]): boolean => {
    if (chosen.length > 0) {
      const A = [...Array.from({ length: dim }, (_, c) => chosen.map((i) => points[i]![c]!)), chosen.map(() => ONE)];
      const lam = solveUnique(A, [...v, ONE], chosen.length);
      if (lam && lam.every((x) => x.sign() >= 0)) return true;
    }
    if (chosen.length === maxSize) return false;
    for (let i = start; i < n; i++) if (rec(i + 1, [...chosen, i])) return true;
    return false;
  };
  return rec(0, []);
}
