/**
 * `nsad audit NET --inputs FILE [--json] [--markdown OUT] [--svg OUT] [--float LIST] [--no-clarke]
 * [--solver s] [--time-limit s] [--seed n] [--no-pre] [--output K] [--round-inputs F]`: exact kinks, float sign flips,
 * backprop vs Clarke at each input (docs/audit.md). NET may be an nsad network or a model file
 * (.onnx / .safetensors, imported on the fly). Progress on stderr.
 */
import type { Command } from 'commander';
import { extname } from 'node:path';
import { readNetworkFile } from '../../network/format';
import { importModelFile } from '../../formats/import-model';
import type { FloatDtype } from '../../formats/ieee';
import { readInputRows, roundRows } from '../../audit/inputs';
import { auditNetwork, AUDIT_MAX_PIECES } from '../../audit/audit';
import { auditMarkdown, auditJson, auditSvg } from '../../audit/report';
import { checkOutputs, writeFileAtomic } from '../../io/atomic';
import { parseIntOption, parseNumberOption } from '../args';
import { parseSolver } from '../clarke-support';
import { DEFAULT_SOLVER } from '../../clarke/decide';
import { UserError, withSource } from '../../errors';

interface Opts {
  inputs: string;
  json?: boolean;
  markdown?: string;
  svg?: string;
  float?: string;
  clarke?: boolean;
  solver?: string;
  timeLimit?: string;
  seed?: string;
  pre?: boolean;
  output?: string;
  quiet?: boolean;
  roundInputs?: string;
  set?: boolean;
  maxPieces?: string;
}

const FORMATS: FloatDtype[] = ['float64', 'float32', 'float16', 'bfloat16'];

export function register(program: Command): void {
  program
    .command('audit')
    .description('per input: exact kinks, float32/float16 sign flips, the Clarke set at kinks and whether backprop (relu\'(0) = 0, 1/2, 1) is in it')
    .argument('<net>', 'network file (nsad-network JSON), or a .onnx / .safetensors model')
    .requiredOption('--inputs <file>', 'inputs: CSV rows (exact decimals) or a .npy array (N × inputDim, or N × d1 × …)')
    .option('--json', 'print the full report as one JSON object (default: the Markdown summary)')
    .option('--markdown <out>', 'also write the Markdown summary here')
    .option('--svg <out>', 'also write the figure (kinks and sign flips per layer) here')
    .option('--float <list>', `emulated float passes, comma-separated from ${FORMATS.join(', ')} (default float32,float16)`)
    .option('--no-clarke', 'skip the Clarke decision (decideClarke) and the Clarke set at inputs with a zero pre-activation')
    .option('--no-set', "skip the Clarke set and the exact membership of backprop (relu'(0) = 0, 1/2, 1) at kink inputs")
    .option('--max-pieces <n>', `Clarke set: stop after n pieces per kink input (partial set; membership may then be undecided; default ${AUDIT_MAX_PIECES})`)
    .option('--solver <name>', `MILP backend for the Clarke decision (default ${DEFAULT_SOLVER})`)
    .option('--time-limit <sec>', 'solver budget per input (default 10)')
    .option('--seed <n>', 'seed of the random directions (default 1)')
    .option('--no-pre', 'leave the exact pre-activations out of the JSON report')
    .option('--output <k>', 'for a model file with several outputs: the one to audit')
    .option('--round-inputs <format>', 'first replace each input value by its nearest float of this format (what a framework receives from a CSV of decimals)')
    .option('--quiet', 'no progress on stderr')
    .action(async (netPath: string, opts: Opts) => {
      checkOutputs([['--markdown', opts.markdown], ['--svg', opts.svg]], [netPath, opts.inputs]); // before any work
      const ext = extname(netPath).toLowerCase();
      const output = opts.output === undefined ? undefined : parseIntOption(opts.output, '--output', 0);
      const net = ext === '.onnx' || ext === '.safetensors' ? importModelFile(netPath, { output }) : readNetworkFile(netPath);
      let floats: FloatDtype[] | undefined;
      if (opts.float !== undefined) {
        floats = opts.float.split(',').map((s) => s.trim()).filter((s) => s !== '') as FloatDtype[];
        for (const f of floats) if (!FORMATS.includes(f)) throw new UserError(`--float: "${f}" is not one of ${FORMATS.join(', ')}`);
      }
      const solver = parseSolver(opts.solver, DEFAULT_SOLVER);
      const timeLimitSec = opts.timeLimit === undefined ? 10 : parseNumberOption(opts.timeLimit, '--time-limit', 0.1, 1e7);
      const seed = opts.seed === undefined ? 1 : parseIntOption(opts.seed, '--seed', 0, 2 ** 31 - 1);
      const maxPieces = opts.maxPieces === undefined ? undefined : parseIntOption(opts.maxPieces, '--max-pieces', 1, 1e9);
      const inputs = readInputRows(opts.inputs, net.inputDim);
      if (opts.roundInputs !== undefined && !FORMATS.includes(opts.roundInputs as FloatDtype))
        throw new UserError(`--round-inputs: "${opts.roundInputs}" is not one of ${FORMATS.join(', ')}`);
      const rows = opts.roundInputs === undefined ? inputs.rows : roundRows(inputs.rows, opts.roundInputs as FloatDtype, inputs.where);
      // The only bad input the audit itself can meet is the network's (a layer too large for its dense passes).
      const report = await withSource(netPath, () => auditNetwork(
        net,
        rows,
        {
          floats,
          clarke: opts.clarke !== false,
          solver,
          timeLimitSec,
          seed,
          keepPre: opts.pre !== false,
          inputRounding: opts.roundInputs as FloatDtype | undefined,
          set: opts.set !== false,
          maxPieces,
          progress: opts.quiet ? undefined : (s) => process.stderr.write(`nsad audit: ${s}\n`),
        },
        inputs.where,
      ));
      const md = auditMarkdown(report, `nsad audit of ${netPath} on ${opts.inputs}`);
      const svg = opts.svg ? await auditSvg(report) : null;
      if (opts.markdown) writeFileAtomic(opts.markdown, md);
      if (opts.svg && svg) writeFileAtomic(opts.svg, svg);
      if (opts.json) console.log(auditJson(report));
      else console.log(md);
    });
}
