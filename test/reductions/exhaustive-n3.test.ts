import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/exact/rng';
import { runExhaustive } from '../../reductions/exhaustive';

// Every CNF over n = 3 variables with at most 4 distinct clauses of width 1..3, tautological clauses
// included: 112 792 formulas, 3 461 of them unsatisfiable. A heavy test (NSAD_HEAVY, set by CI):
// all unsatisfiable ones are checked (F ≡ 0 by exact region enumeration) and a seeded quarter of
// the satisfiable ones; `npx tsx reductions/verify-exhaustive.ts` checks all of them (≈ 12 s
// unloaded). n ≤ 2 runs in every `npm test` (exhaustive.test.ts).
describe.skipIf(!process.env.NSAD_HEAVY)('exhaustive verification, n = 3, m ≤ 4 (heavy)', () => {
  it('unsat ⇒ F ≡ 0 (all 3 461); sat ⇒ F(encode(a)) ≥ 1 for every model and decode(witness) satisfies (seeded 25% sample)', () => {
    const rng = new Rng(3);
    const s = runExhaustive({ n: 3, maxClauses: 4, maxWidth: 3, tautologies: true, sampleSatisfiable: () => rng.int(0, 3) === 0 });
    expect(s.failures).toEqual([]);
    expect(s.formulas).toBe(112792);
    expect(s.unsatisfiable).toBe(3461);
    expect(s.satisfiable).toBe(112792 - 3461);
    const checkedSat = s.satisfiable - s.skippedSatisfiable;
    expect(checkedSat).toBeGreaterThan(25000);
  }, 120_000);
});
