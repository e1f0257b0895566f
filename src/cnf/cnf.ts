/**
 * A CNF formula over variables 1..n; a clause is a list of nonzero signed integers (DIMACS
 * literals). Invariants (enforced by `makeCnf`): n ≥ 0 integer; every literal is a nonzero integer
 * with |lit| ≤ n. Empty clauses are allowed (the formula is then unsatisfiable).
 */
import { UserError } from '../errors';

/**
 * A CNF formula over variables 1..n: clauses are lists of nonzero literals (v true, −v false),
 * with the comment lines of its file.
 */
export interface Cnf {
  readonly n: number;
  readonly clauses: readonly (readonly number[])[];
  /** Comment lines (without the leading `c `), kept for provenance. */
  readonly comments?: readonly string[];
}

/**
 * A checked Cnf: every literal is a nonzero integer with |literal| ≤ n (UserError naming the
 * clause otherwise).
 */
export function makeCnf(n: number, clauses: readonly (readonly number[])[], comments: readonly string[] = []): Cnf {
  if (!Number.isSafeInteger(n) || n < 0) throw new UserError(`cnf: n must be a non-negative integer, got ${n}`);
  clauses.forEach((c, j) =>
    c.forEach((lit) => {
      if (!Number.isInteger(lit) || lit === 0 || Math.abs(lit) > n)
        throw new UserError(`cnf: clause ${j + 1}: literal ${lit} is out of range 1..${n}`);
    }),
  );
  return { n, clauses, comments };
}

/** Whether `assignment` (a signed literal per variable, or a boolean array indexed 1..n) satisfies f. */
export function satisfies(f: Cnf, assignment: readonly number[]): boolean {
  const val = new Int8Array(f.n + 1);
  for (const lit of assignment) val[Math.abs(lit)] = lit > 0 ? 1 : -1;
  return f.clauses.every((c) => c.some((lit) => (lit > 0 ? val[lit] === 1 : val[-lit] === -1)));
}
