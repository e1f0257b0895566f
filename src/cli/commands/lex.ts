/** `nsad lex NET --at x [--basis FILE]`: the lexicographic subgradient (docs/theory.md §7), a Clarke subgradient. */
import type { Command } from 'commander';
import { readNetworkFile } from '../../network/format';
import { lexicographicSubgradient } from '../../ad/lexicographic';
import { networkForwardOps, opRatio } from '../../ad/ops';
import { parsePoint, exactJson, readMatrixFile } from '../args';
import { checkPoint } from '../../network/evaluate';

export function register(program: Command): void {
  program
    .command('lex')
    .description('lexicographic subgradient at x (docs/theory.md §7): exact, Clarke-correct, p+1 sweeps')
    .argument('<net>', 'network file (nsad-network JSON)')
    .requiredOption('--at <x>', 'point: comma-separated rationals (1,-1/2,0) or a JSON file')
    .option('--basis <file>', 'JSON file with p directions m_1..m_p (default: the identity)')
    .option('--json', 'print one JSON object')
    .action((netPath: string, opts: { at: string; basis?: string; json?: boolean }) => {
      const net = readNetworkFile(netPath);
      const x = parsePoint(opts.at);
      checkPoint(net, x, '--at');
      const M = opts.basis ? readMatrixFile(opts.basis, '--basis') : undefined;
      const r = lexicographicSubgradient(net, x, M);
      const fops = networkForwardOps(net);
      if (opts.json) {
        console.log(exactJson({ value: r.value, subgradient: r.subgradient, ops: r.ops, forwardOps: fops, opRatio: opRatio(r.ops, fops) }));
      } else {
        console.log(`value       ${r.value}`);
        console.log(`subgradient ${r.subgradient.join(',')}`);
        console.log(`ops         ${r.ops.total} (forward ${fops.total}, ratio ${opRatio(r.ops, fops).toFixed(3)})`);
      }
    });
}
