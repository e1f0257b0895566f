/** Shared helpers for the Clarke-side tests: seeded random networks and points. */
import { Rational, ZERO } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { Network, layerOf } from '../../src/network/network';
import { randomNetwork as generate } from '../../src/network/random';

/** A random network with small integer weights; optional biases. */
export function randomNetwork(rng: Rng, opts: { p: number; widths: number[]; wmax?: number; bias?: boolean; density?: number }): Network {
  const wmax = opts.wmax ?? 2;
  return generate(rng, {
    inputDim: opts.p,
    widths: opts.widths,
    weights: { min: -wmax, max: wmax },
    density: opts.density ?? 0.8,
    ...(opts.bias ? { bias: { min: -2, max: 2 } } : {}),
  });
}

export function randomPoint(rng: Rng, p: number, den = 7): Rational[] {
  return Array.from({ length: p }, () => Rational.of(rng.int(-3 * den, 3 * den), den));
}

export const zeros = (p: number): Rational[] => Array.from({ length: p }, () => ZERO);

/**
 * A point x̄ where some first-layer pre-activations are exactly 0 (a "tie point"): pick x̄, then
 * shift the biases of a random subset of first-layer neurons so that their pre-activation vanishes.
 */
export function tiePoint(rng: Rng, net: Network): { net: Network; at: Rational[] } {
  const at = randomPoint(rng, net.inputDim, 1);
  const layers = net.layers.map((l, li) => {
    if (li !== 0) return l;
    const bias = l.weights.map((row, i) => {
      if (rng.float() < 0.6) {
        let s = ZERO;
        row.forEach((w, j) => (s = s.add(w.mul(at[j]!))));
        return s.neg();
      }
      return l.bias[i]!;
    });
    return { weights: l.weights, bias };
  });
  return { net: new Network(net.inputDim, layers), at };
}
