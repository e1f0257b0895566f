/**
 * Randomized identity test for Φ (docs/theory.md §5, "a randomized alternative"), offered beside the exact
 * span test and always labelled as randomized in its output.
 *
 * Φ is a vector polynomial of degree ≤ H (the number of hidden layers: one free variable per layer
 * in each monomial). If Φ is not constant, `Q(r, r') = Φ(r) − Φ(r')` is a nonzero polynomial of
 * degree ≤ H, so by the Schwartz–Zippel lemma a uniform draw from S^{2N}, S = {0, …, 2^32 − 1},
 * gives `Q = 0` with probability ≤ H / 2^32. Evaluation is one exact backprop sweep with the free
 * diagonal entries set to the random integers (arithmetic over Q, so no modular wrap-around can
 * hide a coefficient). A "different" verdict is certain; only "constant" can be wrong.
 */
import { Rational } from '../exact/rational';
import { vecEq } from '../exact/rational';
import type { Rng } from '../exact/rng';
import type { Network } from '../network/network';
import { choicesOf, phi, type DiagPattern } from './pattern';

export const SZ_BITS = 32;
const SZ_MAX = (1n << BigInt(SZ_BITS)) - 1n;

/** The generator and the number of independent trials of the randomized identity test. */
export interface SzOptions {
  rng: Rng;
  /** Independent repetitions; the error bound is raised to this power. */
  trials: number;
}

function randomPoint(net: Network, pattern: DiagPattern, rng: Rng): Rational[] {
  return phi(net, choicesOf(pattern, () => Rational.int(rng.bigint(0n, SZ_MAX))));
}

/**
 * `c === null`: is Φ non-constant? Otherwise: is Φ ≢ c? True answers are certain; a false answer
 * is wrong with probability ≤ (H / 2^32)^trials.
 */
export function szDiffers(net: Network, pattern: DiagPattern, c: readonly Rational[] | null, o: SzOptions): boolean {
  for (let t = 0; t < o.trials; t++) {
    const a = randomPoint(net, pattern, o.rng);
    const b = c ?? randomPoint(net, pattern, o.rng);
    if (!vecEq(a, b)) return true;
  }
  return false;
}

/** The bound on the probability that a "constant" verdict is wrong, as text. */
export function szErrorBound(hiddenLayers: number, trials: number): string {
  return `(${hiddenLayers}/2^${SZ_BITS})^${trials}`;
}
