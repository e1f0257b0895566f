/**
 * `nsad decide FILE.cnf [--solver s] [--time-limit s] [--json]`: reduce the CNF to its ternary
 * network (docs/theory.md §4), ask the Clarke question at 0 (docs/theory.md §6), and read satisfiability back; on
 * `two`, decode an assignment and check it against the formula.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parseDimacs, readCnfFile } from '../../cnf/dimacs';
import { writeNetworkFile, networkToJson } from '../../network/format';
import { parseIntOption, parseNumberOption, exactJson } from '../args';
import { DEFAULT_CLARKE_SOLVER } from '../../clarke/decide';
import { decideCnf, timeUpAnswer } from '../../../reductions/decide-cnf';
import { TimeLimitReached } from '../../errors';
import { answerJson, answerLine, parseClarkeSolver, solverLine, JOBS_OPTION, parseJobs } from '../clarke-support';
import { checkOutputs, tryWrite } from '../../io/atomic';
import { writeCertificateFile } from '../../certificate/certificate';
import { ProofOutput } from '../../certificate/proof';
import { verifyProof } from '../../verify/proof';

interface Opts {
  jobs?: string;
  solver?: string;
  timeLimit?: string;
  certificate?: string;
  proof?: string;
  network?: string;
  seed?: string;
  trustSolver?: boolean;
  json?: boolean;
  verbose?: boolean;
}

export function register(program: Command): void {
  program
    .command('decide')
    .description('decide a DIMACS CNF through the Clarke question on its reduced network (satisfiable iff two subgradients at 0)')
    .argument('<file>', 'DIMACS CNF file (.cnf, .cnf.gz, or - for stdin)')
    .option('--solver <name>', `bab (exact branch and bound on the network, with proofs) or a MILP backend: highs, glpk, lpsolver (default ${DEFAULT_CLARKE_SOLVER})`)
    .option('--time-limit <sec>', 'total wall-clock budget for the solver calls (default 60)')
    .option('--certificate <out>', 'on "two", write the certificate (JSON) here')
    .option('--network <out>', 'write the reduced network (the one the certificate or proof is about)')
    .option('--proof <out>', 'on UNSATISFIABLE proven exactly by bab (--solver bab, or a MILP singleton re-proven), write the proof (nsad-clarke-proof JSON Lines) here')
    .option('--trust-solver', "answer singleton (UNSATISFIABLE) on a floating-point solver's word (exact: false) instead of unknown")
    .option('--seed <n>', 'seed of the random directions (default 1)')
    .option(...JOBS_OPTION)
    .option('--verbose', 'progress on stderr')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: Opts) => {
      const startedAt = performance.now(); // --time-limit covers the whole command, reading included
      // Outputs are checked before any work, so a long run never ends in a lost answer.
      checkOutputs([['--network', opts.network], ['--certificate', opts.certificate], ['--proof', opts.proof]], [file]);
      const solver = parseClarkeSolver(opts.solver, DEFAULT_CLARKE_SOLVER);
      const timeLimitSec = opts.timeLimit === undefined ? 60 : parseNumberOption(opts.timeLimit, '--time-limit', 0.1, 1e7);
      const seed = opts.seed === undefined ? 1 : parseIntOption(opts.seed, '--seed', 0, Number.MAX_SAFE_INTEGER);
      // The time limit covers the whole command: reading, reduction, solving.
      const deadline = startedAt + timeLimitSec * 1000;
      let cnf;
      try {
        cnf = file === '-' ? parseDimacs(readFileSync(0, 'utf8'), '<stdin>', { deadline }) : readCnfFile(file, { deadline });
      } catch (e) {
        if (!(e instanceof TimeLimitReached)) throw e;
      }
      const proofOut = new ProofOutput(opts.proof);
      const a = cnf === undefined ? { ...timeUpAnswer(startedAt, timeLimitSec, 'reading the formula', { solver }), net: null } : await decideCnf(cnf, {
        proofSink: proofOut.sink,
        solver,
        timeLimitSec,
        seed,
        jobs: parseJobs(opts.jobs),
        startedAt,
        trustSolver: opts.trustSolver === true,
        progress: opts.verbose ? (s) => process.stderr.write(`nsad decide: ${s}\n`) : undefined,
      }).catch((e: unknown) => {
        proofOut.abort();
        throw e;
      });
      const failures: string[] = [];
      const proofRes = proofOut.settle(a.answer === 'singleton' && a.exact && a.proofLeaves !== undefined && a.net !== null, (lines) => verifyProof(networkToJson(a.net!), lines));
      if (proofRes.failure) failures.push(proofRes.failure);
      if (proofRes.message) process.stderr.write(`nsad decide: ${proofRes.message}\n`);
      if (opts.network !== undefined) {
        if (a.net === null) process.stderr.write(`nsad decide: --network ${opts.network} not written: the time limit passed before the network was built\n`);
        else {
          const net = a.net;
          const f = tryWrite(`--network ${opts.network}`, () => writeNetworkFile(opts.network!, net));
          if (f) failures.push(f);
        }
      }
      if (opts.certificate !== undefined && a.certificate) {
        const f = tryWrite(`--certificate ${opts.certificate}`, () => writeCertificateFile(opts.certificate!, a.certificate!));
        if (f) failures.push(f);
      }
      if (opts.json) {
        const j = answerJson(a);
        const out: Record<string, unknown> = { answer: a.answer, exact: a.exact, satisfiable: a.satisfiable };
        if (a.assignment) out.assignment = a.assignment;
        if (j.certificate) out.certificate = j.certificate;
        Object.assign(out, { ...j, answer: a.answer, network: a.network });
        delete out.subgradients;
        if (failures.length > 0) out.notWritten = failures;
        console.log(exactJson(out));
      } else {
        const verdict = a.satisfiable === true ? 'SATISFIABLE' : a.satisfiable === false ? 'UNSATISFIABLE' : 'UNKNOWN';
        console.log(`${answerLine(a)}: ${verdict}${a.satisfiable === false && !a.exact ? " (on the solver's word)" : ''}`);
        console.log(`rests on: ${a.restsOn}`);
        if (a.assignment) console.log(`assignment (checked): ${a.assignment.join(' ')}`);
        console.log(solverLine(a));
      }
      for (const f of failures) process.stderr.write(`nsad decide: ${f} (the answer above stands)\n`);
      if (failures.length > 0) process.exitCode = 2;
    });
}
