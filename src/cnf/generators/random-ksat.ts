/**
 * Uniform random k-SAT (the fixed-clause-length model of Mitchell, Selman & Levesque 1992, the
 * one SATLIB's uf/uuf families come from): each of the m clauses independently picks k distinct
 * variables uniformly from 1..n (no repeated variable inside a clause) and negates each with
 * probability 1/2. Clauses are drawn with replacement, so two clauses may coincide.
 * Deterministic: the same `Rng` seed gives the same formula on any machine.
 */
import { makeCnf, type Cnf } from '../cnf';
import type { Rng } from '../../exact/rng';
import { UserError } from '../../errors';

/**
 * Uniform random k-SAT: n variables, m clauses, each on k distinct variables with random signs
 * (the SATLIB uf/uuf model).
 */
export interface RandomKSatParams {
  n: number;
  m: number;
  k: number;
}

/** k distinct variables of 1..n, in draw order (rejection: k ≤ n is small in practice). */
export function distinctVars(n: number, k: number, rng: Rng): number[] {
  const picked: number[] = [];
  while (picked.length < k) {
    const v = rng.int(1, n);
    if (!picked.includes(v)) picked.push(v);
  }
  return picked;
}

export function checkKSatParams(n: number, m: number, k: number): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`random-ksat: --vars must be a positive integer, got ${n}`);
  if (!Number.isSafeInteger(m) || m < 0) throw new UserError(`random-ksat: clause count must be a non-negative integer, got ${m}`);
  if (!Number.isSafeInteger(k) || k < 1 || k > n) throw new UserError(`random-ksat: --k must be in 1..${n} (the variable count), got ${k}`);
}

/** Pre: 1 ≤ k ≤ n, m ≥ 0. Post: m clauses of exactly k literals over distinct variables. */
export function randomKSat(params: RandomKSatParams, rng: Rng): Cnf {
  const { n, m, k } = params;
  checkKSatParams(n, m, k);
  const clauses: number[][] = [];
  for (let j = 0; j < m; j++) clauses.push(distinctVars(n, k, rng).map((v) => (rng.bool() ? v : -v)));
  return makeCnf(n, clauses);
}

/** Clause count for a clause/variable ratio: round(ratio · n) (IEEE double, same on any machine). */
export function clausesForRatio(n: number, ratio: number): number {
  if (!Number.isFinite(ratio) || ratio < 0) throw new UserError(`--ratio must be a non-negative number, got ${ratio}`);
  return Math.round(ratio * n);
}
