/**
 * Ground truth for "does ∂^c F(x̄) have two elements?" by exhaustive exact region enumeration, for
 * networks with p ≤ 2 inputs (with biases). Independent of src/clarke, src/verify and the network
 * evaluator: it reads only the weight matrices and biases, and uses Rational arithmetic.
 *
 * Method (as reductions/zero-test.ts, with affine forms and a 2-D polygon clipper). Walk the
 * neurons in order over the box Q0 = x̄ + [−r, r]^p, keeping a convex region Q (an interval for
 * p = 1, a counter-clockwise polygon for p = 2) and the previous layer's outputs as affine forms on
 * Q. A neuron with form z: z ≥ 0 at every vertex ⇒ relu(z) = z on Q; z ≤ 0 at every vertex ⇒ 0;
 * otherwise Q splits into Q ∩ {z ≥ 0} and Q ∩ {z ≤ 0}, both full-dimensional (z takes both strict
 * signs on Q). On each leaf F is affine with gradient o.
 *
 * Claim: ∂^c F(x̄) has two elements ⇔ two leaves whose closures contain x̄ have different
 * gradients. (⇐) each such gradient is the limit of gradients at interior points of its leaf
 * tending to x̄, hence in ∂^c F(x̄). (⇒ contrapositive) the leaves not containing x̄ are closed and
 * miss a ball around x̄; on that ball F is continuous and affine with one gradient g on each of the
 * covering closed convex leaves, hence affine, and ∂^c F(x̄) = {g}.
 */
import { Rational, ZERO, ONE } from '../../src/exact/rational';
import type { Network } from '../../src/network/network';

interface Affine {
  a: Rational[];
  c: Rational;
}

const evalAt = (f: Affine, x: readonly Rational[]): Rational => f.a.reduce((s, ai, i) => s.add(ai.mul(x[i]!)), f.c);

type Pt = Rational[];

/** Q ∩ {z ≥ 0} for a convex polygon (CCW vertex list) or an interval (two endpoints), exact. */
function clip(poly: Pt[], z: Affine, p: number): Pt[] {
  if (p === 1) {
    const [lo, hi] = [poly[0]!, poly[1]!];
    const zl = evalAt(z, lo);
    const zh = evalAt(z, hi);
    // z is affine in one variable and takes both strict signs: its root lies strictly inside.
    const root = [lo[0]!.sub(zl.mul(hi[0]!.sub(lo[0]!)).div(zh.sub(zl)))];
    return zl.sign() > 0 ? [lo, root] : [root, hi];
  }
  const out: Pt[] = [];
  for (let k = 0; k < poly.length; k++) {
    const u = poly[k]!;
    const v = poly[(k + 1) % poly.length]!;
    const su = evalAt(z, u);
    const sv = evalAt(z, v);
    if (su.sign() >= 0) out.push(u);
    if (su.sign() * sv.sign() < 0) {
      const t = su.div(su.sub(sv));
      out.push([u[0]!.add(v[0]!.sub(u[0]!).mul(t)), u[1]!.add(v[1]!.sub(u[1]!).mul(t))]);
    }
  }
  // drop repeated consecutive vertices (a vertex where z = 0)
  return out.filter((q, k) => {
    const r = out[(k + 1) % out.length]!;
    return out.length === 1 || !(q[0]!.eq(r[0]!) && q[1]!.eq(r[1]!));
  });
}

function contains(poly: Pt[], x: Pt, p: number): boolean {
  if (p === 1) return poly[0]![0]!.cmp(x[0]!) <= 0 && x[0]!.cmp(poly[1]![0]!) <= 0;
  for (let k = 0; k < poly.length; k++) {
    const u = poly[k]!;
    const v = poly[(k + 1) % poly.length]!;
    const cross = v[0]!.sub(u[0]!).mul(x[1]!.sub(u[1]!)).sub(v[1]!.sub(u[1]!).mul(x[0]!.sub(u[0]!)));
    if (cross.sign() < 0) return false;
  }
  return true;
}

export interface RegionTruth {
  answer: 'two' | 'singleton';
  /** Distinct gradients of the leaves whose closure contains x̄. */
  gradients: Rational[][];
  leaves: number;
}

export function regionTruth(net: Network, xbar: readonly Rational[], r: Rational = Rational.of(1n, 16n), maxLeaves = 100_000): RegionTruth {
  const p = net.inputDim;
  if (p > 2) throw new RangeError('regionTruth: p ≤ 2');
  const box: Pt[] =
    p === 1
      ? [[xbar[0]!.sub(r)], [xbar[0]!.add(r)]]
      : [
          [xbar[0]!.sub(r), xbar[1]!.sub(r)],
          [xbar[0]!.add(r), xbar[1]!.sub(r)],
          [xbar[0]!.add(r), xbar[1]!.add(r)],
          [xbar[0]!.sub(r), xbar[1]!.add(r)],
        ];
  const inputs: Affine[] = Array.from({ length: p }, (_, i) => ({ a: Array.from({ length: p }, (_, j) => (i === j ? ONE : ZERO)), c: ZERO }));
  const L = net.layers.length;
  const gradients: Rational[][] = [];
  let leaves = 0;
  const combine = (row: readonly Rational[], bias: Rational, prev: Affine[]): Affine => {
    const a = Array.from({ length: p }, () => ZERO);
    let c = bias;
    row.forEach((w, j) => {
      if (w.isZero()) return;
      prev[j]!.a.forEach((v, i) => (a[i] = a[i]!.add(w.mul(v))));
      c = c.add(w.mul(prev[j]!.c));
    });
    return { a, c };
  };
  // Depth-first over (layer, neuron); `cur` holds the outputs of layer l computed so far.
  const walk = (poly: Pt[], l: number, i: number, prev: Affine[], cur: Affine[]): void => {
    if (l === L - 1) {
      if (++leaves > maxLeaves) throw new RangeError('regionTruth: too many regions');
      if (!contains(poly, xbar as Pt, p)) return;
      const W = net.layers[l]!;
      const o = combine(W.weights[0]!, W.bias[0]!, prev);
      if (!gradients.some((g) => g.every((v, k) => v.eq(o.a[k]!)))) gradients.push(o.a);
      return;
    }
    const W = net.layers[l]!;
    if (i === W.weights.length) return walk(poly, l + 1, 0, cur, []);
    const z = combine(W.weights[i]!, W.bias[i]!, prev);
    const signs = poly.map((v) => evalAt(z, v).sign());
    if (signs.every((s) => s >= 0)) return walk(poly, l, i + 1, prev, [...cur, z]);
    if (signs.every((s) => s <= 0)) return walk(poly, l, i + 1, prev, [...cur, { a: z.a.map(() => ZERO), c: ZERO }]);
    const neg: Affine = { a: z.a.map((v) => v.neg()), c: z.c.neg() };
    walk(clip(poly, z, p), l, i + 1, prev, [...cur, z]);
    walk(clip(poly, neg, p), l, i + 1, prev, [...cur, { a: z.a.map(() => ZERO), c: ZERO }]);
  };
  walk(box, 0, 0, inputs, []);
  return { answer: gradients.length >= 2 ? 'two' : 'singleton', gradients, leaves };
}
