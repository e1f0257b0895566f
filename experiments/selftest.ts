/**
 * A tiny experiment that exercises the runner only (not part of `all`, not a claim): each task
 * draws a few numbers from its own seed and optionally sleeps, so tests can kill a run part-way
 * (`NSAD_SELFTEST_SLEEP_MS`) and check resume, shard and merge on rows whose content is known.
 */
import { Rng } from '../src/exact/rng';
import { taskSeed } from './runner/shard';
import type { Experiment, ExperimentOptions, Row, Task } from './runner/types';

interface SelfTask extends Task {
  k: number;
}

const selftest: Experiment<SelfTask, Row> = {
  name: 'selftest',
  title: 'Runner self-test',
  describe: (o) => `${o.quick ? 6 : 12} tasks, each draws 3 integers from its own seed.`,
  defaultTimeLimitSec: () => 1,
  parallel: true,
  tasks(o: ExperimentOptions): SelfTask[] {
    const n = Number(process.env.NSAD_SELFTEST_TASKS ?? (o.quick ? 6 : 12));
    return Array.from({ length: n }, (_, k) => ({ id: `t${String(k).padStart(3, '0')}`, k }));
  },
  async run(t, o) {
    const sleep = Number(process.env.NSAD_SELFTEST_SLEEP_MS ?? 0);
    if (sleep > 0) await new Promise((r) => setTimeout(r, sleep));
    const seed = taskSeed(o.seed, t.id);
    const rng = new Rng(seed);
    return { id: t.id, k: t.k, seed, draws: [rng.int(0, 999), rng.int(0, 999), rng.int(0, 999)] };
  },
  report(rows) {
    const total = rows.reduce((s, r) => s + (r.draws as number[]).reduce((a, b) => a + b, 0), 0);
    return {
      markdown: `rows: ${rows.length}, sum of draws: ${total}\n`,
      plots: [{ name: 'draws', spec: { data: { values: rows.map((r) => ({ k: r.k, d: (r.draws as number[])[0] })) }, mark: 'point', encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 'd', type: 'quantitative' } } } }],
      claims: [],
      summary: { rows: rows.length, total },
    };
  },
};
export default selftest;
