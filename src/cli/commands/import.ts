/**
 * `nsad import MODEL --out NET.json [--output K] [--format onnx|safetensors] [--sparse] [--json]`:
 * a trained model (ONNX or safetensors Sequential of Linear) as an exact nsad network (docs/audit.md).
 */
import type { Command } from 'commander';
import { importModelFile, type ModelFormat } from '../../formats/import-model';
import { writeNetworkFile } from '../../network/format';
import { checkOutputs } from '../../io/atomic';
import { parseIntOption, exactJson } from '../args';
import { UserError } from '../../errors';

interface Opts {
  out: string;
  output?: string;
  format?: string;
  sparse?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('import')
    .description('import an ONNX or safetensors ReLU MLP with every weight converted exactly to a rational')
    .argument('<model>', 'model file (.onnx, or .safetensors holding an nn.Sequential of Linear layers)')
    .requiredOption('--out <file>', 'network file to write (nsad-network JSON)')
    .option('--output <k>', 'for a model with several outputs (logits): the one to take as the scalar F')
    .option('--format <f>', 'onnx or safetensors (default: from the extension)')
    .option('--sparse', 'write layers in the sparse form')
    .option('--json', 'print one JSON object describing the result')
    .action((modelPath: string, opts: Opts) => {
      checkOutputs([['--out', opts.out]], [modelPath]); // before the work; never the model itself
      let format: ModelFormat | undefined;
      if (opts.format !== undefined) {
        if (opts.format !== 'onnx' && opts.format !== 'safetensors') throw new UserError(`--format: expected onnx or safetensors, got "${opts.format}"`);
        format = opts.format;
      }
      const output = opts.output === undefined ? undefined : parseIntOption(opts.output, '--output', 0);
      const net = importModelFile(modelPath, { output, format });
      writeNetworkFile(opts.out, net, { sparse: opts.sparse });
      const info = { out: opts.out, inputDim: net.inputDim, widths: net.widths, weights: net.weightCount, imported: net.meta.imported };
      if (opts.json) console.log(exactJson(info));
      else {
        const m = net.meta.imported as { format: string; dtype: string; ops: string[]; sha256: string };
        console.log(`${opts.out}: inputDim ${net.inputDim}, hidden widths [${net.widths.join(', ')}], ${net.weightCount} weights (exact ${m.dtype}), ${m.format} ops ${m.ops.join(' → ')}, sha256 ${m.sha256}`);
      }
    });
}
