import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../src/cnf/satlib';
import { readCnfFile } from '../../src/cnf/dimacs';
import { satisfies } from '../../src/cnf/cnf';
import { Command } from 'commander';
import * as generateCmd from '../../src/cli/commands/generate';
import * as satCmd from '../../src/cli/commands/sat';
import { UserError } from '../../src/errors';

// The commands run through a test entry that registers only generate and sat, with main.ts's exit
// code mapping (UserError → one stderr line, exit 2), so these tests do not depend on other areas.
const ROOT = repoRoot();
const ENTRY = join(ROOT, 'test', 'cnf', 'helpers', 'cli-entry.ts');
const FIX = join(ROOT, 'test', 'fixtures', 'cnf');

function nsad(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  // `node --import tsx` (one process) rather than the tsx binary (which starts a second node).
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('nsad generate / nsad sat', () => {
  it('generate writes files + manifest; sat --json prints one object with a checked assignment', () => {
    const out = mkdtempSync(join(tmpdir(), 'nsad-gen-'));
    const g = nsad('generate', 'planted', '--vars', '12', '--ratio', '4.26', '--count', '2', '--seed', '9', '--out', out, '--json');
    expect(g.code).toBe(0);
    const gj = JSON.parse(g.stdout) as { files: { file: string; status: string; planted: number[] }[] };
    expect(gj.files.map((f) => f.file)).toEqual(['planted3-n12-m51-s9.cnf', 'planted3-n12-m51-s10.cnf']);
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'planted3-n12-m51-s10.cnf', 'planted3-n12-m51-s9.cnf']);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).commands).toEqual([
      'nsad generate planted --vars 12 --ratio 4.26 --count 2 --seed 9',
    ]);
    const s = nsad('sat', join(out, 'planted3-n12-m51-s9.cnf'), '--json');
    expect(s.code).toBe(0);
    expect(s.stdout.trim().split('\n').length).toBe(1);
    const sj = JSON.parse(s.stdout) as { status: string; assignment: number[] };
    expect(sj.status).toBe('sat');
    expect(sj.assignment.length).toBe(12);
    expect(satisfies(readCnfFile(join(out, 'planted3-n12-m51-s9.cnf')), sj.assignment)).toBe(true);
  });
  it('bad input: exit 2 and one stderr line naming file:line', () => {
    const bad = join(FIX, 'bad', 'literal-out-of-range.cnf');
    const r = nsad('sat', bad, '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`nsad: ${bad}:4: literal -4 is out of range: the header declares 3 variables\n`);
  });
  it('in-process: --strict and option errors are UserErrors (main.ts maps them to exit 2)', async () => {
    const run = async (...args: string[]): Promise<unknown> => {
      const p = new Command('nsad').exitOverride();
      generateCmd.register(p);
      satCmd.register(p);
      try {
        await p.parseAsync(args, { from: 'user' });
      } catch (e) {
        return e;
      }
      return null;
    };
    const strict = await run('sat', join(FIX, 'good', 'count-mismatch.cnf'), '--strict');
    expect(strict).toBeInstanceOf(UserError);
    expect((strict as Error).message).toContain('count-mismatch.cnf:1: header declares 3 clauses, found 2 (--strict)');
    const opt = await run('generate', 'php', '--holes', '3', '--vars', '4', '--out', tmpdir());
    expect(opt).toBeInstanceOf(UserError);
    expect((opt as Error).message).toBe('generate php: option --vars does not apply to this family');
    const fam = await run('generate', 'sudoku', '--out', tmpdir());
    expect((fam as Error).message).toContain('unknown family "sudoku"');
  });
  it('default policy: clause-count mismatch warns on stderr, answer on stdout (SAT-competition format)', () => {
    const r = nsad('sat', join(FIX, 'good', 'count-mismatch.cnf'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning:');
    expect(r.stdout).toContain('\ns SATISFIABLE\n');
    const v = r.stdout.split('\n').filter((l) => l.startsWith('v ')).flatMap((l) => l.slice(2).split(' ').map(Number));
    expect(v[v.length - 1]).toBe(0);
    expect(satisfies(readCnfFile(join(FIX, 'good', 'count-mismatch.cnf'), { warn: () => {} }), v.slice(0, -1))).toBe(true);
  });
});
