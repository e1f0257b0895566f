/**
 * The problem the branch and bound works on (docs/theory.md §6, §8): the canonical DAG of the
 * tangent network G of F at x̄ — built by the proof checker's own rules (src/verify/proof.ts), so
 * node ids in a proof mean the same to both — in exact and float form, and the objective
 * σ·D(h) = σ·(G(h) − g·h) of one sign.
 */
import { Rational, ZERO } from '../../exact/rational';
import type { Network } from '../../network/network';
import { canonicalDag, networkHash, type CanonicalDag, type LinQ } from '../../verify/proof';
import type { Q, SLayer } from '../../verify/q';
import { floatDag, type FloatDag } from './bounds';

export const toQ = (r: Rational): Q => ({ n: r.n, d: r.d });
export const fromQ = (x: Q): Rational => Rational.of(x.n, x.d);

/** The network's layers in the verifier's sparse form (Rational is structurally a Q). */
export function sparseLayers(net: Network): SLayer[] {
  return net.layers.map((L) => {
    const rows: Array<Array<[number, Q]>> = [];
    for (let i = 0; i < L.rows; i++) {
      const row: Array<[number, Q]> = [];
      for (let t = L.start[i]!; t < L.start[i + 1]!; t++) row.push([L.col[t]!, toQ(L.w[t]!)]);
      rows.push(row);
    }
    return { rows, bias: L.bias.map(toQ), cols: L.cols };
  });
}

export interface BabProblem {
  p: number;
  dag: CanonicalDag;
  fdag: FloatDag;
  hash: string;
}

export function babProblem(net: Network, at: readonly Rational[]): BabProblem {
  const layers = sparseLayers(net);
  const dag = canonicalDag(net.inputDim, layers, at.map(toQ));
  return { p: net.inputDim, dag, fdag: floatDag(dag), hash: networkHash(net.inputDim, layers) };
}

/** σ·D(h) = σ·(G(h) − g·h): the expression over DAG ids (exact and float) and its evaluators. */
export interface Objective {
  sigma: 1 | -1;
  exact: LinQ;
  float: Map<number, number>;
  /** Exact σ·D at a rational point (canonical DAG). */
  value(x: readonly Rational[]): Rational;
  /** Float σ·D (a hint only: never a decision). */
  floatValue(x: Float64Array): number;
}

export function objective(prob: BabProblem, g: readonly Rational[], sigma: 1 | -1): Objective {
  const { p, dag, fdag } = prob;
  const N = dag.nodes.length;
  const exact: LinQ = new Map();
  const sq = Rational.int(sigma);
  for (const [id, w] of dag.output) exact.set(id, toQ(fromQ(w).mul(sq)));
  g.forEach((gi, i) => {
    if (gi.isZero()) return;
    const cur = exact.has(i) ? fromQ(exact.get(i)!) : ZERO;
    const nv = cur.sub(gi.mul(sq));
    if (nv.isZero()) exact.delete(i);
    else exact.set(i, toQ(nv));
  });
  const float = new Map<number, number>();
  for (const [id, w] of exact) float.set(id, Number(w.n) / Number(w.d));
  const vals = new Float64Array(p + N);
  return {
    sigma,
    exact,
    float,
    value(x) {
      const v: Rational[] = x.slice();
      for (let k = 0; k < N; k++) {
        const nd = dag.nodes[k]!;
        let z = ZERO;
        for (let t = 0; t < nd.ids.length; t++) {
          const xv = v[nd.ids[t]!]!;
          if (!xv.isZero()) z = z.add(fromQ(nd.ws[t]!).mul(xv));
        }
        v.push(z.sign() > 0 ? z : ZERO);
      }
      let s = ZERO;
      for (const [id, w] of exact) {
        const xv = v[id]!;
        if (!xv.isZero()) s = s.add(fromQ(w).mul(xv));
      }
      return s;
    },
    floatValue(x) {
      vals.set(x);
      for (let k = 0; k < N; k++) {
        const ids = fdag.ids[k]!;
        const ws = fdag.ws[k]!;
        let z = 0;
        for (let t = 0; t < ids.length; t++) z += ws[t]! * vals[ids[t]!]!;
        vals[p + k] = z > 0 ? z : 0;
      }
      let s = 0;
      for (const [id, w] of float) s += w * vals[id]!;
      return s;
    },
  };
}
