/**
 * The exact simplex (src/exact/simplex.ts) and row reduction (src/exact/matrix.ts): every answer's
 * certificate is checked exactly, and optimal values are compared with brute force over all bases
 * on small random LPs (seeded), including degenerate and redundant ones.
 */
import { describe, it, expect } from 'vitest';
import { Rational, ZERO, ONE } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { solveLp } from '../../src/exact/simplex';
import { rref, rowSpaceCoordinates, orthogonalWitness, primitiveDirection } from '../../src/exact/matrix';

const R = (v: number): Rational => Rational.int(v);
const dot = (a: readonly Rational[], b: readonly Rational[]): Rational => a.reduce((s, x, i) => s.add(x.mul(b[i]!)), ZERO);

/** Solve a square system exactly; null if singular. */
function solveSquare(M: Rational[][], b: Rational[]): Rational[] | null {
  const n = M.length;
  const A = M.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    const p = A.findIndex((row, i) => i >= c && !row[c]!.isZero());
    if (p < 0) return null;
    [A[c], A[p]] = [A[p]!, A[c]!];
    const inv = A[c]![c]!.inv();
    A[c] = A[c]!.map((x) => x.mul(inv));
    for (let i = 0; i < n; i++) if (i !== c && !A[i]![c]!.isZero()) {
      const f = A[i]![c]!;
      A[i] = A[i]!.map((x, j) => x.sub(f.mul(A[c]![j]!)));
    }
  }
  return A.map((row) => row[n]!);
}

/** Best objective over basic feasible solutions (brute force), or null when there is none. */
function bruteForce(A0: Rational[][], b0: Rational[], c: Rational[]): Rational | null {
  // Keep a maximal set of independent rows; an inconsistent system has no solution at all.
  const keep: number[] = [];
  A0.forEach((_, i) => {
    if (rref([...keep, i].map((k) => A0[k]!), c.length).rank > keep.length) keep.push(i);
  });
  if (rref(A0.map((row, i) => [...row, b0[i]!]), c.length + 1).rank > keep.length) return null;
  const A = keep.map((i) => A0[i]!);
  const b = keep.map((i) => b0[i]!);
  const m = A.length;
  const n = c.length;
  let best: Rational | null = null;
  const rec = (start: number, cols: number[]): void => {
    if (cols.length === m) {
      const x = solveSquare(A.map((row) => cols.map((j) => row[j]!)), b);
      if (x === null || x.some((v) => v.sign() < 0)) return;
      const val = cols.reduce((s, j, i) => s.add(c[j]!.mul(x[i]!)), ZERO);
      if (best === null || val.cmp(best) > 0) best = val;
      return;
    }
    for (let j = start; j < n; j++) rec(j + 1, [...cols, j]);
  };
  rec(0, []);
  return best;
}

describe('exact simplex', () => {
  it('answers with certificates that check, and agrees with brute force on 400 random LPs', () => {
    const rng = new Rng(19);
    const counts = { optimal: 0, infeasible: 0, unbounded: 0 };
    for (let t = 0; t < 400; t++) {
      const m = rng.int(1, 4);
      const n = rng.int(m, 7);
      const A = Array.from({ length: m }, () => Array.from({ length: n }, () => R(rng.int(-3, 3))));
      if (t % 5 === 0 && m > 1) A[m - 1] = A[0]!.map((x, j) => x.add(A[1 % m]![j]!)); // a redundant or contradictory row
      const b = Array.from({ length: m }, () => R(rng.int(-4, 4)));
      if (t % 5 === 0 && m > 1) b[m - 1] = t % 10 === 0 ? b[0]!.add(b[1 % m]!) : b[0]!.add(b[1 % m]!).add(ONE);
      const c = Array.from({ length: n }, () => R(rng.int(-3, 3)));
      const s = solveLp({ A, b, c });
      counts[s.status]++;
      if (s.status === 'infeasible') {
        for (let j = 0; j < n; j++) expect(A.reduce((acc, row, i) => acc.add(s.farkas[i]!.mul(row[j]!)), ZERO).sign()).toBeGreaterThanOrEqual(0);
        expect(dot(s.farkas, b).sign()).toBeLessThan(0);
        expect(bruteForce(A, b, c)).toBeNull();
        continue;
      }
      // Feasible point.
      expect(s.x.every((v) => v.sign() >= 0)).toBe(true);
      A.forEach((row, i) => expect(dot(row, s.x).eq(b[i]!)).toBe(true));
      if (s.status === 'unbounded') {
        expect(s.ray.every((v) => v.sign() >= 0)).toBe(true);
        A.forEach((row) => expect(dot(row, s.ray).isZero()).toBe(true));
        expect(dot(c, s.ray).sign()).toBeGreaterThan(0);
        continue;
      }
      // Optimal: dual feasibility and equal values, and the brute-force optimum.
      for (let j = 0; j < n; j++) expect(c[j]!.sub(A.reduce((acc, row, i) => acc.add(s.y[i]!.mul(row[j]!)), ZERO)).sign()).toBeLessThanOrEqual(0);
      expect(dot(s.y, b).eq(s.value)).toBe(true);
      expect(s.value.eq(bruteForce(A, b, c)!)).toBe(true);
    }
    expect(counts.optimal).toBeGreaterThan(50);
    expect(counts.infeasible).toBeGreaterThan(50);
    expect(counts.unbounded).toBeGreaterThan(20);
  });

  it('a degenerate LP (Beale-type cycling example) terminates at the optimum', () => {
    // Beale (1955): max 3/4 x4 − 20 x5 + 1/2 x6 − 6 x7, cycles under Dantzig's rule without anti-cycling.
    const q = (a: number, b = 1): Rational => Rational.of(BigInt(a), BigInt(b));
    const A = [
      [q(1), q(0), q(0), q(1, 4), q(-8), q(-1), q(9)],
      [q(0), q(1), q(0), q(1, 2), q(-12), q(-1, 2), q(3)],
      [q(0), q(0), q(1), q(0), q(0), q(1), q(0)],
    ];
    const s = solveLp({ A, b: [q(0), q(0), q(1)], c: [q(0), q(0), q(0), q(3, 4), q(-20), q(1, 2), q(-6)] });
    expect(s.status).toBe('optimal');
    if (s.status === 'optimal') expect(s.value.eq(q(5, 4))).toBe(true);
  });
});

describe('row reduction', () => {
  it('rref, coordinates in the row space, and an orthogonal witness outside it', () => {
    const rows = [
      [R(2), R(4), R(0), R(2)],
      [R(1), R(2), R(1), R(0)],
      [R(3), R(6), R(1), R(2)], // = first + second
    ];
    const r = rref(rows, 4);
    expect(r.rank).toBe(2);
    expect(r.pivots).toEqual([0, 2]);
    const v = rows[0]!.map((x, j) => x.mul(R(3)).sub(rows[1]![j]!));
    const q = rowSpaceCoordinates(r, v)!;
    expect(q).not.toBeNull();
    expect(r.rows[0]!.map((x, j) => x.mul(q[0]!).add(r.rows[1]![j]!.mul(q[1]!))).every((x, j) => x.eq(v[j]!))).toBe(true);
    const w = [R(0), R(1), R(0), R(0)];
    expect(rowSpaceCoordinates(r, w)).toBeNull();
    const d = orthogonalWitness(r, w)!;
    rows.forEach((row) => expect(dot(row, d).isZero()).toBe(true));
    expect(dot(d, w).sign()).toBeGreaterThan(0);
    expect(primitiveDirection([Rational.of(2n, 3n), Rational.of(-4n, 9n), ZERO]).map(String)).toEqual(['3', '-2', '0']);
  });
});
