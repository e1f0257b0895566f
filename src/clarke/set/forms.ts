/**
 * The tangent network of F at x̄ seen from its tied neurons (docs/theory.md §6 "Localization", §9).
 *
 * A hidden neuron is *tied* when its pre-activation at x̄ is exactly 0; every other neuron is
 * frozen near x̄ (positive: identity, negative: 0). For small h, F(x̄ + h) = F(x̄) + G(h) with
 *
 *     ż_k(h) = E_k·h + Σ_{j<k} c_kj·y_j        (tied neuron k, y_j = relu(ż_j) the tied outputs)
 *     G(h)   = E_out·h + Σ_k o_k·y_k,
 *
 * where E_k, c_kj, o_k, E_out are sums over paths through frozen-active neurons only. They are
 * computed here by one backward sweep per tied neuron (and one from the output) that stops at the
 * tied neurons below: O((m + 1) · nnz) exact operations for m tied neurons — on a dense trained
 * network this is p times cheaper than substituting expressions forward (src/clarke/localize.ts,
 * which builds the same function as a DAG for the branch and bound).
 *
 * Tied neurons are listed in (layer, index) order, the order of the patterns of the Clarke set
 * (src/clarke/set/enumerate.ts) and of the checker (src/verify/set.ts). A tied neuron whose
 * tangent pre-activation is identically 0 stays in the list (E_k = 0, no c_kj): the enumeration
 * then marks it "vanishing", exactly as the checker expects.
 */
import { Rational, ZERO, ONE } from '../../exact/rational';
import type { Network } from '../../network/network';
import { evaluateExact, checkPoint } from '../../network/evaluate';
import { rref, type Rref } from '../../exact/matrix';

export interface TiedForms {
  /** Input dimension p. */
  p: number;
  /** The tied neurons [layer, index], (layer, index) order. */
  tied: Array<[number, number]>;
  /** E_k, dense (length p), for each tied neuron k. */
  input: Rational[][];
  /** c_kj ≠ 0 for j < k: [j, c_kj]. */
  inner: Array<Array<[number, Rational]>>;
  /** The transpose of `inner`: for each j, [k, c_kj] over k > j. */
  outgoing: Array<Array<[number, Rational]>>;
  /** o_k. */
  outer: Rational[];
  /** E_out, dense. */
  base: Rational[];
  /** F(x̄). */
  value: Rational;
  /** Exact pre-activations of F at x̄. */
  pre: Rational[][];
  /** Reduced row echelon form of the rows E_k: all forms live in its row space (docs/theory.md §9). */
  rref: Rref;
  /** E_k restricted to the pivot columns of `rref` (the reduced coordinates). */
  reduced: Rational[][];
}

/**
 * Pre: x̄.length === net.inputDim (UserError otherwise). Post: for every h small enough,
 * F(x̄ + h) = F(x̄) + E_out·h + Σ o_k relu(ż_k(h)) with ż as in the header.
 */
export function tiedForms(net: Network, xbar: readonly Rational[], deadline?: number): TiedForms {
  checkPoint(net, xbar, '--at');
  const p = net.inputDim;
  const fwd = evaluateExact(net, xbar);
  const L = net.layers.length;
  const tiedIndex: Int32Array[] = [];
  const tied: Array<[number, number]> = [];
  for (let l = 0; l < L - 1; l++) {
    const z = fwd.pre[l]!;
    const idx = new Int32Array(z.length).fill(-1);
    for (let i = 0; i < z.length; i++) if (z[i]!.isZero()) {
      idx[i] = tied.length;
      tied.push([l, i]);
    }
    tiedIndex.push(idx);
  }
  const m = tied.length;

  /**
   * Backward from the adjoint `seed` of layer `from`'s rows (layer index into net.layers): returns
   * the input part and, for every tied neuron met below, the adjoint of its output.
   */
  const sweep = (from: number, seed: Map<number, Rational>): { input: Rational[]; hits: Array<[number, Rational]> } => {
    const hits: Array<[number, Rational]> = [];
    let adj = seed;
    for (let l = from; l >= 0; l--) {
      const W = net.layers[l]!;
      const next = new Map<number, Rational>();
      for (const [r, a] of adj) {
        for (let k = W.start[r]!; k < W.start[r + 1]!; k++) {
          const j = W.col[k]!;
          const u = W.unit[k]!;
          const t = u === 1 ? a : u === -1 ? a.neg() : W.w[k]!.mul(a);
          const cur = next.get(j);
          const s = cur === undefined ? t : cur.add(t);
          if (s.isZero()) next.delete(j);
          else next.set(j, s);
        }
      }
      if (l === 0) {
        const input = new Array<Rational>(p).fill(ZERO);
        for (const [j, a] of next) input[j] = a;
        return { input, hits };
      }
      // `next` is the adjoint of layer l−1's outputs: stop at tied neurons, drop inactive ones.
      const z = fwd.pre[l - 1]!;
      const idx = tiedIndex[l - 1]!;
      for (const [j, a] of [...next]) {
        if (idx[j]! >= 0) {
          hits.push([idx[j]!, a]);
          next.delete(j);
        } else if (z[j]!.sign() < 0) next.delete(j);
      }
      adj = next;
    }
    throw new Error('unreachable');
  };

  const input: Rational[][] = [];
  const inner: Array<Array<[number, Rational]>> = [];
  for (let k = 0; k < m; k++) {
    const [l, i] = tied[k]!;
    const s = sweep(l, new Map([[i, ONE]]));
    input.push(s.input);
    inner.push(s.hits.sort((a, b) => a[0] - b[0]));
  }
  const out = sweep(L - 1, new Map([[0, ONE]]));
  const outer = new Array<Rational>(m).fill(ZERO);
  for (const [k, a] of out.hits) outer[k] = a;
  const outgoing: Array<Array<[number, Rational]>> = Array.from({ length: m }, () => []);
  inner.forEach((row, k) => row.forEach(([j, c]) => outgoing[j]!.push([k, c])));
  const r = rref(input, p, deadline);
  const reduced = input.map((e) => r.pivots.map((c) => e[c]!));
  return { p, tied, input, inner, outgoing, outer, base: out.input, value: fwd.value, pre: fwd.pre, rref: r, reduced };
}

/** The weights w_k = m_k·ȳ_k of the piece with masks m (1 active, 0 otherwise): g = E_out + Σ w_k E_k. */
export function pieceWeights(f: TiedForms, masks: Uint8Array): Rational[] {
  const m = f.tied.length;
  const ybar = new Array<Rational>(m).fill(ZERO);
  const w = new Array<Rational>(m).fill(ZERO);
  for (let k = m - 1; k >= 0; k--) {
    let s = f.outer[k]!;
    for (const [j, c] of f.outgoing[k]!) if (masks[j] === 1 && !ybar[j]!.isZero()) s = s.add(c.mul(ybar[j]!));
    ybar[k] = s;
    if (masks[k] === 1) w[k] = s;
  }
  return w;
}

/** Σ_k w_k·rows[k] for rows of equal length n. */
export function combineRows(w: readonly Rational[], rows: readonly (readonly Rational[])[], n: number, start: readonly Rational[] | null = null): Rational[] {
  const out = start ? start.slice() : new Array<Rational>(n).fill(ZERO);
  w.forEach((wk, k) => {
    if (wk.isZero()) return;
    const row = rows[k]!;
    for (let c = 0; c < n; c++) if (!row[c]!.isZero()) out[c] = out[c]!.add(wk.mul(row[c]!));
  });
  return out;
}
