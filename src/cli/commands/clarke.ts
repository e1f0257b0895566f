/**
 * `nsad clarke NET [--at x] [--cnf FILE] [--solver s] [--time-limit s] [--trust-solver]
 *  [--certificate OUT] [--export F] [--json]`:
 * does the Clarke subdifferential of F at x̄ have two distinct elements (docs/theory.md §6)?
 * With `--set` / `--contains V`: the whole set and exact membership (src/cli/clarke-set.ts, §9).
 *
 * `--cnf FILE` asserts that NET is the reduction of FILE: the reduction is rebuilt from FILE and
 * compared exactly with NET (a mismatch is refused); only then may the reduction rule be used.
 * The network's `meta` never changes an answer.
 */
import type { Command } from 'commander';
import { readNetworkFile, networkToJson } from '../../network/format';
import type { Network } from '../../network/network';
import { parsePoint, parseIntOption, parseNumberOption, exactJson } from '../args';
import { decideClarke, DEFAULT_CLARKE_SOLVER } from '../../clarke/decide';
import { answerJson, answerLine, parseClarkeSolver, solverLine, writeModel, exportFormat, JOBS_OPTION, parseJobs } from '../clarke-support';
import { writeCertificateFile } from '../../certificate/certificate';
import { ProofOutput } from '../../certificate/proof';
import { verifyProof } from '../../verify/proof';
import { checkOutputs, tryWrite } from '../../io/atomic';
import { readCnfFile } from '../../cnf/dimacs';
import { UserError } from '../../errors';
import { reduceCnf } from '../../../reductions/sat-to-relu';
import type { MilpModel } from '../../milp/model';
import { runClarkeSet } from '../clarke-set';
import { DEFAULT_MAX_PIECES } from '../../clarke/set/clarke-set';

interface Opts {
  jobs?: string;
  at?: string;
  cnf?: string;
  solver?: string;
  timeLimit?: string;
  trustSolver?: boolean;
  certificate?: string;
  proof?: string;
  export?: string;
  seed?: string;
  json?: boolean;
  verbose?: boolean;
  set?: boolean;
  contains?: string;
  containsCertificate?: string;
  maxPieces?: string;
  markdown?: string;
}

/** Exact comparison of two networks' shapes, weights and biases (meta ignored); null if equal. */
function firstDifference(a: Network, b: Network): string | null {
  if (a.inputDim !== b.inputDim) return `inputDim ${a.inputDim} vs ${b.inputDim} in the rebuilt reduction`;
  const la = networkToJson(a, { sparse: true }).layers as unknown[];
  const lb = networkToJson(b, { sparse: true }).layers as unknown[];
  if (la.length !== lb.length) return `${la.length} layers vs ${lb.length} in the rebuilt reduction`;
  for (let l = 0; l < la.length; l++) if (JSON.stringify(la[l]) !== JSON.stringify(lb[l])) return `layers[${l}] differs from the rebuilt reduction`;
  return null;
}

export function register(program: Command): void {
  program
    .command('clarke')
    .description('decide whether the Clarke subdifferential at x̄ has two elements (MILP search, exactly checked certificate) or is a singleton')
    .argument('<net>', 'network file (nsad-network JSON)')
    .option('--at <x>', 'the point x̄: comma-separated rationals or a JSON file (default 0)')
    .option('--cnf <file>', 'NET is the reduction of this DIMACS CNF: rebuilt and compared exactly; enables the reduction rule')
    .option('--solver <name>', `bab (exact branch and bound on the network, with proofs) or a MILP backend: highs, glpk, lpsolver (default ${DEFAULT_CLARKE_SOLVER})`)
    .option('--time-limit <sec>', 'total wall-clock budget for the solver calls (default 60)')
    .option('--trust-solver', "answer singleton on a floating-point solver's word (exact: false) instead of unknown")
    .option('--certificate <out>', 'on "two", write the certificate (JSON) here; with --set the set certificate, with --contains alone the membership certificate')
    .option('--set', 'the whole Clarke subdifferential at x̄: every piece gradient with a direction, extreme points, completeness certificate (docs/theory.md §9)')
    .option('--contains <v>', 'is v in the Clarke subdifferential at x̄? exact yes (convex weights) or no (separating direction); v: comma-separated rationals or a JSON file')
    .option('--contains-certificate <out>', 'with --set and --contains: write the membership certificate here')
    .option('--max-pieces <n>', `with --set: stop after n pieces and answer a partial set, complete: false (default ${DEFAULT_MAX_PIECES})`)
    .option('--markdown <out>', 'with --set or --contains: also write the Markdown view here')
    .option('--proof <out>', 'on an exact "singleton" proven by bab (--solver bab, or a MILP singleton re-proven), write the proof (nsad-clarke-proof JSON Lines) here')
    .option('--export <file>', 'write the first MILP (feasibility form) as CPLEX LP (.lp) or MPS (.mps)')
    .option('--seed <n>', 'seed of the random directions (default 1)')
    .option(...JOBS_OPTION)
    .option('--verbose', 'progress on stderr')
    .option('--json', 'print one JSON object')
    .action(async (netPath: string, opts: Opts) => {
      const startedAt = performance.now(); // --time-limit covers the whole command, reading included
      if (opts.set || opts.contains !== undefined) return runClarkeSet(netPath, opts, startedAt);
      for (const [k, name] of [['maxPieces', '--max-pieces'], ['markdown', '--markdown'], ['containsCertificate', '--contains-certificate']] as const)
        if (opts[k] !== undefined) throw new UserError(`${name} needs --set or --contains`);
      // Outputs are checked before any work, so a long run never ends in a lost answer.
      if (opts.export !== undefined) exportFormat(opts.export);
      checkOutputs([['--certificate', opts.certificate], ['--proof', opts.proof], ['--export', opts.export]], [netPath, opts.at, opts.cnf]);
      const net = readNetworkFile(netPath);
      const at = opts.at === undefined ? undefined : parsePoint(opts.at);
      const solver = parseClarkeSolver(opts.solver, DEFAULT_CLARKE_SOLVER);
      const timeLimitSec = opts.timeLimit === undefined ? 60 : parseNumberOption(opts.timeLimit, '--time-limit', 0.1, 1e7);
      const seed = opts.seed === undefined ? 1 : parseIntOption(opts.seed, '--seed', 0, Number.MAX_SAFE_INTEGER);
      let reduction = false;
      if (opts.cnf !== undefined) {
        const diff = firstDifference(net, reduceCnf(readCnfFile(opts.cnf)));
        if (diff !== null) throw new UserError(`${netPath}: not the reduction of ${opts.cnf} (${diff}); --cnf refused`);
        reduction = true;
      }
      let exported: MilpModel | null = null;
      const proofOut = new ProofOutput(opts.proof);
      const a = await decideClarke(net, {
        proofSink: proofOut.sink,
        at,
        solver,
        timeLimitSec,
        seed,
        jobs: parseJobs(opts.jobs),
        startedAt,
        reduction,
        trustSolver: opts.trustSolver === true,
        // Only with --export: the model is built by the MILP path (bab alone builds none).
        onModel:
          opts.export === undefined
            ? undefined
            : (m) => {
                exported ??= m;
              },
        progress: opts.verbose ? (s) => process.stderr.write(`nsad clarke: ${s}\n`) : undefined,
      }).catch((e: unknown) => {
        proofOut.abort();
        throw e;
      });
      const failures: string[] = [];
      const notes: string[] = [];
      const proofRes = proofOut.settle(a.answer === 'singleton' && a.exact && a.proofLeaves !== undefined, (lines) => verifyProof(networkToJson(net), lines));
      if (proofRes.failure) failures.push(proofRes.failure);
      if (proofRes.message) notes.push(proofRes.message);
      if (opts.export !== undefined) {
        const model = exported as MilpModel | null;
        if (model) {
          const f = tryWrite(`--export ${opts.export}`, () => writeModel(opts.export!, model));
          if (f) failures.push(f);
        } else notes.push(`no MILP was needed (${a.restsOn}); ${opts.export} not written`);
      }
      let certWritten = false;
      if (opts.certificate !== undefined && a.certificate) {
        const f = tryWrite(`--certificate ${opts.certificate}`, () => writeCertificateFile(opts.certificate!, a.certificate!));
        if (f) failures.push(f);
        else certWritten = true;
      }
      if (opts.json) console.log(exactJson({ ...answerJson(a), ...(failures.length > 0 ? { notWritten: failures } : {}) }));
      else {
        console.log(answerLine(a));
        console.log(`rests on: ${a.restsOn}`);
        if (a.subgradients) a.subgradients.forEach((g, i) => console.log(`g${i + 1} = [${g.map(String).join(', ')}]`));
        console.log(solverLine(a));
        if (certWritten) console.log(`certificate written to ${opts.certificate}`);
      }
      for (const n of notes) process.stderr.write(`nsad clarke: ${n}\n`);
      for (const f of failures) process.stderr.write(`nsad clarke: ${f} (the answer above stands)\n`);
      if (failures.length > 0) process.exitCode = 2;
    });
}
