import { describe, it, expect } from 'vitest';
import { basename } from 'node:path';
import { readCnfFile } from '../../src/cnf/dimacs';
import { makeCnf, satisfies } from '../../src/cnf/cnf';
import { SAT_CAPACITY, beyondSatCapacity, satMemoryEstimate, solveSat, SOLVER_NAME } from '../../src/cnf/sat';
import { randomKSat } from '../../src/cnf/generators/random-ksat';
import { php } from '../../src/cnf/generators/php';
import { generatorRng } from '../../src/cnf/seed';
import { satlibDir, satlibFiles, satlibStatus, SATLIB_FAMILIES, naturalCompare } from '../../src/cnf/satlib';
import { bruteForceSat } from './helpers/brute';

describe('reference solver (MiniSat via logic-solver)', () => {
  it('agrees with brute force on 150 small random formulas; every model is a full signed assignment', () => {
    let sat = 0;
    for (let s = 0; s < 150; s++) {
      const rng = generatorRng(5000 + s);
      const n = rng.int(1, 12);
      const k = rng.int(1, Math.min(3, n));
      const f = randomKSat({ n, m: rng.int(0, 6 * n), k }, rng);
      const r = solveSat(f);
      expect(r.status).toBe(bruteForceSat(f) ? 'sat' : 'unsat');
      expect(r.solver).toBe(SOLVER_NAME);
      if (r.status === 'sat') {
        sat++;
        expect(r.assignment!.map(Math.abs)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        expect(satisfies(f, r.assignment!)).toBe(true);
      } else {
        expect(r.assignment).toBeUndefined();
      }
    }
    expect(sat).toBeGreaterThan(15);
    expect(sat).toBeLessThan(145);
  });
  it('edge cases: no variables, no clauses, empty clause, unused variables, tautologies', () => {
    expect(solveSat(makeCnf(0, []))).toMatchObject({ status: 'sat', assignment: [] });
    expect(solveSat(makeCnf(0, [[]])).status).toBe('unsat');
    expect(solveSat(makeCnf(3, [[1], [], [2]])).status).toBe('unsat');
    const r = solveSat(makeCnf(5, [[2], [-4]]));
    expect(r.status).toBe('sat');
    expect(r.assignment!.length).toBe(5);
    expect(r.assignment![1]).toBe(2);
    expect(r.assignment![3]).toBe(-4);
    expect(solveSat(makeCnf(1, [[1, -1]])).status).toBe('sat');
    expect(solveSat(makeCnf(1, [[1], [-1]])).status).toBe('unsat');
  });
  it('with a time limit: runs in a child process, same answers, checked model', () => {
    const f = randomKSat({ n: 30, m: 100, k: 3 }, generatorRng(3));
    const a = solveSat(f);
    const b = solveSat(f, { timeLimitSec: 30 });
    expect(b.status).toBe(a.status);
    if (b.status === 'sat') expect(satisfies(f, b.assignment!)).toBe(true);
    expect(solveSat(php(4), { timeLimitSec: 30 }).status).toBe('unsat');
  });
  it('out of MiniSat memory: unknown with a one-line reason and outOfMemory, nothing printed on stdout', () => {
    const log = console.log;
    const printed: unknown[] = [];
    console.log = (...a: unknown[]): void => void printed.push(a);
    let r;
    try {
      r = solveSat(makeCnf(1_000_000, [[1, -2], [1_000_000]]), { beyondCapacity: true });
    } finally {
      console.log = log;
    }
    expect(r.status).toBe('unknown');
    expect(r.reason).toBe("solver out of memory (MiniSat's fixed 64 MB Emscripten heap)");
    expect(r.outOfMemory).toBe(true);
    expect(printed).toEqual([]);
  });
  it('beyond SAT_CAPACITY the solver is not attempted: unknown at once, saying why; within it, attempted', () => {
    const big = makeCnf(1_000_000, [[1, -2], [1_000_000]]);
    expect(satMemoryEstimate(big)).toBe(100 * 1_000_000 + 2 * 28 + 3 * 4);
    const r = solveSat(big);
    expect(r).toMatchObject({ status: 'unknown', outOfMemory: true });
    expect(r.reason).toMatch(/^1000000 variables and 2 clauses need about 100 MB of solver memory, beyond the reference solver's capacity \(45 MB/);
    expect(r.timeMs).toBeLessThan(1000);
    expect(beyondSatCapacity(makeCnf(400_000, [[1, 2]]))).toBeNull();
    expect(SAT_CAPACITY.bytes).toBe(45_000_000);
  });
  it('a time limit that passes gives unknown, with the reason', () => {
    // PHP(13, 12) takes MiniSat far longer than 0.3 s (resolution lower bound, Haken 1985).
    const r = solveSat(php(12), { timeLimitSec: 0.3 });
    expect(r.status).toBe('unknown');
    expect(r.reason).toBe('time limit 0.3 s');
    expect(r.timeMs).toBeGreaterThanOrEqual(250);
    expect(r.timeMs).toBeLessThan(10_000);
  });
});

const dir = satlibDir();
if (dir === null) {
  throw new Error('SATLIB samples missing: expected instances/satlib/<family>/ in the repository (or $NSAD_SATLIB)');
}

describe('reference solver on the SATLIB samples (uf* sat, uuf* unsat)', () => {
  for (const family of SATLIB_FAMILIES) {
    it(`${family}: every file has its family's status`, () => {
      const files = satlibFiles(family);
      expect(files.length).toBeGreaterThan(0);
      const wrong: string[] = [];
      for (const p of files) {
        const f = readCnfFile(p, { warn: () => {} });
        const r = solveSat(f);
        if (r.status !== satlibStatus(family)) wrong.push(`${basename(p)}: ${r.status}`);
      }
      expect(wrong).toEqual([]);
    });
  }
  it('satlibFiles: natural order, absolute paths', () => {
    const files = satlibFiles('uf20-91').map((p) => basename(p));
    expect([...files].sort(naturalCompare)).toEqual(files);
    expect(files[0]).toBe('uf20-01.cnf');
    expect(satlibFiles('uf20-91').every((p) => p.startsWith('/'))).toBe(true);
  });
});

describe('satlib locator', () => {
  it('naturalCompare orders digit runs numerically', () => {
    expect(['uf20-010.cnf', 'uf20-02.cnf', 'uf20-01.cnf', 'uf20-1.cnf'].sort(naturalCompare)).toEqual(['uf20-1.cnf', 'uf20-01.cnf', 'uf20-02.cnf', 'uf20-010.cnf']);
  });
  it('NSAD_SATLIB overrides the directory; a missing one gives null and no files', () => {
    const old = process.env['NSAD_SATLIB'];
    try {
      process.env['NSAD_SATLIB'] = '/nonexistent/satlib';
      expect(satlibDir()).toBeNull();
      expect(satlibFiles('uf20-91')).toEqual([]);
    } finally {
      if (old === undefined) delete process.env['NSAD_SATLIB'];
      else process.env['NSAD_SATLIB'] = old;
    }
  });
});
