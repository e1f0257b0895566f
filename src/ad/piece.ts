/**
 * From an activation pattern to the gradient of the linear piece it selects: the one step shared
 * by "one Clarke subgradient" (src/conservative/clarke-one.ts, the pattern at a point y near x̄) and
 * localization (src/clarke/localize.ts, the pattern along a direction h at x̄).
 *
 * A pattern gives each hidden neuron a sign: +1 active, −1 inactive, 0 a *tie* (pre-activation 0
 * and, along a direction, derivative 0). With no tie the pattern is strict: F is linear on an open
 * set there and the backward sweep with diagonals 1 (active) / 0 (otherwise) is its gradient, a
 * Clarke subgradient (docs/theory.md §2 claim 5, §6). A tie is harmless iff its pre-activation
 * vanishes identically on the piece — then the neuron outputs 0 there whatever relu'(0) is —
 * which is decided exactly: the gradient of that pre-activation on the piece, with the ties below
 * it switched off, is 0. Induction over layers makes this sound (if every tie below vanishes, the
 * pieces' linear forms are the true local ones). Ties whose rows are zero by structure (zero bias,
 * nonzero weights only from such neurons) vanish everywhere and need no sweep.
 */
import { Rational, ZERO, ONE } from '../exact/rational';
import type { Network } from '../network/network';
import { backwardWithDiagonals } from './backward';

export interface PieceGradient {
  /** Neurons with sign 0. */
  ties: number;
  /** Every tie's pre-activation vanishes identically on the piece (true when there is no tie). */
  tiesVanish: boolean;
  /** The piece's gradient (ties switched off) when `tiesVanish`; else null. */
  gradient: Rational[] | null;
}

/** Neurons whose pre-activation is the zero linear form by structure (zero everywhere). */
export function structuralZeros(net: Network): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let l = 0; l < net.layers.length - 1; l++) {
    const W = net.layers[l]!;
    const prev = l > 0 ? out[l - 1]! : null;
    const z = new Uint8Array(W.rows);
    for (let i = 0; i < W.rows; i++) {
      if (W.bias[i]!.n !== 0n) continue;
      let zero = true;
      for (let k = W.start[i]!; k < W.start[i + 1]! && zero; k++) if (prev === null || prev[W.col[k]!] === 0) zero = false;
      if (zero) z[i] = 1;
    }
    out.push(z);
  }
  return out;
}

/** Gradient, on the piece given by `mask`, of the pre-activation of hidden neuron (l, i) (exact). */
export function preActivationGradient(net: Network, mask: readonly (readonly Rational[])[], l: number, i: number): Rational[] {
  let adj: Rational[] = new Array<Rational>(net.layers[l]!.rows).fill(ZERO);
  adj[i] = ONE;
  for (let k = l; k >= 0; k--) {
    const W = net.layers[k]!;
    if (k < l) adj = adj.map((a, j) => (a.n === 0n ? a : a.mul(mask[k]![j]!)));
    const next = new Array<Rational>(W.cols).fill(ZERO);
    for (let r = 0; r < W.rows; r++) {
      const a = adj[r]!;
      if (a.n === 0n) continue;
      for (let q = W.start[r]!; q < W.start[r + 1]!; q++) next[W.col[q]!] = next[W.col[q]!]!.add(W.w[q]!.mul(a));
    }
    adj = next;
  }
  return adj;
}

/**
 * The gradient of the piece selected by `signs` (one entry per hidden neuron, layer by layer), or
 * null when some tie does not vanish identically (the pattern then selects no open piece).
 * `structural` (from `structuralZeros(net)`) may be passed to reuse it across calls.
 */
export function pieceGradient(net: Network, signs: readonly ArrayLike<number>[], structural?: readonly Uint8Array[]): PieceGradient {
  const mask = signs.map((sg) => Array.from(sg, (s) => (s > 0 ? ONE : ZERO)));
  let ties = 0;
  for (const sg of signs) for (let i = 0; i < sg.length; i++) if (sg[i] === 0) ties++;
  // One backward sweep per tie costs O(ties · nnz); the forward sweep of the piece's Jacobian,
  // rows kept sparse, O(nnz · p) at most: taken when there are more ties than inputs (a deep
  // chain tied at x̄ has one tie per layer: the per-tie sweeps would be quadratic in its depth).
  if (ties > net.inputDim) {
    const tiesVanish = tiesVanishForward(net, signs);
    return { ties, tiesVanish, gradient: tiesVanish ? backwardWithDiagonals(net, mask) : null };
  }
  let tiesVanish = true;
  const zeros = structural ?? null;
  for (let l = 0; l < signs.length; l++) {
    const sg = signs[l]!;
    for (let i = 0; i < sg.length; i++) {
      if (sg[i] !== 0 || !tiesVanish) continue;
      if (zeros !== null && zeros[l]![i] === 1) continue;
      if (!preActivationGradient(net, mask, l, i).every((v) => v.n === 0n)) tiesVanish = false;
    }
  }
  return { ties, tiesVanish, gradient: tiesVanish ? backwardWithDiagonals(net, mask) : null };
}

/**
 * Whether every tie's pre-activation has gradient 0 on the piece (ties below switched off), by
 * one forward sweep of the rows of the piece's Jacobian (sparse: input index → exact entry).
 */
function tiesVanishForward(net: Network, signs: readonly ArrayLike<number>[]): boolean {
  let rows: Array<Map<number, Rational>> = Array.from({ length: net.inputDim }, (_, i) => new Map([[i, ONE]]));
  for (let l = 0; l < signs.length; l++) {
    const W = net.layers[l]!;
    const sg = signs[l]!;
    const next: Array<Map<number, Rational>> = new Array(W.rows);
    for (let i = 0; i < W.rows; i++) {
      const acc = new Map<number, Rational>();
      for (let k = W.start[i]!; k < W.start[i + 1]!; k++) {
        const row = rows[W.col[k]!]!;
        const w = W.w[k]!;
        for (const [j, v] of row) {
          const nv = (acc.get(j) ?? ZERO).add(w.mul(v));
          if (nv.n === 0n) acc.delete(j);
          else acc.set(j, nv);
        }
      }
      if (sg[i] === 0 && acc.size > 0) return false;
      next[i] = sg[i]! > 0 ? acc : new Map();
    }
    rows = next;
  }
  return true;
}
