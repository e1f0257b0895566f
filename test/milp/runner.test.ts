/**
 * The worker runner and its watchdog: a blocked thread is stopped on time, workers are reused,
 * and a process that used a backend exits on its own with a clean stdout (as ./bin/nsad.js does:
 * tsx registered in the main thread, the worker in plain JS).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MAX_ACTIVE, runInWorker, shutdownWorkers, withWorker } from '../../src/milp/backends/runner';

afterAll(() => shutdownWorkers());

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('runInWorker', () => {
  it('answers a ping', async () => {
    const r = await runInWorker<string>('ping', null, 30_000);
    expect(r).toMatchObject({ kind: 'ok', value: 'pong' });
  });

  it('kills a thread blocked in a synchronous loop at the watchdog deadline', async () => {
    const t0 = performance.now();
    const r = await runInWorker('spin', { ms: 20_000 }, 300);
    const wall = performance.now() - t0;
    expect(r.kind).toBe('killed');
    expect(wall).toBeLessThan(3000);
    // and the next call gets a fresh, working thread
    const again = await runInWorker<string>('ping', null, 30_000);
    expect(again).toMatchObject({ kind: 'ok', value: 'pong' });
  });

  it('reports a solver error instead of throwing', async () => {
    const r = await runInWorker('highs', { model: { format: 'lp', data: 'this is not an LP file' }, options: { output_flag: false } }, 30_000);
    expect(r.kind).toBe('error');
  });

  it('an abort signal stops a blocked thread at once', async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 200);
    const r = await withWorker((run) => run('spin', { ms: 20_000 }, 60_000), ac.signal);
    expect(r.kind).toBe('killed');
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('caps concurrent threads: 10 simultaneous 300 ms jobs run in ⌈10/MAX_ACTIVE⌉ waves', async () => {
    const t0 = performance.now();
    const outs = await Promise.all(Array.from({ length: 10 }, () => runInWorker('spin', { ms: 300 }, 30_000)));
    expect(outs.every((o) => o.kind === 'ok')).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(Math.ceil(10 / MAX_ACTIVE) * 300 - 50);
  });

  it('runs a sequence on one thread', async () => {
    const out = await withWorker(async (run) => {
      const a = await run<string>('load', 'glpk', 30_000);
      const b = await run<string>('ping', null, 30_000);
      return [a.kind, b.kind];
    });
    expect(out).toEqual(['ok', 'ok']);
  });
});

describe('in a tsx process like ./bin/nsad.js', () => {
  it('solves with every backend, prints only its own output and exits by itself', () => {
    const script = `
      import { register } from 'tsx/esm/api';
      register();
      const { getBackend } = await import('./src/milp/backends/index.ts');
      const model = { name: 'm', sense: 'max', objective: [{ v: 0, c: 1 }], vars: [{ name: 'x', lb: 0, ub: 3, integer: true }],
        constraints: [{ name: 'r', terms: [{ v: 0, c: 2 }], lo: -Infinity, hi: 5 }] };
      const out = [];
      for (const s of ['highs', 'glpk', 'lpsolver']) {
        const r = await getBackend(s).solve(model, { timeLimitSec: 10 });
        out.push([s, r.status, r.objective]);
      }
      process.stdout.write(JSON.stringify(out));
    `;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repo, timeout: 60_000, encoding: 'utf8' });
    expect(JSON.parse(stdout)).toEqual([
      ['highs', 'optimal', 2],
      ['glpk', 'optimal', 2],
      ['lpsolver', 'optimal', 2],
    ]);
  });
});
