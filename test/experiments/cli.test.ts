import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const nsad = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bin/nsad.js', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('nsad experiment (CLI)', () => {
  it('refuses bad input with exit 2 and one line', () => {
    const a = nsad(['experiment', 'nope']);
    expect(a.status).toBe(2);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    expect(a.stderr).toMatch(/unknown experiment "nope"/);
    const b = nsad(['experiment', 'hardness', '--methods', 'highs,cplex']);
    expect(b.status).toBe(2);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toMatch(/--methods: unknown or unavailable method "cplex"/);
  });

  it('runs and merges through the command line, --json prints one object', () => {
    const root = mkdtempSync(join(tmpdir(), 'nsad-cli-'));
    try {
      const env = { NSAD_SELFTEST_TASKS: '5' };
      const whole = nsad(['experiment', 'selftest', '--out', join(root, 'w'), '--json', '--seed', '3'], env);
      expect(whole.status).toBe(0);
      const j = JSON.parse(whole.stdout);
      expect(j.rows).toBe(5);
      // (Shards and merge are tested on the library in runner.test.ts; here the command's wiring.)
      const m = nsad(['experiment', 'merge', join(root, 'w'), '--out', join(root, 'm'), '--json'], env);
      expect(m.status).toBe(0);
      expect(JSON.parse(m.stdout).experiments[0].missing).toBe(0);
      const rows = (d: string) => readFileSync(join(root, d, 'selftest', 'rows.jsonl'), 'utf8');
      expect(rows('m')).toBe(rows('w'));
      const man = JSON.parse(readFileSync(join(root, 'w', 'selftest', 'manifest.json'), 'utf8'));
      expect(man.command).toContain('--seed 3');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
