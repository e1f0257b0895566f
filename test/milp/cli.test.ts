/**
 * `nsad milp`: solve and convert LP/MPS files through ./bin/nsad.js; bad input exits 2 with a
 * one-line message; a HiGHS reader abort does not poison later solves.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toLpFormat } from '../../src/milp/lp-format';
import { getBackend, readModelText, shutdownWorkers } from '../../src/milp/backends';
import { knapsack } from './models';
import { bin } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'nsad-milp-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await shutdownWorkers();
});

const nsad = (...args: string[]) => bin(args, 60_000);

describe('nsad milp', () => {
  it('solves an LP file (highs, lpsolver) and converts it to MPS', () => {
    const lp = join(dir, 'k.lp');
    writeFileSync(lp, toLpFormat(knapsack.model));
    for (const solver of ['highs', 'lpsolver']) {
      const r = nsad('milp', lp, '--solver', solver, '--time-limit', '20', '--json');
      expect(r.code, r.err).toBe(0);
      const out = JSON.parse(r.out);
      expect(out).toMatchObject({ status: 'optimal', solver, vars: 3, integers: 3, constraints: 3 });
      expect(out.objective).toBeCloseTo(13, 9);
      expect(out.values).toEqual({ x: 2, y: 0, z: 1 });
    }
    const mps = join(dir, 'k.mps');
    expect(nsad('milp', lp, '--convert', mps).code).toBe(0);
    expect(readFileSync(mps, 'utf8')).toMatch(/^NAME /m);
  });

  it('bad input: exit 2, one line naming the file', () => {
    const bad = join(dir, 'bad.lp');
    writeFileSync(bad, 'Maximize\n obj: x +\nSubject To\n c: x <= <= 2\nEnd\n');
    for (const args of [[bad], [join(dir, 'missing.lp')]]) {
      const r = nsad('milp', ...args);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.out).toBe('');
    }
  });
});

describe('a HiGHS reader abort', () => {
  it('is reported, and the next solve still works', async () => {
    await expect(readModelText('Maximize\n obj: x +\nSubject To\n c: x <= <= 2\nEnd\n', 'lp')).rejects.toThrow(/could not read/);
    await expect(readModelText('garbage', 'lp')).rejects.toThrow(/no variables/);
    const r = await getBackend('highs').solve(knapsack.model, { timeLimitSec: 20 });
    expect(r.status).toBe('optimal');
  });
});
