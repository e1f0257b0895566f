/**
 * The cluster path end to end: N concurrent processes of experiments/slurm/sweep.sbatch (run with
 * bash and the SLURM_* variables a job array sets), one of them killed and "requeued", then
 * `nsad experiment merge`, must give exactly the rows of an unsharded run.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExperiment, mergeDirs, type RunOptions } from '../../experiments/runner/run';
import { loadExperiment } from '../../experiments/runner/registry';
import { loadRowsFile, parseRows } from '../../experiments/runner/store';
import type { Row } from '../../experiments/runner/types';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(REPO, 'experiments', 'slurm', 'sweep.sbatch');
const TASKS = 12;
const N = 3;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nsad-shards-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function arrayTask(i: number, out: string, sleepMs: number): ChildProcess {
  return spawn('bash', [SCRIPT, 'selftest', '--seed', '5'], {
    cwd: REPO,
    stdio: 'ignore',
    env: {
      ...process.env,
      SLURM_ARRAY_TASK_ID: String(i),
      SLURM_ARRAY_TASK_COUNT: String(N),
      SLURM_ARRAY_TASK_MIN: '1',
      SLURM_ARRAY_TASK_MAX: String(N),
      SLURM_SUBMIT_DIR: REPO,
      SLURM_CPUS_PER_TASK: '1',
      NSAD_OUT: out,
      NSAD_SELFTEST_TASKS: String(TASKS),
      NSAD_SELFTEST_SLEEP_MS: String(sleepMs),
    },
  });
}
const exitOf = (c: ChildProcess): Promise<number | null> => (c.exitCode !== null ? Promise.resolve(c.exitCode) : new Promise((r) => c.on('exit', (code) => r(code))));
const rowsIn = (dir: string): Row[] => loadRowsFile(join(dir, 'selftest', 'rows.jsonl')).rows;

describe('Slurm job array (sweep.sbatch) + merge', () => {
  it('N concurrent shards, one killed and requeued, merge to exactly the unsharded rows', async () => {
    const whole = join(root, 'whole');
    const w = spawnSync(process.execPath, ['bin/nsad.js', 'experiment', 'selftest', '--seed', '5', '--out', whole, '--no-progress'], { cwd: REPO, env: { ...process.env, NSAD_SELFTEST_TASKS: String(TASKS) } });
    expect(w.status).toBe(0);
    const out = join(root, 'array');
    // Shard 1 is slow so it can be killed part-way, like a preempted array task.
    const procs = [1, 2, 3].map((i) => arrayTask(i, out, i === 1 ? 400 : 20));
    const shard1 = join(out, 'shard-1', 'selftest', 'rows.jsonl');
    const deadline = Date.now() + 30_000;
    let before = 0;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (existsSync(shard1)) before = parseRows(readFileSync(shard1, 'utf8'), shard1).rows.length;
      if (before >= 1) break;
    }
    const codes = await Promise.all(procs.map((p, k) => (k === 0 ? (p.kill('SIGKILL'), exitOf(p)) : exitOf(p))));
    expect(codes.slice(1)).toEqual([0, 0]);
    const partial = rowsIn(join(out, 'shard-1')).length;
    expect(partial).toBeGreaterThanOrEqual(1);
    expect(partial).toBeLessThan(TASKS / N);
    // Requeue: the same array task runs the script again and resumes.
    expect(await exitOf(arrayTask(1, out, 20))).toBe(0);
    const dirs = [1, 2, 3].map((i) => join(out, `shard-${i}`));
    expect(dirs.map((d) => rowsIn(d).length)).toEqual([TASKS / N, TASKS / N, TASKS / N]);
    const merged = join(root, 'merged');
    const m = spawnSync(process.execPath, ['bin/nsad.js', 'experiment', 'merge', ...dirs, '--out', merged, '--json'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NSAD_SELFTEST_TASKS: String(TASKS) } });
    expect(m.status).toBe(0);
    expect(JSON.parse(m.stdout).experiments[0].missing).toBe(0);
    // Byte for byte: the merged store equals the unsharded one (both in task order).
    expect(readFileSync(join(merged, 'selftest', 'rows.jsonl'), 'utf8')).toBe(readFileSync(join(whole, 'selftest', 'rows.jsonl'), 'utf8'));
  }, 60_000);

  it('refuses to run outside a job array', () => {
    const r = spawnSync('bash', [SCRIPT, 'selftest'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: '', SLURM_ARRAY_TASK_COUNT: '' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/job array/);
  });
});

// MILP solves in three concurrent runs: seconds when idle, tens of seconds on a loaded machine.
describe.skipIf(!process.env.NSAD_HEAVY)('a real experiment sharded concurrently', () => {
  it('hardness (tiny): 3 concurrent shards merge to the unsharded rows, timings aside', async () => {
    const exp = await loadExperiment('hardness');
    const ro = (out: string, extra: Partial<RunOptions> = {}): RunOptions => ({ out, quick: true, tiny: true, seed: 3, resume: false, shard: { index: 1, count: 1 }, jobs: 1, progress: false, command: 'test', timeLimitSec: 20, ...extra });
    await runExperiment(exp, ro(join(root, 'h-whole')));
    const dirs = [1, 2, 3].map((i) => join(root, `h-shard${i}`));
    await Promise.all(dirs.map((d, k) => runExperiment(exp, ro(d, { shard: { index: k + 1, count: 3 } }))));
    await mergeDirs(dirs, join(root, 'h-merged'));
    // Wall-clock fields differ between two runs of the same formula; everything else must not.
    const strip = (rs: Row[]) => rs.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !/(Ms|_ms)$/.test(k))));
    const a = strip(loadRowsFile(join(root, 'h-whole', 'hardness', 'rows.jsonl')).rows);
    const b = strip(loadRowsFile(join(root, 'h-merged', 'hardness', 'rows.jsonl')).rows);
    expect(b).toEqual(a);
    expect(a.length).toBe(3);
  }, 60_000);
});
