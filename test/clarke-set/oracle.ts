/**
 * Oracles for the Clarke set tests, independent of src/clarke and src/verify: they read only the
 * weight matrices and biases and use Rational arithmetic.
 *
 * regionGradients: exhaustive exact enumeration of the activation regions of F on the box
 * x̄ + [−r, r]^p (p ≤ 3), as reductions/zero-test.ts does (vertex representation, the same cut),
 * with affine forms. Every leaf is a full-dimensional polytope on which F is affine (its split
 * happened only where z took both strict signs at vertices); a leaf whose closed polytope contains
 * x̄ has its gradient in ∂^c F(x̄), and ∂^c F(x̄) is the convex hull of those gradients
 * (test/soundness/regions.ts gives the argument). Returned: the distinct gradients.
 *
 * inHull: v ∈ conv P by Carathéodory: some affinely independent subset of at most dim + 1 points
 * has barycentric coordinates ≥ 0 for v; brute force over subsets, each solved by elimination.
 */
import { Rational, ZERO, ONE } from '../../src/exact/rational';
import type { Network } from '../../src/network/network';
import { cut, type Vertex } from '../../reductions/zero-test';

interface Affine {
  a: Rational[];
  c: Rational;
}

const at = (f: Affine, x: readonly Rational[]): Rational => f.a.reduce((s, ai, i) => (ai.isZero() ? s : s.add(ai.mul(x[i]!))), f.c);

export function regionGradients(net: Network, xbar: readonly Rational[], r: Rational = Rational.of(1n, 16n), maxLeaves = 200_000): Rational[][] {
  const p = net.inputDim;
  if (p > 3) throw new RangeError('regionGradients: p ≤ 3');
  const normals: Rational[][] = [];
  for (let k = 0; k < p; k++) {
    const e = Array.from({ length: p }, (_, j) => (j === k ? ONE : ZERO));
    normals.push(e, e.map((x) => x.neg()));
  }
  const vertices: Vertex[] = [];
  for (let mask = 0; mask < 1 << p; mask++) {
    const x: Rational[] = [];
    const tight: number[] = [];
    for (let k = 0; k < p; k++) {
      const up = ((mask >> k) & 1) === 1;
      x.push(up ? xbar[k]!.add(r) : xbar[k]!.sub(r));
      tight.push(up ? 2 * k : 2 * k + 1);
    }
    vertices.push({ x, tight });
  }
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
      if (++leaves > maxLeaves) throw new RangeError('regionGradients: too many regions');
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
  return grads;
}

/** Solve A λ = b exactly (A: rows × k); the unique solution, or null if none or not unique. */
function solveUnique(A: Rational[][], b: Rational[], k: number): Rational[] | null {
  const M = A.map((row, i) => [...row, b[i]!]);
  const piv: number[] = [];
  let r = 0;
  for (let c = 0; c < k && r < M.length; c++) {
    const pr = M.findIndex((row, i) => i >= r && !row[c]!.isZero());
    if (pr < 0) continue;
    [M[r], M[pr]] = [M[pr]!, M[r]!];
    const inv = M[r]![c]!.inv();
    M[r] = M[r]!.map((x) => x.mul(inv));
    for (let i = 0; i < M.length; i++) {
      if (i === r || M[i]![c]!.isZero()) continue;
      const f = M[i]![c]!;
      M[i] = M[i]!.map((x, j) => x.sub(f.mul(M[r]![j]!)));
    }
    piv.push(c);
    r++;
  }
  if (piv.length < k) return null;
  for (let i = r; i < M.length; i++) if (!M[i]![k]!.isZero()) return null;
  const x = new Array<Rational>(k).fill(ZERO);
  piv.forEach((c, i) => (x[c] = M[i]![k]!));
  return x;
}

export function inHull(points: readonly Rational[][], v: readonly Rational[]): boolean {
  const n = points.length;
  const dim = v.length;
  const maxSize = Math.min(n, dim + 1);
  const rec = (start: number, chosen: number[]): boolean => {
    if (chosen.length > 0) {
      const A = [...Array.from({ length: dim }, (_, c) => chosen.map((i) => points[i]![c]!)), chosen.map(() => ONE)];
      const lam = solveUnique(A, [...v, ONE], chosen.length);
      if (lam && lam.every((x) => x.sign() >= 0)) return true;
    }
    if (chosen.length === maxSize) return false;
    for (let i = start; i < n; i++) if (rec(i + 1, [...chosen, i])) return true;
    return false;
  };
  return rec(0, []);
}
