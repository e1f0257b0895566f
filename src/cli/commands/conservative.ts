/**
 * `nsad conservative NET [--at x] [--count k] [--all] [--seed s] [--randomized] [--json]`:
 * is the conservative gradient of backprop at x (default 0) a singleton, or two (k) distinct
 * elements with the per-neuron relu'(0) choices that produce them (docs/theory.md §5).
 */
import type { Command } from 'commander';
import { readNetworkFile } from '../../network/format';
import { decideConservative } from '../../conservative';
import { parsePoint, parseIntOption, exactJson } from '../args';
import { withSource } from '../../errors';

export function register(program: Command): void {
  program
    .command('conservative')
    .description('two distinct conservative-gradient elements (or a singleton proof) in polynomial time, at 0 or any point')
    .argument('<net>', 'network file (nsad-network JSON)')
    .option('--at <x>', 'point: comma-separated rationals (1,-1/2,0) or a JSON file (default 0)')
    .option('--count <k>', 'number of distinct elements wanted (≥ 2)', '2')
    .option('--all', 'every vertex {Φ(D) : D ∈ {0,1}^free} (tiny networks, ≤ 20 free neurons)')
    .option('--seed <s>', 'seed for random relu\'(0) choices and the randomized test', '0')
    .option('--randomized', 'at a general point, use the Schwartz–Zippel test (labelled randomized) instead of the exact span test')
    .option('--json', 'print one JSON object')
    .action((netPath: string, opts: { at?: string; count: string; all?: boolean; seed: string; randomized?: boolean; json?: boolean }) => {
      const count = parseIntOption(opts.count, '--count', 2, 1_000_000);
      const seed = parseIntOption(opts.seed, '--seed', 0, Number.MAX_SAFE_INTEGER);
      const net = readNetworkFile(netPath);
      const at = opts.at !== undefined ? parsePoint(opts.at) : undefined;
      const r = withSource(netPath, () =>
        decideConservative(net, { at, count, all: opts.all === true, seed, randomized: opts.randomized === true }),
      );
      if (opts.json) {
        const o: Record<string, unknown> = {
          answer: r.answer,
          elements: r.elements,
          choices: r.choices,
          method: r.method,
          randomized: r.randomized,
          timeMs: Number(r.timeMs.toFixed(3)),
          freeNeurons: r.freeNeurons,
          stats: r.stats,
        };
        if (r.errorBound !== undefined) o.errorBound = r.errorBound;
        console.log(exactJson(o));
        return;
      }
      console.log(`answer      ${r.answer}`);
      console.log(`method      ${r.method}${r.randomized ? ' (randomized)' : ''}`);
      if (r.errorBound !== undefined) console.log(`error bound P[wrong singleton] ≤ ${r.errorBound}`);
      console.log(`free        ${r.freeNeurons} hidden neurons with zero pre-activation`);
      console.log(`time        ${r.timeMs.toFixed(3)} ms`);
      r.elements.forEach((el, k) => {
        const short = el.length > 20 ? `${el.slice(0, 20).join(',')},… (${el.length} entries)` : el.join(',');
        console.log(`element ${k + 1}   ${short}`);
      });
    });
}
