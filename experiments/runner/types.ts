/**
 * The contract between the experiment runner and the one-module-per-claim experiments
 * (docs/theory.md §2 lists the claims). An experiment is a deterministic list of independent tasks, a
 * function that turns one task into one row, and a report built from all rows.
 *
 * Why this shape: resume, sharding, merging and the worker pool all need the work split into
 * units with stable ids that can run anywhere (another thread, another Slurm job) and whose
 * results are plain JSON. The report is a pure function of the rows, so a merged set of shard
 * rows produces the same outputs as an unsharded run.
 */

/** A value that survives JSON round-trips unchanged (rows cross threads and files). */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** One unit of work. `id` is unique within an experiment and stable across runs with equal options. */
export interface Task {
  id: string;
  [k: string]: Json | undefined;
}

/** One result row; `id` equals the task's id and is the first CSV column. */
export interface Row {
  id: string;
  [k: string]: Json;
}

export interface ExperimentOptions {
  /** The reduced parameter set that `npm start` runs (each experiment documents what it does). */
  quick: boolean;
  /** Master seed; every task derives its own seed from it and its id (never from the order of execution). */
  seed: number;
  /** Wall-clock limit per solver call (MILP, SAT), seconds. */
  timeLimitSec: number;
  /** Tests only: a smaller parameter set than quick, so the whole pipeline runs in seconds. */
  tiny?: boolean;
  /**
   * The exact Clarke decision procedures to run (`--methods`, e.g. ["bab", "highs"]); undefined =
   * the experiment's default (experiments/methods.ts: every available backend). Part of the
   * options a resumed or merged run must share.
   */
  methods?: string[];
  /** run-suite: the suite folder (relative to the working folder when inside it) and the sha256 of its manifest.json. */
  suite?: string;
  suiteSha256?: string;
}

export type Holds = 'yes' | 'no' | 'partly' | 'unknown';

/** One line of the claims table. */
export interface Claim {
  /** docs/theory.md §2 claim number(s) or §3 for the artifacts, e.g. "1", "3", "§3". */
  ref: string;
  claim: string;
  /** The paper's statement, one line. */
  statement: string;
  /** What was measured, one line with the figures. */
  measured: string;
  holds: Holds;
  /** The stated rule that decided `holds` (footnote of the claims table). */
  rule?: string;
}

export interface PlotSpec {
  /** File stem: `<name>.svg`. */
  name: string;
  /** A vega-lite specification (data inline). */
  spec: Record<string, unknown>;
}

export interface Table {
  columns: string[];
  rows: (string | number)[][];
}

export interface Report {
  /** Markdown body (tables and notes) written to `table.md` under a generated header. */
  markdown: string;
  plots: PlotSpec[];
  claims: Claim[];
  /** Aggregates worth keeping in machine-readable form (`summary.json`). */
  summary: Record<string, Json>;
}

export interface Experiment<T extends Task = Task, R extends Row = Row> {
  name: string;
  title: string;
  /** What quick and full mode run, exactly (printed into table.md and the README). */
  describe(opts: ExperimentOptions): string;
  /** Default `timeLimitSec` when the user gives none. */
  defaultTimeLimitSec(quick: boolean): number;
  /**
   * For experiments that decide the Clarke question: the methods to use when `--methods` is not
   * given. The runner writes them into the options (hence the manifest), so a resumed or merged
   * run is refused if the available backends changed in between (e.g. bab landed).
   */
  defaultMethods?(opts: ExperimentOptions): string[];
  /**
   * Whether tasks may run concurrently on the worker pool. Wall-clock benchmarks say false: two
   * timings sharing two cores with other work measure the machine, not the algorithm.
   */
  parallel: boolean;
  /** Deterministic: same options, same list, same order, same ids. */
  tasks(opts: ExperimentOptions): T[];
  /** Pre: `task` came from `tasks(opts)`. Post: the row's id is `task.id`; the row is plain JSON. */
  run(task: T, opts: ExperimentOptions): Promise<R>;
  /** Pure function of the rows (any order); rows may be a subset of the tasks (a shard). */
  report(rows: R[], opts: ExperimentOptions): Promise<Report> | Report;
}
