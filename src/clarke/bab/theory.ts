/**
 * The network as the theory of the CDCL search (./cdcl.ts; docs/theory.md §8 "Learning"): given the
 * box of an assignment of input signs, say whether σ·D ≤ 0 on it (exactly, with the cube of the
 * literals the exact bound read), or give a point with σ·D > 0 (exactly), or leave it open.
 *
 * On a partial assignment one float bound (./bounds.ts) and a few witness candidates; when every
 * sign is decided and the bound alone does not settle the orthant, the bisection tree (./tree.ts)
 * searches it, and its reason is what its leaves read of the orthant's sign constraints.
 */
import { Rational } from '../../exact/rational';
import { BoxBounds, BoundTimeout } from './bounds';
import type { LeafCloser } from './leaf';
import type { BabProblem, Objective } from './problem';
import { evalBox, treeSearch, tryWitness, type TreeLimits, type TreeStats } from './tree';
import type { Theory, TheoryVerdict } from './cdcl';

const ONE = Rational.int(1);
const MINUS_ONE = Rational.int(-1);
const ZERO = Rational.int(0);

/** The cube literals an exact proof read: x_i ≥ 0 (literal 2i) if it read lo_i = 0, x_i ≤ 0 (2i+1) if hi_i = 0. */
export function cubeOfReads(assign: Int8Array, readLo: Iterable<number>, readHi: Iterable<number>): number[] {
  const cube = new Set<number>();
  for (const i of readLo) if (assign[i] === 1) cube.add(2 * i);
  for (const i of readHi) if (assign[i] === -1) cube.add(2 * i + 1);
  return [...cube].sort((a, b) => a - b);
}

export class NetworkTheory implements Theory {
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly loQ: Rational[];
  private readonly hiQ: Rational[];
  private readonly noFix: Int8Array;
  /** Tree searches run on full orthants the bound alone could not settle. */
  subSearches = 0;

  constructor(
    readonly prob: BabProblem,
    readonly obj: Objective,
    readonly closer: LeafCloser,
    readonly limits: TreeLimits,
    readonly treeStats: TreeStats,
  ) {
    const p = prob.p;
    this.lo = new Float64Array(p);
    this.hi = new Float64Array(p);
    this.loQ = new Array<Rational>(p);
    this.hiQ = new Array<Rational>(p);
    this.noFix = new Int8Array(prob.dag.nodes.length);
  }

  check(assign: Int8Array, full: boolean): TheoryVerdict {
    try {
      return this.checkBox(assign, full);
    } catch (e) {
      if (e instanceof BoundTimeout) return { kind: 'unknown', reason: `time limit (${this.limits.timeLimitSec} s) reached inside a bound of a DAG ${this.prob.fdag.depth} levels deep` };
      throw e;
    }
  }

  private checkBox(assign: Int8Array, full: boolean): TheoryVerdict {
    const p = this.prob.p;
    for (let i = 0; i < p; i++) {
      const a = assign[i]!;
      this.lo[i] = a > 0 ? 0 : -1;
      this.hi[i] = a < 0 ? 0 : 1;
      this.loQ[i] = a > 0 ? ZERO : MINUS_ONE;
      this.hiQ[i] = a < 0 ? ZERO : ONE;
    }
    // One bound of the box: guided by the orthant's far corner on a full assignment (one pass; on
    // the reduction it follows the min tree to a clause falsified there, docs/theory.md §8.1),
    // else the route search; closed exactly, or the box's corners as witnesses.
    const box = new BoxBounds(this.prob.fdag, this.lo.slice(), this.hi.slice());
    box.guided = full;
    box.deadline = this.limits.deadline;
    const res = evalBox(box, this.obj);
    this.treeStats.nodes++;
    this.limits.budget.nodes++;
    if (res.bound <= 1e-9) {
      const c = this.closer.bound(this.loQ, this.hiQ, this.noFix, res);
      if (c) {
        this.treeStats.leaves++;
        return { kind: 'closed', cube: cubeOfReads(assign, c.readLo, c.readHi), proof: { kind: 'lines', lines: [c.line], nodes: 1, leaves: 1 } };
      }
    } else {
      // On the reduction, a corner of an orthant where no clause is falsified is a satisfying assignment.
      const w = tryWitness(box, res, this.loQ, this.hiQ, this.obj);
      if (w) return { kind: 'witness', point: w };
    }
    if (!full) return { kind: 'open' };
    // An orthant the bound does not settle (general networks): the tree search inside it.
    this.subSearches++;
    const t = treeSearch(
      this.prob,
      this.obj,
      this.closer,
      { lo: this.loQ, hi: this.hiQ, tracked: (i, side) => (side === 'lo' ? assign[i] === 1 : assign[i] === -1) },
      this.limits,
      this.treeStats,
    );
    if (t.kind === 'witness') return { kind: 'witness', point: { point: t.point, value: t.value } };
    if (t.kind === 'unknown') return t;
    return { kind: 'closed', cube: cubeOfReads(assign, t.readLo, t.readHi), proof: { kind: 'lines', lines: t.lines, nodes: t.nodes, leaves: t.leaves } };
  }
}
