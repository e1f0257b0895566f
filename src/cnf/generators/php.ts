/**
 * The pigeonhole principle PHP(h+1, h): h+1 pigeons, h holes, every pigeon in some hole, no two
 * pigeons in the same hole. Unsatisfiable for every h ≥ 1 (and hard for resolution: Haken 1985).
 * Variable x(i, j) = "pigeon i sits in hole j" is numbered (i−1)·h + j, i = 1..h+1, j = 1..h.
 * Clauses, in this order: for each pigeon i, (x(i,1) ∨ … ∨ x(i,h)); then for each hole j and each
 * pair i < i', (¬x(i,j) ∨ ¬x(i',j)). So n = h(h+1) and m = (h+1) + h·h(h+1)/2.
 *
 * Variants (CNFgen's names): *functional* adds, for each pigeon i and holes j < j',
 * (¬x(i,j) ∨ ¬x(i,j')) — every pigeon in exactly one hole, the formula of a map; *onto* adds, for
 * each hole j, (x(1,j) ∨ … ∨ x(h+1,j)) — every hole used. Both added together: a bijection from
 * h+1 pigeons onto h holes. Every variant is unsatisfiable (it only adds clauses to PHP(h+1, h)),
 * and all stay exponentially hard for resolution (Razborov 2004 for the onto-functional one).
 */
import { makeCnf, type Cnf } from '../cnf';
import { UserError } from '../../errors';

export function phpVar(h: number, pigeon: number, hole: number): number {
  return (pigeon - 1) * h + hole;
}

/** The variants of the pigeonhole formula (module header): extra clauses, all default off. */
export interface PhpVariant {
  functional?: boolean;
  onto?: boolean;
}

/**
 * The pigeonhole formula PHP(h+1, h): h+1 pigeons in h holes, variable (i−1)·h + j = pigeon i in
 * hole j; unsatisfiable.
 */
export function php(holes: number, variant: PhpVariant = {}): Cnf {
  const h = holes;
  if (!Number.isSafeInteger(h) || h < 1) throw new UserError(`php: --holes must be a positive integer, got ${holes}`);
  const clauses: number[][] = [];
  for (let i = 1; i <= h + 1; i++) {
    const c: number[] = [];
    for (let j = 1; j <= h; j++) c.push(phpVar(h, i, j));
    clauses.push(c);
  }
  for (let j = 1; j <= h; j++)
    for (let i = 1; i <= h + 1; i++) for (let i2 = i + 1; i2 <= h + 1; i2++) clauses.push([-phpVar(h, i, j), -phpVar(h, i2, j)]);
  if (variant.functional === true)
    for (let i = 1; i <= h + 1; i++) for (let j = 1; j <= h; j++) for (let j2 = j + 1; j2 <= h; j2++) clauses.push([-phpVar(h, i, j), -phpVar(h, i, j2)]);
  if (variant.onto === true)
    for (let j = 1; j <= h; j++) {
      const c: number[] = [];
      for (let i = 1; i <= h + 1; i++) c.push(phpVar(h, i, j));
      clauses.push(c);
    }
  return makeCnf(h * (h + 1), clauses);
}
