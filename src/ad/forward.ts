/**
 * Forward mode: one-sided directional derivatives F'(x; v) of a layered ReLU network (docs/theory.md §2,
 * claim 2), exact.
 *
 * Why it is nonsmooth-correct: each layer is z = W a + b (linear, so z' = W a'), and relu is
 * directionally differentiable with relu'(z; u) = u for z > 0, 0 for z < 0 and relu(u) = max(u, 0)
 * for z = 0. Compositions of directionally differentiable Lipschitz maps obey the chain rule
 * (Hadamard directional differentiability), so propagating (a, a') layer by layer gives
 * exactly F'(x; v) = lim_{t↓0} (F(x + t v) − F(x)) / t. At a zero pre-activation the map
 * v ↦ F'(x; v) is not linear — which is why p directional derivatives are not one gradient
 * (docs/theory.md §2, claim 2: F(x) = ‖Ax‖₁ at 0 gives ‖A v‖₁).
 *
 * Vector mode carries k tangents through one value sweep: cost = cost(F) + k · cost(tangent).
 */
import { Rational, ZERO } from '../exact/rational';
import { UserError } from '../errors';
import type { Network } from '../network/network';
import { checkPoint } from '../network/evaluate';
import { sparseLayers, type SparseLayer } from '../network/sparse';
import { addOps, scaleOps, networkForwardOps, networkTangentOps, type OpCounts } from './ops';

/** F(x) and the one-sided directional derivative F'(x; v), exact, with the operation counts. */
export interface DirectionalResult {
  value: Rational;
  derivative: Rational;
  ops: OpCounts;
}
/**
 * F(x) and the directional derivatives F'(x; v_k) for several directions (vector forward mode),
 * exact, with the operation counts.
 */
export interface DirectionalsResult {
  value: Rational;
  derivatives: Rational[];
  ops: OpCounts;
}

/** Σ_k w_k v[col_k] over row i (+ bias when given), exact. */
export function rowDot(S: SparseLayer, i: number, v: readonly Rational[], bias: Rational | null): Rational {
  let s = bias ?? ZERO;
  for (let k = S.start[i]!; k < S.start[i + 1]!; k++) {
    const a = v[S.col[k]!]!;
    if (a.n === 0n) continue;
    const u = S.unit[k]!;
    s = s.add(u === 1 ? a : u === -1 ? a.neg() : S.w[k]!.mul(a));
  }
  return s;
}

/**
 * The value and k tangents (one per row of V), layer by layer. At a hidden neuron the tangents
 * pass when the pre-activation is positive, vanish when it is negative, and go through `atZero`
 * when it is exactly 0 — per-direction max(u, 0) for directional derivatives, the whole-row
 * first-nonzero-sign rule for the lexicographic derivative (docs/theory.md §7).
 * Pre: x and every row of V have inputDim coordinates. Post: out.length === V.length.
 */
export function tangentSweepNetwork(
  net: Network,
  x: readonly Rational[],
  V: readonly (readonly Rational[])[],
  atZero: (tangents: Rational[]) => Rational[],
): { value: Rational; out: Rational[] } {
  const layers = sparseLayers(net);
  const L = layers.length;
  const k = V.length;
  let a: readonly Rational[] = x;
  // t[j][d]: tangent of coordinate j along direction d
  let t: Rational[][] = Array.from({ length: x.length }, (_, j) => V.map((v) => v[j]!));
  const zeroRow = new Array<Rational>(k).fill(ZERO);
  for (let l = 0; l < L; l++) {
    const S = layers[l]!;
    const hidden = l < L - 1;
    const na = new Array<Rational>(S.rows);
    const nt = new Array<Rational[]>(S.rows);
    for (let i = 0; i < S.rows; i++) {
      const z = rowDot(S, i, a, S.biasFree ? null : S.bias[i]!);
      const sign = hidden ? z.sign() : 1;
      if (hidden && sign < 0) {
        na[i] = ZERO;
        nt[i] = zeroRow;
        continue;
      }
      // z' = W t (bias is constant)
      const dz = new Array<Rational>(k);
      for (let d = 0; d < k; d++) {
        let s = ZERO;
        for (let q = S.start[i]!; q < S.start[i + 1]!; q++) {
          const u = t[S.col[q]!]![d]!;
          if (u.n === 0n) continue;
          const w = S.unit[q]!;
          s = s.add(w === 1 ? u : w === -1 ? u.neg() : S.w[q]!.mul(u));
        }
        dz[d] = s;
      }
      if (!hidden || sign > 0) {
        na[i] = z;
        nt[i] = dz;
      } else {
        na[i] = ZERO;
        nt[i] = atZero(dz);
      }
    }
    a = na;
    t = nt;
  }
  return { value: a[0]!, out: t[0]! };
}

function checkDirection(net: Network, v: readonly Rational[], j: number | null): void {
  if (v.length !== net.inputDim)
    throw new UserError(`${j === null ? 'direction' : `direction ${j + 1}`}: expected ${net.inputDim} coordinates (inputDim), got ${v.length}`);
}

/** F'(x; v), exact. Pre: x, v have inputDim coordinates (UserError otherwise). */
export function directionalDerivative(net: Network, x: Rational[], v: Rational[]): DirectionalResult {
  checkPoint(net, x);
  checkDirection(net, v, null);
  const r = directionalDerivatives(net, x, [v]);
  return { value: r.value, derivative: r.derivatives[0]!, ops: r.ops };
}

/** Vector mode: [F'(x; v_1), …, F'(x; v_k)] for the rows of V, in one sweep. */
export function directionalDerivatives(net: Network, x: Rational[], V: Rational[][]): DirectionalsResult {
  checkPoint(net, x);
  V.forEach((v, j) => checkDirection(net, v, j));
  const r = tangentSweepNetwork(net, x, V, (dz) => dz.map((u) => (u.n > 0n ? u : ZERO)));
  return {
    value: r.value,
    derivatives: r.out,
    ops: addOps(networkForwardOps(net), scaleOps(networkTangentOps(net), V.length)),
  };
}
