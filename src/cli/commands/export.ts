/**
 * `nsad export NET --onnx OUT [--dtype float32|float64|float16]` (or `--safetensors OUT`): write a
 * network whose weights are exactly representable floats as a model other tools run (docs/audit.md).
 */
import type { Command } from 'commander';
import { readNetworkFile } from '../../network/format';
import { exportOnnx, exportDtype, OPSET_MAX, OPSET_MIN } from '../../formats/onnx';
import { exportSafetensors } from '../../formats/safetensors';
import { checkOutputs, writeFileAtomic } from '../../io/atomic';
import { parseIntOption } from '../args';
import { UserError } from '../../errors';

interface Opts {
  onnx?: string;
  safetensors?: string;
  dtype?: string;
  opset?: string;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('write a network with float-representable weights as ONNX (Gemm + Relu) or safetensors')
    .argument('<net>', 'network file (nsad-network JSON)')
    .option('--onnx <out>', 'ONNX file to write')
    .option('--safetensors <out>', 'safetensors file to write (keys 0.weight, 0.bias, 2.weight, …)')
    .option('--dtype <t>', 'float32, float64 or float16 (default: float32 if every weight is one, else float64)')
    .option('--opset <n>', `ONNX opset (${OPSET_MIN}–${OPSET_MAX}, default 13)`)
    .action((netPath: string, opts: Opts) => {
      if (!opts.onnx && !opts.safetensors) throw new UserError('export: give --onnx OUT or --safetensors OUT');
      const d = opts.dtype;
      if (d !== undefined && d !== 'float32' && d !== 'float64' && d !== 'float16')
        throw new UserError(`--dtype: expected float32, float64 or float16, got "${d}"`);
      const dtype: 'float32' | 'float64' | 'float16' | undefined = d;
      const opset = opts.opset === undefined ? undefined : parseIntOption(opts.opset, '--opset', OPSET_MIN, OPSET_MAX);
      checkOutputs([['--onnx', opts.onnx], ['--safetensors', opts.safetensors]], [netPath]);
      const net = readNetworkFile(netPath);
      // Encode everything first, then write: a refused weight leaves no file behind.
      const outs: Array<[string, Uint8Array]> = [];
      if (opts.onnx) outs.push([opts.onnx, exportOnnx(net, netPath, { dtype, opset })]);
      if (opts.safetensors) {
        let st = dtype;
        if (st === undefined) {
          const c = exportDtype(net);
          if ('bad' in c) throw new UserError(`${netPath}: ${c.bad} is not exactly representable in float32 or float64; export writes exact weights only`);
          st = c.dtype;
        }
        outs.push([opts.safetensors, exportSafetensors(net, netPath, st)]);
      }
      for (const [path, bytes] of outs) {
        writeFileAtomic(path, bytes);
        console.log(`${path}: ${bytes.length} bytes`);
      }
    });
}

