/**
 * CPLEX LP and MPS export: read back by HiGHS (wasm reads both), solved, and compared with the
 * known answers; names sanitized; structure of the MPS text.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { MilpModel } from '../../src/milp/model';
import { exportNames, fmtNumber, sanitizeNames, toLpFormat } from '../../src/milp/lp-format';
import { toMps } from '../../src/milp/mps-format';
import { readModelText, shutdownWorkers, solveTextWithHighs } from '../../src/milp/backends';
import { Rng } from '../../src/exact/rng';
import { KNOWN, bruteForce, randomIntegerProgram } from './models';

afterAll(() => shutdownWorkers());

const ranged = (m: MilpModel) => m.constraints.filter((c) => c.lo !== c.hi && Number.isFinite(c.lo) && Number.isFinite(c.hi)).length;
const freeRows = (m: MilpModel) => m.constraints.filter((c) => c.lo === -Infinity && c.hi === Infinity).length;

for (const format of ['lp', 'mps'] as const) {
  const write = format === 'lp' ? toLpFormat : toMps;
  describe(`${format.toUpperCase()} export read back by HiGHS`, () => {
    for (const k of KNOWN) {
      it(`${k.model.name}`, async () => {
        const r = await solveTextWithHighs(write(k.model), format);
        // same columns, same order, same integrality, same sense
        expect(r.colNames).toEqual(exportNames(k.model).vars);
        expect(r.integrality).toEqual(k.model.vars.map((v) => (v.integer ? 1 : 0)));
        expect(r.sense).toBe(k.model.sense === 'max' ? -1 : 1);
        const rows = k.model.constraints.length - freeRows(k.model) + (format === 'lp' ? ranged(k.model) : 0);
        expect(r.numRows).toBe(rows);
        if (k.status === 'optimal') {
          expect(r.status).toBe('Optimal');
          expect(Math.abs(r.objective! - k.objective!)).toBeLessThan(1e-6);
          if (k.x) k.x.forEach((v, j) => expect(Math.abs(r.values!.get(r.colNames[j]!)! - v)).toBeLessThan(1e-6));
        } else if (k.status === 'infeasible') {
          expect(r.status).toBe('Infeasible');
        } else {
          expect(['Unbounded', 'Primal infeasible or unbounded']).toContain(r.status);
        }
      });
    }

    it('random integer programs: optimum equals brute force', async () => {
      const rng = new Rng(777);
      for (let trial = 0; trial < 8; trial++) {
        const model = randomIntegerProgram(rng, 4, 3, 2);
        const expected = bruteForce(model);
        const r = await solveTextWithHighs(write(model), format);
        if (expected === null) expect(r.status).toBe('Infeasible');
        else {
          expect(r.status).toBe('Optimal');
          expect(Math.abs(r.objective! - expected)).toBeLessThan(1e-6);
        }
      }
    });

    it('keeps float64 coefficients exactly and survives hostile names', async () => {
      const c = 0.1 + 0.2; // 0.30000000000000004
      const model: MilpModel = {
        name: 'hostile names\nand a newline',
        sense: 'max',
        objective: [{ v: 0, c }, { v: 1, c: 1e-7 }, { v: 2, c: 1 }, { v: 3, c: 1 }, { v: 4, c: 1 }, { v: 5, c: 1 }],
        vars: ['1x', 'e5', 'free', 'a b:c', 'obj', ''].map((name) => ({ name, lb: 0, ub: 1, integer: true })),
        constraints: [
          { name: 'subject to', terms: [0, 1, 2, 3, 4, 5].map((v) => ({ v, c: 1 })), lo: -Infinity, hi: 4 },
          { name: 'subject to', terms: [{ v: 0, c: 1 }, { v: 0, c: 1 }], lo: 0, hi: 1.5 }, // duplicate name, duplicate term
          { name: 'free row', terms: [{ v: 1, c: 1 }], lo: -Infinity, hi: Infinity },
        ],
      };
      const r = await solveTextWithHighs(write(model), format);
      expect(r.status).toBe('Optimal');
      // x0 ≤ 0.75 by the second row → x0 = 0; four of the rest at 1, the best four: 1,1,1,1 (x1 has 1e-7)
      expect(r.objective!).toBeCloseTo(4, 9);
      expect(r.values!.get(r.colNames[0]!)).toBe(0);
      expect(write(model)).toContain(fmtNumber(c));
      expect(fmtNumber(c)).toBe('0.30000000000000004');
    });
  });
}

describe('sanitizeNames', () => {
  it('produces unique, reader-safe names', () => {
    const out = sanitizeNames(['x', 'x', 'X', '1a', 'e1', 'E', 'free', 'a b', '', 'obj', 'ok.name_2', 'x'.repeat(400)], 'v', new Set(['obj']));
    expect(new Set(out.map((s) => s.toLowerCase())).size).toBe(out.length);
    for (const s of out) {
      expect(s).toMatch(/^[A-Za-z_][A-Za-z0-9_.]*$/);
      expect(s).not.toMatch(/^[eE]/);
      expect(s.length).toBeLessThanOrEqual(255);
    }
    expect(out).not.toContain('obj');
    expect(out).not.toContain('free');
    expect(out[10]).toBe('ok.name_2');
  });
});

describe('MPS structure', () => {
  it('has the sections in order, explicit bounds and one marker pair per integer run', () => {
    const m = KNOWN.find((k) => k.model.name === 'mixed bounds')!.model;
    const text = toMps(m);
    const heads = text.split('\n').filter((l) => /^[A-Z]/.test(l)).map((l) => l.split(/\s+/)[0]);
    expect(heads).toEqual(['NAME', 'ROWS', 'COLUMNS', 'RHS', 'BOUNDS', 'ENDATA']);
    expect(text.match(/'INTORG'/g)!.length).toBe(2); // y and w are separated by the real column z
    expect(text.match(/'INTEND'/g)!.length).toBe(2);
    expect(text).toContain(' FX BND  w  7');
    expect(text).toContain(' LO BND  x  -2.5');
    const max = toMps(KNOWN[0]!.model);
    expect(max).toMatch(/OBJSENSE\n {4}MAX\n/);
  });

  it('writes a range row as G with RHS lo and range hi − lo', () => {
    const m = KNOWN.find((k) => k.model.name === 'diophantine')!.model;
    const text = toMps(m);
    expect(text).toContain(' G  range');
    expect(text).toContain('    RHS  range  -20');
    expect(text).toContain('    RNG  range  40');
  });

  it('refuses malformed models', () => {
    const bad: MilpModel = { name: 'b', sense: 'min', objective: [{ v: 3, c: 1 }], vars: [{ name: 'a', lb: 0, ub: 1, integer: false }], constraints: [] };
    expect(() => toMps(bad)).toThrow(/out of range/);
    expect(() => toLpFormat(bad)).toThrow(/out of range/);
  });
});

/** A random model with every feature: free/half/fixed bounds, ranges, equalities, awkward floats. */
function featureModel(rng: Rng, n: number, m: number): MilpModel {
  // HiGHS drops matrix entries |a| ≤ 1e-9 (its small_matrix_value) when it reads a model: stay above.
  const num = () => {
    const v = (rng.int(-1000, 1000) / rng.pick([1, 3, 7, 10, 1e6])) * rng.pick([1, 1e-7, 1e5]);
    return Math.abs(v) < 1e-8 ? 0 : v;
  };
  const vars = Array.from({ length: n }, (_, j) => {
    const kind = rng.int(0, 4);
    const a = rng.int(-5, 5);
    const lb = kind === 0 ? -Infinity : kind === 1 ? a : kind === 2 ? a : kind === 3 ? a - 0.25 : -Infinity;
    const ub = kind === 0 ? Infinity : kind === 1 ? Infinity : kind === 2 ? a + rng.int(0, 3) : kind === 3 ? a + 1.5 : rng.int(0, 9);
    return { name: `v${j}`, lb, ub, integer: rng.bool() };
  });
  const constraints = Array.from({ length: m }, (_, i) => {
    const terms = [];
    for (let j = 0; j < n; j++) if (rng.int(0, 3) === 0) terms.push({ v: j, c: num() });
    const kind = rng.int(0, 3);
    const r = num();
    return { name: `row ${i}`, terms, lo: kind === 1 ? -Infinity : r, hi: kind === 0 ? r : kind === 2 ? Infinity : r + Math.abs(num()) + 1 };
  });
  const objective = [];
  for (let j = 0; j < n; j++) if (rng.bool()) objective.push({ v: j, c: num() });
  return { name: 'features', sense: rng.bool() ? 'max' : 'min', objective, vars, constraints };
}

describe('exact round trip through the HiGHS readers', () => {
  it('LP and MPS give back the same bounds, integrality, objective and rows, bit for bit', async () => {
    const rng = new Rng(4242);
    for (let trial = 0; trial < 3; trial++) {
      const model = featureModel(rng, 40, 30);
      const dense = (terms: readonly { v: number; c: number }[]) => {
        const d = new Array<number>(model.vars.length).fill(0);
        for (const t of terms) d[t.v] += t.c;
        return d;
      };
      for (const format of ['lp', 'mps'] as const) {
        const back = await readModelText(format === 'lp' ? toLpFormat(model) : toMps(model), format);
        expect(back.sense).toBe(model.sense);
        expect(back.vars.map((v) => [v.lb, v.ub, v.integer])).toEqual(model.vars.map((v) => [v.lb, v.ub, v.integer]));
        expect(dense(back.objective)).toEqual(dense(model.objective));
        // rows: LP splits a range into _lo and _hi rows; MPS keeps it (upper side lo + (hi − lo))
        let k = 0;
        for (const c of model.constraints) {
          const isRange = c.lo !== c.hi && Number.isFinite(c.lo) && Number.isFinite(c.hi);
          const rows = format === 'lp' && isRange ? [back.constraints[k]!, back.constraints[k + 1]!] : [back.constraints[k]!];
          k += rows.length;
          for (const r of rows) expect(dense(r.terms)).toEqual(dense(c.terms));
          if (format === 'lp' && isRange) {
            expect([rows[0]!.lo, rows[0]!.hi, rows[1]!.lo, rows[1]!.hi]).toEqual([c.lo, Infinity, -Infinity, c.hi]);
          } else if (format === 'mps' && isRange) {
            expect(rows[0]!.lo).toBe(c.lo);
            expect(rows[0]!.hi).toBe(c.lo + (c.hi - c.lo));
          } else {
            expect([rows[0]!.lo, rows[0]!.hi]).toEqual([c.lo, c.hi]);
          }
        }
        expect(k).toBe(back.constraints.length);
      }
    }
  });
});
