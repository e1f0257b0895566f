/**
 * `nsad clarke NET [--at x] [--solver s] [--time-limit s] [--certificate OUT] [--export F] [--json]`:
 * does the Clarke subdifferential of F at x̄ have two distinct elements (docs/theory.md §6)?
 */
import type { Command } from 'commander';
import { readNetworkFile } from '../../network/format';
import { parsePoint, parseIntOption, parseNumberOption, exactJson } from '../args';
import { decideClarke, DEFAULT_SOLVER } from '../../clarke/decide';
import { answerJson, parseSolver, writeModel, exportFormat } from '../clarke-support';
import { writeCertificateFile } from '../../certificate/certificate';
import type { MilpModel } from '../../milp/model';

interface Opts {
  at?: string;
  solver?: string;
  timeLimit?: string;
  certificate?: string;
  export?: string;
  seed?: string;
  json?: boolean;
  verbose?: boolean;
}

export function register(program: Command): void {
  program
    .command('clarke')
    .description('decide whether the Clarke subdifferential at x̄ has two elements (MILP search, exactly checked certificate) or is a singleton')
    .argument('<net>', 'network file (nsad-network JSON)')
    .option('--at <x>', 'the point x̄: comma-separated rationals or a JSON file (default 0)')
    .option('--solver <name>', `MILP backend: highs, glpk or lpsolver (default ${DEFAULT_SOLVER})`)
    .option('--time-limit <sec>', 'total wall-clock budget for the solver calls (default 60)')
    .option('--certificate <out>', 'on "two", write the certificate (JSON) here')
    .option('--export <file>', 'write the first MILP (feasibility form) as CPLEX LP (.lp) or MPS (.mps)')
    .option('--seed <n>', 'seed of the random directions (default 1)')
    .option('--verbose', 'progress on stderr')
    .option('--json', 'print one JSON object')
    .action(async (netPath: string, opts: Opts) => {
      const net = readNetworkFile(netPath);
      const at = opts.at === undefined ? undefined : parsePoint(opts.at);
      const solver = parseSolver(opts.solver, DEFAULT_SOLVER);
      const timeLimitSec = opts.timeLimit === undefined ? 60 : parseNumberOption(opts.timeLimit, '--time-limit', 0.1, 1e7);
      const seed = opts.seed === undefined ? 1 : parseIntOption(opts.seed, '--seed', 0, Number.MAX_SAFE_INTEGER);
      if (opts.export !== undefined) exportFormat(opts.export);
      let exported: MilpModel | null = null;
      const a = await decideClarke(net, {
        at,
        solver,
        timeLimitSec,
        seed,
        onModel: (m) => {
          exported ??= m;
        },
        progress: opts.verbose ? (s) => process.stderr.write(`nsad clarke: ${s}\n`) : undefined,
      });
      if (opts.export !== undefined) {
        if (exported) writeModel(opts.export, exported);
        else process.stderr.write(`nsad clarke: no MILP was needed (${a.restsOn}); ${opts.export} not written\n`);
      }
      if (opts.certificate !== undefined && a.certificate) writeCertificateFile(opts.certificate, a.certificate);
      if (opts.json) {
        console.log(exactJson(answerJson(a)));
        return;
      }
      console.log(a.answer);
      console.log(`rests on: ${a.restsOn}`);
      if (a.subgradients) a.subgradients.forEach((g, i) => console.log(`g${i + 1} = [${g.map(String).join(', ')}]`));
      console.log(`solver ${a.solver}, ${(a.timeMs / 1000).toFixed(2)} s, binaries ${a.binariesBefore} → ${a.binaries}, constraints ${a.constraints}`);
      if (a.certificate && opts.certificate) console.log(`certificate written to ${opts.certificate}`);
    });
}
