/**
 * `nsad experiment <name>|all [--quick] [--out DIR] [--resume] [--shard i/n] [--time-limit s] [--jobs k] [--methods a,b]`
 * and `nsad experiment merge DIR… [--out DIR]`: reproduce the claims of docs/theory.md §2 (library:
 * experiments/runner/run.ts; one module per claim under experiments/).
 */
import type { Command } from 'commander';
import { checkOutputDir } from '../../io/atomic';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { UserError } from '../../errors';
import { parseIntOption, parseNumberOption } from '../args';
import { EXPERIMENT_NAMES, isExperimentName, loadExperiment } from '../../../experiments/runner/registry';
import { DEFAULT_SEED, runAll, runExperiment, mergeDirs, claimsMarkdown, type RunOptions } from '../../../experiments/runner/run';
import { parseShard, WHOLE } from '../../../experiments/runner/shard';
import { availableMethods, parseMethods } from '../../../experiments/methods';

/**
 * `results/` in the current directory: the repository root under `npm start`, where it is
 * git-ignored, so a run never dirties the tree. Reference results are committed by hand to
 * experiments/reference/ (its README says how).
 */
export const DEFAULT_OUT = 'results';

/** The runner's flags shared by `experiment` and `run-suite`, as commander gives them. */
export interface RunnerFlags {
  resume?: boolean;
  shard?: string;
  timeLimit?: string;
  jobs?: string;
  seed?: string;
  progress: boolean;
}

/** Narrow the shared runner flags (UserError naming the flag); the command line is recorded as given. */
export function runnerFlags(opts: RunnerFlags): Pick<RunOptions, 'seed' | 'timeLimitSec' | 'resume' | 'shard' | 'jobs' | 'progress' | 'command'> {
  return {
    seed: opts.seed === undefined ? DEFAULT_SEED : parseIntOption(opts.seed, '--seed', 0, Number.MAX_SAFE_INTEGER),
    timeLimitSec: opts.timeLimit === undefined ? undefined : parseNumberOption(opts.timeLimit, '--time-limit', 0.1, 1e6),
    resume: !!opts.resume,
    shard: opts.shard === undefined ? WHOLE : parseShard(opts.shard),
    jobs: opts.jobs === undefined ? cpus().length : parseIntOption(opts.jobs, '--jobs', 1, 256),
    progress: opts.progress,
    command: ['nsad', ...process.argv.slice(2)].join(' '),
  };
}

interface Opts {
  quick?: boolean;
  out?: string;
  resume?: boolean;
  shard?: string;
  timeLimit?: string;
  jobs?: string;
  seed?: string;
  methods?: string;
  json?: boolean;
  progress: boolean;
}

export function register(program: Command): void {
  program
    .command('experiment')
    .description(`reproduce the paper's claims: ${EXPERIMENT_NAMES.join(', ')}, all; or merge shard outputs`)
    .argument('<name>', `${EXPERIMENT_NAMES.join('|')}|all|merge`)
    .argument('[dirs...]', 'with merge: the shard output directories to combine')
    .option('--quick', 'the reduced parameter set (what npm start runs)')
    .option('--out <dir>', 'output root; each experiment writes <dir>/<name>/ (default ./results)')
    .option('--resume', 'keep the rows already recorded in <dir>/<name>/rows.jsonl and run only the rest')
    .option('--shard <i/n>', 'run only shard i of n (1-based, round-robin over the task list)')
    .option('--time-limit <s>', 'wall-clock seconds per solver call (default per experiment and mode)')
    .option('--jobs <k>', 'worker threads for independent instances (default: number of cores)')
    .option('--seed <n>', `master seed (default ${DEFAULT_SEED})`)
    .option('--methods <list>', `exact Clarke procedures for hardness and phase-transition, comma-separated (available: ${availableMethods().join(', ')}; default: all but lpsolver; phase-transition uses the first)`)
    .option('--json', 'print one JSON object')
    .option('--no-progress', 'no progress bars on stderr')
    .action(async (name: string, dirs: string[], opts: Opts) => {
      const out = resolve(opts.out ?? DEFAULT_OUT);
      checkOutputDir(out, '--out', name === 'merge' ? dirs : []); // before any work; merge never writes into a shard it reads
      if (name === 'merge') {
        if (dirs.length === 0) throw new UserError('experiment merge: expected one or more shard output directories');
        const r = await mergeDirs(dirs.map((d) => resolve(d)), out);
        if (opts.json) console.log(JSON.stringify({ out, ...r }));
        else {
          for (const e of r.experiments)
            console.log(`${e.name}: ${e.rows} rows from ${e.sources} shard(s)${e.missing ? `, ${e.missing} of ${e.tasks} tasks MISSING` : ', complete'}`);
          console.log(`\n${claimsMarkdown(r.claims)}`);
        }
        return;
      }
      if (dirs.length > 0) throw new UserError(`experiment ${name}: unexpected extra arguments ${dirs.join(' ')} (only merge takes directories)`);
      if (name !== 'all' && !isExperimentName(name))
        throw new UserError(`experiment: unknown experiment "${name}"; expected one of ${EXPERIMENT_NAMES.join(', ')}, all, merge`);
      const ro: RunOptions = { out, quick: !!opts.quick, ...runnerFlags(opts) };
      if (opts.methods !== undefined) ro.methods = parseMethods(opts.methods);
      if (name === 'all') {
        const r = await runAll(EXPERIMENT_NAMES, ro);
        if (opts.json) console.log(JSON.stringify({ out, seconds: r.seconds, failures: r.failures, experiments: r.outcomes.map(summary), claims: r.claims }));
        else {
          for (const o of r.outcomes) console.log(line(o));
          for (const f of r.failures) console.log(`${f.name}: FAILED: ${f.error}`);
          console.log(`\nClaims (${r.seconds.toFixed(0)} s; ${out}/claims.md):\n\n${claimsMarkdown(r.claims)}`);
        }
        if (r.failures.length > 0) process.exitCode = 1;
        return;
      }
      const exp = await loadExperiment(name);
      const o = await runExperiment(exp, ro);
      if (opts.json) console.log(JSON.stringify({ out, ...summary(o), claims: o.report.claims, summary: o.report.summary }));
      else {
        console.log(line(o));
        if (o.report.claims.length) console.log(`\n${claimsMarkdown(o.report.claims)}`);
      }
    });
}

function summary(o: Awaited<ReturnType<typeof runExperiment>>) {
  return { name: o.name, dir: o.dir, rows: o.rows, tasks: o.tasks, computed: o.computed, resumed: o.resumed, complete: o.complete, seconds: Math.round(o.seconds * 10) / 10 };
}

function line(o: Awaited<ReturnType<typeof runExperiment>>): string {
  return `${o.name}: ${o.rows}/${o.tasks} rows (${o.computed} computed, ${o.resumed} resumed) in ${o.seconds.toFixed(1)} s → ${o.dir}`;
}
