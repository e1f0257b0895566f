/**
 * Exact evaluation at a rational point. Every pre-activation is an exact Rational, so the zero
 * tests that decide the activation pattern are exact (docs/theory.md §6: "zero tests need exact arithmetic").
 */
import { Rational, ZERO } from '../exact/rational';
import { sparseLayers } from './sparse';
import { UserError } from '../errors';
import { NetLayer, type Network } from './network';

export interface ExactForward {
  value: Rational;
  /** Pre-activations of each hidden layer. */
  pre: Rational[][];
  /** Post-activations (relu of pre) of each hidden layer. */
  post: Rational[][];
}

export function checkPoint(net: Network, x: readonly Rational[], what = 'point'): void {
  if (x.length !== net.inputDim)
    throw new UserError(`${what}: expected ${net.inputDim} coordinates (inputDim), got ${x.length}`);
}

/**
 * Affine map of one layer: `W v + b`, exact. `W` is a stored layer (CSR: only nonzeros are
 * visited) or a dense matrix (zero weights skipped).
 */
export function affineExact(W: NetLayer | readonly (readonly Rational[])[], b: readonly Rational[], v: readonly Rational[]): Rational[] {
  if (W instanceof NetLayer) {
    const out = new Array<Rational>(W.rows);
    for (let i = 0; i < W.rows; i++) {
      let s = b[i]!;
      for (let k = W.start[i]!; k < W.start[i + 1]!; k++) {
        const a = v[W.col[k]!]!;
        if (a.n === 0n) continue;
        const u = W.unit[k]!;
        s = s.add(u === 1 ? a : u === -1 ? a.neg() : W.w[k]!.mul(a));
      }
      out[i] = s;
    }
    return out;
  }
  const out = new Array<Rational>(W.length);
  for (let i = 0; i < W.length; i++) {
    const row = W[i]!;
    let s = b[i]!;
    for (let j = 0; j < row.length; j++) {
      const w = row[j]!;
      if (w.n === 0n) continue;
      const vj = v[j]!;
      if (vj.n === 0n) continue;
      s = s.add(w.n === 1n && w.d === 1n ? vj : w.n === -1n && w.d === 1n ? vj.neg() : w.mul(vj));
    }
    out[i] = s;
  }
  return out;
}

export function evaluateExact(net: Network, x: readonly Rational[]): ExactForward {
  checkPoint(net, x);
  const pre: Rational[][] = [];
  const post: Rational[][] = [];
  const layers = sparseLayers(net);
  let v: readonly Rational[] = x;
  const L = layers.length;
  for (let l = 0; l < L; l++) {
    const S = layers[l]!;
    const z = new Array<Rational>(S.rows);
    for (let i = 0; i < S.rows; i++) {
      let s = S.biasFree ? ZERO : S.bias[i]!;
      for (let k = S.start[i]!; k < S.start[i + 1]!; k++) {
        const a = v[S.col[k]!]!;
        if (a.n === 0n) continue;
        const u = S.unit[k]!;
        s = s.add(u === 1 ? a : u === -1 ? a.neg() : S.w[k]!.mul(a));
      }
      z[i] = s;
    }
    if (l === L - 1) return { value: z[0]!, pre, post };
    pre.push(z);
    const a = z.map((zi) => (zi.n > 0n ? zi : ZERO));
    post.push(a);
    v = a;
  }
  throw new Error('unreachable: a network has at least one layer');
}
