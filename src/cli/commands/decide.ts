/**
 * `nsad decide FILE.cnf [--solver s] [--time-limit s] [--json]`: reduce the CNF to its ternary
 * network (docs/theory.md §4), ask the Clarke question at 0 (docs/theory.md §6), and read satisfiability back; on
 * `two`, decode an assignment and check it against the formula.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parseDimacs, readCnfFile } from '../../cnf/dimacs';
import { writeNetworkFile } from '../../network/format';
import { parseIntOption, parseNumberOption, exactJson } from '../args';
import { DEFAULT_SOLVER } from '../../clarke/decide';
import { decideCnf } from '../../../reductions/decide-cnf';
import { answerJson, parseSolver } from '../clarke-support';
import { writeCertificateFile } from '../../certificate/certificate';

interface Opts {
  solver?: string;
  timeLimit?: string;
  certificate?: string;
  network?: string;
  seed?: string;
  json?: boolean;
  verbose?: boolean;
}

export function register(program: Command): void {
  program
    .command('decide')
    .description('decide a DIMACS CNF through the Clarke question on its reduced network (satisfiable iff two subgradients at 0)')
    .argument('<file>', 'DIMACS CNF file (.cnf, .cnf.gz, or - for stdin)')
    .option('--solver <name>', `MILP backend: highs, glpk or lpsolver (default ${DEFAULT_SOLVER})`)
    .option('--time-limit <sec>', 'total wall-clock budget for the solver calls (default 60)')
    .option('--certificate <out>', 'on "two", write the certificate (JSON) here')
    .option('--network <out>', 'write the reduced network (the one the certificate is about)')
    .option('--seed <n>', 'seed of the random directions (default 1)')
    .option('--verbose', 'progress on stderr')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: Opts) => {
      const cnf = file === '-' ? parseDimacs(readFileSync(0, 'utf8'), '<stdin>') : readCnfFile(file);
      const solver = parseSolver(opts.solver, DEFAULT_SOLVER);
      const timeLimitSec = opts.timeLimit === undefined ? 60 : parseNumberOption(opts.timeLimit, '--time-limit', 0.1, 1e7);
      const seed = opts.seed === undefined ? 1 : parseIntOption(opts.seed, '--seed', 0, Number.MAX_SAFE_INTEGER);
      const a = await decideCnf(cnf, {
        solver,
        timeLimitSec,
        seed,
        progress: opts.verbose ? (s) => process.stderr.write(`nsad decide: ${s}\n`) : undefined,
      });
      if (opts.network !== undefined) writeNetworkFile(opts.network, a.net);
      if (opts.certificate !== undefined && a.certificate) writeCertificateFile(opts.certificate, a.certificate);
      if (opts.json) {
        const j = answerJson(a);
        const out: Record<string, unknown> = { answer: a.answer, satisfiable: a.satisfiable };
        if (a.assignment) out.assignment = a.assignment;
        if (j.certificate) out.certificate = j.certificate;
        Object.assign(out, { ...j, answer: a.answer, network: a.network });
        delete out.subgradients;
        console.log(exactJson(out));
        return;
      }
      console.log(`${a.answer}: ${a.satisfiable === true ? 'SATISFIABLE' : a.satisfiable === false ? 'UNSATISFIABLE' : 'UNKNOWN'}`);
      console.log(`rests on: ${a.restsOn}`);
      if (a.assignment) console.log(`assignment (checked): ${a.assignment.join(' ')}`);
      console.log(`solver ${a.solver}, ${(a.timeMs / 1000).toFixed(2)} s, binaries ${a.binariesBefore} → ${a.binaries}, constraints ${a.constraints}`);
    });
}
