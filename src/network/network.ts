/**
 * The layered ReLU network of docs/theory.md §1:
 *
 *     F(x) = W_L relu(W_{L-1} relu( … relu(W_1 x + b_1) …) + b_{L-1}) + b_L
 *
 * Hidden layers (all but the last) apply relu; the last layer is linear with exactly one row, so F
 * is scalar. Weights and biases are exact rationals; the headline case is ternary and bias-free.
 *
 * The constructor enforces the shape invariants and the size limits and names the offending field
 * as a JSON path (`layers[1].weights[3]`), so every consumer may assume a well-formed network.
 */
import { Rational, ZERO } from '../exact/rational';
import { UserError } from '../errors';

export interface Layer {
  /** `rows × cols` matrix, row-major: `weights[i][j]` weighs input j of neuron i. */
  readonly weights: readonly (readonly Rational[])[];
  /** One entry per row; all zero for a bias-free layer. */
  readonly bias: readonly Rational[];
}

/** Documented size limits: beyond these, inputs are refused with a clear error. */
export const LIMITS = {
  maxInputDim: 10_000_000,
  maxWidth: 10_000_000,
  maxLayers: 100_000,
  maxWeights: 100_000_000,
} as const;

export class Network {
  readonly inputDim: number;
  readonly layers: readonly Layer[];
  readonly meta: Record<string, unknown>;

  constructor(inputDim: number, layers: readonly Layer[], meta: Record<string, unknown> = {}) {
    if (!Number.isSafeInteger(inputDim) || inputDim < 1)
      throw new UserError(`inputDim: expected a positive integer, got ${JSON.stringify(inputDim)}`);
    if (inputDim > LIMITS.maxInputDim)
      throw new UserError(`inputDim: ${inputDim} exceeds the limit ${LIMITS.maxInputDim}`);
    if (layers.length < 1) throw new UserError('layers: expected at least one layer, got none');
    if (layers.length > LIMITS.maxLayers)
      throw new UserError(`layers: ${layers.length} layers exceed the limit ${LIMITS.maxLayers}`);
    let cols = inputDim;
    let total = 0;
    layers.forEach((layer, l) => {
      const rows = layer.weights.length;
      if (rows < 1) throw new UserError(`layers[${l}].weights: expected at least one row, got none`);
      if (rows > LIMITS.maxWidth)
        throw new UserError(`layers[${l}].weights: ${rows} rows exceed the limit ${LIMITS.maxWidth}`);
      if (l === layers.length - 1 && rows !== 1)
        throw new UserError(`layers[${l}].weights: the output layer must have exactly 1 row, got ${rows}`);
      layer.weights.forEach((row, i) => {
        if (row.length !== cols)
          throw new UserError(
            `layers[${l}].weights[${i}]: expected ${cols} entries (${l === 0 ? 'inputDim' : `rows of layers[${l - 1}]`}), got ${row.length}`,
          );
      });
      if (layer.bias.length !== rows)
        throw new UserError(`layers[${l}].bias: expected ${rows} entries, got ${layer.bias.length}`);
      total += rows * cols;
      if (total > LIMITS.maxWeights)
        throw new UserError(`layers: more than ${LIMITS.maxWeights} weights (the documented limit)`);
      cols = rows;
    });
    this.inputDim = inputDim;
    this.layers = layers;
    this.meta = meta;
  }

  /** Number of relu layers (all but the output layer). */
  get hiddenLayers(): number {
    return this.layers.length - 1;
  }
  /** Widths of the hidden layers. */
  get widths(): number[] {
    return this.layers.slice(0, -1).map((l) => l.weights.length);
  }
  get neurons(): number {
    return this.widths.reduce((a, b) => a + b, 0);
  }
  get weightCount(): number {
    return this.layers.reduce((s, l) => s + l.weights.length * (l.weights[0]?.length ?? 0), 0);
  }
  get nonzeros(): number {
    let c = 0;
    for (const l of this.layers) for (const row of l.weights) for (const w of row) if (!w.isZero()) c++;
    return c;
  }
  isBiasFree(): boolean {
    return this.layers.every((l) => l.bias.every((b) => b.isZero()));
  }
  isTernary(): boolean {
    return this.firstNonTernary() === null;
  }
  /** JSON path of the first weight not in {-1,0,1}, or null. */
  firstNonTernary(): string | null {
    for (let l = 0; l < this.layers.length; l++) {
      const W = this.layers[l]!.weights;
      for (let i = 0; i < W.length; i++) {
        const row = W[i]!;
        for (let j = 0; j < row.length; j++) {
          const w = row[j]!;
          if (!(w.d === 1n && w.n >= -1n && w.n <= 1n)) return `layers[${l}].weights[${i}][${j}] = ${w}`;
        }
      }
    }
    return null;
  }
  isIntegral(): boolean {
    return this.layers.every((l) => l.weights.every((r) => r.every((w) => w.isInteger())) && l.bias.every((b) => b.isInteger()));
  }
}

/** Throws a UserError naming the first offending field unless `net` is ternary (and bias-free when asked). */
export function requireTernary(net: Network, source: string, biasFree = true): void {
  const bad = net.firstNonTernary();
  if (bad !== null) throw new UserError(`${source}: ${bad}: expected a weight in {-1,0,1}`);
  if (biasFree) {
    net.layers.forEach((l, li) =>
      l.bias.forEach((b, i) => {
        if (!b.isZero()) throw new UserError(`${source}: layers[${li}].bias[${i}] = ${b}: expected a bias-free network`);
      }),
    );
  }
}

/** A layer from plain integers (tests, generators, reductions). `bias` defaults to zeros. */
export function layerOf(weights: readonly (readonly (number | bigint | Rational)[])[], bias?: readonly (number | bigint | Rational)[]): Layer {
  const toR = (v: number | bigint | Rational): Rational => (v instanceof Rational ? v : typeof v === 'number' && !Number.isInteger(v) ? Rational.fromNumber(v) : Rational.int(v));
  return {
    weights: weights.map((r) => r.map(toR)),
    bias: bias ? bias.map(toR) : weights.map(() => ZERO),
  };
}

/** Convenience: a network from integer matrices. */
export function networkOf(inputDim: number, layers: readonly (readonly (readonly (number | bigint | Rational)[])[])[], meta: Record<string, unknown> = {}): Network {
  return new Network(inputDim, layers.map((w) => layerOf(w)), meta);
}
