/** `nsad sat FILE`: decide a DIMACS CNF with the reference solver (MiniSat via logic-solver). */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parseDimacs, readCnfFile } from '../../cnf/dimacs';
import { beyondSatCapacity, solveSat } from '../../cnf/sat';
import { UserError } from '../../errors';
import { parseNumberOption } from '../args';

export function register(program: Command): void {
  program
    .command('sat')
    .description('decide a DIMACS CNF (.cnf, .cnf.gz, or - for stdin) with the reference SAT solver; a sat model is checked against every clause before it is printed')
    .argument('<file>', 'DIMACS CNF file')
    .option('--json', 'print one JSON object {status, assignment, …}')
    .option('--strict', 'a header clause count that differs from the file is an error (default: a warning)')
    .option('--time-limit <sec>', 'wall-clock limit; the solver runs in a child process killed at the limit (status unknown)')
    .action((file: string, opts: { json?: boolean; strict?: boolean; timeLimit?: string }) => {
      const timeLimitSec = opts.timeLimit === undefined ? undefined : parseNumberOption(opts.timeLimit, '--time-limit', 1e-3, 1e7);
      const dimacsOpts = { strict: opts.strict === true };
      const cnf = file === '-' ? parseDimacs(readFileSync(0, 'utf8'), '<stdin>', dimacsOpts) : readCnfFile(file, dimacsOpts);
      // Beyond what the solver can hold: refused up front (docs/cli.md), not run into its heap limit.
      const beyond = beyondSatCapacity(cnf);
      if (beyond !== null) throw new UserError(`${file === '-' ? '<stdin>' : file}: ${beyond}`);
      const r = solveSat(cnf, timeLimitSec === undefined ? {} : { timeLimitSec });
      // The solver failing is not an answer: after the (unknown) output, one line and exit 1.
      if (r.outOfMemory) process.exitCode = 1;
      if (opts.json) {
        const out: Record<string, unknown> = { status: r.status };
        if (r.assignment !== undefined) out['assignment'] = r.assignment;
        Object.assign(out, { file, n: cnf.n, clauses: cnf.clauses.length, solver: r.solver, timeMs: Math.round(r.timeMs * 1000) / 1000 });
        if (r.reason !== undefined) out['reason'] = r.reason;
        console.log(JSON.stringify(out));
        if (r.outOfMemory) process.stderr.write(`nsad: sat: the reference solver failed: ${r.reason}\n`);
        return;
      }
      // SAT-competition output format: s line, v lines ending in 0, c comments.
      console.log(`c ${r.solver}, ${cnf.n} variables, ${cnf.clauses.length} clauses, ${r.timeMs.toFixed(1)} ms${r.reason ? `, ${r.reason}` : ''}`);
      console.log(`s ${r.status === 'sat' ? 'SATISFIABLE' : r.status === 'unsat' ? 'UNSATISFIABLE' : 'UNKNOWN'}`);
      if (r.assignment !== undefined) {
        const lits = [...r.assignment.map(String), '0'];
        for (let i = 0; i < lits.length; i += 20) console.log(`v ${lits.slice(i, i + 20).join(' ')}`);
      }
      if (r.outOfMemory) process.stderr.write(`nsad: sat: the reference solver failed: ${r.reason}\n`);
    });
}
