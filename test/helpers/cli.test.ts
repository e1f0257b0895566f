/**
 * The shared runner itself (test/helpers/cli.ts): the exit codes and error lines it reports are the
 * ones the bin produces, and `ok` / `userError` refuse the outcomes they are meant to rule out.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { root, cli, ok, userError, lines } from './cli';

const NET = join(root, 'test/fixtures/core/relu-carry.json');

describe('test/helpers/cli.ts', () => {
  it('a success: exit 0, stdout captured line by line, no error', async () => {
    const r = await cli('eval', NET, '--at', '3/2', '--json');
    expect(r.code).toBe(0);
    expect(r.error).toBeUndefined();
    expect(lines(r.out)).toHaveLength(1);
    expect(JSON.parse(r.out).value).toBe('3/2');
    expect(await ok('eval', NET, '--at', '3/2', '--json')).toBe(r.out);
    await expect(userError('eval', NET, '--at', '3/2')).rejects.toThrow(/expected a UserError.*got exit 0/);
  });
  it('a UserError: exit 2, one stderr line, error is its message; ok refuses it', async () => {
    const r = await cli('grad', NET, '--at', '0,1');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`nsad: ${r.error}\n`);
    expect(r.error).toMatch(/^--at: expected 1 coordinates/);
    expect(await userError('grad', NET, '--at', '0,1')).toBe(r.error);
    await expect(ok('grad', NET, '--at', '0,1')).rejects.toThrow(/exit 2/);
  });
  it("a commander usage error: exit 2 with commander's `error:` line, which userError does not accept", async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.error).toMatch(/^error: unknown command 'frobnicate'/);
    await expect(userError('frobnicate')).rejects.toThrow(/expected a UserError/);
  });
  it('process.exitCode is restored after a run', async () => {
    const before = process.exitCode;
    await cli('grad', NET, '--at', '0,1');
    expect(process.exitCode).toBe(before);
  });
  it('lines drops only the final newline', () => {
    expect(lines('')).toEqual([]);
    expect(lines('a\n\nb\n')).toEqual(['a', '', 'b']);
  });
});
