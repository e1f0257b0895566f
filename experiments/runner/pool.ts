/**
 * The worker pool behind `--jobs k`: independent tasks on k worker threads (one per core is
 * the sensible maximum). Each worker takes the next task when it finishes one, so long and short
 * instances balance. Rows come back to the main thread, which alone writes the row store.
 *
 * With k ≤ 1, or an experiment that is not `parallel`, tasks run in this thread in list order.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { Experiment, ExperimentOptions, Row, Task } from './types';
import type { ExperimentName } from './registry';

const BOOT = fileURLToPath(new URL('../../src/io/worker-boot.mjs', import.meta.url));
const WORKER = new URL('./worker', import.meta.url).href;

export async function runTasks(
  exp: Experiment,
  tasks: readonly Task[],
  opts: ExperimentOptions,
  jobs: number,
  onRow: (row: Row, task: Task) => void,
): Promise<void> {
  if (jobs <= 1 || !exp.parallel || tasks.length <= 1) {
    for (const t of tasks) {
      onRow(checkRow(await exp.run(t, opts), t), t);
      // Synchronous tasks never yield to the event loop; give timers (the progress bar's redraw,
      // signal handlers) a turn between tasks.
      await new Promise<void>((r) => setImmediate(r));
    }
    return;
  }
  const k = Math.min(jobs, tasks.length);
  let next = 0;
  let failure: Error | null = null;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: k }, () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(BOOT, { workerData: { bootModule: WORKER } });
          workers.push(w);
          let current: { seq: number; task: Task } | null = null;
          const feed = (): void => {
            if (failure || next >= tasks.length) {
              current = null;
              resolve();
              return;
            }
            const seq = next++;
            current = { seq, task: tasks[seq]! };
            w.postMessage({ seq, name: exp.name as ExperimentName, opts, task: current.task });
          };
          w.on('message', (msg: { ready?: boolean; seq?: number; row?: Row; error?: string }) => {
            if (msg.ready) return feed();
            if (!current || msg.seq !== current.seq) return;
            if (msg.error !== undefined) {
              failure = new Error(`task ${current.task.id} failed in a worker: ${msg.error}`);
              return reject(failure);
            }
            try {
              onRow(checkRow(msg.row!, current.task), current.task);
            } catch (e) {
              failure = e as Error;
              return reject(failure);
            }
            feed();
          });
          w.on('error', (e) => {
            failure = e;
            reject(e);
          });
          w.on('exit', (code) => {
            if (current) reject(new Error(`worker exited (code ${code}) while running task ${current.task.id}`));
          });
        }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function checkRow(row: Row, task: Task): Row {
  if (!row || row.id !== task.id) throw new Error(`experiment bug: task ${task.id} returned a row with id ${row?.id}`);
  return row;
}
