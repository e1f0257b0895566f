/**
 * `nsad generate suite` and `nsad run-suite` through the CLI: the shipped small suite regenerates
 * byte for byte, every expected answer agrees with bab and with the SAT solver, an interrupted run
 * resumes without losing or repeating a row, a wrong expected answer is a disagreement (exit 1),
 * and a changed instance, an output onto the suite, or a folder that is not a suite is bad input.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ok, root, userError } from '../helpers/cli';
import { SMALL_SUITE_DIR } from '../../src/cnf/suite';
import { readSuite } from '../../reductions/families/suite';

const SHIPPED = join(root, 'instances', SMALL_SUITE_DIR);

function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? listFiles(dir, join(rel, d.name)) : [join(rel, d.name)]))
    .sort();
}

interface SuiteRow {
  id: string;
  method: string;
  answer: string;
  expected: string;
  agrees: boolean | null;
  disagreements: string[];
}
const rowsOf = (dir: string): SuiteRow[] =>
  readFileSync(join(dir, 'suite', 'rows.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as SuiteRow);

describe('the shipped small suite (instances/suite-small)', () => {
  const work = mkdtempSync(join(tmpdir(), 'nsad-run-suite-'));

  it('nsad generate suite --preset small writes it byte for byte (npm run instances)', async () => {
    const out = join(work, 'gen');
    await ok('generate', 'suite', '--preset', 'small', '--out', out);
    const files = listFiles(out);
    expect(files).toEqual(listFiles(SHIPPED));
    for (const f of files) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(SHIPPED, f), 'utf8'));
  }, 120_000);

  it('run-suite --method bab,sat: every instance answered, every answer agrees with the expected one', async () => {
    const out = join(work, 'run');
    const r = await cli('run-suite', SHIPPED, '--method', 'bab,sat', '--jobs', '1', '--out', out, '--no-progress');
    expect(r.code, r.err).toBe(0);
    const m = readSuite(SHIPPED);
    const rows = rowsOf(out);
    const cnfRows = m.instances.filter((e) => e.kind === 'cnf').length;
    expect(rows.length).toBe(m.instances.length + cnfRows);
    for (const row of rows) {
      expect(row.disagreements, row.id).toEqual([]);
      // The small suite's answers are all known, and bab decides each within its limit.
      expect(row.expected, row.id).not.toBe('unknown');
      expect(row.answer, row.id).toBe(row.expected);
      expect(row.agrees, row.id).toBe(true);
    }
    const table = readFileSync(join(out, 'suite', 'table.md'), 'utf8');
    expect(table).toContain('every answer given agrees');
    expect(table).toMatch(/\| network \| hidden-linear \| bab \| 2 \| 0 \| 2 \| 0 \| 2 \| 0 \|/);
    const summary = JSON.parse(readFileSync(join(out, 'suite', 'summary.json'), 'utf8')) as { summary: { disagreements: number } };
    expect(summary.summary.disagreements).toBe(0);
    expect(readFileSync(join(out, 'suite', 'times.svg'), 'utf8')).toContain('<svg');

    // Interrupted after 5 rows: --resume computes exactly the rest, and the answers are the same.
    const store = join(out, 'suite', 'rows.jsonl');
    const all = readFileSync(store, 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(store, all.slice(0, 5).join('\n') + '\n' + all[5]!.slice(0, 20)); // a cut last line
    const again = await cli('run-suite', SHIPPED, '--method', 'bab,sat', '--jobs', '1', '--out', out, '--resume', '--no-progress', '--json');
    expect(again.code, again.err).toBe(0);
    const j = JSON.parse(again.out) as { computed: number; resumed: number; complete: boolean };
    expect([j.resumed, j.computed, j.complete]).toEqual([5, rows.length - 5, true]);
    expect(rowsOf(out).map((x) => [x.id, x.answer])).toEqual(rows.map((x) => [x.id, x.answer]));
    // Resuming with other methods is refused (its rows would mix two runs).
    expect(await userError('run-suite', SHIPPED, '--method', 'bab', '--jobs', '1', '--out', out, '--resume', '--no-progress')).toMatch(/--resume with different options/);
  }, 300_000);

  it('a wrong expected answer is a disagreement: exit 1, named in the table', async () => {
    const copy = join(work, 'wrong');
    cpSync(SHIPPED, copy, { recursive: true });
    const mpath = join(copy, 'manifest.json');
    const m = JSON.parse(readFileSync(mpath, 'utf8')) as { instances: { file: string; expected: string; kind: string }[] };
    const victim = m.instances.find((e) => e.kind === 'network' && e.expected === 'two')!;
    victim.expected = 'singleton';
    writeFileSync(mpath, JSON.stringify(m, null, 2) + '\n');
    const out = join(work, 'wrong-out');
    const r = await cli('run-suite', copy, '--method', 'bab', '--jobs', '1', '--out', out, '--no-progress');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/1 answer\(s\) disagree/);
    expect(readFileSync(join(out, 'suite', 'table.md'), 'utf8')).toContain(`bab:${victim.file}: answer two but the suite expects singleton`);
  }, 120_000);

  it('bad input: a changed instance, --out onto the suite, not a suite, an unknown method', async () => {
    const copy = join(work, 'changed');
    cpSync(SHIPPED, copy, { recursive: true });
    const m = readSuite(copy);
    const net = m.instances.find((e) => e.kind === 'network')!;
    writeFileSync(join(copy, net.file), readFileSync(join(copy, net.file), 'utf8').replace('{', '{ '));
    expect(await userError('run-suite', copy, '--out', join(work, 'x'), '--no-progress')).toMatch(/sha256 differs from the manifest's/);
    expect(await userError('run-suite', SHIPPED, '--out', SHIPPED, '--no-progress')).toMatch(/--out/);
    expect(await userError('run-suite', join(root, 'instances', 'php'), '--out', join(work, 'y'), '--no-progress')).toMatch(/no manifest\.json|not a suite/);
    expect(await userError('run-suite', SHIPPED, '--method', 'bab,nope', '--out', join(work, 'z'))).toMatch(/--method: unknown or unavailable method "nope"/);
    expect(await userError('run-suite', join(work, 'nowhere'), '--out', join(work, 'z'))).toMatch(/no such folder/);
  }, 60_000);

  // Two array tasks of the Slurm script at once (bin/nsad.js in child processes), then merge.
  it.skipIf(!process.env.NSAD_HEAVY)('run-suite through the Slurm script: 2 concurrent shards merge to one complete, agreeing run', async () => {
    const out = join(work, 'slurm');
    const task = (i: number): ChildProcess =>
      spawn('bash', [join(root, 'experiments', 'slurm', 'sweep.sbatch'), 'run-suite', SHIPPED, '--method', 'bab'], {
        cwd: root,
        stdio: 'ignore',
        env: { ...process.env, SLURM_ARRAY_TASK_ID: String(i), SLURM_ARRAY_TASK_COUNT: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '2', SLURM_SUBMIT_DIR: root, SLURM_CPUS_PER_TASK: '1', NSAD_OUT: out },
      });
    const codes = await Promise.all([1, 2].map((i) => new Promise<number | null>((r) => task(i).on('exit', (c) => r(c)))));
    expect(codes).toEqual([0, 0]);
    const merged = join(work, 'slurm-merged');
    const m = spawnSync(process.execPath, ['bin/nsad.js', 'experiment', 'merge', join(out, 'shard-1'), join(out, 'shard-2'), '--out', merged, '--json'], { cwd: root, encoding: 'utf8' });
    expect(m.status, m.stderr).toBe(0);
    expect((JSON.parse(m.stdout) as { experiments: { name: string; missing: number; rows: number }[] }).experiments).toEqual([{ name: 'suite', rows: readSuite(SHIPPED).instances.length, tasks: readSuite(SHIPPED).instances.length, missing: 0, sources: 2 }]);
    for (const row of rowsOf(merged)) expect(row.agrees, row.id).toBe(true);
  }, 300_000);

  it('cleans up', () => rmSync(work, { recursive: true, force: true }));
});
