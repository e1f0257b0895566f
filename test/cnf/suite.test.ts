import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { generateSuite, suiteFilesIn, suiteGroups, SUITE_SIZES, loadInstances } from '../../src/cnf/suite';
import { readManifest } from '../../src/cnf/manifest';
import { readCnfFile } from '../../src/cnf/dimacs';
import { satisfies } from '../../src/cnf/cnf';
import { repoRoot } from '../../src/cnf/satlib';
import { bruteForceSat } from './helpers/brute';

const INSTANCES = join(repoRoot(), 'instances');
const hashes = (dir: string): Record<string, string> =>
  Object.fromEntries(suiteFilesIn(dir).map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));

describe('instances/ suite', () => {
  it('regenerates bit for bit (npm run instances into a temp dir; same files, same hashes)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nsad-instances-'));
    try {
      generateSuite(tmp);
      const fresh = hashes(tmp);
      const committed = hashes(INSTANCES);
      expect(Object.keys(fresh).length).toBe(246); // 120 random + 120 planted + 5 php + manifest.json
      expect(committed).toEqual(fresh);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('manifest: every file listed with its family, seed, size, sha256 and a known status', () => {
    const m = readManifest(INSTANCES);
    expect(m.files.length).toBe(245);
    const groups = suiteGroups();
    expect(m.commands.length).toBe(groups.length);
    for (const e of m.files) {
      const text = readFileSync(join(INSTANCES, e.file), 'utf8');
      expect(createHash('sha256').update(text).digest('hex')).toBe(e.sha256);
      expect(e.status === 'sat' || e.status === 'unsat').toBe(true);
      const f = readCnfFile(join(INSTANCES, e.file), { strict: true });
      expect([f.n, f.clauses.length]).toEqual([e.n, e.m]);
      if (e.family === 'planted') {
        expect(e.status).toBe('sat');
        expect(satisfies(f, e.planted!)).toBe(true);
        expect(f.comments).toContain(`planted: ${e.planted!.join(' ')}`);
      }
      if (e.family === 'php') expect(e.status).toBe('unsat');
      if (e.family === 'random-ksat') {
        expect(e.statusSource).toMatch(/^reference solver /);
        expect(e.params['ratio']).toBe(4.26);
      }
      if (e.seed !== null) expect(f.comments!.some((c) => c.startsWith(`seed: ${e.seed} `))).toBe(true);
    }
    for (const n of SUITE_SIZES) {
      expect(m.files.filter((e) => e.family === 'random-ksat' && e.n === n).length).toBe(10);
      expect(m.files.filter((e) => e.family === 'planted' && e.n === n).length).toBe(10);
    }
    expect(m.files.filter((e) => e.family === 'php').map((e) => e.params['holes'])).toEqual([2, 3, 4, 5, 6]);
  });

  it('random 3-SAT statuses for n ≤ 20 agree with exhaustive search (independent of MiniSat)', () => {
    const small = loadInstances((e) => e.family === 'random-ksat' && e.n <= 20);
    expect(small.length).toBe(40);
    for (const { entry, cnf } of small) expect([entry.file, bruteForceSat(cnf()) ? 'sat' : 'unsat']).toEqual([entry.file, entry.status]);
  });
});
