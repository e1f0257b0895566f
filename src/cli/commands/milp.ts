/**
 * `nsad milp FILE.lp|FILE.mps [--solver s] [--time-limit s] [--first-feasible] [--convert OUT] [--json]`:
 * solve an LP/MPS model (e.g. one written by `nsad clarke --export`) with any of the backends, or
 * convert it between the two formats. Parsing is HiGHS's (src/milp/backends/highs.ts readModelText).
 */
import type { Command } from 'commander';
import { UserError } from '../../errors';
import { checkOutputs, writeFileAtomic } from '../../io/atomic';
import { readTextFile } from '../../io/json-exact';
import { DEFAULT_SOLVER, getBackend, parseSolverName, readModelText } from '../../milp/backends';
import { toLpFormat } from '../../milp/lp-format';
import { toMps } from '../../milp/mps-format';
import { parseNumberOption } from '../args';

function formatOf(path: string, option: string): 'lp' | 'mps' {
  const p = path.toLowerCase();
  if (p.endsWith('.lp')) return 'lp';
  if (p.endsWith('.mps')) return 'mps';
  throw new UserError(`${option} ${path}: expected a .lp or .mps file name`);
}

export function register(program: Command): void {
  program
    .command('milp')
    .description('solve a CPLEX LP / MPS model with one of the MILP backends (or convert it)')
    .argument('<file>', 'model file (.lp or .mps)')
    .option('--solver <name>', `MILP backend: highs, glpk or lpsolver (default ${DEFAULT_SOLVER})`)
    .option('--time-limit <sec>', 'wall-clock limit in seconds (default 60)')
    .option('--first-feasible', 'stop at the first integer-feasible solution')
    .option('--convert <out>', 'write the model as .lp or .mps instead of solving it')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: { solver?: string; timeLimit?: string; firstFeasible?: boolean; convert?: string; json?: boolean }) => {
      const format = formatOf(file, 'FILE');
      if (opts.convert) formatOf(opts.convert, '--convert');
      const solver = opts.solver !== undefined ? parseSolverName(opts.solver) : DEFAULT_SOLVER;
      const timeLimitSec = opts.timeLimit !== undefined ? parseNumberOption(opts.timeLimit, '--time-limit', 1e-3, 1e7) : 60;
      checkOutputs([['--convert', opts.convert]], [file]);
      const text = readTextFile(file);
      if (text.trim() === '') throw new UserError(`${file}: empty model file`);
      let model;
      try {
        model = await readModelText(text, format, file);
      } catch (e) {
        throw new UserError(`${file}: ${(e as Error).message}`);
      }
      if (opts.convert) {
        const out = formatOf(opts.convert, '--convert') === 'lp' ? toLpFormat(model) : toMps(model);
        writeFileAtomic(opts.convert, out);
        if (opts.json) console.log(JSON.stringify({ converted: opts.convert, vars: model.vars.length, constraints: model.constraints.length }));
        return;
      }
      const r = await getBackend(solver).solve(model, { timeLimitSec, firstFeasible: opts.firstFeasible === true });
      const values = r.x ? Object.fromEntries(model.vars.map((v, j) => [v.name, r.x![j]!])) : undefined;
      if (opts.json) {
        console.log(JSON.stringify({ status: r.status, objective: r.objective, solver: r.solver, timeMs: Math.round(r.timeMs), rawStatus: r.rawStatus, tolerance: r.tolerance, vars: model.vars.length, integers: model.vars.filter((v) => v.integer).length, constraints: model.constraints.length, ...(values ? { values } : {}) }));
      } else {
        console.log(`${r.status}${r.objective !== null ? ` objective ${r.objective}` : ''} (${r.solver}: ${r.rawStatus}; ${(r.timeMs / 1000).toFixed(2)} s)`);
      }
    });
}
