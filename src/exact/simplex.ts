/**
 * Exact linear programming over the rationals: the two-phase simplex method on a dense tableau
 * (docs/theory.md §9). Every answer comes with what proves it, in exact arithmetic:
 *
 *   maximize c·x  subject to  A x = b,  x ≥ 0
 *
 *   - `optimal`: a basic solution x (A x = b, x ≥ 0) and dual prices y with c − yᵀA ≤ 0 and
 *     y·b = c·x (so no feasible point does better);
 *   - `infeasible`: a Farkas vector z with zᵀA ≥ 0 and z·b < 0 (no x ≥ 0 can have A x = b, since
 *     then 0 ≤ zᵀA x = z·b < 0);
 *   - `unbounded`: a feasible x and a ray d ≥ 0 with A d = 0 and c·d > 0.
 *
 * Phase I minimizes the sum of one artificial variable per row (rows with b_i < 0 are negated
 * first); the artificial columns are kept, so the tableau always holds B⁻¹ and the prices
 * y = c_B B⁻¹ are read off it. Pivoting: Dantzig's rule (largest reduced cost) with the
 * lexicographic ratio test on basis indices, and Bland's rule (smallest index) from the first run of
 * degenerate pivots on, which guarantees termination (Bland 1977). The callers re-check every
 * certificate exactly before using it (src/clarke/set), so a bug here shows as an error, never as a
 * wrong answer.
 *
 * Sizes here are small (tens of rows, up to a few thousand columns): a dense tableau of Rationals
 * costs O(rows · columns) per pivot.
 */
import { Rational, ZERO, ONE } from './rational';

export interface StandardLp {
  /** m rows of n coefficients. */
  A: readonly (readonly Rational[])[];
  /** m right-hand sides. */
  b: readonly Rational[];
  /** n objective coefficients (maximized); absent: a feasibility problem (c = 0). */
  c?: readonly Rational[];
  /** Number of variables (needed when m = 0). */
  n?: number;
}

export type LpSolution =
  | { status: 'optimal'; x: Rational[]; y: Rational[]; value: Rational; pivots: number }
  | { status: 'infeasible'; farkas: Rational[]; pivots: number }
  | { status: 'unbounded'; x: Rational[]; ray: Rational[]; pivots: number };

/** Degenerate pivots in a row after which Bland's rule takes over for good. */
const DEGENERATE_RUN = 20;

/** Solve a standard-form LP exactly (module header). Pre: every row of A has n entries. */
export function solveLp(lp: StandardLp): LpSolution {
  const m = lp.A.length;
  const n = lp.n ?? lp.A[0]?.length ?? lp.c?.length ?? 0;
  const width = n + m + 1; // structural, artificial, right-hand side
  const rhs = n + m;
  const flip = lp.b.map((v) => (v.sign() < 0 ? -1 : 1));
  const T: Rational[][] = [];
  for (let i = 0; i < m; i++) {
    const row = new Array<Rational>(width).fill(ZERO);
    const Ai = lp.A[i]!;
    if (Ai.length !== n) throw new RangeError(`solveLp: row ${i} has ${Ai.length} entries, expected ${n}`);
    for (let j = 0; j < n; j++) row[j] = flip[i]! < 0 ? Ai[j]!.neg() : Ai[j]!;
    row[n + i] = ONE;
    row[rhs] = flip[i]! < 0 ? lp.b[i]!.neg() : lp.b[i]!;
    T.push(row);
  }
  const basis = Array.from({ length: m }, (_, i) => n + i);
  let pivots = 0;

  // Reduced costs r_j = cost_j − Σ_i cost_{basis[i]} T[i][j]; r[rhs] = −(objective value).
  const objectiveRow = (cost: (j: number) => Rational): Rational[] => {
    const r = new Array<Rational>(width).fill(ZERO);
    for (let j = 0; j < width - 1; j++) r[j] = cost(j);
    for (let i = 0; i < m; i++) {
      const cb = cost(basis[i]!);
      if (cb.isZero()) continue;
      const row = T[i]!;
      for (let j = 0; j < width; j++) if (!row[j]!.isZero()) r[j] = r[j]!.sub(cb.mul(row[j]!));
    }
    return r;
  };

  const pivot = (pr: number, pc: number, obj: Rational[]): void => {
    pivots++;
    const prow = T[pr]!;
    const inv = prow[pc]!.inv();
    const nz: number[] = [];
    for (let j = 0; j < width; j++) {
      if (prow[j]!.isZero()) continue;
      prow[j] = prow[j]!.mul(inv);
      nz.push(j);
    }
    const eliminate = (row: Rational[]): void => {
      const f = row[pc]!;
      if (f.isZero()) return;
      for (const j of nz) row[j] = row[j]!.sub(f.mul(prow[j]!));
    };
    for (let i = 0; i < m; i++) if (i !== pr) eliminate(T[i]!);
    eliminate(obj);
    basis[pr] = pc;
  };

  /** Run the simplex on `obj` over the allowed entering columns; false when unbounded (col in `blocked`). */
  const run = (obj: Rational[], allowed: (j: number) => boolean): { unboundedCol: number } | null => {
    let bland = false;
    let degenerate = 0;
    for (;;) {
      let pc = -1;
      for (let j = 0; j < n + m; j++) {
        if (!allowed(j) || obj[j]!.sign() <= 0) continue;
        if (pc < 0) pc = j;
        if (bland) break;
        if (obj[j]!.cmp(obj[pc]!) > 0) pc = j;
      }
      if (pc < 0) return null;
      let pr = -1;
      let best: Rational | null = null;
      for (let i = 0; i < m; i++) {
        const a = T[i]![pc]!;
        if (a.sign() <= 0) continue;
        const ratio = T[i]![rhs]!.div(a);
        const c = best === null ? -1 : ratio.cmp(best);
        if (c < 0 || (c === 0 && basis[i]! < basis[pr]!)) {
          pr = i;
          best = ratio;
        }
      }
      if (pr < 0) return { unboundedCol: pc };
      if (best!.isZero()) {
        if (++degenerate >= DEGENERATE_RUN) bland = true;
      } else degenerate = 0;
      pivot(pr, pc, obj);
    }
  };

  // Phase I: maximize −Σ artificials.
  const phase1 = objectiveRow((j) => (j >= n && j < n + m ? Rational.int(-1) : ZERO));
  run(phase1, () => true);
  const value1 = phase1[rhs]!.neg();
  if (value1.sign() < 0) {
    // Prices π_i = Σ_k cost_{basis[k]} T[k][n+i] (cost −1 on artificials); z = flip ⊙ π.
    const farkas = Array.from({ length: m }, (_, i) => {
      let s = ZERO;
      for (let k = 0; k < m; k++) if (basis[k]! >= n) s = s.sub(T[k]![n + i]!);
      return flip[i]! < 0 ? s.neg() : s;
    });
    return { status: 'infeasible', farkas, pivots };
  }
  // Drive the artificials still basic (at value 0) out of the basis where a structural column allows.
  for (let i = 0; i < m; i++) {
    if (basis[i]! < n) continue;
    let pc = -1;
    for (let j = 0; j < n; j++) if (!T[i]![j]!.isZero()) { pc = j; break; }
    if (pc >= 0) pivot(i, pc, phase1); // redundant rows (no such column) keep their artificial at 0
  }
  // Phase II: maximize c·x over structural columns only.
  const c = lp.c;
  const obj = objectiveRow((j) => (j < n && c ? c[j]! : ZERO));
  const unb = run(obj, (j) => j < n);
  const x = new Array<Rational>(n).fill(ZERO);
  for (let i = 0; i < m; i++) if (basis[i]! < n) x[basis[i]!] = T[i]![rhs]!;
  if (unb) {
    const ray = new Array<Rational>(n).fill(ZERO);
    ray[unb.unboundedCol] = ONE;
    for (let i = 0; i < m; i++) if (basis[i]! < n) ray[basis[i]!] = T[i]![unb.unboundedCol]!.neg();
    return { status: 'unbounded', x, ray, pivots };
  }
  const y = Array.from({ length: m }, (_, i) => {
    let s = ZERO;
    for (let k = 0; k < m; k++) {
      const b = basis[k]!;
      if (b < n && c && !c[b]!.isZero()) s = s.add(c[b]!.mul(T[k]![n + i]!));
    }
    return flip[i]! < 0 ? s.neg() : s;
  });
  let value = ZERO;
  if (c) for (let j = 0; j < n; j++) if (!x[j]!.isZero()) value = value.add(c[j]!.mul(x[j]!));
  return { status: 'optimal', x, y, value, pivots };
}
