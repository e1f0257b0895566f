/**
 * Sizes and reduction times for the report (issue 4 "Done means"): every file of SATLIB uf20-91 and
 * uf50-218, and a seeded random 3-SAT instance with n = 100, m = round(4.26·n) = 426.
 *
 *     npx tsx reductions/measure.ts [--seed 1] [--repeat 5]
 *
 * Prints one JSON line per family: network size (identical for all files of a family: it depends
 * only on n, m and the clause widths) and the median / max time of `reduceCnf` (parsing excluded;
 * each instance reduced `repeat` times, the first run included).
 */
import { Rng } from '../src/exact/rng';
import { median } from '../src/exact/stats';
import { satlibFiles, type SatlibFamily } from '../src/cnf/satlib';
import { readCnfFile } from '../src/cnf/dimacs';
import { randomKSat, clausesForRatio } from '../src/cnf/generators/random-ksat';
import type { Cnf } from '../src/cnf/cnf';
import { reduceCnf, networkSize } from './sat-to-relu';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({ options: { seed: { type: 'string', default: '1' }, repeat: { type: 'string', default: '5' } }, strict: true });
const seed = Number(opts.seed);
const repeat = Math.max(1, Number(opts.repeat));
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(repeat)) throw new Error(`--seed and --repeat take integers, got ${opts.seed}, ${opts.repeat}`);

function measure(label: string, cnfs: Cnf[]): void {
  if (cnfs.length === 0) {
    console.log(JSON.stringify({ family: label, error: 'no instances (SATLIB absent?)' }));
    return;
  }
  const times: number[] = [];
  const sizes = new Set<string>();
  let size = null as ReturnType<typeof networkSize> | null;
  for (const cnf of cnfs) {
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      const net = reduceCnf(cnf);
      times.push(performance.now() - t0);
      size = networkSize(net);
      sizes.add(JSON.stringify({ ...size, widths: undefined }));
    }
  }
  times.sort((a, b) => a - b);
  const ms = (x: number): number => Math.round(x * 10) / 10;
  console.log(
    JSON.stringify({
      family: label,
      instances: cnfs.length,
      n: cnfs[0]!.n,
      m: cnfs[0]!.clauses.length,
      inputs: size!.inputs,
      layers: size!.layers,
      neurons: size!.neurons,
      nonzeros: size!.nonzeros,
      widths: size!.widths,
      distinctSizes: sizes.size,
      medianMs: ms(median(times)),
      maxMs: ms(times[times.length - 1]!),
    }),
  );
}

for (const fam of ['uf20-91', 'uf50-218'] as SatlibFamily[]) measure(fam, satlibFiles(fam).map((f) => readCnfFile(f)));
const n = 100;
measure(`random-3sat n=100 m=426 seed=${seed}`, [randomKSat({ n, m: clausesForRatio(n, 4.26), k: 3 }, new Rng(seed))]);
