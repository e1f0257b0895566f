/** `nsad reduce FILE.cnf --out NET.json`: the 3-SAT → ternary ReLU network reduction (docs/theory.md §4). */
import type { Command } from 'commander';
import { reduceFile, networkSize } from '../../../reductions/sat-to-relu';
import { writeNetworkFile } from '../../network/format';
import { UserError } from '../../errors';
import { checkOutputs } from '../../io/atomic';

export function register(program: Command): void {
  program
    .command('reduce')
    .description('reduce a DIMACS CNF to a layered, bias-free ReLU network with weights in {-1,0,1} such that F ≢ 0 iff the formula is satisfiable (docs/theory.md §4)')
    .argument('<file>', 'DIMACS CNF file (.cnf or .cnf.gz, - for stdin)')
    .requiredOption('--out <net>', 'output network file (nsad-network JSON, written atomically)')
    .option('--sparse', 'write layers in the sparse (rows, cols, entries) form (the default)')
    .option('--dense', 'write layers as dense weight matrices (O(m²) entries: small formulas only)')
    .option('--strict', 'a header clause count that differs from the file is an error (default: a warning)')
    .option('--json', 'print one JSON object {inputs, layers, neurons, nonzeros, …}')
    .action((file: string, opts: { out: string; sparse?: boolean; dense?: boolean; strict?: boolean; json?: boolean }) => {
      if (opts.sparse === true && opts.dense === true) throw new UserError('--sparse and --dense: choose one');
      checkOutputs([['--out', opts.out]], [file]); // before the work; refuses to overwrite the input
      const { cnf, net, sha256, timeMs } = reduceFile(file, { strict: opts.strict === true });
      writeNetworkFile(opts.out, net, { sparse: opts.dense !== true });
      const size = networkSize(net);
      const ternary = net.isTernary();
      const biasFree = net.isBiasFree();
      if (opts.json) {
        console.log(
          JSON.stringify({
            inputs: size.inputs,
            layers: size.layers,
            hiddenLayers: size.hiddenLayers,
            neurons: size.neurons,
            nonzeros: size.nonzeros,
            widths: size.widths,
            ternary,
            biasFree,
            n: cnf.n,
            m: cnf.clauses.length,
            source: file,
            sha256,
            out: opts.out,
            construction: net.meta['construction'],
            timeMs: Math.round(timeMs * 1000) / 1000,
          }),
        );
        return;
      }
      console.log(
        `${file}: n=${cnf.n} m=${cnf.clauses.length} → ${opts.out}: inputs ${size.inputs}, layers ${size.layers} (${size.hiddenLayers} hidden), ` +
          `neurons ${size.neurons}, nonzeros ${size.nonzeros}${ternary && biasFree ? ', ternary, bias-free' : ''} (${timeMs.toFixed(1)} ms)`,
      );
    });
}
