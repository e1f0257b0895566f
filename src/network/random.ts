/**
 * The one seeded random-network generator of the project (experiments, benchmarks, tests).
 *
 * Draw order is part of the contract, so that a seed names one network: layer by layer, the
 * weights row by row (per entry: with `density < 1` first a float draw deciding whether the entry
 * is nonzero-eligible, then the value), then that layer's biases when `bias` is given. Every draw
 * comes from the caller's Rng (src/exact/rng.ts).
 */
import { Rational, ZERO } from '../exact/rational';
import type { Rng } from '../exact/rng';
import { Network, type Layer } from './network';

export interface RandomNetworkOptions {
  /** Input dimension p. */
  inputDim: number;
  /** Widths of the hidden layers; an output layer of one row is added. */
  widths: readonly number[];
  /**
   * Weight values: a list to pick from uniformly (default the ternary {−1, 0, 1}, the paper's
   * class, docs/theory.md §1), or an integer range {min, max}.
   */
  weights?: readonly number[] | { min: number; max: number };
  /** Probability that an entry is drawn at all (otherwise 0). Default 1 (no extra draw). */
  density?: number;
  /** Integer bias range for every layer; absent: bias-free. */
  bias?: { min: number; max: number };
  meta?: Record<string, unknown>;
}

const TERNARY = [-1, 0, 1] as const;

/**
 * A seeded random network: hidden widths `widths` on `inputDim` inputs and one output row, weights
 * drawn from a list (default ternary) or an integer range, optional density and biases. Same Rng
 * state, same network.
 */
export function randomNetwork(rng: Rng, o: RandomNetworkOptions): Network {
  const density = o.density ?? 1;
  const spec = o.weights ?? TERNARY;
  // Shared Rational instances per value: ternary networks allocate nothing per weight.
  const cache = new Map<number, Rational>();
  const R = (v: number): Rational => {
    let r = cache.get(v);
    if (r === undefined) cache.set(v, (r = Rational.int(v)));
    return r;
  };
  const draw: () => Rational = Array.isArray(spec)
    ? () => R((spec as readonly number[])[rng.int(0, spec.length - 1)]!)
    : () => R(rng.int((spec as { min: number }).min, (spec as { max: number }).max));
  const dims = [o.inputDim, ...o.widths, 1];
  const layers: Layer[] = [];
  for (let l = 1; l < dims.length; l++) {
    const rows = dims[l]!;
    const cols = dims[l - 1]!;
    const weights: Rational[][] = [];
    for (let i = 0; i < rows; i++) {
      const row = new Array<Rational>(cols);
      for (let j = 0; j < cols; j++) row[j] = density < 1 && !(rng.float() < density) ? ZERO : draw();
      weights.push(row);
    }
    const b = o.bias;
    const bias = Array.from({ length: rows }, () => (b ? R(rng.int(b.min, b.max)) : ZERO));
    layers.push({ weights, bias });
  }
  return new Network(o.inputDim, layers, o.meta ?? {});
}
