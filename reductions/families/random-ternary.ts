/**
 * Random bias-free ternary networks at 0 (the paper's class, docs/theory.md §1): `depth` hidden
 * layers of `width` neurons on `inputs` inputs, each weight drawn with probability `density` from
 * {−1, 0, 1} (src/network/random.ts). No construction fixes the answer: it is computed at
 * generation by the branch and bound and stored with its certificate or exact proof, both checked
 * by the independent verifier (./evidence.ts); an instance the search does not settle within the
 * generation limit is written with the answer `unknown`. Sparse networks (small density) are
 * often linear at 0 (singleton) and dense ones rarely are.
 */
import { ZERO } from '../../src/exact/rational';
import { seededRng } from '../../src/exact/rng';
import { randomNetwork } from '../../src/network/random';
import { UserError } from '../../src/errors';
import type { NetInstance } from './types';

export interface RandomTernaryParams {
  inputs: number;
  width: number;
  depth: number;
  /** Probability that a weight is drawn at all (then uniform in {−1, 0, 1}); 1 = dense. */
  density: number;
}

export function randomTernary(params: RandomTernaryParams, seed: number): NetInstance {
  const { inputs: p, width: w, depth: d, density } = params;
  if (!Number.isSafeInteger(p) || p < 1) throw new UserError(`random-ternary: --inputs must be a positive integer, got ${p}`);
  if (!Number.isSafeInteger(w) || w < 1) throw new UserError(`random-ternary: --width must be a positive integer, got ${w}`);
  if (!Number.isSafeInteger(d) || d < 1) throw new UserError(`random-ternary: --depth must be a positive integer, got ${d}`);
  if (!(density > 0 && density <= 1)) throw new UserError(`random-ternary: --density must be in (0, 1], got ${density}`);
  const net = randomNetwork(seededRng(seed), {
    inputDim: p,
    widths: new Array<number>(d).fill(w),
    ...(density < 1 ? { density } : {}),
    meta: { generator: 'nsad generate net-random-ternary', inputs: p, width: w, depth: d, density, seed },
  });
  return {
    name: `random-ternary-p${p}-w${w}-d${d}-r${density}-s${seed}`,
    family: 'random-ternary',
    params: { inputs: p, width: w, depth: d, density },
    seed,
    net,
    at: new Array(p).fill(ZERO),
    expected: 'unknown',
    construction: 'no construction: the answer is computed at generation (branch and bound) and rests on the stored certificate or proof',
  };
}
