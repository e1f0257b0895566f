/**
 * Exact forward pass and 0/1-diagonal backprop over scaled integers, for auditing imported networks
 * on many inputs (docs/audit.md "Cost").
 *
 * Imported weights are dyadic rationals with large power-of-two denominators; summing them as
 * normalized Rationals pays a gcd per addition. Here each layer l is scaled once by the lcm D_l of
 * its weight and bias denominators (a power of two for float weights), the input by the lcm D_x of
 * its denominators, and a layer's pre-activations are the integers
 *
 *     Z_l = (D_l W_l) A_{l-1} + (D_l b_l) · Δ_{l-1},   Δ_l = D_l Δ_{l-1},   Δ_{-1} = D_x,
 *
 * with z_l = Z_l / Δ_l exactly and A_l = relu(Z_l) (relu commutes with a positive scale). Signs are
 * read from the integers; a Rational is built (one gcd) only for reported values. Backprop with
 * 0/1 diagonals runs the same way from the output row, the result scaled by Π D_l. Same numbers as
 * src/network/evaluate.ts and src/ad/backward.ts (checked in test/audit), fewer normalizations.
 */
import { Rational } from '../exact/rational';
import type { Network } from '../network/network';

interface IntLayer {
  rows: number;
  cols: number;
  den: bigint;
  start: Int32Array;
  col: Int32Array;
  w: bigint[];
  b: bigint[];
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
const lcm = (a: bigint, b: bigint): bigint => (a / gcd(a, b)) * b;

export interface IntForward {
  /** Sign of each hidden pre-activation. */
  signs: Int8Array[];
  /** Exact hidden pre-activations (only when asked for). */
  pre?: Rational[][];
  value: Rational;
}

export class IntNetwork {
  private readonly layers: IntLayer[];
  readonly inputDim: number;

  constructor(net: Network) {
    this.inputDim = net.inputDim;
    this.layers = net.layers.map((layer) => {
      const W = layer.weights;
      const rows = W.length;
      const cols = W[0]!.length;
      let den = 1n;
      for (const row of W) for (const v of row) if (v.n !== 0n && v.d !== 1n) den = lcm(den, v.d);
      for (const v of layer.bias) if (v.d !== 1n) den = lcm(den, v.d);
      const start = new Int32Array(rows + 1);
      const col: number[] = [];
      const w: bigint[] = [];
      for (let i = 0; i < rows; i++) {
        start[i] = col.length;
        const row = W[i]!;
        for (let j = 0; j < cols; j++) {
          const v = row[j]!;
          if (v.n === 0n) continue;
          col.push(j);
          w.push(v.n * (den / v.d));
        }
      }
      start[rows] = col.length;
      return { rows, cols, den, start, col: Int32Array.from(col), w, b: layer.bias.map((v) => v.n * (den / v.d)) };
    });
  }

  forward(x: readonly Rational[], keepPre = false): IntForward {
    let D = 1n;
    for (const v of x) if (v.d !== 1n) D = lcm(D, v.d);
    let a: bigint[] = x.map((v) => v.n * (D / v.d));
    const signs: Int8Array[] = [];
    const pre: Rational[][] = [];
    const L = this.layers.length;
    for (let l = 0; l < L; l++) {
      const S = this.layers[l]!;
      const z = new Array<bigint>(S.rows);
      for (let i = 0; i < S.rows; i++) {
        let s = S.b[i]! === 0n ? 0n : S.b[i]! * D;
        for (let k = S.start[i]!; k < S.start[i + 1]!; k++) {
          const v = a[S.col[k]!]!;
          if (v !== 0n) s += S.w[k]! * v;
        }
        z[i] = s;
      }
      D *= S.den;
      if (l === L - 1) return { signs, value: Rational.of(z[0]!, D), ...(keepPre ? { pre } : {}) };
      signs.push(Int8Array.from(z, (v) => (v > 0n ? 1 : v < 0n ? -1 : 0)));
      if (keepPre) pre.push(z.map((v) => Rational.of(v, D)));
      a = z.map((v) => (v > 0n ? v : 0n));
    }
    throw new Error('unreachable: a network has at least one layer');
  }

  /** M_L D_{L−1} … D_1 M_1 for 0/1 diagonals `mask[l][i]` (1 = pass). */
  backward(mask: readonly (readonly number[] | Int8Array)[]): Rational[] {
    const L = this.layers.length;
    const out = this.layers[L - 1]!;
    let adj: bigint[] = new Array<bigint>(out.cols).fill(0n);
    for (let k = out.start[0]!; k < out.start[1]!; k++) adj[out.col[k]!] = out.w[k]!;
    let D = out.den;
    for (let l = L - 2; l >= 0; l--) {
      const S = this.layers[l]!;
      const m = mask[l]!;
      const next = new Array<bigint>(S.cols).fill(0n);
      for (let i = 0; i < S.rows; i++) {
        const g = adj[i]!;
        if (g === 0n || m[i] === 0) continue;
        for (let k = S.start[i]!; k < S.start[i + 1]!; k++) next[S.col[k]!] += g * S.w[k]!;
      }
      D *= S.den;
      adj = next;
    }
    return adj.map((v) => Rational.of(v, D));
  }
}
