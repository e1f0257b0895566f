/** `nsad dir NET --at x --dir v [--dir w …]`: one-sided directional derivatives F'(x; v), exact. */
import type { Command } from 'commander';
import { readNetworkFile } from '../../network/format';
import { directionalDerivatives } from '../../ad/forward';
import { networkForwardOps, opRatio } from '../../ad/ops';
import { parsePoint, exactJson } from '../args';
import { checkPoint } from '../../network/evaluate';

export function register(program: Command): void {
  program
    .command('dir')
    .description("one-sided directional derivative F'(x; v) (forward mode, nonsmooth-correct); several --dir use vector mode")
    .argument('<net>', 'network file (nsad-network JSON)')
    .requiredOption('--at <x>', 'point: comma-separated rationals (1,-1/2,0) or a JSON file')
    .requiredOption('--dir <v>', 'direction (same syntax as --at); repeat for vector mode', (v: string, acc: string[] = []) => [...acc, v])
    .option('--json', 'print one JSON object')
    .action((netPath: string, opts: { at: string; dir: string[]; json?: boolean }) => {
      const net = readNetworkFile(netPath);
      const x = parsePoint(opts.at);
      checkPoint(net, x, '--at');
      const V = opts.dir.map((d) => parsePoint(d, '--dir'));
      const r = directionalDerivatives(net, x, V);
      const fops = networkForwardOps(net);
      if (opts.json) {
        // one direction: `derivative` is a number/string; several: an array in the order given
        const derivative = V.length === 1 ? r.derivatives[0] : r.derivatives;
        console.log(exactJson({ value: r.value, derivative, ops: r.ops, forwardOps: fops, opRatio: opRatio(r.ops, fops) }));
      } else {
        console.log(`value      ${r.value}`);
        console.log(`derivative ${r.derivatives.join(',')}`);
        console.log(`ops        ${r.ops.total} (forward ${fops.total}, ratio ${opRatio(r.ops, fops).toFixed(3)})`);
      }
    });
}
