/**
 * `nsad run-suite DIR [--method a,b] [--jobs k] [--out OUT] [--resume] [--shard i/n] [--time-limit s]`:
 * run decision procedures over every instance of a suite (`nsad generate suite`), check every
 * answer, compare it with the suite's expected answer (library: experiments/suite.ts, through the
 * experiment runner: OUT/suite/{rows.jsonl,rows.csv,table.md,summary.json,times.svg,manifest.json}).
 * Exit codes: 0 every answer agrees (or is unknown), 1 some answer disagrees, 2 bad input.
 */
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../errors';
import { checkOutputDir } from '../../io/atomic';
import { DEFAULT_SEED } from '../../../experiments/runner/run';
import { parseSuiteMethods, suiteMethods } from '../../../experiments/suite';
import { runSuite } from '../../../experiments/run-suite';
import { readSuite } from '../../../reductions/families/suite';
import { DEFAULT_OUT, runnerFlags, type RunnerFlags } from './experiment';

interface Opts extends RunnerFlags {
  method: string;
  out?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('run-suite')
    .description('run decision procedures over a suite (nsad generate suite), check every answer against the expected one')
    .argument('<dir>', 'the suite folder (manifest.json, instances.csv)')
    .option('--method <list>', `comma-separated: ${suiteMethods().join(', ')} (sat: the SAT solver, formula rows only)`, 'bab')
    .option('--out <dir>', 'output root; the run writes <dir>/suite/ (default ./results)')
    .option('--resume', 'keep the rows already recorded in <dir>/suite/rows.jsonl and run only the rest')
    .option('--shard <i/n>', 'run only shard i of n (merge shards with nsad experiment merge)')
    .option('--time-limit <s>', "cap on each instance's limit (default: the suite's per-instance limits)")
    .option('--jobs <k>', 'worker threads for independent instances (default: number of cores)')
    .option('--seed <n>', `seed of the procedures' random directions (default ${DEFAULT_SEED})`)
    .option('--json', 'print one JSON object')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (dir: string, opts: Opts) => {
      const suiteDir = resolve(dir);
      if (!existsSync(suiteDir) || !statSync(suiteDir).isDirectory()) throw new UserError(`${dir}: no such folder`);
      const out = resolve(opts.out ?? DEFAULT_OUT);
      checkOutputDir(out, '--out', [suiteDir]); // before any work; never into the suite it reads
      const methods = parseSuiteMethods(opts.method);
      readSuite(suiteDir); // a folder that is not a suite: one line, before any work
      const o = await runSuite(suiteDir, { out, methods, ...runnerFlags(opts) });
      const s = o.report.summary as { disagreements: number; methods: { method: string; tasks: number; solved: number; unknown: number; agree: number; disagree: number }[] };
      if (opts.json) console.log(JSON.stringify({ out: o.dir, rows: o.rows, tasks: o.tasks, computed: o.computed, resumed: o.resumed, complete: o.complete, seconds: Math.round(o.seconds * 10) / 10, summary: o.report.summary }));
      else {
        for (const m of s.methods) console.log(`${m.method}: ${m.solved}/${m.tasks} solved, ${m.unknown} unknown, ${m.agree} agree, ${m.disagree} DISAGREE`.replace(', 0 DISAGREE', ''));
        console.log(`${o.rows}/${o.tasks} rows (${o.computed} computed, ${o.resumed} resumed) in ${o.seconds.toFixed(1)} s → ${o.dir}/table.md`);
      }
      if (o.disagreements > 0) {
        process.stderr.write(`nsad: run-suite: ${o.disagreements} answer(s) disagree with the suite's expected answers (see ${o.dir}/table.md)\n`);
        process.exitCode = 1;
      }
    });
}
