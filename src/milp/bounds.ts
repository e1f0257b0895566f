/**
 * Bounds on the pre-activations of a ReLU DAG over the box [-B, B]^p, for the big-M encoding and
 * for stable-neuron fixing (docs/theory.md §6: "bounds from interval arithmetic, tightened …").
 *
 * Two methods, both sound:
 * - `intervalBound`: exact interval arithmetic in Rational. Exact, so it may fix a neuron whose
 *   lower bound is exactly 0 (common in positively homogeneous networks, where every stable neuron
 *   has 0 in its range).
 * - `symbolicBound`: DeepPoly/CROWN-style back-substitution of linear relaxations down to the
 *   inputs, in float64. It sees cancellations interval arithmetic cannot (`a − relu(a − b)` stays
 *   within the inputs' range), which shrinks the big-M constants a lot on reduction networks.
 *   Float rounding is covered by widening every bound by a relative margin `FLOAT_MARGIN` (1e-9,
 *   four orders above the worst accumulated rounding error of the sums involved, ~N·2^-53). A neuron
 *   is fixed on a float bound only when the bound clears that margin.
 */
import { Rational } from '../exact/rational';
import type { LinExpr } from '../network/dag';

export const FLOAT_MARGIN = 1e-9;

/** Exact interval [lo, hi] of `e` given exact intervals of every node it reads. */
export function intervalBound(e: LinExpr, lo: readonly Rational[], hi: readonly Rational[]): [Rational, Rational] {
  let l = e.c;
  let u = e.c;
  for (const [id, w] of e.terms) {
    if (w.sign() > 0) {
      l = l.add(w.mul(lo[id]!));
      u = u.add(w.mul(hi[id]!));
    } else {
      l = l.add(w.mul(hi[id]!));
      u = u.add(w.mul(lo[id]!));
    }
  }
  return [l, u];
}

/** A DAG in float form, grown one neuron at a time by presolve (ids as in the DAG). */
export class SymbolicBounds {
  private readonly ids: Int32Array[] = [];
  private readonly cs: Float64Array[] = [];
  private readonly consts: number[] = [];
  /** Float bounds of each neuron's pre-activation (already widened). */
  readonly lo: number[] = [];
  readonly hi: number[] = [];

  constructor(
    readonly inputDim: number,
    readonly box = 1,
  ) {}

  get size(): number {
    return this.consts.length;
  }

  /** Register neuron `inputDim + size` with pre-activation `e` and its (sound) bounds. */
  push(e: LinExpr, lo: number, hi: number): void {
    const ids = new Int32Array(e.terms.size);
    const cs = new Float64Array(e.terms.size);
    let k = 0;
    for (const [id, w] of e.terms) {
      ids[k] = id;
      cs[k] = w.toNumber();
      k++;
    }
    this.ids.push(ids);
    this.cs.push(cs);
    this.consts.push(e.c.toNumber());
    this.lo.push(lo);
    this.hi.push(hi);
  }

  /**
   * Sound float bounds of `e` over the box by back-substitution (DeepPoly). Pre: every node id in
   * `e` is an input or a registered neuron. Post: [lo, hi] contains e(x) for every x in the box.
   */
  bound(e: LinExpr): [number, number] {
    return [this.side(e, false), this.side(e, true)];
  }

  private side(e: LinExpr, upper: boolean): number {
    const p = this.inputDim;
    const coef = new Float64Array(p + this.size);
    let cst = e.c.toNumber();
    let mag = Math.abs(cst);
    let top = -1;
    for (const [id, w] of e.terms) {
      coef[id] = w.toNumber();
      if (id > top) top = id;
    }
    for (let id = top; id >= p; id--) {
      const a = coef[id]!;
      if (a === 0) continue;
      coef[id] = 0;
      const k = id - p;
      const l = this.lo[k]!;
      const u = this.hi[k]!;
      // relu(z) on z ∈ [l, u]: choose the relaxation s·z + t that bounds a·y in the wanted direction.
      let s: number;
      let t: number;
      if (l >= 0) {
        s = 1;
        t = 0;
      } else if (u <= 0) {
        s = 0;
        t = 0;
      } else {
        const wantUpperOfY = upper === a > 0;
        if (wantUpperOfY) {
          s = u / (u - l);
          t = -s * l;
        } else {
          s = u >= -l ? 1 : 0;
          t = 0;
        }
      }
      if (t !== 0) {
        cst += a * t;
        mag += Math.abs(a * t);
      }
      if (s !== 0) {
        const as = a * s;
        const ids = this.ids[k]!;
        const cs = this.cs[k]!;
        for (let j = 0; j < ids.length; j++) coef[ids[j]!] += as * cs[j]!;
        cst += as * this.consts[k]!;
        mag += Math.abs(as * this.consts[k]!);
      }
    }
    let r = cst;
    for (let i = 0; i < p; i++) {
      const c = Math.abs(coef[i]!) * this.box;
      r += upper ? c : -c;
      mag += c;
    }
    const margin = FLOAT_MARGIN * (1 + mag);
    return upper ? r + margin : r - margin;
  }
}
