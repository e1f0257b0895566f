/**
 * Parity (XOR) constraints: their CNF encoding, shared by the Tseitin and random k-XOR families,
 * and the exact solvability of a system of them by Gaussian elimination over GF(2).
 *
 * x_{v_1} ⊕ … ⊕ x_{v_d} = b is written as the 2^(d−1) clauses that each exclude one assignment of
 * the d variables with the wrong parity: for an excluded pattern, the literal of v_i is ¬x where
 * the pattern sets x true and x where it sets it false (so the clause is false exactly there).
 */
import { UserError } from '../../errors';

/** Largest constraint length encoded: a constraint on d variables writes 2^(d−1) clauses. */
export const MAX_PARITY_WIDTH = 20;

/** The CNF clauses of x_{vars[0]} ⊕ … = parity (excluded patterns in binary order, bit i = vars[i]). */
export function parityClauses(vars: readonly number[], parity: number): number[][] {
  if (vars.length > MAX_PARITY_WIDTH) throw new UserError(`a parity constraint on ${vars.length} variables writes 2^${vars.length - 1} clauses, beyond the limit of width ${MAX_PARITY_WIDTH}`);
  const want = parity & 1;
  const out: number[][] = [];
  for (let mask = 0; mask < 1 << vars.length; mask++) {
    let par = 0;
    for (let b = mask; b; b &= b - 1) par ^= 1;
    if (par === want) continue;
    out.push(vars.map((x, i) => ((mask >> i) & 1 ? -x : x)));
  }
  return out;
}

/** Largest n·m for which `xorSolvable` is attempted (dense GF(2) rows, about n·m·rank/32 word operations). */
export const MAX_XOR_ELIMINATION = 4e7;

/**
 * Whether the system {⊕_{v ∈ rows[j]} x_v = parities[j]} over variables 1..n has a solution, and
 * the rank of its matrix: Gaussian elimination over GF(2) on 32-bit words (exact). Returns null
 * beyond MAX_XOR_ELIMINATION. A repeated variable in a row cancels (x ⊕ x = 0).
 */
export function xorSolvable(n: number, rows: readonly (readonly number[])[], parities: readonly number[]): { solvable: boolean; rank: number } | null {
  if (n * rows.length > MAX_XOR_ELIMINATION) return null;
  const W = (n >> 5) + 1; // bits 0..n−1 the variables, bit n the right-hand side
  const mat = rows.map((r, j) => {
    const w = new Uint32Array(W + 1);
    for (const v of r) w[(v - 1) >> 5]! ^= 1 << ((v - 1) & 31);
    if (parities[j]! & 1) w[n >> 5]! ^= 1 << (n & 31);
    return w;
  });
  let rank = 0;
  for (let col = 0; col < n && rank < mat.length; col++) {
    const word = col >> 5;
    const bit = 1 << (col & 31);
    let piv = -1;
    for (let r = rank; r < mat.length; r++)
      if (mat[r]![word]! & bit) {
        piv = r;
        break;
      }
    if (piv < 0) continue;
    [mat[rank], mat[piv]] = [mat[piv]!, mat[rank]!];
    const p = mat[rank]!;
    for (let r = 0; r < mat.length; r++) {
      if (r === rank || !(mat[r]![word]! & bit)) continue;
      const q = mat[r]!;
      for (let k = word; k < q.length; k++) q[k]! ^= p[k]!;
    }
    rank++;
  }
  // Inconsistent iff a zero row has right-hand side 1.
  const rhsWord = n >> 5;
  const rhsBit = 1 << (n & 31);
  for (let r = rank; r < mat.length; r++) if (mat[r]![rhsWord]! & rhsBit) return { solvable: false, rank };
  return { solvable: true, rank };
}
