/**
 * A float64 filter in front of the exact tangent pass (src/clarke/localize.ts `tangentPass`): the
 * activation pattern of F at x̄ + t·h (t → 0⁺) and the gradient of the piece it selects, in
 * floats, so that the searches for a first subgradient, for a second piece (the multiscale probe)
 * and for a certifiable point near a witness pay one exact pass per *candidate that the floats
 * already like*, not one per try (issue 18 "fixed cost": on uuf100 the exact probe alone took
 * 0.37 s of a 1.4 s decision).
 *
 * Nothing here decides: a candidate passes the filter, then the exact pass and src/verify judge
 * it. A wrong float verdict costs time or misses a candidate, never an answer.
 */
import type { Network } from '../network/network';
import type { Rational } from '../exact/rational';

/** The network's layers as float CSR, cached per network. */
interface FloatCsr {
  start: Int32Array;
  col: Int32Array;
  w: Float64Array;
  rows: number;
}
const cache = new WeakMap<Network, FloatCsr[]>();
function floatLayers(net: Network): FloatCsr[] {
  let f = cache.get(net);
  if (!f) {
    f = net.layers.map((L) => ({ start: Int32Array.from(L.start), col: Int32Array.from(L.col), w: Float64Array.from(L.w, (v) => v.toNumber()), rows: L.rows }));
    cache.set(net, f);
  }
  return f;
}

const TIE = 2 ** -40;

/** Signs of F's pre-activations at x̄ (per hidden layer), cached by the caller. */
export function signsAtBar(preAtBar: readonly (readonly Rational[])[]): Int8Array[] {
  return preAtBar.map((row) => Int8Array.from(row, (v) => v.sign()));
}

export interface FloatTangent {
  /** Effective sign of every hidden neuron along h (sign at x̄, else of the derivative; 0: tie). */
  signs: Int8Array[];
  /**
   * Smallest |derivative| / (scale of its terms) over the neurons zero at x̄ whose float derivative
   * is not exactly 0: near 0 ⇒ the float sign may be wrong.
   */
  margin: number;
  /** Gradient of the piece (ties switched off). */
  gradient: Float64Array;
  /** Neurons zero at x̄ whose float derivative is within noise of 0 (likely ties). */
  ties: number;
}

/**
 * One float forward sweep of the derivative along h and one backward sweep of the piece gradient.
 * O(nonzeros).
 */
export function floatTangent(net: Network, barSigns: readonly Int8Array[], h: ArrayLike<number>): FloatTangent {
  const layers = floatLayers(net);
  const L = layers.length;
  let dv = Float64Array.from(h);
  const signs: Int8Array[] = [];
  let margin = Infinity;
  let ties = 0;
  for (let l = 0; l < L - 1; l++) {
    const S = layers[l]!;
    const s0 = barSigns[l]!;
    const sg = new Int8Array(S.rows);
    const out = new Float64Array(S.rows);
    for (let i = 0; i < S.rows; i++) {
      if (s0[i]! < 0) continue;
      let z = 0;
      let scale = 0;
      for (let k = S.start[i]!; k < S.start[i + 1]!; k++) {
        const t = S.w[k]! * dv[S.col[k]!]!;
        z += t;
        scale += Math.abs(t);
      }
      if (s0[i]! > 0) {
        sg[i] = 1;
        out[i] = z;
        continue;
      }
      // A derivative within float noise of 0 (|z| ≤ 2^-40 of the size of its terms) is taken as a
      // tie, switched off as the exact rule does when the tie vanishes identically (a copy
      // cancelling a copy); `margin` reports how close the others came.
      const tie = Math.abs(z) <= TIE * scale;
      const s = tie ? 0 : z > 0 ? 1 : -1;
      sg[i] = s;
      if (s > 0) out[i] = z;
      if (!tie) margin = Math.min(margin, Math.abs(z) / scale);
      else ties++;
    }
    signs.push(sg);
    dv = out;
  }
  // Backward: adjoint of the output row, through the pattern.
  const last = layers[L - 1]!;
  const inDim = (l: number): number => (l === 0 ? net.inputDim : layers[l - 1]!.rows);
  let adj = new Float64Array(inDim(L - 1));
  for (let k = last.start[0]!; k < last.start[1]!; k++) adj[last.col[k]!]! += last.w[k]!;
  for (let l = L - 2; l >= 0; l--) {
    const S = layers[l]!;
    const sg = signs[l]!;
    const next = new Float64Array(inDim(l));
    for (let i = 0; i < S.rows; i++) {
      const a = adj[i]!;
      if (a === 0 || sg[i]! <= 0) continue;
      for (let k = S.start[i]!; k < S.start[i + 1]!; k++) next[S.col[k]!]! += S.w[k]! * a;
    }
    adj = next;
  }
  return { signs, margin, gradient: adj, ties };
}

/** Whether two gradients differ beyond float noise (relative to their size). */
export function floatDiffers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]!), Math.abs(b[i]!));
  const tol = 1e-9 * Math.max(1, scale);
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > tol) return true;
  return false;
}
