/**
 * Closing a leaf exactly (docs/theory.md §8): the float bound of ./bounds.ts only steers; a leaf
 * enters a proof after the proof checker's own exact bound routine (src/verify/proof.ts
 * ExactBounds) confirms U(σ·D) ≤ 0 over the leaf's domain with the choices the float pass made.
 *
 * The exact pass also reports what it read of the domain (`readLo`, `readHi`, `readFixed`): the
 * bound depends on nothing else, so the same leaf is valid on every domain that agrees on those
 * constraints. That is how a closed box becomes a learned lemma over a smaller cube (the reason
 * of a conflict, docs/theory.md §8 "Learning").
 */
import type { Rational } from '../../exact/rational';
import { ExactBounds } from '../../verify/proof';
import type { Q } from '../../verify/q';
import { boundLeafLine, emptyLeafLine } from '../../certificate/proof';
import { collectChoices, type PassResult } from './bounds';
import { toQ, type BabProblem, type Objective } from './problem';

/** A leaf that closed exactly: its proof line and what of the domain it read. */
export interface ClosedLeaf {
  line: string;
  readLo: number[];
  readHi: number[];
  readFixed: number[];
}

export class LeafCloser {
  private readonly exact: ExactBounds;
  /** Leaves whose float bound said closed but the exact check refused. */
  exactRejects = 0;

  constructor(
    readonly prob: BabProblem,
    readonly obj: Objective,
  ) {
    this.exact = new ExactBounds(prob.dag);
  }

  private setDomain(lo: readonly Rational[] | readonly Q[], hi: readonly Rational[] | readonly Q[], fixed: Int8Array): void {
    for (let i = 0; i < this.prob.p; i++) {
      this.exact.lo[i] = toQ(lo[i] as Rational);
      this.exact.hi[i] = toQ(hi[i] as Rational);
    }
    this.exact.fixed.set(fixed);
  }

  private closed(line: string, extraFixed?: number): ClosedLeaf {
    const e = this.exact;
    const readFixed = [...e.readFixed];
    if (extraFixed !== undefined && !e.readFixed.has(extraFixed)) readFixed.push(extraFixed);
    return { line, readLo: [...e.readLo], readHi: [...e.readHi], readFixed };
  }

  /**
   * U(σ·D) ≤ 0 over the domain, exactly, with the choices of the float pass `res` (two orders of
   * resolving a node decided differently by the route and its sub-bounds). Null: not closed.
   */
  bound(lo: readonly Rational[], hi: readonly Rational[], fixed: Int8Array, res: PassResult): ClosedLeaf | null {
    this.setDomain(lo, hi, fixed);
    for (const order of ['main-first', 'nested-first'] as const) {
      const ch = collectChoices(res, false, order);
      this.exact.reset({ A: ch.A, S: ch.S });
      let U: Q;
      try {
        U = this.exact.upper({ terms: this.obj.exact, c: { n: 0n, d: 1n } });
      } catch {
        continue; // e.g. a partial substitution valid in floats only
      }
      if (U.n > 0n) continue;
      const A = [...this.exact.usedA].sort((a, b) => a - b);
      const S = [...this.exact.usedS].sort((a, b) => a - b).map((id) => [id, ch.S.get(id)!] as [number, number[]]);
      return this.closed(boundLeafLine(A, S));
    }
    this.exactRejects++;
    return null;
  }

  /** An empty domain: a node fixed active (inactive) whose exact U(ê) < 0 (U(−ê) < 0). Null: none found. */
  empty(lo: readonly Rational[], hi: readonly Rational[], fixed: Int8Array): ClosedLeaf | null {
    this.setDomain(lo, hi, fixed);
    this.exact.reset();
    const p = this.prob.p;
    for (let k = 0; k < fixed.length; k++) {
      const f = fixed[k]!;
      if (f === 0) continue;
      const U = this.exact.nodeUpper(k, f > 0 ? 1 : -1);
      if (U.n < 0n) return this.closed(emptyLeafLine(p + k, [], []), k);
    }
    return null;
  }
}
