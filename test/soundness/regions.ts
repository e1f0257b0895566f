/**
 * Ground truth for the Clarke subdifferential at x̄ by exhaustive exact region enumeration, for
 * networks with p ≤ 3 inputs (with biases). Independent of src/clarke, src/verify and the network
 * evaluator: it reads only the weight matrices and biases, and uses Rational arithmetic. The one
 * region enumeration of the tests (the Clarke-set oracle, test/clarke-set/oracle.ts, uses it too).
 *
 * Method (reductions/zero-test.ts's vertex representation and its `cut`, with affine forms). Walk
 * the neurons in order over the box Q0 = x̄ + [−r, r]^p, keeping a convex polytope Q (its vertices)
 * and the previous layer's outputs as affine forms on Q. A neuron with form z: z ≥ 0 at every
 * vertex ⇒ relu(z) = z on Q; z ≤ 0 at every vertex ⇒ 0; otherwise Q splits into Q ∩ {z ≥ 0} and
 * Q ∩ {z ≤ 0}, both full-dimensional (z takes both strict signs on Q). On each leaf F is affine
 * with gradient o.
 *
 * Claim: ∂^c F(x̄) is the convex hull of the gradients of the leaves whose closures contain x̄, so
 * it has two elements ⇔ two such leaves have different gradients. (⇐) each such gradient is the
 * limit of gradients at interior points of its leaf tending to x̄, hence in ∂^c F(x̄). (⇒
 * contrapositive) the leaves not containing x̄ are closed and miss a ball around x̄; on that ball F
 * is continuous and affine with one gradient g on each of the covering closed convex leaves, hence
 * affine, and ∂^c F(x̄) = {g}. The hull: docs/theory.md §1.
 */
import { Rational, ZERO, ONE } from '../../src/exact/rational';
import type { Network } from '../../src/network/network';
import { box, cut, type Vertex } from '../../reductions/zero-test';

interface Affine {
  a: Rational[];
  c: Rational;
}

const at = (f: Affine, x: readonly Rational[]): Rational => f.a.reduce((s, ai, i) => (ai.isZero() ? s : s.add(ai.mul(x[i]!))), f.c);

export interface RegionTruth {
  answer: 'two' | 'singleton';
  /** Distinct gradients of the leaves whose closure contains x̄. */
  gradients: Rational[][];
  leaves: number;
}

/** The distinct gradients of the regions of F near x̄ (p ≤ 3): ∂^c F(x̄) is their convex hull. */
export function regionTruth(net: Network, xbar: readonly Rational[], r: Rational = Rational.of(1n, 16n), maxLeaves = 200_000): RegionTruth {
  const p = net.inputDim;
  if (p > 3) throw new RangeError('regionTruth: p ≤ 3');
  const { normals, vertices } = box(p, xbar, r);
  const inputs: Affine[] = Array.from({ length: p }, (_, i) => ({ a: Array.from({ length: p }, (_, j) => (i === j ? ONE : ZERO)), c: ZERO }));
  const zero = (): Affine => ({ a: new Array<Rational>(p).fill(ZERO), c: ZERO });
  const combine = (row: readonly Rational[], bias: Rational, prev: readonly Affine[]): Affine => {
    const a = new Array<Rational>(p).fill(ZERO);
    let c = bias;
    row.forEach((w, j) => {
      if (w.isZero()) return;
      prev[j]!.a.forEach((v, i) => (a[i] = a[i]!.add(w.mul(v))));
      c = c.add(w.mul(prev[j]!.c));
    });
    return { a, c };
  };
  const L = net.layers.length;
  const grads: Rational[][] = [];
  let leaves = 0;
  // cons: the half-spaces {f ≥ 0} cut on the path (x̄ in the leaf iff all hold at x̄; the box does).
  const walk = (verts: Vertex[], l: number, i: number, prev: Affine[], cur: Affine[], cons: Affine[]): void => {
    if (l === L - 1) {
      if (++leaves > maxLeaves) throw new RangeError('regionTruth: too many regions');
      if (!cons.every((f) => at(f, xbar).sign() >= 0)) return;
      const W = net.layers[l]!;
      const o = combine(W.weights[0]!, W.bias[0]!, prev);
      if (!grads.some((g) => g.every((v, k) => v.eq(o.a[k]!)))) grads.push(o.a);
      return;
    }
    const W = net.layers[l]!;
    if (i === W.rows) return walk(verts, l + 1, 0, cur, [], cons);
    const z = combine(W.weights[i]!, W.bias[i]!, prev);
    const s = verts.map((v) => at(z, v.x));
    if (s.every((x) => x.sign() >= 0)) return walk(verts, l, i + 1, prev, [...cur, z], cons);
    if (s.every((x) => x.sign() <= 0)) return walk(verts, l, i + 1, prev, [...cur, zero()], cons);
    const idx = normals.length;
    normals.push(z.a);
    const neg: Affine = { a: z.a.map((x) => x.neg()), c: z.c.neg() };
    walk(cut(verts, s, normals, idx, p), l, i + 1, prev, [...cur, z], [...cons, z]);
    walk(cut(verts, s.map((x) => x.neg()), normals, idx, p), l, i + 1, prev, [...cur, zero()], [...cons, neg]);
    normals.pop();
  };
  walk(vertices, 0, 0, inputs, [], []);
  return { answer: grads.length >= 2 ? 'two' : 'singleton', gradients: grads, leaves };
}
