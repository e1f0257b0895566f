/**
 * The ordering principle OP(n) (Krishnamurthy 1985; the "GT_n" formulas of Bonet and Galesi 2001):
 * "every finite strict order has a minimal element", negated. Variables p(i, j) = "i precedes j"
 * for ordered pairs of distinct elements i, j ∈ 1..n, numbered (i−1)(n−1) + (j − [j > i]), so
 * there are n(n−1). Clauses, in this order:
 *   antisymmetry  (¬p(i,j) ∨ ¬p(j,i))          for i < j;
 *   totality      (p(i,j) ∨ p(j,i))            for i < j — only with `total`;
 *   transitivity  (¬p(i,j) ∨ ¬p(j,l) ∨ p(i,l)) for distinct i, j, l;
 *   no minimum    (∨_{i ≠ j} p(i,j))           for each j (j has a predecessor).
 * Unsatisfiable for every n ≥ 1: a model would be a strict partial order without a minimal element
 * on a finite set. It has polynomial-size resolution refutations (Stålmarck 1996) yet needs width
 * n − 1, and tree-like resolution needs size 2^Ω(n) — a family where learning matters.
 */
import { makeCnf, type Cnf } from '../cnf';
import { UserError } from '../../errors';

/** Variable of p(i, j), i ≠ j in 1..n. */
export function orderVar(n: number, i: number, j: number): number {
  return (i - 1) * (n - 1) + (j > i ? j - 1 : j);
}

/** OP(n), with the totality clauses when `total` (the "total ordering principle"). */
export function ordering(n: number, total = false): Cnf {
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`ordering: --elements must be a positive integer, got ${n}`);
  const p = (i: number, j: number): number => orderVar(n, i, j);
  const clauses: number[][] = [];
  for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) clauses.push([-p(i, j), -p(j, i)]);
  if (total) for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) clauses.push([p(i, j), p(j, i)]);
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= n; j++) {
      if (j === i) continue;
      for (let l = 1; l <= n; l++) if (l !== i && l !== j) clauses.push([-p(i, j), -p(j, l), p(i, l)]);
    }
  for (let j = 1; j <= n; j++) {
    const c: number[] = [];
    for (let i = 1; i <= n; i++) if (i !== j) c.push(p(i, j));
    clauses.push(c);
  }
  return makeCnf(n * (n - 1), clauses);
}
