/**
 * Exact membership in the Clarke set: is v ∈ ∂^c F(x̄)? (docs/theory.md §9 "Membership").
 *
 *   yes — convex weights λ over pieces, each with a direction of its cone:
 *         λ ≥ 0, Σ λ_k = 1, Σ λ_k g_k = v exactly;
 *   no  — a direction d and a proof that max_{g ∈ ∂^c F(x̄)} d·g < d·v, i.e. that the Clarke
 *         directional derivative F°(x̄; d) is below d·v: a pattern tree (as for the set) whose
 *         leaves are empty cones (Farkas multipliers) or nodes where an exact upper bound on d·g
 *         over every completion of the pattern is < d·v.
 *
 * Both are found without listing the whole set when it is large: column generation. Keep a set S
 * of pieces; an exact LP (src/clarke/set/hull.ts) says v ∈ conv S (yes) or gives d with
 * d·v > c = max_S d·g; then the branch and bound of src/clarke/set/enumerate.ts (support mode)
 * either finds a piece with d·g > c — added to S, it is new — or closes every pattern with a bound
 * ≤ c < d·v, which is the certificate of "no". Each round adds a piece, so it ends. With a complete
 * set already computed (clarkeSet), one LP over its gradients decides, and the set's tree, with its
 * pieces as exact bounds, is the certificate of "no". Before column generation, the pattern that
 * backprop itself uses with relu'(0) = 0 or 1 (every tied neuron inactive, or active) is followed
 * down the tree: when it is a piece whose gradient is v, that one piece is the `yes`.
 *
 * When v − E_out is not in the span of the tied neurons' input forms, every gradient of ∂^c F(x̄)
 * lies in E_out + span, and a direction d orthogonal to the span with d·(v − E_out) > 0 separates
 * v at once (the tree is a single bound).
 */
import { Rational, ZERO, ONE } from '../../exact/rational';
import type { Network } from '../../network/network';
import { networkToJson } from '../../network/format';
import { rowSpaceCoordinates, orthogonalWitness } from '../../exact/matrix';
import { verifyMembership, type MembershipCheck } from '../../verify/set';
import { tiedForms, type TiedForms } from './forms';
import { followPattern, searchPatterns, type PatternLeaf } from './enumerate';
import { convexCombination } from './hull';
import { embed, fullGradient, type ClarkeSet } from './clarke-set';
import { MEMBERSHIP_FORMAT, SET_VERSION, denseJson, sparseJson, treeJson, type MembershipJson, type TreeNodeJson } from '../../certificate/clarke-set';

export type MembershipAnswer = 'yes' | 'no' | 'undecided';

export interface MembershipOptions {
  /** The point x̄ (default 0). */
  at?: Rational[];
  /** A Clarke set of F at the same point (clarkeSet): complete, it decides by one LP; partial, its pieces start S. */
  set?: ClarkeSet;
  /** Wall-clock budget in seconds (default 60): past it, `undecided`. */
  timeLimitSec?: number;
  seed?: number;
  /** Re-check the certificate with src/verify/set.ts (default true). */
  check?: boolean;
  /** The tied forms of F at x̄, when the caller has them (several vectors at one point). */
  forms?: TiedForms;
  progress?: (line: string) => void;
}

export interface Membership {
  answer: MembershipAnswer;
  at: Rational[];
  vector: Rational[];
  /** yes: the pieces used and their weights. */
  combination?: Array<{ weight: Rational; gradient: Rational[]; direction: Rational[] }>;
  /** no: d with d·v > max over ∂^c F(x̄) of d·g (≤ `bound`). */
  separation?: { direction: Rational[]; value: Rational; bound: Rational };
  certificate?: MembershipJson;
  check: MembershipCheck | null;
  restsOn: string;
  /** Column generation rounds (0 when a complete set or the span decided). */
  rounds: number;
  timeMs: number;
}

interface Piece {
  q: Rational[];
  w: Rational[];
  u: Rational[];
  /** Known gradient and direction (from a ClarkeSet), else computed from w and u. */
  gradient?: Rational[];
  direction?: Rational[];
}

/** Decide v ∈ ∂^c F(x̄) (module header). Throws TimeLimitReached when the limit passes while reducing the tied forms. */
export function clarkeContains(net: Network, v: readonly Rational[], opts: MembershipOptions = {}): Membership {
  const t0 = performance.now();
  const at = opts.at ?? opts.set?.at ?? Array.from({ length: net.inputDim }, () => ZERO);
  const vector = v.slice();
  if (vector.length !== net.inputDim) throw new RangeError(`clarkeContains: the vector has ${vector.length} entries, the network ${net.inputDim} inputs`);
  const deadline = t0 + (opts.timeLimitSec ?? 60) * 1000;
  const log = opts.progress ?? (() => {});
  const f = opts.forms ?? tiedForms(net, at, deadline);
  const done = (m: Omit<Membership, 'at' | 'vector' | 'check' | 'timeMs'>): Membership => {
    let check: MembershipCheck | null = null;
    if (m.certificate && opts.check !== false) {
      check = verifyMembership(networkToJson(net), m.certificate);
      if (!check.valid) throw new Error(`internal: the membership certificate failed the independent checker: ${check.reason}`);
    }
    const restsOn = m.certificate ? `${m.restsOn}${check ? '; certificate checked by the independent checker (src/verify/set.ts)' : '; certificate not re-checked'}` : m.restsOn;
    return { ...m, at, vector, check, restsOn, timeMs: performance.now() - t0 };
  };
  const noCert = (d: Rational[], tree: TreeNodeJson[]): MembershipJson => ({ format: MEMBERSHIP_FORMAT, version: SET_VERSION, at: denseJson(at), vector: denseJson(vector), answer: 'no', direction: denseJson(d), tied: f.tied, tree });
  const dot = (a: readonly Rational[], b: readonly Rational[]): Rational => a.reduce((s, x, i) => (x.isZero() || b[i]!.isZero() ? s : s.add(x.mul(b[i]!))), ZERO);

  // 1. Outside E_out + span{E_k}: separated by a direction orthogonal to the span.
  const w0 = vector.map((x, i) => x.sub(f.base[i]!));
  const qv = rowSpaceCoordinates(f.rref, w0);
  if (qv === null) {
    const d = orthogonalWitness(f.rref, w0)!;
    const bound = dot(d, f.base);
    return done({
      answer: 'no',
      separation: { direction: d, value: dot(d, vector), bound },
      certificate: noCert(d, [['b']]),
      restsOn: 'exact: v − E_out is not in the span of the tied neurons\' input forms, which holds every g − E_out for g in the Clarke set; d is orthogonal to that span',
      rounds: 0,
    });
  }

  const yes = (pieces: Piece[], weights: Array<[number, Rational]>, how: string, rounds: number): Membership => {
    const combination = weights.map(([i, wgt]) => {
      const pc = pieces[i]!;
      return { weight: wgt, gradient: pc.gradient ?? fullGradient(f, pc.w), direction: pc.direction ?? embed(f, pc.u) };
    });
    const certificate: MembershipJson = {
      format: MEMBERSHIP_FORMAT,
      version: SET_VERSION,
      at: denseJson(at),
      vector: denseJson(vector),
      answer: 'yes',
      pieces: combination.map((c) => ({ direction: sparseJson(c.direction), gradient: denseJson(c.gradient) })),
      weights: combination.map((c) => c.weight.toJSON()),
    };
    return done({ answer: 'yes', combination, certificate, restsOn: `exact convex weights over ${combination.length} piece(s), each with a direction of its cone; ${how}`, rounds });
  };

  // 2. A complete set: one LP over its gradients.
  const set = opts.set;
  const fromSet: Piece[] = (set?.gradients ?? []).map((g) => {
    const q = rowSpaceCoordinates(f.rref, g.gradient.map((x, i) => x.sub(f.base[i]!)));
    if (q === null) throw new Error('internal: a gradient of the set is not in E_out + span{E_k}');
    return { q, w: [], u: [], gradient: g.gradient, direction: g.direction };
  });
  if (set && set.complete) {
    const c = convexCombination(fromSet.map((pc) => pc.q), qv);
    if (c.inside) return yes(fromSet, c.weights, 'from the complete Clarke set', 0);
    const d = embed(f, c.d);
    // The set's tree with every piece as its exact bound: each leaf's d·g ≤ max < d·v.
    const tree = set.certificate.tree.map((n): TreeNodeJson => (n[0] === 'p' ? ['b'] : n));
    return done({
      answer: 'no',
      separation: { direction: d, value: dot(d, vector), bound: dot(d, f.base).add(c.max) },
      certificate: noCert(d, tree),
      restsOn: `exact: d·v exceeds max d·g over the complete Clarke set (${set.gradients.length} gradient(s))`,
      rounds: 0,
    });
  }

  // 3. Backprop's own pattern: with relu'(0) = 0 (or 1) backprop returns the gradient of the
  // pattern where every tied neuron is inactive (active). If that pattern is a piece and v is its
  // gradient, one exact path down the pattern tree decides `yes` (m LPs at most), where column
  // generation may need one round per piece.
  for (const sign of [-1, 1] as const) {
    const leaf = followPattern(f, sign, opts.seed);
    if (leaf !== null && leaf.q.every((x, i) => x.eq(qv[i]!)))
      return yes([{ q: leaf.q, w: leaf.w, u: leaf.u }], [[0, ONE]], `v is the gradient of the piece where every tied neuron is ${sign > 0 ? 'active' : 'inactive'} (backprop's own pattern for relu'(0) = ${sign > 0 ? 1 : 0})`, 0);
  }

  // 4. Column generation with the branch and bound for the support function.
  const pieces: Piece[] = fromSet.slice();
  const seen = new Set(pieces.map((pc) => pc.q.map(String).join(',')));
  const addLeaf = (leaf: PatternLeaf): boolean => {
    const key = leaf.q.map(String).join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    pieces.push({ q: leaf.q, w: leaf.w, u: leaf.u });
    return true;
  };
  if (pieces.length === 0) {
    const first = searchPatterns(f, { maxPieces: 1, deadline, seed: opts.seed });
    if (first.leaves.length === 0) return done({ answer: 'undecided', restsOn: `no piece found within the time limit (${first.stopped ?? 'empty search'})`, rounds: 0 });
    addLeaf(first.leaves[0]!);
  }
  for (let round = 1; ; round++) {
    const c = convexCombination(pieces.map((pc) => pc.q), qv);
    if (c.inside) return yes(pieces, c.weights, `found by column generation in ${round} round(s)`, round);
    const delta = f.reduced.map((e) => dot(c.d, e));
    // Column generation needs an improving piece, not the best one: the search stops at the first
    // leaf above the floor. When there is none it runs to completion, and that complete search is
    // what bounds the maximum for a `no`.
    const s = searchPatterns(f, { deadline, seed: opts.seed }, { delta, floor: c.max, firstImproving: true });
    log(`round ${round}: ${pieces.length} piece(s); support search ${s.nodes} node(s), ${s.bounded} bounded, ${s.lps} LP(s)${s.best !== undefined ? `, a piece beyond the separating plane` : ''}`);
    if (s.best !== undefined && addLeaf(s.leaves[s.best]!)) continue;
    if (s.best !== undefined) throw new Error('internal: the support search returned a known piece above the floor');
    if (!s.complete)
      return done({ answer: 'undecided', restsOn: `time limit reached in round ${round} (${pieces.length} piece(s) found; v is not in their convex hull, and the search for a piece beyond the separating plane did not finish)`, rounds: round });
    const d = embed(f, c.d);
    // Leaves left in the tree have values ≤ the floor: written as their (exact) bounds.
    const tree = treeJson(s.root, () => ['b']);
    return done({
      answer: 'no',
      separation: { direction: d, value: dot(d, vector), bound: dot(d, f.base).add(c.max) },
      certificate: noCert(d, tree),
      restsOn: `exact: the branch and bound over the ${f.tied.length} tied neuron(s)' patterns bounds d·g ≤ ${dot(d, f.base).add(c.max)} < d·v = ${dot(d, vector)} over the whole Clarke set (round ${round}, ${pieces.length} piece(s) found)`,
      rounds: round,
    });
  }
}
