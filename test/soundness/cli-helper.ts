/** Run the real command tree in-process (src/cli/program.ts + run.ts): stdout, stderr, exit code. */
import { vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../../src/cli/program';
import { runProgram } from '../../src/cli/run';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const fixture = (name: string): string => join(root, 'test/fixtures/soundness', name);

export async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ') + '\n'));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(((s: string | Uint8Array) => {
    err.push(typeof s === 'string' ? s : Buffer.from(s).toString('utf8'));
    return true;
  }) as typeof process.stderr.write);
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await runProgram(buildProgram(), ['node', 'nsad', ...args]);
    return { out: out.join(''), err: err.join(''), code: typeof process.exitCode === 'number' ? process.exitCode : 0 };
  } finally {
    log.mockRestore();
    write.mockRestore();
    process.exitCode = before;
  }
}

/** The real bin in a child process (for hangs and crashes), with a timeout. */
export function bin(args: string[], timeoutMs = 60_000): { out: string; err: string; code: number | null; signal: NodeJS.Signals | null } {
  const r = spawnSync(process.execPath, [join(root, 'bin/nsad.js'), ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { out: r.stdout, err: r.stderr, code: r.status, signal: r.signal };
}
