/**
 * Planted 3-SAT: satisfiable by construction. Draw a uniform assignment σ (each variable true
 * with probability 1/2), then draw m = round(ratio · n) clauses as in uniform random k-SAT,
 * rejecting every clause that σ falsifies (probability 2^-k per draw). Every kept clause has a
 * literal true under σ, so σ satisfies the formula (checked before returning). This is the plain
 * "planted" distribution; it is biased towards σ (literals agreeing with σ are more frequent), so
 * it is easier than uniform random 3-SAT at the same ratio — a satisfiable family with a known
 * witness, not a hardness benchmark.
 *
 * `hidden: 2` is the "2-hidden" distribution of Achlioptas, Jia and Moore (2005, *Hiding
 * satisfying assignments: two are better than one*): a clause is kept iff both σ and its
 * complement ¬σ satisfy it (it has a literal agreeing with σ and one disagreeing). Every literal
 * is then as likely to agree with σ as not, the bias that gives the planted assignment away
 * disappears, and the formulas are about as hard as uniform random k-SAT at the same ratio, while
 * σ and ¬σ both stay models (both checked). Needs k ≥ 2.
 */
import { makeCnf, satisfies, type Cnf } from '../cnf';
import type { Rng } from '../../exact/rng';
import { UserError } from '../../errors';
import { clausesForRatio, distinctVars } from './random-ksat';

/**
 * Planted k-SAT: n variables, m = round(ratio·n) clauses that a hidden uniform assignment
 * satisfies.
 */
export interface PlantedParams {
  n: number;
  ratio: number;
  /** Clause length, default 3. */
  k?: number;
  /** 1 (default): clauses satisfied by σ; 2: clauses satisfied by σ and by ¬σ (module header). */
  hidden?: 1 | 2;
}

/**
 * Pre: n ≥ k ≥ 1, ratio ≥ 0. Post: `assignment[i] = ±(i+1)` satisfies `cnf`, which has
 * round(ratio·n) clauses of k literals over distinct variables.
 */
export function planted(params: PlantedParams, rng: Rng): { cnf: Cnf; assignment: number[] } {
  const { n, ratio } = params;
  const k = params.k ?? 3;
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`planted: --vars must be a positive integer, got ${n}`);
  if (!Number.isSafeInteger(k) || k < 1 || k > n) throw new UserError(`planted: clause length must be in 1..${n}, got ${k}`);
  const hidden = params.hidden ?? 1;
  if (hidden === 2 && k < 2) throw new UserError('planted: --hidden 2 needs clauses of at least 2 literals (--k ≥ 2)');
  const m = clausesForRatio(n, ratio);
  const assignment: number[] = [];
  for (let v = 1; v <= n; v++) assignment.push(rng.bool() ? v : -v);
  const clauses: number[][] = [];
  while (clauses.length < m) {
    const c = distinctVars(n, k, rng).map((v) => (rng.bool() ? v : -v));
    // keep c iff some literal agrees with σ: assignment[|l|-1] === l (and, 2-hidden, some disagrees)
    if (c.some((l) => assignment[Math.abs(l) - 1] === l) && (hidden === 1 || c.some((l) => assignment[Math.abs(l) - 1] === -l))) clauses.push(c);
  }
  const cnf = makeCnf(n, clauses);
  if (!satisfies(cnf, assignment)) throw new Error('planted: construction bug, the planted assignment is not a model');
  if (hidden === 2 && !satisfies(cnf, assignment.map((l) => -l))) throw new Error('planted: construction bug, the complement of the planted assignment is not a model');
  return { cnf, assignment };
}
