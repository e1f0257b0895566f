/** The CLI shells eval / grad / lex / dir: one JSON object on stdout, errors one line + exit 2. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const NET = join(root, 'test/fixtures/core/relu-carry.json');

function nsad(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/nsad.js'), ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function json(...args: string[]): Record<string, unknown> {
  const r = nsad(...args, '--json');
  expect(r.code, r.err).toBe(0);
  expect(r.out.trim().split('\n')).toHaveLength(1);
  return JSON.parse(r.out) as Record<string, unknown>;
}

describe('nsad eval/grad/lex/dir', () => {
  it('eval, grad, lex, dir --json', () => {
    const e = json('eval', NET, '--at', '3/2');
    expect(e.value).toBe('3/2');
    expect(e.ops).toEqual({ add: 1, mul: 5, relu: 3, total: 9 });
    const g = json('grad', NET, '--at', '0', '--relu-prime', '1');
    expect(g.gradient).toEqual([2]);
    expect(g.zeros).toEqual([[0, 0], [0, 1], [1, 0]]);
    expect((g.ops as { total: number }).total).toBeGreaterThan(9);
    expect(json('grad', NET, '--at', '0', '--relu-prime', '1/2').gradient).toEqual(['1/2']);
    expect(json('lex', NET, '--at', '0').subgradient).toEqual([1]);
    expect(json('dir', NET, '--at', '0', '--dir', '-1').derivative).toBe(0);
    expect(json('dir', NET, '--at', '0', '--dir', '2', '--dir', '-1').derivative).toEqual([2, 0]);
  });
  it('a point may be a JSON file', () => {
    const d = mkdtempSync(join(tmpdir(), 'nsad-core-'));
    writeFileSync(join(d, 'x.json'), '["-1/3"]');
    expect(json('eval', NET, '--at', join(d, 'x.json')).value).toBe(0);
  });
  it('errors: one line on stderr, exit code 2', () => {
    for (const args of [
      ['grad', NET, '--at', '0,1'],
      ['grad', NET, '--at', '0', '--relu-prime', '3/2'],
      ['lex', join(root, 'test/fixtures/core/malformed/nan-string.json'), '--at', '0,0'],
      ['dir', NET, '--at', '0', '--dir', 'x'],
      ['eval', join(root, 'no/such/file.json'), '--at', '0'],
    ]) {
      const r = nsad(...args);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^nsad: /);
    }
  });
});
