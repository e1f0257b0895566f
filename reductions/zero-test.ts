/**
 * Exact test of `F ≡ 0` for a bias-free ReLU network with few inputs (p ≤ 4 or so), by exact
 * enumeration of its activation regions. Used to verify the reduction on unsatisfiable formulas
 * by a method independent of the construction: it reads only the weight matrices, and uses
 * neither the gadgets, nor the formula, nor the network evaluator.
 *
 * Method. Every hidden neuron's pre-activation is, on a polyhedron Q where the activation pattern
 * of all earlier neurons is fixed, a linear form z·x. We walk the neurons in order, keeping
 *   - a polytope Q ⊆ B = [-1,1]^p, given by its vertices (exact rationals) and, for each vertex,
 *     the set of constraints tight there;
 *   - the post-activations of the previous layer as linear forms on Q.
 * For a neuron with form z: if z·v ≥ 0 at every vertex v of Q, then z ≥ 0 on all of Q (Q is the
 * convex hull of its vertices) and relu(z) = z on Q; if z·v ≤ 0 at every vertex, relu(z) = 0 on Q;
 * otherwise Q is split into Q ∩ {z ≥ 0} and Q ∩ {z ≤ 0}, both explored. At the output layer the
 * network equals a linear form o·x on the whole leaf polytope Q (boundary included).
 *
 * Claim: F ≡ 0 on R^p ⇔ every leaf's output form o is the zero vector.
 * Proof. (1) The leaves cover B: at each split a point x ∈ Q satisfies z·x ≥ 0 or z·x ≤ 0.
 * (2) On a leaf Q, F = o·x exactly (induction over the neurons, using the two cases above).
 * (3) Every leaf is full-dimensional: B is; a split happens only when z takes both signs at
 * vertices of Q, so Q ∩ {z > 0} is a nonempty open subset of the full-dimensional Q, hence contains
 * interior points of Q — same for z < 0. A linear form vanishing on a full-dimensional set is 0.
 * So F ≡ 0 on B ⇔ all leaf forms are 0, and F ≡ 0 on R^p ⇔ F ≡ 0 on B by positive homogeneity
 * (bias-free networks: F(tx) = tF(x), t ≥ 0). ∎
 * If some leaf form o ≠ 0, o·v ≠ 0 at some vertex v of that leaf (a nonzero form cannot vanish at
 * all vertices of a full-dimensional polytope); v is returned as a witness with F(v) = o·v.
 *
 * Cutting a polytope (vertex representation, exact): the vertices of Q ∩ {z ≥ 0} are the vertices
 * of Q with z·v ≥ 0, plus, for every edge [u, w] of Q with z·u > 0 > z·w, the point where z
 * vanishes on it. Two vertices u ≠ w span an edge iff the constraint normals tight at both have
 * rank p − 1 (the tight set common to u and w is exactly the equality set of the smallest face
 * containing both, whose dimension is p − rank). A point in the relative interior of an edge is
 * tight exactly for the constraints tight on the whole edge, plus the new cut.
 *
 * Cost: proportional to the number of regions times the cost of a cut (O(V²·p³) for V vertices);
 * fine for the tiny networks of the exhaustive tests (p ≤ 3), not meant for large p.
 */
import { Rational, ZERO, ONE } from '../src/exact/rational';
import type { Network } from '../src/network/network';

/** A vertex of a polytope with the constraints tight at it (shared with the region oracles of the tests). */
export interface Vertex {
  x: Rational[];
  /** Sorted indices of the constraints tight at x. */
  tight: number[];
}

/**
 * The answer of the exact F ≡ 0 test: zero or not, the regions explored, and a witness point where
 * F ≠ 0.
 */
export interface ZeroTestResult {
  /** True iff F ≡ 0 on R^p. */
  zero: boolean;
  /** Leaf regions explored (all of them when `zero`; up to the first nonzero one otherwise). */
  regions: number;
  /** When not zero: a point of [-1,1]^p with F(witness) = value ≠ 0. */
  witness?: Rational[];
  value?: Rational;
}

/** Limits and preferences of the exact F ≡ 0 test. */
export interface ZeroTestOptions {
  /** Give up (throw RangeError) after this many leaf regions. Default 1e6. */
  maxRegions?: number;
  /** Prefer a witness with F > 0 (the vertex maximizing o·v). Default true. */
  positiveWitness?: boolean;
}

function dotR(a: readonly Rational[], b: readonly Rational[]): Rational {
  let s = ZERO;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.n === 0n || b[i]!.n === 0n) continue;
    s = s.add(a[i]!.mul(b[i]!));
  }
  return s;
}

function isZeroVec(a: readonly Rational[]): boolean {
  return a.every((r) => r.n === 0n);
}

/** Exact rank of a small set of vectors (Gaussian elimination over Q). */
export function rank(vectors: readonly (readonly Rational[])[]): number {
  const rows = vectors.map((v) => v.slice());
  if (rows.length === 0) return 0;
  const cols = rows[0]!.length;
  let r = 0;
  for (let c = 0; c < cols && r < rows.length; c++) {
    let piv = -1;
    for (let i = r; i < rows.length; i++) if (rows[i]![c]!.n !== 0n) { piv = i; break; }
    if (piv < 0) continue;
    [rows[r], rows[piv]] = [rows[piv]!, rows[r]!];
    const pr = rows[r]!;
    for (let i = r + 1; i < rows.length; i++) {
      const row = rows[i]!;
      if (row[c]!.n === 0n) continue;
      const f = row[c]!.div(pr[c]!);
      for (let k = c; k < cols; k++) row[k] = row[k]!.sub(f.mul(pr[k]!));
    }
    r++;
  }
  return r;
}

function intersectSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return out;
}

/**
 * The box c + [−r, r]^p (default [-1,1]^p): constraint 2k is x_k ≤ c_k + r, 2k+1 is
 * −x_k ≤ −(c_k − r) (normals ±e_k); each vertex lists the constraints tight at it.
 */
export function box(p: number, center?: readonly Rational[], r: Rational = ONE): { normals: Rational[][]; vertices: Vertex[] } {
  const normals: Rational[][] = [];
  for (let k = 0; k < p; k++) {
    const e = new Array<Rational>(p).fill(ZERO);
    e[k] = ONE;
    normals.push(e, e.map((v) => v.neg()));
  }
  const vertices: Vertex[] = [];
  for (let mask = 0; mask < 1 << p; mask++) {
    const x: Rational[] = [];
    const tight: number[] = [];
    for (let k = 0; k < p; k++) {
      const up = ((mask >> k) & 1) === 1;
      const c = center ? center[k]! : ZERO;
      x.push(up ? c.add(r) : c.sub(r));
      tight.push(up ? 2 * k : 2 * k + 1);
    }
    vertices.push({ x, tight });
  }
  return { normals, vertices };
}

/**
 * Vertices of Q ∩ {z·x ≥ 0}, where Q has `vertices` and constraint `normals` (index = position),
 * and the new constraint gets index `idx`. `s[k]` = z·vertices[k]. Pre: Q full-dimensional.
 */
export function cut(vertices: readonly Vertex[], s: readonly Rational[], normals: readonly (readonly Rational[])[], idx: number, p: number): Vertex[] {
  const out: Vertex[] = [];
  const pos: number[] = [];
  const neg: number[] = [];
  vertices.forEach((v, k) => {
    const sg = s[k]!.sign();
    if (sg > 0) {
      out.push(v);
      pos.push(k);
    } else if (sg === 0) out.push({ x: v.x, tight: [...v.tight, idx] });
    else neg.push(k);
  });
  for (const a of pos) {
    for (const b of neg) {
      const u = vertices[a]!;
      const w = vertices[b]!;
      const common = intersectSorted(u.tight, w.tight);
      if (common.length < p - 1) continue;
      if (rank(common.map((c) => normals[c]!)) !== p - 1) continue;
      // z(u + t(w − u)) = 0 at t = s_u / (s_u − s_w) ∈ (0, 1).
      const t = s[a]!.div(s[a]!.sub(s[b]!));
      const x = u.x.map((ui, i) => ui.add(t.mul(w.x[i]!.sub(ui))));
      out.push({ x, tight: [...common, idx] });
    }
  }
  return out;
}

/**
 * Decide F ≡ 0 exactly (header). Pre: `net` bias-free (throws RangeError otherwise).
 * Post: `zero` is exact; when false, F(witness) = value ≠ 0 (value > 0 if F takes a positive value
 * on that region and `positiveWitness`).
 */
export function decideIdenticallyZero(net: Network, opts: ZeroTestOptions = {}): ZeroTestResult {
  if (!net.isBiasFree()) throw new RangeError('decideIdenticallyZero: the network must be bias-free (F positively homogeneous)');
  const maxRegions = opts.maxRegions ?? 1_000_000;
  const positiveWitness = opts.positiveWitness ?? true;
  const p = net.inputDim;
  const start = box(p);
  const normals: Rational[][] = start.normals;
  const L = net.layers.length;
  // Input forms: x_k = e_k.
  const inputForms: Rational[][] = [];
  for (let k = 0; k < p; k++) {
    const e = new Array<Rational>(p).fill(ZERO);
    e[k] = ONE;
    inputForms.push(e);
  }
  const zeroForm = new Array<Rational>(p).fill(ZERO);
  let regions = 0;
  let found: { witness: Rational[]; value: Rational } | null = null;

  const formOf = (row: readonly Rational[], prev: readonly (readonly Rational[])[]): Rational[] => {
    const z = new Array<Rational>(p).fill(ZERO);
    for (let j = 0; j < row.length; j++) {
      const w = row[j]!;
      if (w.n === 0n) continue;
      const f = prev[j]!;
      for (let k = 0; k < p; k++) if (f[k]!.n !== 0n) z[k] = z[k]!.add(w.mul(f[k]!));
    }
    return z;
  };

  // Explore from neuron i of layer l; `cur` = forms of layer l's neurons 0..i−1. Returns false to stop.
  const rec = (l: number, i: number, verts: Vertex[], prev: Rational[][], cur: Rational[][]): boolean => {
    for (;;) {
      if (l === L - 1) {
        const o = formOf(net.layers[l]!.weights[0]!, prev);
        regions++;
        if (!isZeroVec(o)) {
          // The vertex maximizing o·v if that maximum is > 0 (positiveWitness), else any vertex with o·v ≠ 0.
          let best = verts[0]!;
          let bestVal = dotR(o, best.x);
          let lo = best;
          let loVal = bestVal;
          for (const v of verts) {
            const val = dotR(o, v.x);
            if (val.cmp(bestVal) > 0) {
              best = v;
              bestVal = val;
            }
            if (val.cmp(loVal) < 0) {
              lo = v;
              loVal = val;
            }
          }
          if (!(positiveWitness && bestVal.sign() > 0) && loVal.sign() < 0) {
            best = lo;
            bestVal = loVal;
          }
          if (bestVal.isZero()) throw new Error('zero-test: nonzero form vanishing at every vertex of a leaf (bug)');
          found = { witness: best.x, value: bestVal };
          return false;
        }
        if (regions > maxRegions) throw new RangeError(`zero-test: more than ${maxRegions} regions`);
        return true;
      }
      const W = net.layers[l]!.weights;
      if (i === W.length) {
        prev = cur;
        cur = [];
        l++;
        i = 0;
        continue;
      }
      const z = formOf(W[i]!, prev);
      if (isZeroVec(z)) {
        cur = [...cur, zeroForm];
        i++;
        continue;
      }
      const s = verts.map((v) => dotR(z, v.x));
      const anyPos = s.some((r) => r.n > 0n);
      const anyNeg = s.some((r) => r.n < 0n);
      if (!anyNeg) {
        cur = [...cur, z];
        i++;
        continue;
      }
      if (!anyPos) {
        cur = [...cur, zeroForm];
        i++;
        continue;
      }
      // Split: active side {z ≥ 0}, then inactive side {z ≤ 0}.
      const idx = normals.length;
      normals.push(z);
      const vPos = cut(verts, s, normals, idx, p);
      const vNeg = cut(verts, s.map((r) => r.neg()), normals, idx, p);
      const ok = rec(l, i + 1, vPos, prev, [...cur, z]) && rec(l, i + 1, vNeg, prev, [...cur, zeroForm]);
      normals.pop();
      return ok;
    }
  };
  rec(0, 0, start.vertices, inputForms, []);
  if (found === null) return { zero: true, regions };
  const f = found as { witness: Rational[]; value: Rational };
  return { zero: false, regions, witness: f.witness, value: f.value };
}
