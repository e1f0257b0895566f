/**
 * When may a sign decision use float64? (README "Exactness rule for float64"; docs/theory.md §6: zero
 * tests need exact arithmetic.)
 *
 * RULE. Float64 evaluation of a layered network decides every pre-activation sign exactly when
 *   (1) every weight is an integer,
 *   (2) the point x and the biases b are first scaled by the least common multiple D of all their
 *       denominators (D = 1 for an integral point and integral biases), and
 *   (3) the magnitude bound below is at most 2^53.
 * Why (2) is harmless: (x, b) ↦ F is jointly positively homogeneous (relu(Dz) = D·relu(z) for
 * D > 0, layer by layer), so every pre-activation at (Dx, Db) is D times the one at (x, b): the
 * signs agree and F(x) = F_{Db}(Dx)/D.
 * Bound: B_0 = max_j |X_j| (X = Dx), and for every layer l
 *     B_l = max_i ( Σ_j |w_ij| · B_{l−1} + |D·b_i| ),
 * since relu never increases magnitudes. Every product w_ij·a_j and every partial sum of a
 * pre-activation is then an integer of magnitude ≤ B_l ≤ 2^53; float64 represents every such
 * integer exactly, so each +, × is exact whatever the summation order, and so is each sign test.
 * Otherwise the caller must use exact (BigInt rational) arithmetic. Nothing is assumed about
 * rounding; the bound is conservative (it ignores cancellation).
 */
import { Rational } from '../exact/rational';
import type { Network } from './network';

export const FLOAT_EXACT_LIMIT = 2n ** 53n;

export interface FloatExactness {
  /** True when float64 evaluation at (scale·x, scale·b) is exact in every intermediate value. */
  exact: boolean;
  /** The integer point X = scale·x at which to evaluate (meaningful when exact). */
  scaled: bigint[];
  /** The integer biases scale·b, per layer (meaningful when exact). */
  scaledBias: bigint[][];
  /** D ≥ 1: the factor applied to x and b. */
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
const lcm = (a: bigint, b: bigint): bigint => (a / gcd(a, b)) * b;
const abs = (a: bigint): bigint => (a < 0n ? -a : a);

interface Norms {
  /** Σ_j |w_ij| per layer and row. */
  rowAbs: bigint[][];
  /** lcm of the bias denominators. */
  biasDen: bigint;
}
/** Per-network data of the bound, cached (null: a weight is not an integer). */
const normCache = new WeakMap<Network, Norms | null>();

function norms(net: Network): Norms | null {
  if (normCache.has(net)) return normCache.get(net)!;
  let out: Norms | null = { rowAbs: [], biasDen: 1n };
  outer: for (const layer of net.layers) {
    const ra: bigint[] = [];
    for (let i = 0; i < layer.rows; i++) {
      let s = 0n;
      for (let k = layer.start[i]!; k < layer.start[i + 1]!; k++) {
        const w = layer.w[k]!;
        if (w.d !== 1n) {
          out = null;
          break outer;
        }
        s += abs(w.n);
      }
      ra.push(s);
      out.biasDen = lcm(out.biasDen, layer.bias[i]!.d);
    }
    out.rowAbs.push(ra);
  }
  normCache.set(net, out);
  return out;
}

/** Apply the rule to (net, x). Linear in the number of nonzero weights (cached across points). */
export function floatExactness(net: Network, x: readonly Rational[]): FloatExactness {
  const nm = norms(net);
  if (!nm) return { exact: false, scaled: [], scaledBias: [], scale: 1n, bound: 0n, reason: 'a weight is not an integer' };
  let D = nm.biasDen;
  for (const v of x) D = lcm(D, v.d);
  const scaled = x.map((v) => v.n * (D / v.d));
  const scaledBias = net.layers.map((l) => l.bias.map((b) => b.n * (D / b.d)));
  let B = 0n;
  for (const v of scaled) if (abs(v) > B) B = abs(v);
  let maxB = B;
  for (let l = 0; l < nm.rowAbs.length; l++) {
    let next = 0n;
    const ra = nm.rowAbs[l]!;
    const sb = scaledBias[l]!;
    for (let i = 0; i < ra.length; i++) {
      const r = ra[i]! * B + abs(sb[i]!);
      if (r > next) next = r;
    }
    B = next;
    if (B > maxB) maxB = B;
    if (maxB > FLOAT_EXACT_LIMIT)
      return { exact: false, scaled, scaledBias, scale: D, bound: maxB, reason: `magnitude bound ${maxB} exceeds 2^53` };
  }
  return { exact: true, scaled, scaledBias, scale: D, bound: maxB };
}
