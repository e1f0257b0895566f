/**
 * Exact identity test for `Φ(d) = M_1^T D_1 M_2^T … D_{L-1} M_L^T` at a general point (docs/theory.md §5),
 * in the style of Raz–Shpilka for algebraic branching programs.
 *
 * Write the partial product from the output down to layer l as a vector polynomial
 * `v(d) = c_0 + Σ_{m non-constant} c_m · m(d)`. Only two things matter for constancy:
 * the constant coefficient `c_0` and the span `S = span{c_m : m non-constant}`. Both propagate
 * backwards exactly, although the number of monomials is exponential:
 *
 *  - through `D_l` (F = the fixed part of D_l, P_i = e_i e_i^T for a free neuron i):
 *      `c_0 ← F c_0`,  `S ← F S + Σ_{i free} P_i (S + span{c_0})`
 *    because the monomials of `D_l v` are `m` (coefficient `F c_m`) and `d_i · m` for every m,
 *    including the constant one (coefficient `P_i c_m`), and these are pairwise distinct;
 *    `Σ_i P_i(T)` is `span{e_i : i free, some vector of T has a nonzero i-th entry}`;
 *  - through `M_l^T`: `c_0 ← M_l^T c_0`, `S ← M_l^T S` (a linear image of a span is the span of
 *    the images).
 *
 * At the input, Φ is constant iff `S = {0}`, and then `D^a_F(x̄) = {c_0}` (a multilinear
 * polynomial constant on the box [0,1]^free is a constant polynomial). `S` is kept as an integer
 * basis in echelon form by fraction-free elimination (each vector made primitive: a span does not
 * change when its vectors are scaled), so the test is exact and polynomial:
 * O(L · (rank · nnz + rank² · width)) big-integer operations.
 */
import { Rational, ZERO } from '../exact/rational';
import type { Network, NetLayer } from '../network/network';
import { FREE, ACTIVE, type DiagPattern } from './pattern';

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** An integer basis in echelon form: row k has pivot `pivots[k]` and zeros at every earlier pivot. */
export class Echelon {
  readonly rows: bigint[][] = [];
  readonly pivots: number[] = [];
  constructor(readonly dim: number) {}

  get rank(): number {
    return this.rows.length;
  }

  /** Insert `v` (taken over, mutated); returns true when it was independent of the basis. */
  insert(v: bigint[]): boolean {
    for (let k = 0; k < this.rows.length; k++) {
      const p = this.pivots[k]!;
      const a = v[p]!;
      if (a === 0n) continue;
      const b = this.rows[k]!;
      const bp = b[p]!;
      // v ← bp·v − a·b zeroes v[p] and keeps v zero at earlier pivots (b is zero there).
      for (let j = 0; j < v.length; j++) {
        const bj = b[j]!;
        const vj = v[j]!;
        if (vj !== 0n || bj !== 0n) v[j] = bp * vj - a * bj;
      }
      primitive(v);
    }
    let piv = -1;
    for (let j = 0; j < v.length; j++) {
      if (v[j] !== 0n) {
        piv = j;
        break;
      }
    }
    if (piv < 0) return false;
    if (v[piv]! < 0n) for (let j = 0; j < v.length; j++) v[j] = -v[j]!;
    this.rows.push(v);
    this.pivots.push(piv);
    return true;
  }
}

/** Divide an integer vector by the gcd of its entries (in place). */
function primitive(v: bigint[]): void {
  let g = 0n;
  for (const x of v) {
    if (x !== 0n) {
      g = gcd(g, x);
      if (g === 1n) return;
    }
  }
  if (g > 1n) for (let j = 0; j < v.length; j++) v[j] = v[j]! / g;
}

/** A layer's stored (nonzero) weights as integers times a positive scale (the lcm of the denominators), by CSR position. */
function integerWeights(S: NetLayer): bigint[] {
  let lcm = 1n;
  for (const w of S.w) if (w.d !== 1n) lcm = (lcm / gcd(lcm, w.d)) * w.d;
  return S.w.map((w) => (lcm === 1n ? w.n : w.n * (lcm / w.d)));
}

/**
 * The exact span identity test's result: Φ's constant coefficient and an integer basis of the span
 * of its non-constant coefficients (docs/theory.md §5).
 */
export interface SpanResult {
  /** `c_0`: Φ's constant coefficient at the input (the value of Φ at d = 0 on the free entries). */
  constant: Rational[];
  /** An integer echelon basis of the span of the non-constant coefficients at the input. */
  basis: bigint[][];
  /** `dim S`; Φ is constant iff 0. */
  rank: number;
  /** Largest rank met on the way (the cost driver). */
  maxRank: number;
}

/**
 * Pre: `pattern` has one Int8Array per hidden layer with entries ACTIVE | INACTIVE | FREE.
 * Post: `rank === 0` iff `Φ` is constant over the free entries, and then `Φ ≡ constant`.
 */
export function spanIdentity(net: Network, pattern: DiagPattern): SpanResult {
  const L = net.layers.length;
  let c0: Rational[] = [Rational.int(1)];
  let basis = new Echelon(1);
  let maxRank = 0;
  for (let l = L - 1; l >= 0; l--) {
    // Layers are CSR (src/network/network.ts): the products below visit stored weights only.
    const S = net.layers[l]!;
    if (l < L - 1) {
      // Through D_l (hidden layer l).
      const pat = pattern[l]!;
      const n = pat.length;
      const touched = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (pat[i] !== FREE) continue;
        if (c0[i]!.n !== 0n) touched[i] = 1;
        else for (const b of basis.rows) if (b[i] !== 0n) {
          touched[i] = 1;
          break;
        }
      }
      const nb = new Echelon(n);
      for (let i = 0; i < n; i++) {
        if (touched[i] === 0) continue;
        const e = new Array<bigint>(n).fill(0n);
        e[i] = 1n;
        nb.insert(e);
      }
      for (const b of basis.rows) {
        const fb = new Array<bigint>(n);
        let nz = false;
        for (let i = 0; i < n; i++) {
          fb[i] = pat[i] === ACTIVE ? b[i]! : 0n;
          if (fb[i] !== 0n) nz = true;
        }
        if (nz) nb.insert(fb);
      }
      c0 = c0.map((c, i) => (pat[i] === ACTIVE ? c : ZERO));
      basis = nb;
    }
    // Through M_l^T.
    const cols = S.cols;
    const nc = new Array<Rational>(cols).fill(ZERO);
    for (let i = 0; i < S.rows; i++) {
      const a = c0[i]!;
      if (a.n === 0n) continue;
      for (let k = S.start[i]!; k < S.start[i + 1]!; k++) nc[S.col[k]!] = nc[S.col[k]!]!.add(S.w[k]!.mul(a));
    }
    c0 = nc;
    const wi = integerWeights(S);
    const nb = new Echelon(cols);
    for (const b of basis.rows) {
      const out = new Array<bigint>(cols).fill(0n);
      let nz = false;
      for (let i = 0; i < b.length; i++) {
        const bi = b[i]!;
        if (bi === 0n) continue;
        for (let k = S.start[i]!; k < S.start[i + 1]!; k++) {
          const j = S.col[k]!;
          out[j] = out[j]! + bi * wi[k]!;
          nz = true;
        }
      }
      if (nz) nb.insert(out);
    }
    basis = nb;
    if (basis.rank > maxRank) maxRank = basis.rank;
  }
  return { constant: c0, basis: basis.rows, rank: basis.rank, maxRank };
}
