import { describe, it, expect } from 'vitest';
import { allClauses, clauseSets, runExhaustive } from '../../reductions/exhaustive';

// Issue 4 "Verification": EVERY CNF with clauses of width 1..3 over n ≤ 2 variables and m ≤ 4
// distinct clauses (tautological clauses included). n = 3 is in exhaustive-n3.test.ts.
describe('exhaustive verification, n ≤ 2, m ≤ 4', () => {
  it('enumerates the clause pool and the clause sets completely', () => {
    expect(allClauses(2, 3, true).length).toBe(4 + 6 + 4); // C(4,1) + C(4,2) + C(4,3)
    expect(allClauses(3, 3, false).length).toBe(6 + 12 + 8);
    expect(allClauses(3, 3, true).length).toBe(6 + 15 + 20);
    let count = 0;
    for (const _ of clauseSets(allClauses(2, 3, true), 4)) count++;
    expect(count).toBe(1 + 14 + 91 + 364 + 1001); // Σ C(14, k), k ≤ 4
  });

  for (const n of [0, 1, 2]) {
    it(`n = ${n}: sat ⇒ F(encode(a)) ≥ 1 for every model a; unsat ⇒ F ≡ 0 by exact region enumeration`, () => {
      const s = runExhaustive({ n, maxClauses: 4, maxWidth: 3, tautologies: true });
      expect(s.failures).toEqual([]);
      if (n === 2) {
        expect(s.formulas).toBe(1471);
        expect(s.unsatisfiable).toBeGreaterThan(100);
      }
    });
  }
});
