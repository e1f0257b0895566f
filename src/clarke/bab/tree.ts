/**
 * The tree search of the branch and bound (docs/theory.md §8): depth first over sub-boxes of a
 * starting domain (with phase fixes), for one sign σ:
 *   - bound each box in float64 (./bounds.ts); if the bound is ≤ 0, close it EXACTLY (./leaf.ts)
 *     and only then write the leaf; a leaf that fails the exact check is split further;
 *   - look for a witness at a few points of the box (corners picked by the routes' affine
 *     functions, the centre): float first, then the exact value of σ·D;
 *   - branch on an input (at 0 first, by homogeneity the natural cut, then at midpoints), chosen
 *     among the free inputs of the best route by Jeroslow–Wang weight over the unresolved routes,
 *     or on the phase of a relaxed node.
 * The CDCL search (./cdcl.ts) calls it on boxes that its sign literals cannot decide (a full
 * orthant of a general network); `strategy: 'tree'` runs it alone from [-1,1]^p.
 *
 * Reasons: the caller says which bounds of the starting domain are constraints it wants to hear
 * about (`tracked`); the result lists those some leaf read (docs/theory.md §8 "Learning"). The
 * tree's own splits are discharged inside it, so its lines prove σ·D ≤ 0 on every domain that
 * agrees with the starting one on the constraints read.
 */
import { Rational, ZERO } from '../../exact/rational';
import { inputSplitLine, nodeSplitLine } from '../../certificate/proof';
import { BoxBounds, BoundTimeout, collectChoices, type PassResult } from './bounds';
import type { LeafCloser } from './leaf';
import type { BabProblem, Objective } from './problem';

/** Deeper boxes end in `unknown` (the recursion stays well within the JS stack). */
export const MAX_DEPTH_TREE = 600;

export interface TreeLimits {
  deadline: number;
  /** Remaining node budget (shared with the caller: decremented in place). */
  budget: { nodes: number; limit: number };
  maxDepth: number;
  timeLimitSec: number;
}

export interface TreeStats {
  nodes: number;
  leaves: number;
  maxDepth: number;
}

export type TreeResult =
  | { kind: 'closed'; lines: string[]; nodes: number; leaves: number; readLo: Set<number>; readHi: Set<number> }
  | { kind: 'witness'; point: Rational[]; value: Rational }
  | { kind: 'unknown'; reason: string };

/** Total Jeroslow–Wang weight of the unresolved routes seen by a bound (with its sub-bounds). */
function unresolved(r: PassResult, seen = new Set<PassResult>()): number {
  if (seen.has(r)) return 0;
  seen.add(r);
  let s = 0;
  if (r.counts) for (const w of r.counts.values()) s += w;
  for (let c = r.chain; c !== null; c = c.next) if (c.item.t === 'R') s += unresolved(c.item.res, seen);
  return s;
}

class Stop {
  constructor(readonly result: TreeResult) {}
}

/** Float bound of σ·D over a box (a fresh DP budget per box). */
export function evalBox(box: BoxBounds, obj: Objective): PassResult {
  box.startBox(Math.max(4096, 8 * box.dag.ids.length));
  return box.upper(obj.float, 0, 0);
}

/**
 * A witness near the box, or null: candidate points from the routes' affine functions, float
 * first, then exact. Pre: loQ/hiQ are the exact bounds of `box`.
 */
export function tryWitness(
  box: BoxBounds,
  res: PassResult,
  loQ: readonly Rational[],
  hiQ: readonly Rational[],
  obj: Objective,
): { point: Rational[]; value: Rational } | null {
  const p = loQ.length;
  const { affines } = collectChoices(res);
  // Coordinates decided by the first route (in order) with a nonzero coefficient.
  const dir = new Int8Array(p);
  for (const aff of affines)
    for (const [i, w] of aff) if (dir[i] === 0 && w !== 0 && box.lo[i]! < box.hi[i]!) dir[i] = w > 0 ? 1 : -1;
  const candidates: Rational[][] = [];
  const mid = (i: number): Rational => loQ[i]!.add(hiQ[i]!).div(Rational.int(2));
  const far = (i: number): number => (loQ[i]!.sign() >= 0 ? 1 : hiQ[i]!.sign() <= 0 ? -1 : 0);
  const pick = (i: number, d: number): Rational => (d > 0 ? hiQ[i]! : d < 0 ? loQ[i]! : mid(i));
  // (a) coordinates on one side of 0 at their far end (a ±1 point on the reduction), the others
  // by the routes' affine functions, else ±1; (b) the routes' affine functions first; (c) centre.
  for (const dflt of [1, -1] as const) candidates.push(Array.from({ length: p }, (_, i) => pick(i, far(i) || dir[i]! || dflt)));
  candidates.push(Array.from({ length: p }, (_, i) => pick(i, dir[i]! || far(i) || 1)));
  candidates.push(Array.from({ length: p }, (_, i) => mid(i)));
  for (const x of candidates) {
    const xf = Float64Array.from(x, (r) => r.toNumber());
    if (!(obj.floatValue(xf) > 0)) continue;
    const v = obj.value(x);
    if (v.sign() > 0) return { point: x, value: v };
  }
  return null;
}

/**
 * Search the domain (lo, hi, fixed) for σ·D > 0, or close it. `tracked(i, side)`: whether the
 * starting bound of input i on that side is a constraint the caller wants in the reason.
 */
export function treeSearch(
  prob: BabProblem,
  obj: Objective,
  closer: LeafCloser,
  start: { lo: Rational[]; hi: Rational[]; fixed?: Int8Array; tracked: (i: number, side: 'lo' | 'hi') => boolean },
  limits: TreeLimits,
  stats: TreeStats,
  progress?: (depth: number, bound: number) => void,
): TreeResult {
  const { p, fdag } = prob;
  const loQ = start.lo.slice();
  const hiQ = start.hi.slice();
  // Whether the current bound of a coordinate is still the starting one (else a split of this tree).
  const loStart = new Uint8Array(p).fill(1);
  const hiStart = new Uint8Array(p).fill(1);
  const readLo = new Set<number>();
  const readHi = new Set<number>();
  const lines: string[] = [];
  let nodes = 0;
  let leaves = 0;

  const leaf = (line: string, rl: readonly number[], rh: readonly number[]): void => {
    lines.push(line);
    leaves++;
    stats.leaves++;
    for (const i of rl) if (loStart[i] && start.tracked(i, 'lo')) readLo.add(i);
    for (const i of rh) if (hiStart[i] && start.tracked(i, 'hi')) readHi.add(i);
  };

  const visit = (box: BoxBounds, depth: number, pre?: PassResult): void => {
    nodes++;
    stats.nodes++;
    limits.budget.nodes++;
    if (depth > stats.maxDepth) stats.maxDepth = depth;
    if (performance.now() > limits.deadline) throw new Stop({ kind: 'unknown', reason: `time limit (${limits.timeLimitSec} s) reached after ${limits.budget.nodes} nodes` });
    if (limits.budget.nodes > limits.budget.limit) throw new Stop({ kind: 'unknown', reason: `node limit (${limits.budget.limit}) reached` });
    if (depth > limits.maxDepth) throw new Stop({ kind: 'unknown', reason: `depth limit (${limits.maxDepth}) reached` });
    const res = pre ?? evalBox(box, obj);
    progress?.(depth, res.bound);
    if (res.bound <= 1e-9) {
      const c = closer.bound(loQ, hiQ, box.fixed, res);
      if (c) return leaf(c.line, c.readLo, c.readHi);
    }
    if (box.fixed.some((f) => f !== 0)) {
      const e = closer.empty(loQ, hiQ, box.fixed);
      if (e) return leaf(e.line, e.readLo, e.readHi);
    }
    const w = tryWitness(box, res, loQ, hiQ, obj);
    if (w) throw new Stop({ kind: 'witness', ...w });
    branch(box, res, depth);
  };

  const splitInput = (box: BoxBounds, i: number, c: Rational, depth: number): void => {
    const lo = loQ[i]!;
    const hi = hiQ[i]!;
    const ls = loStart[i]!;
    const hs = hiStart[i]!;
    const cf = c.toNumber();
    const lower = box.childInput(i, box.lo[i]!, cf);
    const upper = box.childInput(i, cf, box.hi[i]!);
    const rl = evalBox(lower, obj);
    const ru = evalBox(upper, obj);
    // The child with the larger bound first (where a witness is likelier; on the reduction, the
    // side that satisfies the chosen clause); equal bounds: the child leaving less unresolved weight.
    const upperFirst = ru.bound > rl.bound || (ru.bound === rl.bound && unresolved(ru) < unresolved(rl));
    lines.push(inputSplitLine(i, c, upperFirst));
    const sides: Array<[Rational, Rational, BoxBounds, PassResult, 'lo' | 'hi']> = [
      [lo, c, lower, rl, 'hi'],
      [c, hi, upper, ru, 'lo'],
    ];
    if (upperFirst) sides.reverse();
    for (const [l, h, bx, r, moved] of sides) {
      loQ[i] = l;
      hiQ[i] = h;
      if (moved === 'lo') loStart[i] = 0;
      else hiStart[i] = 0;
      visit(bx, depth + 1, r);
      loStart[i] = ls;
      hiStart[i] = hs;
    }
    loQ[i] = lo;
    hiQ[i] = hi;
  };

  const branch = (box: BoxBounds, res: PassResult, depth: number): void => {
    const ch = collectChoices(res, true);
    // Candidate inputs: free inputs in the cones of the relaxed nodes of the best route, and in
    // its affine functions.
    const cand = new Map<number, number>();
    for (const { id } of ch.relaxed) {
      const c = fdag.cone[id - p];
      if (c) for (const i of c) if (box.lo[i]! < 0 && box.hi[i]! > 0) cand.set(i, (cand.get(i) ?? 0) + 1);
    }
    for (const aff of ch.affines) for (const [i] of aff) if (box.lo[i]! < 0 && box.hi[i]! > 0) cand.set(i, (cand.get(i) ?? 0) + 1);
    if (cand.size > 0) {
      // Jeroslow–Wang weight over the unresolved routes (dynamic), then static occurrences.
      const jw = new Map<number, number>();
      const addCounts = (r: PassResult, seen: Set<PassResult>): void => {
        if (seen.has(r)) return;
        seen.add(r);
        if (r.counts) for (const [v, w] of r.counts) jw.set(v, (jw.get(v) ?? 0) + w);
        for (let c = r.chain; c !== null; c = c.next) if (c.item.t === 'R') addCounts(c.item.res, seen);
      };
      addCounts(res, new Set());
      // A unit route (one free input: unit propagation) is split at once; otherwise the input
      // with the largest Jeroslow–Wang weight over all unresolved routes.
      const pool = cand.size > 1 && jw.size > 0 ? jw : cand;
      let bi = -1;
      let bs = -Infinity;
      for (const [i] of pool) {
        if (!(box.lo[i]! < 0 && box.hi[i]! > 0)) continue;
        const s = (jw.get(i) ?? 0) * 1e6 + fdag.occurrences[i]!;
        if (s > bs) {
          bs = s;
          bi = i;
        }
      }
      splitInput(box, bi, ZERO, depth);
      return;
    }
    // Otherwise the input with the largest |coefficient| × width in the route's affine functions.
    let bi = -1;
    let bs = 0;
    for (const aff of ch.affines)
      for (const [i, w] of aff) {
        const s = Math.abs(w) * (box.hi[i]! - box.lo[i]!);
        if (s > bs && box.hi[i]! - box.lo[i]! > 2 ** -60) {
          bs = s;
          bi = i;
        }
      }
    // A relaxed node with a positive gap: split its phase.
    let bk = -1;
    let bg = 0;
    for (const { id, gap } of ch.relaxed)
      if (gap > bg && box.fixed[id - p] === 0) {
        bg = gap;
        bk = id - p;
      }
    if (bk >= 0 && (bi < 0 || bg * 4 >= bs)) {
      lines.push(nodeSplitLine(p + bk, false));
      visit(box.childPhase(bk, 1), depth + 1);
      visit(box.childPhase(bk, -1), depth + 1);
      return;
    }
    if (bi < 0) {
      // Fallback: the widest input of the box.
      for (let i = 0; i < p; i++) {
        const w = box.hi[i]! - box.lo[i]!;
        if (w > bs && w > 2 ** -60) {
          bs = w;
          bi = i;
        }
      }
    }
    if (bi < 0) throw new Stop({ kind: 'unknown', reason: 'a box could be split no further without closing (degenerate region)' });
    const mid = loQ[bi]!.sign() < 0 && hiQ[bi]!.sign() > 0 ? ZERO : loQ[bi]!.add(hiQ[bi]!).div(Rational.int(2));
    splitInput(box, bi, mid, depth);
  };

  const root = new BoxBounds(fdag, Float64Array.from(loQ, (r) => r.toNumber()), Float64Array.from(hiQ, (r) => r.toNumber()), start.fixed?.slice());
  root.deadline = limits.deadline;
  try {
    visit(root, 0);
  } catch (e) {
    if (e instanceof Stop) return e.result;
    if (e instanceof BoundTimeout) return { kind: 'unknown', reason: `time limit (${limits.timeLimitSec} s) reached inside a bound of a DAG ${fdag.depth} levels deep` };
    throw e;
  }
  return { kind: 'closed', lines, nodes, leaves, readLo, readHi };
}
