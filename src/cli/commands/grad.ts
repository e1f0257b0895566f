/** `nsad grad NET --at x --relu-prime 0|1|s|random[:seed]`: exact backprop (a conservative-gradient element). */
import type { Command } from 'commander';
import { readNetworkFile } from '../../network/format';
import { backward } from '../../ad/backward';
import { parseReluPrime } from '../../ad/relu-prime';
import { networkForwardOps, opRatio } from '../../ad/ops';
import { parsePoint, exactJson } from '../args';
import { checkPoint } from '../../network/evaluate';

export function register(program: Command): void {
  program
    .command('grad')
    .description("backpropagation at x with a relu'(0) policy: an element of the conservative gradient (docs/theory.md §1)")
    .argument('<net>', 'network file (nsad-network JSON)')
    .requiredOption('--at <x>', 'point: comma-separated rationals (1,-1/2,0) or a JSON file')
    .option('--relu-prime <s>', "relu'(0): 0 (PyTorch), 1, a rational in [0,1], or random[:seed]", '0')
    .option('--json', 'print one JSON object')
    .action((netPath: string, opts: { at: string; reluPrime: string; json?: boolean }) => {
      const policy = parseReluPrime(opts.reluPrime);
      const net = readNetworkFile(netPath);
      const x = parsePoint(opts.at);
      checkPoint(net, x, '--at');
      const r = backward(net, x, policy);
      const fops = networkForwardOps(net);
      if (opts.json) {
        console.log(
          exactJson({
            value: r.value,
            gradient: r.gradient,
            reluPrime: opts.reluPrime,
            zeros: r.zeros,
            pattern: r.pattern.map((p) => Array.from(p)),
            ops: r.ops,
            forwardOps: fops,
            opRatio: opRatio(r.ops, fops),
          }),
        );
      } else {
        console.log(`value    ${r.value}`);
        console.log(`gradient ${r.gradient.join(',')}`);
        console.log(`zero pre-activations: ${r.zeros.length}${r.zeros.length ? ' (relu\'(0) applied there)' : ''}`);
        console.log(`ops      ${r.ops.total} (forward ${fops.total}, ratio ${opRatio(r.ops, fops).toFixed(3)})`);
      }
    });
}
