/**
 * Backend speed on given models: every backend on every LP/MPS file, one table (and optionally
 * JSON). The models are typically exported by `nsad clarke NET --export model.lp`.
 *
 *   npx tsx src/milp/backends/bench.ts [--time-limit 60] [--solvers highs,glpk,lpsolver,race] [--json out.json] FILE.lp|FILE.mps...
 *
 * `race` is `raceSolve` over highs and glpk (./race.ts). `--knapsack` adds a seeded 30-item,
 * 3-row 0/1 knapsack (a small model every backend solves).
 *
 * Each solve runs in a fresh-or-idle worker with the watchdog (./runner.ts); times are wall-clock
 * and include copying the model into the worker (the runtime load is done once per worker).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { SOLVER_NAMES, type MilpModel, type SolverName } from '../model';
import { Rng } from '../../exact/rng';
import { writeJsonAtomic } from '../../io/atomic';
import { getBackend, parseSolverName, raceSolve, readModelText, shutdownWorkers } from './index';
import { parseArgs } from 'node:util';

interface Row {
  file: string;
  solver: SolverName | 'race';
  vars: number;
  integers: number;
  constraints: number;
  status: string;
  rawStatus: string;
  objective: number | null;
  timeMs: number;
}

/** A seeded 0/1 multidimensional knapsack (n items, m rows, capacity a third of each row's sum). */
export function knapsackModel(seed = 7, n = 30, m = 3): MilpModel {
  const rng = new Rng(seed);
  const objective = Array.from({ length: n }, (_, j) => ({ v: j, c: rng.int(10, 99) }));
  const vars = Array.from({ length: n }, (_, j) => ({ name: `x${j}`, lb: 0, ub: 1, integer: true }));
  const constraints = Array.from({ length: m }, (_, i) => {
    const terms = Array.from({ length: n }, (_, j) => ({ v: j, c: rng.int(5, 60) }));
    return { name: `c${i}`, terms, lo: -Infinity, hi: Math.floor(terms.reduce((a, t) => a + t.c, 0) / 3) };
  });
  return { name: `knapsack-${n}x${m}`, sense: 'max', objective, vars, constraints };
}

async function main(argv: string[]): Promise<void> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    options: { 'time-limit': { type: 'string', default: '60' }, solvers: { type: 'string' }, json: { type: 'string' }, knapsack: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const limit = Number(o['time-limit']);
  const solvers: (SolverName | 'race')[] = o.solvers !== undefined ? o.solvers.split(',').map((x) => (x === 'race' ? 'race' : parseSolverName(x))) : [...SOLVER_NAMES];
  const jsonOut: string | null = o.json ?? null;
  const files: string[] = [...(o.knapsack ? [':knapsack'] : []), ...positionals];
  if (!(limit > 0) || files.length === 0) {
    process.stderr.write('usage: bench.ts [--time-limit s] [--solvers a,b] [--json out] [--knapsack] FILE.lp|FILE.mps...\n');
    process.exit(2);
  }
  const rows: Row[] = [];
  for (const file of files) {
    const format = file.toLowerCase().endsWith('.mps') ? 'mps' : 'lp';
    const model = file === ':knapsack' ? knapsackModel() : await readModelText(readFileSync(file, 'utf8'), format, basename(file));
    for (const solver of solvers) {
      process.stderr.write(`${basename(file)} ${solver} …\n`);
      const r = solver === 'race' ? await raceSolve(model, { timeLimitSec: limit }) : await getBackend(solver).solve(model, { timeLimitSec: limit });
      rows.push({
        file: basename(file),
        solver,
        vars: model.vars.length,
        integers: model.vars.filter((v) => v.integer).length,
        constraints: model.constraints.length,
        status: r.status,
        rawStatus: r.rawStatus,
        objective: r.objective,
        timeMs: Math.round(r.timeMs),
      });
    }
  }
  await shutdownWorkers();
  const header = ['file', 'solver', 'vars', 'ints', 'rows', 'status', 'time s'];
  const table = [header, ...rows.map((r) => [r.file, r.solver, String(r.vars), String(r.integers), String(r.constraints), r.status, (r.timeMs / 1000).toFixed(2)])];
  const widths = header.map((_, c) => Math.max(...table.map((t) => t[c]!.length)));
  for (const t of table) process.stdout.write(t.map((s, c) => s.padEnd(widths[c]!)).join('  ') + '\n');
  if (jsonOut) writeJsonAtomic(jsonOut, { timeLimitSec: limit, rows });
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
