/**
 * `babDecide`: branch and bound on the tangent network (docs/theory.md §6, §8), deciding whether
 * D(h) = G(h) − g·h vanishes on [-1,1]^p (then ∂^c F(x̄) = {g}, with an exact proof) or not (then a
 * rational point h with σ·D(h) > 0, exactly evaluated, from which the caller builds a certificate).
 *
 * Search: depth first over boxes of [-1,1]^p (with phase fixes), sign σ = +1 then σ = −1.
 *   - bound each box in float64 (./bounds.ts); if the bound is ≤ 0, re-check it EXACTLY with the
 *     proof checker's own routine (src/verify/proof.ts ExactBounds) and only then write the leaf;
 *     a leaf that fails the exact check is split further, never written;
 *   - look for a witness at a few points of the box (corners picked by the routes' affine
 *     functions, the centre): float first, then exact evaluation of D on the canonical DAG;
 *   - branch on an input (at 0 first, by homogeneity the natural cut, then at midpoints), chosen among
 *     the free inputs of the best route (on the SAT reduction: the clause with fewest free literals,
 *     so a unit clause gives a split with one child closed at once — unit propagation as a tree),
 *     by static occurrence count; when no input helps, on the phase of a relaxed node.
 * The proof is streamed in preorder to `proofSink` as the search goes; on a witness or a limit the
 * caller discards it.
 */
import { Rational, ZERO, ONE } from '../../exact/rational';
import type { Network } from '../../network/network';
import { canonicalDag, networkHash, ExactBounds, type CanonicalDag, type LinQ } from '../../verify/proof';
import type { Q, SLayer } from '../../verify/q';
import { headerLine, treeOpenLine, treeEndLine, inputSplitLine, nodeSplitLine, boundLeafLine, emptyLeafLine, type ProofSink, type ProofSign } from '../../certificate/proof';
import { BoxBounds, floatDag, collectChoices, type FloatDag, type PassResult } from './bounds';

export interface BabProgress {
  sign: ProofSign;
  nodes: number;
  leaves: number;
  /** Depth of the current box (open boxes on the DFS stack). */
  open: number;
  /** Float upper bound of σ·D on the current box. */
  bound: number;
  elapsedMs: number;
}

export interface BabOptions {
  /** The point x̄ (default 0). */
  at?: readonly Rational[];
  /** The candidate subgradient g (required). */
  gradient: readonly Rational[];
  /** Signs to prove (default [1, -1]). */
  signs?: readonly ProofSign[];
  timeLimitSec?: number;
  nodeLimit?: number;
  progress?: (p: BabProgress) => void;
  /** Receives the proof lines; absent: no proof text is produced (the search is the same). */
  proofSink?: ProofSink;
  /** Free-form provenance written into the proof header. */
  producer?: Record<string, unknown>;
}

export interface BabStats {
  nodes: number;
  leaves: number;
  /** Leaves whose float bound said closed but the exact check refused (then split further). */
  exactRejects: number;
  maxDepth: number;
  dagNodes: number;
  timeMs: number;
}

export type BabResult =
  | ({ kind: 'witness'; point: Rational[]; sign: ProofSign; value: Rational } & BabStats)
  | ({ kind: 'proof'; signs: ProofSign[]; networkSha256: string } & BabStats)
  | ({ kind: 'unknown'; reason: string } & BabStats);

const q = (r: Rational): Q => ({ n: r.n, d: r.d });
const rat = (x: Q): Rational => Rational.of(x.n, x.d);

/** The network's layers in the verifier's sparse form (Rational is structurally a Q). */
export function sparseLayers(net: Network): SLayer[] {
  return net.layers.map((L) => {
    const rows: Array<Array<[number, Q]>> = [];
    for (let i = 0; i < L.rows; i++) {
      const row: Array<[number, Q]> = [];
      for (let t = L.start[i]!; t < L.start[i + 1]!; t++) row.push([L.col[t]!, q(L.w[t]!)]);
      rows.push(row);
    }
    return { rows, bias: L.bias.map(q), cols: L.cols };
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
  const dag = canonicalDag(net.inputDim, layers, at.map(q));
  return { p: net.inputDim, dag, fdag: floatDag(dag), hash: networkHash(net.inputDim, layers) };
}

/** Total Jeroslow–Wang weight of the unresolved routes seen by a bound (with its sub-bounds). */
function unresolved(r: PassResult, seen = new Set<PassResult>()): number {
  if (seen.has(r)) return 0;
  seen.add(r);
  let s = 0;
  if (r.counts) for (const w of r.counts.values()) s += w;
  for (let c = r.chain; c !== null; c = c.next) if (c.item.t === 'R') s += unresolved(c.item.res, seen);
  return s;
}

/** Deeper boxes end in `unknown` (the recursion stays well within the JS stack). */
export const MAX_DEPTH = 600;

class Stop {
  constructor(readonly result: { kind: 'witness'; point: Rational[]; value: Rational } | { kind: 'unknown'; reason: string }) {}
}

export function babDecide(net: Network, opts: BabOptions): BabResult {
  const t0 = performance.now();
  const p = net.inputDim;
  const at = opts.at ?? Array.from({ length: p }, () => ZERO);
  const prob = babProblem(net, at);
  return babDecideProblem(prob, at, opts, t0);
}

export function babDecideProblem(prob: BabProblem, at: readonly Rational[], opts: BabOptions, t0 = performance.now()): BabResult {
  const { p, dag, fdag } = prob;
  const N = dag.nodes.length;
  const g = opts.gradient;
  const signs = opts.signs ?? [1, -1];
  const deadline = t0 + (opts.timeLimitSec ?? 60) * 1000;
  const nodeLimit = opts.nodeLimit ?? Infinity;
  const sink = opts.proofSink ?? null;
  const stats: BabStats = { nodes: 0, leaves: 0, exactRejects: 0, maxDepth: 0, dagNodes: N, timeMs: 0 };
  const finish = <T extends object>(r: T): T & BabStats => ({ ...r, ...stats, timeMs: performance.now() - t0 });
  sink?.(headerLine({ networkSha256: prob.hash, inputDim: p, at, gradient: g, signs, producer: opts.producer }));

  const exact = new ExactBounds(dag);
  let lastProgress = performance.now();

  for (const sigma of signs) {
    // Objective σ·(G − g·h), exact and float.
    const objQ: LinQ = new Map();
    const sq = Rational.int(sigma);
    for (const [id, w] of dag.output) objQ.set(id, q(rat(w).mul(sq)));
    g.forEach((gi, i) => {
      if (gi.isZero()) return;
      const cur = objQ.has(i) ? rat(objQ.get(i)!) : ZERO;
      const nv = cur.sub(gi.mul(sq));
      if (nv.isZero()) objQ.delete(i);
      else objQ.set(i, q(nv));
    });
    const objF = new Map<number, number>();
    for (const [id, w] of objQ) objF.set(id, Number(w.n) / Number(w.d));

    // Exact value of σ·D at a rational point (canonical DAG).
    const exactValue = (x: readonly Rational[]): Rational => {
      const vals: Rational[] = x.slice();
      for (let k = 0; k < N; k++) {
        const nd = dag.nodes[k]!;
        let z = ZERO;
        for (let t = 0; t < nd.ids.length; t++) {
          const v = vals[nd.ids[t]!]!;
          if (!v.isZero()) z = z.add(rat(nd.ws[t]!).mul(v));
        }
        vals.push(z.sign() > 0 ? z : ZERO);
      }
      let s = ZERO;
      for (const [id, w] of objQ) {
        const v = vals[id]!;
        if (!v.isZero()) s = s.add(rat(w).mul(v));
      }
      return s;
    };
    const floatValue = (x: Float64Array): number => {
      const vals = new Float64Array(p + N);
      vals.set(x);
      for (let k = 0; k < N; k++) {
        const ids = fdag.ids[k]!;
        const ws = fdag.ws[k]!;
        let z = 0;
        for (let t = 0; t < ids.length; t++) z += ws[t]! * vals[ids[t]!]!;
        vals[p + k] = z > 0 ? z : 0;
      }
      let s = 0;
      for (const [id, w] of objF) s += w * vals[id]!;
      return s;
    };

    sink?.(treeOpenLine(sigma));
    let treeNodes = 0;
    let treeLeaves = 0;
    // Exact box bounds, maintained alongside the float ones.
    const loQ: Rational[] = Array.from({ length: p }, () => Rational.int(-1));
    const hiQ: Rational[] = Array.from({ length: p }, () => ONE);

    const tryWitness = (box: BoxBounds, res: PassResult): void => {
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
        if (!(floatValue(xf) > 0)) continue;
        const v = exactValue(x);
        if (v.sign() > 0) throw new Stop({ kind: 'witness', point: x, value: v });
      }
    };

    const exactLeaf = (box: BoxBounds, res: PassResult): { A: number[]; S: Array<[number, number[]]> } | null => {
      for (let i = 0; i < p; i++) {
        exact.lo[i] = q(loQ[i]!);
        exact.hi[i] = q(hiQ[i]!);
      }
      exact.fixed.set(box.fixed);
      for (const order of ['main-first', 'nested-first'] as const) {
        const ch = collectChoices(res, false, order);
        exact.reset({ A: ch.A, S: ch.S });
        let U: Q;
        try {
          U = exact.upper({ terms: objQ, c: { n: 0n, d: 1n } });
        } catch {
          continue; // e.g. a partial substitution valid in floats only
        }
        if (U.n > 0n) continue;
        const A = [...exact.usedA].sort((a, b) => a - b);
        const S = [...exact.usedS].sort((a, b) => a - b).map((id) => [id, ch.S.get(id)!] as [number, number[]]);
        return { A, S };
      }
      return null;
    };

    // Exact emptiness of a box with phase fixes: a fixed node whose bound contradicts its phase.
    const exactEmpty = (box: BoxBounds): number | null => {
      for (let i = 0; i < p; i++) {
        exact.lo[i] = q(loQ[i]!);
        exact.hi[i] = q(hiQ[i]!);
      }
      exact.fixed.set(box.fixed);
      exact.reset();
      for (let k = 0; k < N; k++) {
        const f = box.fixed[k]!;
        if (f === 0) continue;
        const U = exact.nodeUpper(k, f > 0 ? 1 : -1);
        if (U.n < 0n) return p + k;
      }
      return null;
    };

    const evalBox = (box: BoxBounds): PassResult => {
      box.startBox(Math.max(4096, 8 * N));
      return box.upper(objF, 0, 0);
    };

    const visit = (box: BoxBounds, depth: number, pre?: PassResult): void => {
      stats.nodes++;
      treeNodes++;
      if (depth > stats.maxDepth) stats.maxDepth = depth;
      const now = performance.now();
      if (now > deadline) throw new Stop({ kind: 'unknown', reason: `time limit (${opts.timeLimitSec ?? 60} s) reached after ${stats.nodes} nodes` });
      if (stats.nodes > nodeLimit) throw new Stop({ kind: 'unknown', reason: `node limit (${nodeLimit}) reached` });
      if (depth > MAX_DEPTH) throw new Stop({ kind: 'unknown', reason: `depth limit (${MAX_DEPTH}) reached` });
      const res = pre ?? evalBox(box);
      if (opts.progress && now - lastProgress > 2000) {
        lastProgress = now;
        opts.progress({ sign: sigma, nodes: stats.nodes, leaves: stats.leaves, open: depth, bound: res.bound, elapsedMs: now - t0 });
      }
      if (res.bound <= 1e-9) {
        const leaf = exactLeaf(box, res);
        if (leaf) {
          sink?.(boundLeafLine(leaf.A, leaf.S));
          stats.leaves++;
          treeLeaves++;
          return;
        }
        stats.exactRejects++;
      }
      if (box.fixed.some((f) => f !== 0)) {
        const e = exactEmpty(box);
        if (e !== null) {
          sink?.(emptyLeafLine(e, [], []));
          stats.leaves++;
          treeLeaves++;
          return;
        }
      }
      tryWitness(box, res);
      branch(box, res, depth);
    };

    const splitInput = (box: BoxBounds, i: number, c: Rational, depth: number): void => {
      const lo = loQ[i]!;
      const hi = hiQ[i]!;
      const cf = c.toNumber();
      const lower = box.childInput(i, box.lo[i]!, cf);
      const upper = box.childInput(i, cf, box.hi[i]!);
      const rl = evalBox(lower);
      const ru = evalBox(upper);
      // The child with the larger bound first (where a witness is likelier; on the reduction, the
      // side that satisfies the chosen clause); a closed child costs one line either way.
      // Equal bounds: the child leaving less unresolved weight (it satisfies more routes) first.
      const upperFirst = ru.bound > rl.bound || (ru.bound === rl.bound && unresolved(ru) < unresolved(rl));
      sink?.(inputSplitLine(i, c, upperFirst));
      const sides: Array<[Rational, Rational, BoxBounds, PassResult]> = [
        [lo, c, lower, rl],
        [c, hi, upper, ru],
      ];
      if (upperFirst) sides.reverse();
      for (const [l, h, bx, r] of sides) {
        loQ[i] = l;
        hiQ[i] = h;
        visit(bx, depth + 1, r);
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
        // with the largest Jeroslow–Wang weight over all unresolved routes (about half the tree of
        // a choice inside the shortest route on uuf50-218, measured on files 01–06).
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
      for (const { id, gap } of ch.relaxed) if (gap > bg && box.fixed[id - p] === 0) {
        bg = gap;
        bk = id - p;
      }
      if (bk >= 0 && (bi < 0 || bg * 4 >= bs)) {
        sink?.(nodeSplitLine(p + bk, false));
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

    try {
      visit(new BoxBounds(fdag), 0);
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      if (e.result.kind === 'witness') return finish({ kind: 'witness' as const, point: e.result.point, sign: sigma, value: e.result.value });
      return finish({ kind: 'unknown' as const, reason: e.result.reason });
    }
    sink?.(treeEndLine(sigma, treeNodes, treeLeaves));
  }
  return finish({ kind: 'proof' as const, signs: [...signs], networkSha256: prob.hash });
}

/** One progress line (the CLI prints it on stderr). */
export function formatBabProgress(p: BabProgress): string {
  return `bab: sign ${p.sign > 0 ? '+' : '-'}: ${p.nodes} nodes, ${p.leaves} leaves, depth ${p.open}, bound here ${p.bound.toPrecision(3)}, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}
