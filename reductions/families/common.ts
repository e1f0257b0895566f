/** Small pieces shared by the network families: ternary draws, exact vectors as text. */
import { Rational } from '../../src/exact/rational';
import type { Rng } from '../../src/exact/rng';
import { inputForm, sumForms, type Form, type Sign } from '../gadgets';

/** A row of `cols` entries in {−1, 0, 1}, redrawn until it is not all zero. */
export function ternaryRow(cols: number, rng: Rng): number[] {
  for (;;) {
    const r = Array.from({ length: cols }, () => rng.int(-1, 1));
    if (r.some((v) => v !== 0)) return r;
  }
}

/** `Σ_j row[j] · forms[j]` over the nonzero entries (forms on disjoint units). */
export function rowForm(row: readonly number[], forms: readonly Form[]): Form {
  return sumForms(row.flatMap((v, j) => (v === 0 ? [] : [[forms[j]!, v as Sign] as const])));
}

/** The inputs x_1..x_p as level-0 forms. */
export const inputForms = (p: number): Form[] => Array.from({ length: p }, (_, j) => inputForm(j, 1));

/** An exact vector as JSON-friendly text: integers as decimal strings, fractions "a/b". */
export const vectorText = (v: readonly Rational[]): string[] => v.map((x) => x.toString());

/** Integer matrix product (row vector times matrix) in exact integers. */
export function rowTimes(v: readonly bigint[], M: readonly (readonly number[])[]): bigint[] {
  const cols = M[0]?.length ?? 0;
  const out = new Array<bigint>(cols).fill(0n);
  v.forEach((a, i) => {
    if (a === 0n) return;
    M[i]!.forEach((w, j) => {
      if (w !== 0) out[j] = out[j]! + a * BigInt(w);
    });
  });
  return out;
}
