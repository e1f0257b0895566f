/**
 * Seeds for the CNF generators: file i of a batch with seed S draws from `seededRng(S + i)`
 * (src/exact/rng.ts, the project's one seed mixer, stream 0). Deterministic and documented: the
 * recorded seed is all one needs to regenerate a file byte for byte.
 */
import { seededRng, type Rng } from '../exact/rng';

export { mixSeed, BURN_IN } from '../exact/rng';

/** The Rng every CNF generator draws from for a given recorded seed. */
export function generatorRng(seed: number): Rng {
  return seededRng(seed);
}
