/**
 * When may a sign decision use float64? (README "Exactness rule"; THEORY §6: zero tests need exact
 * arithmetic.)
 *
 * RULE. Float64 evaluation of a layered network decides every pre-activation sign exactly when
 *   (1) every weight and bias is an integer,
 *   (2) the point is integral — or, for a bias-free network, the point is scaled first by the
 *       least common multiple D of its denominators (positive homogeneity, THEORY §1: every
 *       pre-activation at D·x is D times the one at x, so the signs agree and F(x) = F(Dx)/D), and
 *   (3) the magnitude bound below is at most 2^53.
 * Bound: B_0 = max_j |X_j| (the scaled point), and for every layer l
 *     B_l = max_i ( Σ_j |w_ij| · B_{l−1} + |b_i| ),
 * since relu never increases magnitudes. Every product w_ij·a_j and every partial sum of a
 * pre-activation is then an integer of magnitude ≤ B_l ≤ 2^53, and float64 represents every such
 * integer exactly, so each +, × is exact whatever the summation order, and so is each sign test.
 * Otherwise the caller must use exact (BigInt rational) arithmetic. Nothing is assumed about
 * rounding; the bound is conservative (it ignores cancellation).
 */
import { Rational } from './rational';
import type { Network } from '../network/network';

export const FLOAT_EXACT_LIMIT = 2n ** 53n;

export interface FloatExactness {
  /** True when float64 evaluation at `scale·x` is exact in every intermediate value. */
  exact: boolean;
  /** The integer point X = scale·x at which to evaluate (meaningful when exact). */
  scaled: bigint[];
  /** D ≥ 1: the factor applied to x (1 for an integral point). */
  scale: bigint;
  /** max_l B_l (see header); 0 when a precondition fails before the bound is computed. */
  bound: bigint;
  /** Why it is not exact (when exact is false). */
  reason?: string;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** Σ|w_ij| and |b_i| per row, cached per network (the bound is a max over rows). */
const rowNormCache = new WeakMap<Network, { rowAbs: bigint[][]; biasAbs: bigint[][] } | null>();

function rowNorms(net: Network): { rowAbs: bigint[][]; biasAbs: bigint[][] } | null {
  if (rowNormCache.has(net)) return rowNormCache.get(net)!;
  let out: { rowAbs: bigint[][]; biasAbs: bigint[][] } | null = { rowAbs: [], biasAbs: [] };
  for (const layer of net.layers) {
    const ra: bigint[] = [];
    const ba: bigint[] = [];
    for (let i = 0; i < layer.weights.length && out; i++) {
      let s = 0n;
      for (const w of layer.weights[i]!) {
        if (w.d !== 1n) { out = null; break; }
        s += w.n < 0n ? -w.n : w.n;
      }
      const b = layer.bias[i]!;
      if (b.d !== 1n) out = null;
      ra.push(s);
      ba.push(b.n < 0n ? -b.n : b.n);
    }
    if (!out) break;
    out.rowAbs.push(ra);
    out.biasAbs.push(ba);
  }
  rowNormCache.set(net, out);
  return out;
}

/** Apply the rule to (net, x). Linear in the number of weights (cached across points). */
export function floatExactness(net: Network, x: readonly Rational[]): FloatExactness {
  const norms = rowNorms(net);
  if (!norms) return { exact: false, scaled: [], scale: 1n, bound: 0n, reason: 'a weight or bias is not an integer' };
  let D = 1n;
  for (const v of x) D = (D / gcd(D, v.d)) * v.d;
  if (D !== 1n && !net.isBiasFree())
    return { exact: false, scaled: [], scale: D, bound: 0n, reason: 'the point is not integral and the network has biases' };
  const scaled = x.map((v) => v.n * (D / v.d));
  let B = 0n;
  for (const v of scaled) B = B > (v < 0n ? -v : v) ? B : v < 0n ? -v : v;
  let maxB = B;
  for (let l = 0; l < norms.rowAbs.length; l++) {
    let next = 0n;
    const ra = norms.rowAbs[l]!;
    const ba = norms.biasAbs[l]!;
    for (let i = 0; i < ra.length; i++) {
      const r = ra[i]! * B + ba[i]!;
      if (r > next) next = r;
    }
    B = next;
    if (B > maxB) maxB = B;
    if (maxB > FLOAT_EXACT_LIMIT) return { exact: false, scaled, scale: D, bound: maxB, reason: `magnitude bound ${maxB} exceeds 2^53` };
  }
  return { exact: true, scaled, scale: D, bound: maxB };
}
