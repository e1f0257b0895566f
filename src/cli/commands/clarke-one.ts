/**
 * `nsad clarke-one NET [--at x] [--seed s] [--lexicographic] [--json]`: one Clarke subgradient at x
 * (default 0) by one backprop at a nearby point where no pre-activation is zero (docs/theory.md §2 claim 5).
 * `--lexicographic` prints the lexicographic one (docs/theory.md §7, p + 1 sweeps) beside it.
 */
import type { Command } from 'commander';
import { readNetworkFile } from '../../network/format';
import { clarkeOne } from '../../conservative';
import { lexicographicSubgradient } from '../../ad/lexicographic';
import { Rational } from '../../exact/rational';
import { parsePoint, parseIntOption, exactJson } from '../args';

export function register(program: Command): void {
  program
    .command('clarke-one')
    .description('one Clarke subgradient by one backprop at a nearby point with no zero pre-activation')
    .argument('<net>', 'network file (nsad-network JSON)')
    .option('--at <x>', 'point: comma-separated rationals (1,-1/2,0) or a JSON file (default 0)')
    .option('--seed <s>', 'seed for the random direction', '0')
    .option('--lexicographic', 'also compute the lexicographic subgradient (p + 1 forward sweeps)')
    .option('--json', 'print one JSON object')
    .action((netPath: string, opts: { at?: string; seed: string; lexicographic?: boolean; json?: boolean }) => {
      const seed = parseIntOption(opts.seed, '--seed', 0, Number.MAX_SAFE_INTEGER);
      const net = readNetworkFile(netPath);
      const at = opts.at !== undefined ? parsePoint(opts.at) : undefined;
      const r = clarkeOne(net, at, seed);
      let lex: Rational[] | undefined;
      let lexMs: number | undefined;
      if (opts.lexicographic) {
        const t0 = performance.now();
        lex = lexicographicSubgradient(net, r.at).subgradient;
        lexMs = performance.now() - t0;
      }
      if (opts.json) {
        const o: Record<string, unknown> = {
          subgradient: r.subgradient,
          at: r.at,
          point: r.point,
          value: r.value,
          step: r.step,
          draws: r.draws,
          halvings: r.halvings,
          locallyZero: r.locallyZero,
          seed: r.seed,
          timeMs: Number(r.timeMs.toFixed(3)),
        };
        if (lex) {
          o.lexicographic = lex;
          o.lexicographicTimeMs = Number(lexMs!.toFixed(3));
        }
        console.log(exactJson(o));
        return;
      }
      console.log(`subgradient   ${r.subgradient.join(',')}`);
      console.log(`near point    ${r.point.join(',')}  (step ${r.step}, ${r.draws} draw(s), ${r.halvings} halving(s))`);
      console.log(`time          ${r.timeMs.toFixed(3)} ms`);
      if (lex) console.log(`lexicographic ${lex.join(',')}  (${lexMs!.toFixed(3)} ms)`);
    });
}
