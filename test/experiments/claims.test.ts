import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment, runAll, type RunOptions } from '../../experiments/runner/run';
import { loadExperiment, type ExperimentName } from '../../experiments/runner/registry';
import { WHOLE } from '../../experiments/runner/shard';
import { packedNetwork, decodeColumn, l1Network } from '../../experiments/directional';
import { crossing } from '../../experiments/phase-transition';
import { Rational, dot } from '../../src/exact/rational';
import { directionalDerivatives } from '../../src/ad/forward';
import type { Row } from '../../experiments/runner/types';
import { loadRowsFile } from '../../experiments/runner/store';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nsad-claims-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ro = (out: string, extra: Partial<RunOptions> = {}): RunOptions => ({ out, quick: true, tiny: true, seed: 11, resume: false, shard: WHOLE, jobs: 1, progress: false, command: 'test', timeLimitSec: 20, ...extra });
const rows = (out: string, name: string): Row[] => loadRowsFile(join(out, name, 'rows.jsonl')).rows;

async function run(name: ExperimentName, extra: Partial<RunOptions> = {}) {
  const out = join(root, name);
  const o = await runExperiment(await loadExperiment(name), ro(out, extra));
  for (const f of ['rows.csv', 'rows.jsonl', 'table.md', 'manifest.json', 'summary.json']) expect(existsSync(join(out, name, f)), f).toBe(true);
  for (const p of o.report.plots) expect(readFileSync(join(out, name, `${p.name}.svg`), 'utf8')).toMatch(/^<svg/);
  return { o, rows: rows(out, name) };
}

describe('directional helpers', () => {
  it('p directional derivatives of the packed network decode to the matrix product', () => {
    const A = [[1, -2, 0], [2, 2, -1], [0, 1, 1]].map((r) => r.map((v) => Rational.int(v)));
    const V = [[1, 0, -1], [2, -2, 1], [0, 0, 1]].map((r) => r.map((v) => Rational.int(v)));
    const base = 13n;
    const net = packedNetwork(A, base);
    const d = directionalDerivatives(net, [0, 0, 0].map((v) => Rational.int(v)), V).derivatives;
    for (let k = 0; k < 3; k++) expect(decodeColumn(d[k]!, base, 3)).toEqual(A.map((a) => dot(a, V[k]!).n));
    // ‖Ax‖₁ at 0 along v is ‖Av‖₁.
    const l1 = directionalDerivatives(l1Network(A), [0, 0, 0].map((v) => Rational.int(v)), V).derivatives;
    expect(l1.map((r) => r.toNumber())).toEqual(V.map((v) => A.reduce((s, a) => s + Math.abs(dot(a, v).toNumber()), 0)));
  });
  it('finds the 50% crossing', () => {
    expect(crossing([1, 2, 3, 4], [1, 0.8, 0.4, 0], 0.5)).toBeCloseTo(2.75);
    expect(crossing([1, 2], [1, 0.9], 0.5)).toBeNull();
    expect(crossing([1, 4.26, 5, 6], [1, 0.5, 0.5, 0], 0.5)).toBe(4.26);
  });
});

describe('experiments on tiny parameters', () => {
  it('cheap-gradient: op ratio ≤ 5, exact and float gradients agree', async () => {
    const { o, rows: rs } = await run('cheap-gradient');
    expect(rs.length).toBe(4);
    for (const r of rs) expect(r.opRatio as number).toBeLessThanOrEqual(5);
    expect(rs.filter((r) => r.batch === 1).every((r) => r.exactAgrees === true)).toBe(true);
    expect(o.report.claims[0]!.holds).toBe('yes');
  });

  it('directional: derivatives checked, products decoded, cost grows with p', async () => {
    const { o, rows: rs } = await run('directional');
    expect(rs.filter((r) => r.kind === 'cost' && r.exact).every((r) => r.checked === true)).toBe(true);
    expect(rs.filter((r) => r.kind === 'matmul').every((r) => r.productOk === true)).toBe(true);
    expect(o.report.summary.slopeVectorOverF as number).toBeGreaterThan(0.7);
    expect(o.report.claims[0]!.holds).toBe('yes');
  });

  it('artifacts: zero\'(0) = 1 by backprop, Clarke {0}; PHP(3,2): conservative two, Clarke singleton', async () => {
    const { o, rows: rs } = await run('artifacts');
    const zero = rs.find((r) => r.name === 'zero')!;
    expect(zero.backprop_s0).toBe('1');
    expect([zero.clarkeLo, zero.clarkeHi]).toEqual(['0', '0']);
    expect(zero.clarke).toBe('singleton');
    const carry = rs.find((r) => r.name === 'carry')!;
    expect(carry.backprop_s0).toBe('0');
    expect([carry.clarkeLo, carry.clarkeHi]).toEqual(['1', '1']);
    const php = rs.find((r) => r.id === 'unsat-php2')!;
    expect(php.conservative).toBe('two');
    expect(php.clarke_bab_answer).toBe('singleton');
    expect(php.clarke_bab_exact).toBe(true);
    expect(o.report.claims[0]!.holds).toBe('yes');
  });

  it('hardness: every answer checked against the SAT solver, no disagreement', async () => {
    const { o, rows: rs } = await run('hardness', { jobs: 2 });
    expect(rs.length).toBe(3);
    for (const r of rs) {
      expect(r.disagreements).toEqual([]);
      if (r.clarke_highs_answer === 'two') expect(r.clarke_highs_certValid).toBe(true);
      expect(r.conservative).toBe('two');
    }
    expect(o.report.claims.map((c) => c.ref)).toEqual(['3', '4', '5']);
  });

  it('phase-transition: answers agree with MiniSat', async () => {
    const { rows: rs } = await run('phase-transition');
    expect(rs.length).toBe(2);
    for (const r of rs) expect(r.disagreements).toEqual([]);
    // Ratio 2 at n = 4 (8 clauses) vs ratio 8 (32 clauses): the answers must match MiniSat's.
    for (const r of rs) expect(r.answer).toBe(r.sat === 'sat' ? 'two' : 'singleton');
  });

  it('runAll writes the claims table', async () => {
    const out = join(root, 'all');
    const r = await runAll(['cheap-gradient', 'directional'], ro(out));
    expect(r.failures).toEqual([]);
    expect(readFileSync(join(out, 'claims.md'), 'utf8')).toMatch(/Nonsmooth cheap gradient/);
    expect(r.claims.map((c) => c.ref)).toEqual(['1', '2']);
  });
});
