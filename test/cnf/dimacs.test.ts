import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDimacs, readCnfFile, writeDimacs } from '../../src/cnf/dimacs';
import { makeCnf, type Cnf } from '../../src/cnf/cnf';
import { solveSat } from '../../src/cnf/sat';
import { Rng } from '../../src/exact/rng';
import { UserError } from '../../src/errors';

const FIX = join(__dirname, '..', 'fixtures', 'cnf');
interface GoodExp { n: number; clauses: number[][]; comments?: string[]; warnings: number; strictError?: string; status: string }
interface BadExp { line: number | null; message: string; strict?: boolean }
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as { good: Record<string, GoodExp>; bad: Record<string, BadExp> };

function catchErr(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none thrown');
}

describe('DIMACS corpus: good files', () => {
  it('every file in good/ has an expectation and vice versa', () => {
    expect(readdirSync(join(FIX, 'good')).sort()).toEqual(Object.keys(expected.good).sort());
  });
  for (const [name, exp] of Object.entries(expected.good)) {
    it(`${name}: parses to the expected formula, warnings and status`, () => {
      const warnings: string[] = [];
      const f = readCnfFile(join(FIX, 'good', name), { warn: (m) => warnings.push(m) });
      expect(f.n).toBe(exp.n);
      expect(f.clauses).toEqual(exp.clauses);
      if (exp.comments) expect(f.comments).toEqual(exp.comments);
      expect(warnings.length).toBe(exp.warnings);
      for (const w of warnings) expect(w).toMatch(new RegExp(`${name.replace(/\./g, '\\.')}:\\d+: `));
      expect(solveSat(f).status).toBe(exp.status);
      if (exp.strictError) {
        const e = catchErr(() => readCnfFile(join(FIX, 'good', name), { strict: true }));
        expect(e).toBeInstanceOf(UserError);
        expect(e.message).toContain(exp.strictError);
      } else {
        expect(readCnfFile(join(FIX, 'good', name), { strict: true, warn: () => {} }).clauses).toEqual(exp.clauses);
      }
    });
  }
});

describe('DIMACS corpus: bad files', () => {
  it('every file in bad/ has an expectation and vice versa', () => {
    expect(readdirSync(join(FIX, 'bad')).sort()).toEqual(Object.keys(expected.bad).sort());
  });
  for (const [name, exp] of Object.entries(expected.bad)) {
    it(`${name}: UserError naming file${exp.line !== null ? ':line' : ''}`, () => {
      const path = join(FIX, 'bad', name);
      const e = catchErr(() => readCnfFile(path, { strict: exp.strict === true, warn: () => {} }));
      expect(e).toBeInstanceOf(UserError);
      expect(e.message.startsWith(exp.line !== null ? `${path}:${exp.line}: ` : `${path}: `)).toBe(true);
      expect(e.message).toContain(exp.message);
      expect(e.message).not.toContain('\n');
    });
  }
});

describe('DIMACS reader details', () => {
  it('missing file is a UserError naming it', () => {
    const e = catchErr(() => readCnfFile('/nonexistent/x.cnf'));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe('/nonexistent/x.cnf: no such file');
  });
  it('clause-count mismatch warns through opts.warn by default, errors under strict', () => {
    const text = 'p cnf 2 1\n1 0\n2 0\n';
    const w: string[] = [];
    expect(parseDimacs(text, 'x.cnf', { warn: (m) => w.push(m) }).clauses).toEqual([[1], [2]]);
    expect(w).toEqual(['x.cnf:1: header declares 1 clauses, found 2']);
    expect(() => parseDimacs(text, 'x.cnf', { strict: true })).toThrow('x.cnf:1: header declares 1 clauses, found 2 (--strict)');
  });
  it('duplicate literals merge (warned only under strict); tautologies are kept', () => {
    const w: string[] = [];
    expect(parseDimacs('p cnf 2 2\n2 2 -1 2 0\n1 -1 0\n', 's', { strict: true, warn: (m) => w.push(m) }).clauses).toEqual([[2, -1], [1, -1]]);
    expect(w.length).toBe(1);
    expect(w[0]).toContain('s:2: duplicate literal');
  });
  it('empty clause: kept and unsatisfiable', () => {
    const f = parseDimacs('p cnf 1 2\n0\n1 0\n', 's');
    expect(f.clauses).toEqual([[], [1]]);
    expect(solveSat(f).status).toBe('unsat');
  });
  it('gzipped text from memory round-trips through readCnfFile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsad-dimacs-'));
    const p = join(dir, 'f.cnf.gz');
    writeFileSync(p, gzipSync('p cnf 3 1\n1 -3 0\n'));
    expect(readCnfFile(p).clauses).toEqual([[1, -3]]);
  });
});

describe('writeDimacs', () => {
  it('writes comments, header, one clause per line', () => {
    const f = makeCnf(3, [[1, -2], [], [3]], ['a comment']);
    expect(writeDimacs(f)).toBe('c a comment\np cnf 3 3\n1 -2 0\n0\n3 0\n');
    expect(writeDimacs(f, ['x', '', 'two\nlines'])).toBe('c x\nc\nc two\nc lines\np cnf 3 3\n1 -2 0\n0\n3 0\n');
  });
  it('write → read round trip on 200 random formulas (empty clauses, unused variables, comments)', () => {
    const rng = new Rng(20260);
    for (let t = 0; t < 200; t++) {
      const n = rng.int(0, 30);
      const m = rng.int(0, 40);
      const clauses: number[][] = [];
      for (let j = 0; j < m; j++) {
        const len = n === 0 ? 0 : rng.int(0, Math.min(n, 6));
        const vars = rng.shuffle(Array.from({ length: n }, (_, i) => i + 1)).slice(0, len);
        clauses.push(vars.map((v) => (rng.bool() ? v : -v)));
      }
      const comments = rng.bool() ? [`formula ${t}`, `seed 20260 ${rng.int(0, 99)}`, ''] : [];
      const f: Cnf = makeCnf(n, clauses, comments);
      const text = writeDimacs(f);
      const g = parseDimacs(text, `rt${t}`, { strict: true });
      expect(g.n).toBe(n);
      expect(g.clauses).toEqual(clauses);
      expect(g.comments).toEqual(comments);
      expect(writeDimacs(g)).toBe(text);
      // Same formula with CRLF line ends, tabs, and everything on one line still parses the same.
      expect(parseDimacs(text.replace(/\n/g, '\r\n').replace(/ /g, '\t '), 'crlf', { strict: true }).clauses).toEqual(clauses);
      const body = text.split('\n').filter((l) => !l.startsWith('c') && !l.startsWith('p')).join(' ');
      expect(parseDimacs(`p cnf ${n} ${m}\n${body}\n%\n0\n`, 'oneline', { strict: true }).clauses).toEqual(clauses);
    }
  });
});
