import { describe, it, expect, vi, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { networkFromJson } from '../../src/network/format';
import { buildProgram } from '../../src/cli/program';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const fx = (f: string): string => join(root, 'test', 'fixtures', 'reductions', f);

/** The real binary (exit-code mapping of main.ts). */
function nsad(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'nsad.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The same commands in-process (faster): stdout lines, process.exitCode, or the thrown error. */
async function run(...args: string[]): Promise<{ out: string; exitCode: number; error?: Error }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(' ')));
  process.exitCode = 0;
  let error: Error | undefined;
  try {
    await buildProgram().parseAsync(['node', 'nsad', ...args]);
  } catch (e) {
    error = e as Error;
  } finally {
    spy.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: lines.join('\n'), exitCode, ...(error ? { error } : {}) };
}

afterEach(() => {
  process.exitCode = 0;
});

describe('nsad reduce / decode', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'nsad-reduce-'));
  const net = join(tmp, 'net.json');

  it('reduce --json prints the size and writes a ternary bias-free network; decode reads a model back', async () => {
    const r = nsad('reduce', fx('small-sat.cnf'), '--out', net, '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ inputs: 4, layers: 7, ternary: true, biasFree: true, n: 4, m: 5 });
    expect(j.neurons).toBeGreaterThan(0);
    const parsed = networkFromJson(JSON.parse(readFileSync(net, 'utf8')));
    expect(parsed.neurons).toBe(j.neurons);
    expect(parsed.nonzeros).toBe(j.nonzeros);
    expect(parsed.meta['construction']).toBe('sat-to-relu/max-min-tree');
    expect(parsed.meta['source']).toBe('small-sat.cnf');

    // x1 = T, x2 = T, x3 = F, x4 = T satisfies all five clauses; a fractional point with these signs
    const d = await run('decode', net, '--cnf', fx('small-sat.cnf'), '--at', '1/2,3,-1/7,2', '--json');
    expect(d.error).toBeUndefined();
    expect(d.exitCode).toBe(0);
    expect(JSON.parse(d.out)).toEqual({ value: '1/7', positive: true, assignment: [1, 2, -3, 4], satisfies: true, violated: [] });
    // all −1: violates clause 5 (x1); exit code 1, F = 0
    const bad = await run('decode', net, '--cnf', fx('small-sat.cnf'), '--at', '-1,-1,-1,-1');
    expect(bad.exitCode).toBe(1);
    expect(bad.out).toMatch(/F\(x\) = 0/);
    expect(bad.out).toMatch(/violates 1 clause\(s\): 5/);
    // the sparse form holds the same network
    const sparse = join(tmp, 'sparse.json');
    const s = await run('reduce', fx('small-sat.cnf'), '--out', sparse, '--sparse');
    expect(s.out).toMatch(/inputs 4, layers 7 \(6 hidden\), neurons \d+, nonzeros \d+, ternary, bias-free/);
    expect(networkFromJson(JSON.parse(readFileSync(sparse, 'utf8'))).nonzeros).toBe(j.nonzeros);
  }, 60_000);

  it('decode refuses a network reduced from another file (exit 2); reduce names a bad input file and line', async () => {
    const other = join(tmp, 'other.json');
    expect((await run('reduce', fx('small-unsat.cnf'), '--out', other)).error).toBeUndefined();
    const r = nsad('decode', other, '--cnf', fx('small-sat.cnf'), '--at', '1,1,1,1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/different file/);
    const broken = join(tmp, 'broken.cnf');
    writeFileSync(broken, 'p cnf 2 1\n1 x 0\n');
    const b = await run('reduce', broken, '--out', join(tmp, 'b.json'));
    expect(b.error?.name).toBe('UserError');
    expect(b.error?.message).toMatch(/broken\.cnf:2/);
    // degenerate file: an empty clause and an unused variable
    const degenerate = join(tmp, 'degenerate.cnf');
    writeFileSync(degenerate, 'p cnf 3 2\n1 -2 0\n0\n');
    const dj = await run('reduce', degenerate, '--out', join(tmp, 'd.json'), '--json');
    expect(dj.error).toBeUndefined();
    const dnet = networkFromJson(JSON.parse(readFileSync(join(tmp, 'd.json'), 'utf8')));
    expect(dnet.meta).toMatchObject({ n: 3, m: 2, emptyClauses: 1, unusedVariables: 1 });
    const wrongDim = await run('decode', other, '--cnf', fx('small-unsat.cnf'), '--at', '1,1,1');
    expect(wrongDim.error?.message).toMatch(/expected 2 coordinates/);
  }, 60_000);
});
