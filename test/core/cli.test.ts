/**
 * The CLI shells eval / grad / lex / dir: one JSON object on stdout, errors one line + exit 2.
 * Most cases run in-process (test/helpers/cli.ts: the real program, no process start-up); two spawn
 * the real bin to check the process contract (stdout, stderr, exit code).
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { root, ok, lines, userError, bin } from '../helpers/cli';

const NET = join(root, 'test/fixtures/core/relu-carry.json');

async function json(...args: string[]): Promise<Record<string, unknown>> {
  const out = lines(await ok(...args, '--json'));
  expect(out).toHaveLength(1);
  return JSON.parse(out[0]!) as Record<string, unknown>;
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
    expect(await userError('grad', NET, '--at', '0,1')).toMatch(/--at: expected 1 coordinates/);
    expect(await userError('grad', NET, '--at', '0', '--relu-prime', '3/2')).toMatch(/relu'\(0\) = 3\/2/);
    expect(await userError('dir', NET, '--at', '0', '--dir', 'x')).toMatch(/--dir: expected comma-separated/);
    expect(await userError('dir', NET, '--at', '0', '--dir', '1,1')).toMatch(/direction 1: expected 1 coordinates/);
    await userError('lex', join(root, 'test/fixtures/core/malformed/nan-string.json'), '--at', '0,0');
  });
  it('the real bin: one JSON line on stdout; an error is one line on stderr with exit code 2', () => {
    const good = bin(['lex', NET, '--at', '0', '--json']);
    expect(good.code, good.err).toBe(0);
    expect(JSON.parse(good.out).subgradient).toEqual([1]);
    const bad = bin(['grad', NET, '--at', '1/0']);
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/^nsad: --at: /);
  });
});
