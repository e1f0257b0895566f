/**
 * Random k-XOR in CNF: m parity constraints x_{v_1} ⊕ … ⊕ x_{v_k} = b, each on k distinct
 * variables drawn uniformly from 1..n (as in random k-SAT, src/cnf/generators/random-ksat.ts) with
 * a uniform parity bit b, each written as its 2^(k−1) clauses (./parity.ts). Constraints are drawn
 * with replacement.
 *
 * Status (exact): Gaussian elimination over GF(2) decides the system (./parity.ts `xorSolvable`) —
 * no SAT solver needed, though resolution needs exponential size on random instances beyond the
 * threshold (Ben-Sasson and Wigderson 2001), which is what makes the family interesting here.
 */
import { makeCnf, type Cnf } from '../cnf';
import type { Rng } from '../../exact/rng';
import { UserError } from '../../errors';
import { distinctVars } from './random-ksat';
import { parityClauses, xorSolvable } from './parity';

export interface KXorParams {
  n: number;
  /** Number of parity constraints. */
  m: number;
  k: number;
}

/** The formula, its constraints (variables, parity) and the exact status (null beyond the elimination limit). */
export function randomKXor(params: KXorParams, rng: Rng): { cnf: Cnf; constraints: { vars: number[]; parity: number }[]; satisfiable: boolean | null } {
  const { n, m, k } = params;
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`kxor: --vars must be a positive integer, got ${n}`);
  if (!Number.isSafeInteger(m) || m < 0) throw new UserError(`kxor: the constraint count must be a non-negative integer, got ${m}`);
  if (!Number.isSafeInteger(k) || k < 1 || k > n) throw new UserError(`kxor: --k must be in 1..${n} (the variable count), got ${k}`);
  const constraints: { vars: number[]; parity: number }[] = [];
  for (let j = 0; j < m; j++) {
    const vars = distinctVars(n, k, rng);
    constraints.push({ vars, parity: rng.bool() ? 1 : 0 });
  }
  const clauses: number[][] = [];
  for (const c of constraints) for (const cl of parityClauses(c.vars, c.parity)) clauses.push(cl);
  const s = xorSolvable(n, constraints.map((c) => c.vars), constraints.map((c) => c.parity));
  return { cnf: makeCnf(n, clauses), constraints, satisfiable: s === null ? null : s.solvable };
}
