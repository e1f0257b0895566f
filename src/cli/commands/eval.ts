/** `nsad eval NET --at x [--float]`: exact value of F at a rational point (and its op count). */
import type { Command } from 'commander';
import { readNetworkFile } from '../../network/format';
import { evaluateExact } from '../../network/evaluate';
import { evaluateFloatChecked } from '../../network/float';
import { networkForwardOps } from '../../ad/ops';
import { parsePoint, exactJson } from '../args';
import { checkPoint } from '../../network/evaluate';

export function register(program: Command): void {
  program
    .command('eval')
    .description('evaluate F exactly at a rational point')
    .argument('<net>', 'network file (nsad-network JSON)')
    .requiredOption('--at <x>', 'point: comma-separated rationals (1,-1/2,0) or a JSON file')
    .option('--float', 'also evaluate in float64 and report whether the float sign decisions are provably exact')
    .option('--json', 'print one JSON object')
    .action((netPath: string, opts: { at: string; float?: boolean; json?: boolean }) => {
      const net = readNetworkFile(netPath);
      const x = parsePoint(opts.at);
      checkPoint(net, x, '--at');
      const r = evaluateExact(net, x);
      const ops = networkForwardOps(net);
      const fl = opts.float ? evaluateFloatChecked(net, x) : null;
      if (opts.json) {
        const out: Record<string, unknown> = { value: r.value, ops };
        if (fl) out.float = { value: fl.value, signsProvablyExact: fl.exact, bound: fl.bound };
        console.log(exactJson(out));
      } else {
        console.log(r.value.toString());
        if (fl) console.log(`float64: ${fl.value}${fl.exact ? ' (sign decisions provably exact)' : ' (no exactness guarantee)'}`);
      }
    });
}
