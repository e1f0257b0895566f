import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { writeDimacs, parseDimacs } from '../../src/cnf/dimacs';
import { randomKSat, clausesForRatio } from '../../src/cnf/generators/random-ksat';
import { planted } from '../../src/cnf/generators/planted';
import { php, phpVar } from '../../src/cnf/generators/php';
import { satisfies } from '../../src/cnf/cnf';
import { solveSat } from '../../src/cnf/sat';
import { generateBatch, batchCommand } from '../../src/cnf/generate';
import { generatorRng, mixSeed } from '../../src/cnf/seed';
import { Rng } from '../../src/exact/rng';
import { UserError } from '../../src/errors';
import { bruteForceSat } from './helpers/brute';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('golden hashes (same seed, same bytes, on any machine)', () => {
  // These pin pure-rand's stream, the generators' draw order and the DIMACS writer. If one changes
  // on purpose, regenerate instances/ (npm run instances) and update the hashes together.
  it('randomKSat', () => {
    expect(sha(writeDimacs(randomKSat({ n: 20, m: 91, k: 3 }, new Rng(1))))).toBe('510a29322eead75a4015d58dd5126cae1a6ec5b8e507690c287f8249dc35e5a4');
    expect(sha(writeDimacs(randomKSat({ n: 12, m: 30, k: 5 }, new Rng(-7))))).toBe('73de98b6e41ffb976fa766424dad48438f7e9578a018431334313236f15158c4');
  });
  it('planted', () => {
    const p = planted({ n: 30, ratio: 4.26 }, new Rng(42));
    expect(sha(writeDimacs(p.cnf))).toBe('e13fbaa6ff83240bba44c538ff48b1c50ba15aa9c9fa6444a53e167f90889d02');
    expect(p.assignment.join(' ')).toBe('1 2 3 -4 -5 -6 -7 8 9 10 11 12 13 14 -15 -16 -17 -18 -19 -20 21 22 23 24 25 26 27 28 -29 30');
  });
  it('php', () => {
    expect(sha(writeDimacs(php(4)))).toBe('c8a59526385b925866951e9ea410a123c4d8715d7144f038539eebbff2b2c222');
  });
  it('batch files (with provenance comments) and the seed mixer', () => {
    const b = generateBatch({ family: 'random-ksat', n: 10, k: 3, ratio: 4.26 }, { count: 2, seed: 5 });
    expect(b.map((f) => f.entry.sha256)).toEqual([
      '936b5136154c709cc064a321b17a7019874ad07ca1f83f598806e955e02e4fa9',
      'cce9bfda1ebcfd8cb09096a7b072a77b285d11365ec51cde547a7d546d3d7c1a',
    ]);
    const p = generateBatch({ family: 'planted', n: 12, ratio: 4.26 }, { count: 1, seed: 9 });
    expect(p[0]!.entry.sha256).toBe('0dee68e5248fb38ebb6c1c4726f352c46390d4b4578dbd640b0a748f7ab17a94');
    expect(p[0]!.entry.planted!.join(' ')).toBe('-1 -2 3 4 5 -6 7 8 9 10 -11 -12');
    expect([mixSeed(0), mixSeed(1), mixSeed(-1), mixSeed(2 ** 40 + 3)]).toEqual([-1438753951, 1863002342, 836817700, -1095637409]);
    const g = generatorRng(7);
    expect([g.int(0, 1000), g.int(0, 1000), g.int(0, 1000)]).toEqual([694, 804, 920]);
  });
});

describe('random k-SAT', () => {
  it('m clauses of k literals over k distinct variables in 1..n; seed-determined', () => {
    for (const [n, m, k] of [[5, 21, 3], [30, 128, 3], [7, 10, 7], [40, 100, 4], [3, 50, 1]] as const) {
      const f = randomKSat({ n, m, k }, new Rng(n * 1000 + m));
      expect(f.n).toBe(n);
      expect(f.clauses.length).toBe(m);
      for (const c of f.clauses) {
        expect(c.length).toBe(k);
        expect(new Set(c.map(Math.abs)).size).toBe(k);
        for (const l of c) expect(l !== 0 && Math.abs(l) <= n).toBe(true);
      }
      expect(randomKSat({ n, m, k }, new Rng(n * 1000 + m))).toEqual(f);
    }
    expect(randomKSat({ n: 20, m: 91, k: 3 }, new Rng(2))).not.toEqual(randomKSat({ n: 20, m: 91, k: 3 }, new Rng(3)));
  });
  it('signs and variables are balanced (n=10, 3000 clauses)', () => {
    const f = randomKSat({ n: 10, m: 3000, k: 3 }, generatorRng(11));
    const lits = f.clauses.flat();
    const pos = lits.filter((l) => l > 0).length / lits.length;
    expect(Math.abs(pos - 0.5)).toBeLessThan(0.03);
    for (let v = 1; v <= 10; v++) expect(Math.abs(lits.filter((l) => Math.abs(l) === v).length / lits.length - 0.1)).toBeLessThan(0.02);
  });
  it('rejects k > n and bad sizes; m = round(ratio·n)', () => {
    expect(() => randomKSat({ n: 2, m: 3, k: 3 }, new Rng(1))).toThrow(UserError);
    expect(() => randomKSat({ n: 0, m: 3, k: 1 }, new Rng(1))).toThrow(UserError);
    expect(clausesForRatio(50, 4.26)).toBe(213);
    expect(clausesForRatio(20, 4.55)).toBe(91);
    expect(clausesForRatio(5, 4.26)).toBe(21);
  });
});

describe('planted 3-SAT', () => {
  it('the planted assignment satisfies the formula (checked, and the solver agrees)', () => {
    for (let s = 0; s < 24; s++) {
      const n = 5 + (s % 8) * 5;
      const { cnf, assignment } = planted({ n, ratio: 4.26 }, generatorRng(s));
      expect(cnf.clauses.length).toBe(Math.round(4.26 * n));
      expect(assignment.map(Math.abs)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(satisfies(cnf, assignment)).toBe(true);
      for (const c of cnf.clauses) expect(new Set(c.map(Math.abs)).size).toBe(3);
      expect(solveSat(cnf).status).toBe('sat');
    }
  });
  it('the planted line in a generated file is the assignment and satisfies the parsed file', () => {
    const [f] = generateBatch({ family: 'planted', n: 25, ratio: 4.26 }, { count: 1, seed: 123 });
    const cnf = parseDimacs(f!.text, 'planted');
    const line = cnf.comments!.find((c) => c.startsWith('planted: '))!;
    const a = line.slice('planted: '.length).split(' ').map(Number);
    expect(a).toEqual(f!.entry.planted);
    expect(satisfies(cnf, a)).toBe(true);
  });
});

describe('pigeonhole PHP(h+1, h)', () => {
  it('sizes: n = h(h+1), m = (h+1) + h·C(h+1, 2); clause shapes', () => {
    for (let h = 1; h <= 8; h++) {
      const f = php(h);
      expect(f.n).toBe(h * (h + 1));
      expect(f.clauses.length).toBe(h + 1 + (h * h * (h + 1)) / 2);
      expect(f.clauses.slice(0, h + 1).every((c) => c.length === h && c.every((l) => l > 0))).toBe(true);
      expect(f.clauses.slice(h + 1).every((c) => c.length === 2 && c.every((l) => l < 0))).toBe(true);
    }
    expect(phpVar(3, 2, 1)).toBe(4);
  });
  it('unsatisfiable: brute force for h ≤ 3, the reference solver for h ≤ 7', () => {
    for (let h = 1; h <= 3; h++) expect(bruteForceSat(php(h))).toBe(false);
    for (let h = 1; h <= 7; h++) expect(solveSat(php(h)).status).toBe('unsat');
    // Drop one pigeon's clause: h pigeons fit in h holes, so it becomes satisfiable.
    const f = php(4);
    expect(solveSat({ n: f.n, clauses: f.clauses.slice(1) }).status).toBe('sat');
  });
  it('rejects h < 1', () => {
    expect(() => php(0)).toThrow(UserError);
  });
});

describe('batch generation', () => {
  it('file i of --count C --seed S is --count 1 --seed S+i, byte for byte', () => {
    const spec = { family: 'random-ksat' as const, n: 15, k: 3, ratio: 4.26 };
    const batch = generateBatch(spec, { count: 4, seed: 1000 });
    for (let i = 0; i < 4; i++) {
      const [single] = generateBatch(spec, { count: 1, seed: 1000 + i });
      expect(single!.text).toBe(batch[i]!.text);
      expect(batch[i]!.entry.seed).toBe(1000 + i);
      expect(batch[i]!.text).toContain(`c seed: ${1000 + i} `);
      expect(batch[i]!.text).toContain(`c command: nsad generate random-ksat --vars 15 --ratio 4.26 --k 3 --count 1 --seed ${1000 + i}\n`);
    }
    expect(new Set(batch.map((f) => f.text)).size).toBe(4);
    expect(batchCommand(spec, 4, 1000, true)).toBe('nsad generate random-ksat --vars 15 --ratio 4.26 --k 3 --count 4 --seed 1000 --solve');
  });
  it('--solve records the reference solver status; without it the status is unknown', () => {
    const spec = { family: 'random-ksat' as const, n: 12, k: 3, m: 60 };
    const solved = generateBatch(spec, { count: 6, seed: 77, solve: true });
    for (const f of solved) {
      const brute = bruteForceSat(parseDimacs(f.text, f.name));
      expect(f.entry.status).toBe(brute ? 'sat' : 'unsat');
      expect(f.entry.statusSource).toMatch(/^reference solver minisat/);
    }
    expect(generateBatch(spec, { count: 1, seed: 77 })[0]!.entry.status).toBe('unknown');
    expect(generateBatch({ family: 'php', holes: 3 }, { count: 1, seed: 0 })[0]!.entry.status).toBe('unsat');
  });
  it('rejects bad batch options', () => {
    expect(() => generateBatch({ family: 'php', holes: 3 }, { count: 2, seed: 0 })).toThrow('--count must be 1');
    expect(() => generateBatch({ family: 'random-ksat', n: 5, k: 3 }, { count: 1, seed: 0 })).toThrow('exactly one of --clauses and --ratio');
    expect(() => generateBatch({ family: 'planted', n: 5, ratio: 4 }, { count: 0, seed: 0 })).toThrow('--count');
  });
});
