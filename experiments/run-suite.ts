/**
 * `runSuite`: the library form of `nsad run-suite` (the suite experiment of ./suite.ts through the
 * experiment runner). A module of its own because the runner's registry imports ./suite.ts.
 */
import { readSuite } from '../reductions/families/suite';
import { DEFAULT_SEED, runExperiment, type RunOptions, type RunOutcome } from './runner/run';
import { WHOLE, type Shard } from './runner/shard';
import type { Experiment } from './runner/types';
import experiment, { recordedSuitePath, suiteFingerprint } from './suite';

/** Options of `runSuite` (the flags of `nsad run-suite`). */
export interface RunSuiteOptions {
  /** Output root: the run writes `<out>/suite/` (experiment outputs, docs/formats.md). */
  out: string;
  /** Methods (suiteMethods()); default ['bab']. */
  methods?: string[];
  /** Worker threads for independent instances; default 1. */
  jobs?: number;
  resume?: boolean;
  shard?: Shard;
  /** Cap on each instance's own limit, seconds. */
  timeLimitSec?: number;
  seed?: number;
  /** Progress bar on stderr; default false. */
  progress?: boolean;
  /** Recorded in the manifest; default a reconstruction of the equivalent `nsad run-suite` line. */
  command?: string;
}

/** The outcome of a suite run, with its aggregates (`report.summary` of the run, typed). */
export interface SuiteRunOutcome extends RunOutcome {
  disagreements: number;
}

/**
 * Run `methods` over every instance of the suite in `dir` (library form of `nsad run-suite`).
 * Pre: `dir` holds a suite manifest (UserError otherwise); `out` is not inside the suite.
 * Post: `<out>/suite/rows.jsonl` has one row per task; `disagreements` counts rows whose answer
 * contradicts the expected one or whose evidence failed a check.
 */
export async function runSuite(dir: string, o: RunSuiteOptions): Promise<SuiteRunOutcome> {
  readSuite(dir);
  const methods = o.methods ?? ['bab'];
  const ro: RunOptions = {
    out: o.out,
    quick: false,
    seed: o.seed ?? DEFAULT_SEED,
    timeLimitSec: o.timeLimitSec,
    resume: o.resume ?? false,
    shard: o.shard ?? WHOLE,
    jobs: o.jobs ?? 1,
    progress: o.progress ?? false,
    command: o.command ?? `nsad run-suite ${dir} --method ${methods.join(',')} --out ${o.out}`,
    methods,
    suite: { path: recordedSuitePath(dir), sha256: suiteFingerprint(dir) },
  };
  const r = await runExperiment(experiment as unknown as Experiment, ro);
  return { ...r, disagreements: (r.report.summary as { disagreements: number }).disagreements };
}
