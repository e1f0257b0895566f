/**
 * The one way tests run the nsad command tree: in-process through the real program
 * (src/cli/program.ts + the exit-code mapping of src/cli/run.ts, as bin/nsad.js does), or the real
 * bin in a child process when the process contract itself (hangs, crashes, stdout/stderr bytes) is
 * what is tested. In-process runs are preferred: one CLI start-up costs seconds on a loaded machine.
 */
import { vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { buildProgram } from '../../src/cli/program';
import { runProgram } from '../../src/cli/run';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  /** stdout: what the commands printed with console.log, one '\n'-terminated line per call. */
  out: string;
  /** stderr as written (progress lines, the `nsad: ` error line). */
  err: string;
  /** The exit code bin/nsad.js would exit with: 0, 1 (a negative answer, e.g. invalid), 2 (bad input). */
  code: number;
  /**
   * Exit code 2 only: the error line without its `nsad: ` prefix — a UserError's message, or
   * commander's own `error: …` for a usage error (unknown option or command, missing argument).
   */
  error?: string;
}

/**
 * `nsad ...args` in-process. A UserError becomes exit code 2 and one stderr line, as in the bin;
 * any other exception is a bug and propagates (the test fails).
 */
export async function cli(...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  // util.format is what console.log itself uses, so `out` is byte-for-byte what the bin prints.
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(format(...a) + '\n'));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(((s: string | Uint8Array) => {
    err.push(typeof s === 'string' ? s : Buffer.from(s).toString('utf8'));
    return true;
  }) as typeof process.stderr.write);
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await runProgram(await buildProgram(), ['node', 'nsad', ...args]);
    const code = process.exitCode === undefined ? 0 : Number(process.exitCode);
    const r: CliResult = { out: out.join(''), err: err.join(''), code };
    if (code === 2) {
      const line = r.err.split('\n').reverse().find((l) => l.startsWith('nsad: '));
      if (line !== undefined) r.error = line.slice('nsad: '.length);
    }
    return r;
  } finally {
    log.mockRestore();
    write.mockRestore();
    process.exitCode = before;
  }
}

/** The lines of `out` (no trailing empty line). */
export function lines(out: string): string[] {
  const l = out.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** `nsad ...args` that must succeed (exit 0); its stdout. Anything else throws with the stderr. */
export async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  if (r.code !== 0) throw new Error(`nsad ${args.join(' ')}: exit ${r.code}\n${r.err}`);
  return r.out;
}

/**
 * `nsad ...args` that must fail with a UserError: exit 2, exactly one stderr line `nsad: MESSAGE`,
 * and not one of commander's usage errors. Returns MESSAGE; anything else throws.
 */
export async function userError(...args: string[]): Promise<string> {
  const r = await cli(...args);
  const errLines = lines(r.err);
  if (r.code !== 2 || r.error === undefined || errLines.length !== 1 || r.error.startsWith('error: ')) {
    throw new Error(`nsad ${args.join(' ')}: expected a UserError (exit 2, one line), got exit ${r.code}\n${r.err}`);
  }
  return r.error;
}

export interface BinResult {
  out: string;
  err: string;
  /** null when the child was killed (timeout or signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The real bin/nsad.js in a child process (cwd: the repository root), killed after timeoutMs. */
export function bin(args: string[], timeoutMs = 60_000): BinResult {
  const r = spawnSync(process.execPath, [join(root, 'bin/nsad.js'), ...args], { cwd: root, encoding: 'utf8', timeout: timeoutMs });
  return { out: r.stdout, err: r.stderr, code: r.status, signal: r.signal };
}
