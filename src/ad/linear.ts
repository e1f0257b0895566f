/**
 * Exact linear algebra for the lexicographic subgradient (docs/theory.md §7): given directions m_1..m_p
 * (rows of M) and the lexicographic derivative J (J_k = F'-row entry along m_k), find g with
 * g·m_k = J_k for every k. Gaussian elimination over the rationals, exact.
 */
import { Rational, ZERO } from '../exact/rational';
import { UserError } from '../errors';
import { addOps, opCounts, type OpCounts } from './ops';

/** Throws a UserError unless M is a p×p matrix (rows = directions). Nonsingularity is checked by the solver. */
export function checkDirections(M: readonly (readonly Rational[])[], p: number): void {
  if (M.length !== p) throw new UserError(`directions: expected ${p} directions (one per input coordinate), got ${M.length}`);
  M.forEach((row, k) => {
    if (row.length !== p) throw new UserError(`directions[${k}]: expected ${p} coordinates, got ${row.length}`);
  });
}

/**
 * Solve Σ_j M[k][j] g_j = J_k (k = 1..p) exactly.
 * Pre: M is p×p. Post: returns g; throws UserError when M is singular (the directions must be a basis).
 * Ops: every multiplication/division counts as mul, every subtraction as add (docs/theory.md §7 cost is
 * p+1 sweeps plus this O(p³) change of basis; with the default M = I it is skipped).
 */
export function solveDirections(M: readonly (readonly Rational[])[], J: readonly Rational[]): { x: Rational[]; ops: OpCounts } {
  const p = M.length;
  const A = M.map((row, k) => [...row, J[k]!]);
  let add = 0;
  let mul = 0;
  for (let c = 0; c < p; c++) {
    let piv = -1;
    for (let r = c; r < p; r++) if (!A[r]![c]!.isZero()) { piv = r; break; }
    if (piv < 0) throw new UserError('directions: the direction matrix is singular (the directions must form a basis)');
    if (piv !== c) [A[c], A[piv]] = [A[piv]!, A[c]!];
    const rowC = A[c]!;
    const inv = rowC[c]!.inv();
    for (let j = c; j <= p; j++) rowC[j] = rowC[j]!.mul(inv);
    mul += p + 1 - c;
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const row = A[r]!;
      const f = row[c]!;
      if (f.isZero()) continue;
      for (let j = c; j <= p; j++) row[j] = row[j]!.sub(f.mul(rowC[j]!));
      mul += p + 1 - c;
      add += p + 1 - c;
    }
  }
  return { x: A.map((row) => row[p] ?? ZERO), ops: opCounts(add, mul, 0) };
}

/**
 * The last step of a lexicographic sweep (docs/theory.md §7): the row F'(x̄; M) of directional
 * derivatives times M^{-1}. With the default basis (M undefined, i.e. I) the row already is the
 * subgradient and no solve is counted. Shared by the network and the tape engines.
 */
export function lexicographicFromRow(
  M: readonly (readonly Rational[])[] | undefined,
  row: Rational[],
  sweepOps: OpCounts,
): { subgradient: Rational[]; ops: OpCounts } {
  if (M === undefined) return { subgradient: row, ops: sweepOps };
  const s = solveDirections(M, row);
  return { subgradient: s.x, ops: addOps(sweepOps, s.ops) };
}
