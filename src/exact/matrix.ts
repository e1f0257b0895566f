/**
 * Exact row reduction over the rationals: the reduced row echelon form of a small set of vectors,
 * with its pivot columns. Used to pass from the input space R^p of a network to the few
 * coordinates that the tied neurons of a point actually see (docs/theory.md §9 "Reduced
 * coordinates"): if E (m × p) has rank r and R (r × p) is its reduced row echelon form with pivot
 * columns J, then R_J = I and E = E_J·R, so for every α ∈ Q^m, αE = 0 ⇔ αE_J = 0.
 */
import { Rational, ZERO } from './rational';
import { deadlineCheck } from '../errors';

/** The reduced row echelon form of the span of some vectors. */
export interface Rref {
  /** r × cols, R[k][pivots[k]] = 1 and R[k'][pivots[k]] = 0 for k' ≠ k. */
  rows: Rational[][];
  /** Pivot columns, increasing. */
  pivots: number[];
  rank: number;
}

/**
 * Reduced row echelon form of the row space of `vectors` (each of length `cols`). Exact; the inputs
 * are not modified. Cost O(m · r · cols) rational operations for m vectors of rank r, whose sizes
 * grow with r (the entries of R are ratios of r × r minors): hundreds of dense float32 rows take
 * minutes. With `deadline` (a performance.now() time) it throws TimeLimitReached past it.
 */
export function rref(vectors: readonly (readonly Rational[])[], cols: number, deadline?: number): Rref {
  const tick = deadlineCheck(deadline, "the row reduction of the tied neurons' input forms", 8);
  const basis: Rational[][] = [];
  const pivots: number[] = [];
  for (const v of vectors) {
    const row = v.slice(0, cols);
    // Eliminate the existing pivots from the new row.
    for (let k = 0; k < basis.length; k++) {
      tick();
      const f = row[pivots[k]!]!;
      if (f.isZero()) continue;
      const b = basis[k]!;
      for (let j = 0; j < cols; j++) if (!b[j]!.isZero()) row[j] = row[j]!.sub(f.mul(b[j]!));
    }
    let pc = -1;
    for (let j = 0; j < cols; j++) if (!row[j]!.isZero()) { pc = j; break; }
    if (pc < 0) continue;
    const inv = row[pc]!.inv();
    for (let j = 0; j < cols; j++) if (!row[j]!.isZero()) row[j] = row[j]!.mul(inv);
    // Eliminate the new pivot from the existing rows.
    for (const b of basis) {
      tick();
      const f = b[pc]!;
      if (f.isZero()) continue;
      for (let j = 0; j < cols; j++) if (!row[j]!.isZero()) b[j] = b[j]!.sub(f.mul(row[j]!));
    }
    basis.push(row);
    pivots.push(pc);
  }
  // Order rows by pivot column.
  const order = pivots.map((c, k) => [c, k] as const).sort((a, b) => a[0] - b[0]);
  return { rows: order.map(([, k]) => basis[k]!), pivots: order.map(([c]) => c), rank: basis.length };
}

/**
 * Coordinates of `v` in the basis of an Rref: q with v = q·R, or null when v is not in the row
 * space. q is read off the pivot columns (R_J = I); the rest is checked exactly.
 */
export function rowSpaceCoordinates(r: Rref, v: readonly Rational[]): Rational[] | null {
  const q = r.pivots.map((c) => v[c]!);
  const cols = v.length;
  for (let j = 0; j < cols; j++) {
    let s = ZERO;
    for (let k = 0; k < r.rank; k++) {
      const a = r.rows[k]![j]!;
      if (!a.isZero() && !q[k]!.isZero()) s = s.add(q[k]!.mul(a));
    }
    if (!s.eq(v[j]!)) return null;
  }
  return q;
}

/**
 * A vector d with R·d = 0 (so d is orthogonal to the row space) and d·v ≠ 0, for a v outside the
 * row space; d·v > 0. Null when v lies in the row space. d = e_j − Σ_k R[k][j]·e_{J_k} for a
 * non-pivot column j where the residual v − (v_J)·R is nonzero.
 */
export function orthogonalWitness(r: Rref, v: readonly Rational[]): Rational[] | null {
  const cols = v.length;
  const isPivot = new Set(r.pivots);
  for (let j = 0; j < cols; j++) {
    if (isPivot.has(j)) continue;
    let s = ZERO;
    for (let k = 0; k < r.rank; k++) {
      const a = r.rows[k]![j]!;
      if (!a.isZero()) s = s.add(v[r.pivots[k]!]!.mul(a));
    }
    const res = v[j]!.sub(s);
    if (res.isZero()) continue;
    // d·v = v_j − Σ_k R[k][j] v_{J_k} = res; flip d to make it positive.
    const sign = res.sign() > 0 ? Rational.int(1) : Rational.int(-1);
    const d = new Array<Rational>(cols).fill(ZERO);
    d[j] = sign;
    for (let k = 0; k < r.rank; k++) {
      const a = r.rows[k]![j]!;
      if (!a.isZero()) d[r.pivots[k]!] = a.mul(sign).neg();
    }
    return d;
  }
  return null;
}

const gcdAbs = (a: bigint, b: bigint): bigint => {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

/** v times the lcm of its denominators: integer entries on the same ray (not divided by their gcd). */
export function clearDenominators(v: readonly Rational[]): bigint[] {
  let l = 1n;
  for (const x of v) if (x.d !== 1n) l = (l / gcdAbs(l, x.d)) * x.d;
  return v.map((x) => (x.n * l) / x.d);
}

/** A positive multiple of v with integer, coprime entries (the same ray; v ≠ 0 not required). */
export function primitiveDirection(v: readonly Rational[]): Rational[] {
  const ints = clearDenominators(v);
  let g = 0n;
  for (const x of ints) g = gcdAbs(g, x);
  if (g === 0n) g = 1n;
  return ints.map((x) => Rational.int(x / g));
}
