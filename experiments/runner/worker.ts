/**
 * Worker-thread side of the pool: receives {seq, name, opts, task}, runs the task, posts back
 * {seq, row} or {seq, error}. Rows are plain JSON, so structured cloning loses nothing.
 */
import { parentPort } from 'node:worker_threads';
import { loadExperiment, type ExperimentName } from './registry';
import type { ExperimentOptions, Task } from './types';

interface Job {
  seq: number;
  name: ExperimentName;
  opts: ExperimentOptions;
  task: Task;
}

if (!parentPort) throw new Error('experiments/runner/worker.ts must run in a worker thread');
const port = parentPort;
port.on('message', async (job: Job) => {
  try {
    const exp = await loadExperiment(job.name);
    const row = await exp.run(job.task, job.opts);
    port.postMessage({ seq: job.seq, row });
  } catch (e) {
    const err = e as Error;
    port.postMessage({ seq: job.seq, error: `${err.name}: ${err.message}\n${err.stack ?? ''}` });
  }
});
port.postMessage({ ready: true });
