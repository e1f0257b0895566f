/**
 * The CLI shells eval / grad / lex / dir: one JSON object on stdout, errors one line + exit 2.
 * Most cases run in-process (the four command modules on a fresh commander program); two spawn
 * the real bin to check the process contract (stdout, stderr, exit code).
 */
import { describe, it, expect, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Command } from 'commander';
import * as evalCmd from '../../src/cli/commands/eval';
import * as gradCmd from '../../src/cli/commands/grad';
import * as lexCmd from '../../src/cli/commands/lex';
import * as dirCmd from '../../src/cli/commands/dir';
import { UserError } from '../../src/errors';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const NET = join(root, 'test/fixtures/core/relu-carry.json');

async function run(...args: string[]): Promise<string> {
  const program = new Command('nsad').exitOverride();
  for (const c of [evalCmd, gradCmd, lexCmd, dirCmd]) c.register(program);
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}
async function json(...args: string[]): Promise<Record<string, unknown>> {
  const out = await run(...args, '--json');
  expect(out.split('\n')).toHaveLength(1);
  return JSON.parse(out) as Record<string, unknown>;
}

describe('nsad eval/grad/lex/dir', () => {
  it('--json fields: value, gradient, subgradient, derivative, ops', async () => {
    const e = await json('eval', NET, '--at', '3/2');
    expect(e.value).toBe('3/2');
    expect(e.ops).toEqual({ add: 1, mul: 5, relu: 3, total: 9 });
    const g = await json('grad', NET, '--at', '0', '--relu-prime', '1');
    expect(g.gradient).toEqual([2]);
    expect(g.zeros).toEqual([[0, 0], [0, 1], [1, 0]]);
    expect((g.ops as { total: number }).total).toBe(21);
    expect((await json('grad', NET, '--at', '0', '--relu-prime', '1/2')).gradient).toEqual(['1/2']);
    expect((await json('grad', NET, '--at', '0')).gradient).toEqual([0]);
    expect((await json('lex', NET, '--at', '0')).subgradient).toEqual([1]);
    expect((await json('dir', NET, '--at', '0', '--dir', '-1')).derivative).toBe(0);
    expect((await json('dir', NET, '--at', '0', '--dir', '2', '--dir', '-1')).derivative).toEqual([2, 0]);
    const f = await json('eval', NET, '--at', '5', '--float');
    expect(f.float).toEqual({ value: 5, signsProvablyExact: true, bound: '10' });
  });
  it('a point may be a JSON file; a lexicographic basis is a JSON file', async () => {
    const d = mkdtempSync(join(tmpdir(), 'nsad-core-'));
    writeFileSync(join(d, 'x.json'), '["-1/3"]');
    writeFileSync(join(d, 'm.json'), '[[-2]]');
    expect((await json('eval', NET, '--at', join(d, 'x.json'))).value).toBe(0);
    expect((await json('lex', NET, '--at', '0', '--basis', join(d, 'm.json'))).subgradient).toEqual([0]);
  });
  it('bad input is a UserError naming the option or file', async () => {
    await expect(run('grad', NET, '--at', '0,1')).rejects.toThrow(/--at: expected 1 coordinates/);
    await expect(run('grad', NET, '--at', '0', '--relu-prime', '3/2')).rejects.toThrow(/relu'\(0\) = 3\/2/);
    await expect(run('dir', NET, '--at', '0', '--dir', 'x')).rejects.toThrow(/--dir: expected comma-separated/);
    await expect(run('dir', NET, '--at', '0', '--dir', '1,1')).rejects.toThrow(/direction 1: expected 1 coordinates/);
    await expect(run('lex', join(root, 'test/fixtures/core/malformed/nan-string.json'), '--at', '0,0')).rejects.toThrow(UserError);
  });
  it('the real bin: one JSON line on stdout; an error is one line on stderr with exit code 2', () => {
    const ok = spawnSync(process.execPath, [join(root, 'bin/nsad.js'), 'lex', NET, '--at', '0', '--json'], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).subgradient).toEqual([1]);
    const bad = spawnSync(process.execPath, [join(root, 'bin/nsad.js'), 'grad', NET, '--at', '1/0'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^nsad: --at: /);
  });
});
