import type { Cnf } from '../../../src/cnf/cnf';

/**
 * Exhaustive satisfiability for n ≤ 20, independent of the solver and of `satisfies`: bit i of an
 * assignment mask is variable i+1; a clause is satisfied iff it has a true positive literal
 * (mask & pos) or a false negative one (~mask & neg).
 */
export function bruteForceSat(f: Cnf): boolean {
  if (f.n > 20) throw new RangeError('bruteForceSat: n ≤ 20 only');
  const pos = f.clauses.map((c) => c.reduce((m, l) => (l > 0 ? m | (1 << (l - 1)) : m), 0));
  const neg = f.clauses.map((c) => c.reduce((m, l) => (l < 0 ? m | (1 << (-l - 1)) : m), 0));
  outer: for (let a = 0; a < 1 << f.n; a++) {
    for (let j = 0; j < pos.length; j++) if ((a & pos[j]!) === 0 && (~a & neg[j]!) === 0) continue outer;
    return true;
  }
  return false;
}
