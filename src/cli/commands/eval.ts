/** `nsad eval NET --at x`: exact value of F at a rational point. */
import type { Command } from 'commander';
import { readNetworkFile } from '../../network/format';
import { evaluateExact } from '../../network/evaluate';
import { parsePoint, exactJson } from '../args';

export function register(program: Command): void {
  program
    .command('eval')
    .description('evaluate F exactly at a rational point')
    .argument('<net>', 'network file (nsad-network JSON)')
    .requiredOption('--at <x>', 'point: comma-separated rationals (1,-1/2,0) or a JSON file')
    .option('--json', 'print one JSON object')
    .action((netPath: string, opts: { at: string; json?: boolean }) => {
      const net = readNetworkFile(netPath);
      const x = parsePoint(opts.at);
      const r = evaluateExact(net, x);
      if (opts.json) console.log(exactJson({ value: r.value }));
      else console.log(r.value.toString());
    });
}
