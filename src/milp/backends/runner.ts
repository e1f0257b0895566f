/**
 * Runs solver calls in worker threads, with a watchdog.
 *
 * WHY: HiGHS and GLPK (wasm) block their thread for the whole `solve`, and javascript-lp-solver
 * only looks at its timeout between branch-and-bound nodes (docs/benchmarks.md#solvers, "Both wasm
 * solvers block the thread"). So every solve runs in a worker thread (`solver-worker.mjs`, plain
 * JS, so no TypeScript loader is needed in the worker), and the parent arms a timer: when the
 * worker has not answered by the hard deadline, it is terminated and the call resolves as
 * `{kind: 'killed'}`. `Worker.terminate()` interrupts running wasm and JS alike (tested in
 * test/milp/runner.test.ts).
 *
 * Workers are reused: starting a worker and loading a solver runtime costs 0.2–1 s here, and callers such as LP bound
 * tightening make many small solves. An idle worker is `unref`'d so it never keeps the process
 * alive; a killed worker is discarded and a fresh one is spawned next time. Each call gets its own
 * worker (an idle one or a new one), so concurrent calls do not queue behind each other.
 */
import { Worker } from 'node:worker_threads';

export type WorkerOp = 'ping' | 'load' | 'highs' | 'highs-read' | 'glpk' | 'lpsolver' | 'spin';

/** A worker call's outcome: its value, the error it threw, or killed by the watchdog. */
export type RunOutcome<T> =
  | { kind: 'ok'; value: T; wallMs: number }
  | { kind: 'error'; error: string; wallMs: number }
  | { kind: 'killed'; wallMs: number };

interface PendingJob {
  resolve: (o: RunOutcome<unknown>) => void;
  timer: NodeJS.Timeout | null;
  t0: number;
}

const WORKER_URL = new URL('./solver-worker.mjs', import.meta.url);
/** Idle workers kept for reuse; more than this are terminated when they become idle. */
const MAX_IDLE = 2;

class SolverThread {
  readonly worker: Worker;
  private nextId = 1;
  private pending = new Map<number, PendingJob>();
  dead = false;

  constructor() {
    // The worker redirects its own stdout to stderr (see solver-worker.mjs); piping it here would
    // keep the event loop alive after `unref`.
    // execArgv: the worker is plain JS and needs no loader (`--import tsx` would only slow its
    // start); inheriting flags such as `--input-type` would even crash it. Heap limits are kept.
    this.worker = new Worker(WORKER_URL, { execArgv: process.execArgv.filter((a) => /^--max-old-space-size|^--stack-size/.test(a)) });
    this.worker.on('message', (msg: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const job = this.pending.get(msg.id);
      if (!job) return;
      this.pending.delete(msg.id);
      if (job.timer) clearTimeout(job.timer);
      const wallMs = performance.now() - job.t0;
      job.resolve(msg.ok ? { kind: 'ok', value: msg.value, wallMs } : { kind: 'error', error: msg.error ?? 'unknown error', wallMs });
    });
    const fail = (why: string) => {
      this.dead = true;
      for (const [id, job] of this.pending) {
        this.pending.delete(id);
        if (job.timer) clearTimeout(job.timer);
        job.resolve({ kind: 'error', error: why, wallMs: performance.now() - job.t0 });
      }
    };
    this.worker.on('error', (e) => fail(`solver worker crashed: ${String(e)}`));
    this.worker.on('exit', (code) => fail(`solver worker exited with code ${code}`));
  }

  /** Stop the thread now (cancellation): pending calls resolve as `killed`. */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    for (const [id, job] of this.pending) {
      this.pending.delete(id);
      if (job.timer) clearTimeout(job.timer);
      job.resolve({ kind: 'killed', wallMs: performance.now() - job.t0 });
    }
    void this.worker.terminate();
  }

  run<T>(op: WorkerOp, payload: unknown, hardLimitMs: number): Promise<RunOutcome<T>> {
    const id = this.nextId++;
    return new Promise<RunOutcome<T>>((resolve) => {
      const job: PendingJob = { resolve: resolve as (o: RunOutcome<unknown>) => void, timer: null, t0: performance.now() };
      this.pending.set(id, job);
      // setTimeout fires at once beyond 2^31 − 1 ms: treat longer deadlines as none.
      if (Number.isFinite(hardLimitMs) && hardLimitMs < 2 ** 31 - 1) {
        job.timer = setTimeout(() => {
          if (!this.pending.has(id)) return;
          this.pending.delete(id);
          this.dead = true;
          // The watchdog: stop the blocked thread. Resolve at once; the exit event follows.
          void this.worker.terminate();
          resolve({ kind: 'killed', wallMs: performance.now() - job.t0 });
        }, Math.max(0, hardLimitMs));
      }
      this.worker.ref();
      this.worker.postMessage({ id, op, payload });
    });
  }
}

const idle: SolverThread[] = [];
/**
 * At most this many threads solve at once; further callers wait for a free slot (a caller that
 * fires hundreds of solves with Promise.all must not start hundreds of wasm runtimes). A waiting
 * call's solver budget starts when it gets its thread.
 */
export const MAX_ACTIVE = 4;
let active = 0;
const waiting: (() => void)[] = [];

async function acquire(): Promise<SolverThread> {
  // A released slot is handed directly to the first waiter (`active` unchanged), so no newcomer
  // can slip in between.
  if (active < MAX_ACTIVE) active++;
  else await new Promise<void>((r) => waiting.push(r));
  while (idle.length > 0) {
    const t = idle.pop()!;
    if (!t.dead) return t;
  }
  return new SolverThread();
}

function release(t: SolverThread): void {
  const next = waiting.shift();
  if (next) next();
  else active--;
  if (t.dead) return;
  if (idle.length >= MAX_IDLE) {
    void t.worker.terminate();
    return;
  }
  t.worker.unref();
  idle.push(t);
}

/**
 * Run a sequence of calls on one worker thread (e.g. `load`, then a solve whose time limit is what
 * remains after loading, then a follow-up solve). The thread returns to the idle pool afterwards,
 * unless the watchdog killed it. Aborting `signal` kills the thread: pending and later calls
 * resolve as `killed` / `error`.
 */
export async function withWorker<R>(
  fn: (run: <T>(op: WorkerOp, payload: unknown, hardLimitMs: number) => Promise<RunOutcome<T>>) => Promise<R>,
  signal?: AbortSignal,
): Promise<R> {
  const t = await acquire();
  const onAbort = () => t.kill();
  if (signal?.aborted) t.kill();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn((op, payload, hardLimitMs) => (t.dead ? Promise.resolve({ kind: 'error', error: 'solver worker is gone', wallMs: 0 }) : t.run(op, payload, hardLimitMs)));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    release(t);
  }
}

/**
 * Run one solver call in a worker thread.
 * Pre: `payload` is structured-cloneable. `hardLimitMs` is the watchdog deadline (may be Infinity).
 * Post: resolves (never rejects) within about `hardLimitMs` (+ a few ms), with the worker's answer,
 * its error text, or `killed` when the watchdog fired.
 */
export async function runInWorker<T>(op: WorkerOp, payload: unknown, hardLimitMs: number): Promise<RunOutcome<T>> {
  const t = await acquire();
  const out = await t.run<T>(op, payload, hardLimitMs);
  release(t);
  return out;
}

/** Terminate every idle worker (tests, or a long-running host that wants its memory back). */
export async function shutdownWorkers(): Promise<void> {
  const all = idle.splice(0, idle.length);
  await Promise.all(all.map((t) => t.worker.terminate()));
}

/**
 * Extra wall-clock seconds the watchdog allows on top of a solver's own time limit: time to load
 * the wasm runtime in a fresh worker and to copy the model in and the solution out.
 */
export const WATCHDOG_GRACE_SEC = 1.5;
