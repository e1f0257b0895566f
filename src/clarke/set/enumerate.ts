/**
 * The search over activation patterns of the tied neurons (docs/theory.md §9), shared by the
 * enumeration of the Clarke set and by the branch and bound for its support function.
 *
 * Tied neurons k = 0 … m−1 are decided in (layer, index) order. A partial pattern P fixes signs
 * s_j ∈ {+1, −1, 0} for j < k (0: the neuron vanishes identically on the cone of P). Under P the
 * tangent pre-activation of neuron k is the linear form
 *
 *     a_k(P) = E_k + Σ_{j<k, s_j = +1} c_kj · a_j(P)
 *
 * and the cone of P is C_P = {h : s_j·a_j(P)·h > 0 for every j with s_j ≠ 0}, open. At neuron k:
 *   - a_k(P) = 0 (an exact test): neuron k is 0 on all of C_P; it *vanishes* (sign 0, output 0)
 *     and nothing is split. Splitting it would make both strict signs infeasible and lose every
 *     piece below: the trap of docs/theory.md §9;
 *   - otherwise C_P minus the hyperplane a_k·h = 0 is the disjoint union of the cones with
 *     s_k = +1 and s_k = −1; a child whose strict system is infeasible is closed by Farkas
 *     multipliers y ≥ 0, Σ y > 0, Σ y_j s_j a_j = 0 (Gordan's alternative), found by an exact LP.
 * Every open cone reached at depth m is a piece: G is linear on it with gradient
 * g = E_out + Σ w_k E_k (src/clarke/set/forms.ts pieceWeights), and it carries a direction h in it.
 *
 * All forms live in the row space of the E_k, so the search runs in r = rank(E) reduced
 * coordinates (the pivot columns J of src/exact/matrix.ts rref): a form is zero iff its restriction
 * to J is, a strict system in R^p is feasible iff its restriction is, and a direction u ∈ Q^r of the
 * reduced system is the direction h ∈ Q^p with h_J = u and 0 elsewhere.
 *
 * Directions are carried down the tree: a child on the side of the parent's direction u keeps it; a
 * child on the hyperplane side moves u along ±a_k by an exact step; only when a line search along a_k
 * fails is an LP solved (src/exact/simplex.ts), which returns either a new direction or the Farkas
 * multipliers. Directions are kept as primitive integer vectors.
 *
 * Support mode (clarkeContains): with scores δ_k = d·E_k, prune a node when an upper bound on d·g
 * over every completion of its pattern is ≤ the best value known (interval arithmetic on the
 * backward recursion of the weights, exact); children are visited best bound first; leaves update
 * the incumbent. The pruned nodes, the Farkas leaves and the leaves form the certificate that
 * max d·g over ∂^c F(x̄) is at most the final incumbent.
 */
import { Rational, ZERO, ONE } from '../../exact/rational';
import { primitiveDirection } from '../../exact/matrix';
import { solveLp } from '../../exact/simplex';
import { Rng } from '../../exact/rng';
import { pieceWeights, type TiedForms } from './forms';

/** A node of the pattern tree (the certificate's tree, docs/formats.md "Clarke sets"). */
export type PatternNode =
  | { kind: 's'; plus: PatternNode; minus: PatternNode }
  | { kind: 'v'; child: PatternNode }
  | { kind: 'p'; leaf: number }
  | { kind: 'e'; y: Array<[number, Rational]> }
  | { kind: 'b' }
  | { kind: 'u' };

export interface PatternLeaf {
  /** Sign of each tied neuron: +1 active, −1 inactive, 0 vanishing. */
  signs: Int8Array;
  /** A direction of the piece, in reduced coordinates (primitive integer vector). */
  u: Rational[];
  /** Weights of the piece: g = E_out + Σ w_k E_k. */
  w: Rational[];
  /** g − E_out in reduced coordinates: Σ w_k E_k restricted to J (equal iff the gradients are equal). */
  q: Rational[];
  /** Support mode: Σ w_k δ_k. */
  value?: Rational;
}

export interface SearchLimits {
  /** Stop after this many pieces (leaves). */
  maxPieces?: number;
  /** Stop at this time (performance.now() milliseconds). */
  deadline?: number;
  /** Seed of the root direction. */
  seed?: number;
}

export interface SupportSpec {
  /** δ_k = d·E_k (in reduced coordinates, d'·E_k^J). */
  delta: Rational[];
  /** Only leaves with value > floor are of interest: nodes with bound ≤ max(floor, best) are pruned. */
  floor: Rational;
  /**
   * Stop at the first leaf above the floor (column generation needs an improving piece, not the
   * best one); the search is then incomplete, and only a complete search bounds the maximum.
   */
  firstImproving?: boolean;
}

export interface Search {
  root: PatternNode;
  leaves: PatternLeaf[];
  complete: boolean;
  /** Why the search stopped early. */
  stopped?: string;
  nodes: number;
  lps: number;
  /** Children closed by Farkas multipliers. */
  empty: number;
  /** Support mode: nodes pruned by the bound; the best leaf (value > floor) if any. */
  bounded: number;
  best?: number;
}

type Vec = Rational[];

const dotV = (a: Vec, b: Vec): Rational => {
  let s = ZERO;
  for (let i = 0; i < a.length; i++) if (!a[i]!.isZero() && !b[i]!.isZero()) s = s.add(a[i]!.mul(b[i]!));
  return s;
};
const isZeroV = (a: Vec): boolean => a.every((x) => x.isZero());
const axpy = (y: Vec, t: Rational, x: Vec): Vec => y.map((v, i) => (x[i]!.isZero() ? v : v.add(t.mul(x[i]!))));

interface Constraint {
  k: number;
  /** s_k·a_k(P), reduced coordinates. */
  row: Vec;
}

interface Frame {
  k: number;
  signs: Int8Array;
  /** a_j(P) for j < k (reduced coordinates). */
  forms: Vec[];
  cons: Constraint[];
  u: Vec;
  set: (n: PatternNode) => void;
  /** Support mode: the bound of this node (computed when pushed). */
  bound?: Rational;
}

/** A strictly feasible direction for cons ∪ {row}, or Farkas multipliers proving there is none. */
function strictChild(cons: readonly Constraint[], row: Vec, k: number, u: Vec, counter: { lps: number }): { u: Vec } | { y: Array<[number, Rational]> } {
  const aa = dotV(row, row);
  // A zero form is a vanishing neuron (handled by the caller): both strict signs would be empty.
  if (aa.isZero()) throw new Error('internal: strictChild on a zero form');
  const au = dotV(row, u);
  if (au.sign() > 0) return { u };
  if (au.isZero()) {
    // u + ε·row: row·(u + ε row) = ε|row|² > 0; keep b·u + ε b·row > 0 for every b.
    let eps = ONE;
    for (const c of cons) {
      const br = dotV(c.row, row);
      if (br.sign() >= 0) continue;
      const lim = dotV(c.row, u).div(br.neg()).div(Rational.int(2));
      if (lim.cmp(eps) < 0) eps = lim;
    }
    return { u: primitiveDirection(axpy(u, eps, row)) };
  }
  // Line search u + t·row, t > t_min = −(row·u)/|row|², below every b·u / (−b·row) with b·row < 0.
  const tMin = au.neg().div(aa);
  let tMax: Rational | null = null;
  for (const c of cons) {
    const br = dotV(c.row, row);
    if (br.sign() >= 0) continue;
    const lim = dotV(c.row, u).div(br.neg());
    if (tMax === null || lim.cmp(tMax) < 0) tMax = lim;
  }
  if (tMax === null || tMin.cmp(tMax) < 0) {
    const t = tMax === null ? tMin.add(ONE) : tMin.add(tMax).div(Rational.int(2));
    return { u: primitiveDirection(axpy(u, t, row)) };
  }
  // Gordan's alternative by an exact LP: y ≥ 0, Σ y_i row_i = 0, Σ y_i = 1.
  counter.lps++;
  const rows = [...cons.map((c) => c.row), row];
  const ks = [...cons.map((c) => c.k), k];
  const r = row.length;
  const A: Rational[][] = [];
  for (let c = 0; c < r; c++) A.push(rows.map((v) => v[c]!));
  A.push(rows.map(() => ONE));
  const b = [...new Array<Rational>(r).fill(ZERO), ONE];
  const sol = solveLp({ A, b, n: rows.length });
  if (sol.status === 'optimal') {
    const y: Array<[number, Rational]> = [];
    sol.x.forEach((v, i) => {
      if (!v.isZero()) y.push([ks[i]!, v]);
    });
    // Re-check exactly (the LP is trusted for nothing).
    const sum = new Array<Rational>(r).fill(ZERO);
    sol.x.forEach((v, i) => {
      if (!v.isZero()) rows[i]!.forEach((x, c) => (sum[c] = sum[c]!.add(v.mul(x))));
    });
    if (!isZeroV(sum) || y.length === 0 || y.some(([, v]) => v.sign() < 0)) throw new Error('internal: Farkas multipliers from the LP fail the exact check');
    return { y };
  }
  if (sol.status !== 'infeasible') throw new Error(`internal: the Gordan LP is ${sol.status}`);
  const z = sol.farkas;
  const nu = primitiveDirection(z.slice(0, r));
  if (!rows.every((v) => dotV(v, nu).sign() > 0)) throw new Error('internal: the direction from the LP is not strictly feasible');
  return { u: nu };
}

/** Upper bound of Σ_k w_k δ_k over every completion of a partial pattern (signs for j < k). */
export function supportBound(f: TiedForms, signs: Int8Array, k: number, delta: readonly Rational[]): Rational {
  const m = f.tied.length;
  const lo = new Array<Rational>(m).fill(ZERO);
  const hi = new Array<Rational>(m).fill(ZERO);
  let ub = ZERO;
  // Interval of M_j·ȳ_j: M_j = 1 (active), 0 (inactive/vanishing), or free in {0, 1} (j ≥ k).
  const masked = (j: number): [Rational, Rational] => {
    if (j < k) return signs[j] === 1 ? [lo[j]!, hi[j]!] : [ZERO, ZERO];
    return [lo[j]!.min(ZERO), hi[j]!.max(ZERO)];
  };
  for (let j = m - 1; j >= 0; j--) {
    let l = f.outer[j]!;
    let h = l;
    for (const [t, c] of f.outgoing[j]!) {
      const [ml, mh] = masked(t);
      if (ml.isZero() && mh.isZero()) continue;
      const a = c.mul(ml);
      const b = c.mul(mh);
      l = l.add(a.min(b));
      h = h.add(a.max(b));
    }
    lo[j] = l;
    hi[j] = h;
    const d = delta[j]!;
    if (d.isZero()) continue;
    const [wl, wh] = masked(j);
    ub = ub.add(d.mul(wl).max(d.mul(wh)));
  }
  return ub;
}

/** a_k(P): the tangent pre-activation form of tied neuron k under the signs of j < k (module header). */
function formUnder(f: TiedForms, k: number, signs: Int8Array, forms: readonly Vec[]): Vec {
  let a = f.reduced[k]!.slice();
  for (const [j, c] of f.inner[k]!) if (signs[j] === 1) a = axpy(a, c, forms[j]!);
  return a;
}

/** The piece of a full pattern with a direction u of its cone: weights w and q = Σ w_k E_k (reduced). */
function leafOf(f: TiedForms, signs: Int8Array, u: Vec): PatternLeaf {
  const w = pieceWeights(f, Uint8Array.from(signs, (s) => (s === 1 ? 1 : 0)));
  const q = new Array<Rational>(f.rref.rank).fill(ZERO);
  w.forEach((wk, k) => {
    if (!wk.isZero()) f.reduced[k]!.forEach((x, c) => (q[c] = q[c]!.add(wk.mul(x))));
  });
  return { signs, u: primitiveDirection(u), w, q };
}

/** The root direction of a search: small random integers (moved off any hyperplane by strictChild). */
const rootDirection = (r: number, rng: Rng): Vec => primitiveDirection(Array.from({ length: r }, () => Rational.int(rng.int(-16, 16))));

/**
 * One path down the pattern tree: every tied neuron with sign `sign` (+1 active, −1 inactive),
 * except those that vanish. This is the pattern backprop uses with relu'(0) = 1 or 0. Returns the
 * piece with a direction of its cone, or null when some step's cone is empty (the pattern is not a
 * piece). Cost: at most one exact LP per tied neuron.
 */
export function followPattern(f: TiedForms, sign: 1 | -1, seed = 1): PatternLeaf | null {
  const m = f.tied.length;
  const signs = new Int8Array(m);
  const forms: Vec[] = [];
  let cons: Constraint[] = [];
  let u = rootDirection(f.rref.rank, new Rng(seed));
  const counter = { lps: 0 };
  for (let k = 0; k < m; k++) {
    const a = formUnder(f, k, signs, forms);
    forms.push(a);
    if (isZeroV(a)) continue; // vanishes on the cone: sign 0
    const row = sign === 1 ? a : a.map((x) => x.neg());
    const res = strictChild(cons, row, k, u, counter);
    if ('y' in res) return null;
    signs[k] = sign;
    cons = [...cons, { k, row }];
    u = res.u;
  }
  return leafOf(f, signs, u);
}

/**
 * Run the search (module header). Without `support`: every piece, + child before − child. With it:
 * the branch and bound for max Σ w_k δ_k.
 */
export function searchPatterns(f: TiedForms, limits: SearchLimits = {}, support?: SupportSpec): Search {
  const m = f.tied.length;
  const r = f.rref.rank;
  const E = f.reduced;
  const rng = new Rng(limits.seed ?? 1);
  const maxPieces = limits.maxPieces ?? Infinity;
  const deadline = limits.deadline ?? Infinity;
  const leaves: PatternLeaf[] = [];
  const counter = { lps: 0 };
  let nodes = 0;
  let empty = 0;
  let bounded = 0;
  let best: number | undefined;
  let incumbent = support?.floor;
  let root: PatternNode = { kind: 'u' };
  // Small integers keep the directions readable; a root direction on a hyperplane a·u = 0 is moved
  // off it exactly by strictChild.
  const u0 = rootDirection(r, rng);
  const stack: Frame[] = [{ k: 0, signs: new Int8Array(m), forms: [], cons: [], u: u0, set: (n) => (root = n) }];
  if (support) stack[0]!.bound = supportBound(f, stack[0]!.signs, 0, support.delta);
  let stopped: string | undefined;
  while (stack.length > 0) {
    if (leaves.length >= maxPieces) {
      stopped = `piece limit ${maxPieces} reached`;
      break;
    }
    if ((nodes & 63) === 0 && performance.now() > deadline) {
      stopped = 'time limit reached';
      break;
    }
    const fr = stack.pop()!;
    nodes++;
    if (support && fr.bound!.cmp(incumbent!) <= 0) {
      bounded++;
      fr.set({ kind: 'b' });
      continue;
    }
    if (fr.k === m) {
      const leaf = leafOf(f, fr.signs, fr.u);
      const w = leaf.w;
      if (support) {
        let v = ZERO;
        w.forEach((wk, k) => (v = v.add(wk.mul(support.delta[k]!))));
        leaf.value = v;
        if (v.cmp(incumbent!) > 0) {
          incumbent = v;
          best = leaves.length;
        }
      }
      fr.set({ kind: 'p', leaf: leaves.length });
      leaves.push(leaf);
      if (support?.firstImproving && best !== undefined) {
        stopped = 'an improving piece was found';
        break;
      }
      continue;
    }
    const k = fr.k;
    const a = formUnder(f, k, fr.signs, fr.forms);
    const forms = [...fr.forms, a];
    if (isZeroV(a)) {
      const node: { kind: 'v'; child: PatternNode } = { kind: 'v', child: { kind: 'u' } };
      fr.set(node);
      const child: Frame = { k: k + 1, signs: fr.signs, forms, cons: fr.cons, u: fr.u, set: (n) => (node.child = n) };
      if (support) child.bound = supportBound(f, fr.signs, k + 1, support.delta);
      stack.push(child);
      continue;
    }
    const node: { kind: 's'; plus: PatternNode; minus: PatternNode } = { kind: 's', plus: { kind: 'u' }, minus: { kind: 'u' } };
    fr.set(node);
    const children: Frame[] = [];
    for (const s of [1, -1] as const) {
      const row = s === 1 ? a : a.map((x) => x.neg());
      const res = strictChild(fr.cons, row, k, fr.u, counter);
      const setter = s === 1 ? (n: PatternNode) => (node.plus = n) : (n: PatternNode) => (node.minus = n);
      if ('y' in res) {
        empty++;
        setter({ kind: 'e', y: res.y });
        continue;
      }
      const signs = fr.signs.slice();
      signs[k] = s;
      const child: Frame = { k: k + 1, signs, forms, cons: [...fr.cons, { k, row }], u: res.u, set: setter };
      if (support) child.bound = supportBound(f, signs, k + 1, support.delta);
      children.push(child);
    }
    // Set mode: + popped first. Support mode: the better bound popped first.
    if (support && children.length === 2 && children[0]!.bound!.cmp(children[1]!.bound!) > 0) children.reverse();
    else if (!support) children.reverse();
    stack.push(...children);
  }
  // Whatever is left on the stack is unexplored ('u' stays in its slot).
  return { root, leaves, complete: stopped === undefined, stopped, nodes, lps: counter.lps, empty, bounded, best };
}
