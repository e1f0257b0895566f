/** fast-check generators for small exact networks and rational points (test/core only). */
import fc from 'fast-check';
import { Rational } from '../../src/exact/rational';
import { Network, layerOf } from '../../src/network/network';

export interface NetSpec {
  inputDim: number;
  widths: number[];
  weights: number[][][];
  biases: number[][] | null;
}

export function toNetwork(s: NetSpec): Network {
  return new Network(
    s.inputDim,
    s.weights.map((W, l) => layerOf(W, s.biases ? s.biases[l] : undefined)),
  );
}

function matrix(rows: number, cols: number, lo: number, hi: number): fc.Arbitrary<number[][]> {
  return fc.array(fc.array(fc.integer({ min: lo, max: hi }), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
}

/** Integer weights in [lo, hi]; optional integer biases in [-2, 2]. */
export function arbNetSpec(opts: { maxIn?: number; maxWidth?: number; maxHidden?: number; lo?: number; hi?: number; bias?: boolean } = {}): fc.Arbitrary<NetSpec> {
  const { maxIn = 3, maxWidth = 4, maxHidden = 3, lo = -2, hi = 2, bias = false } = opts;
  return fc
    .record({
      inputDim: fc.integer({ min: 1, max: maxIn }),
      widths: fc.array(fc.integer({ min: 1, max: maxWidth }), { minLength: 0, maxLength: maxHidden }),
    })
    .chain(({ inputDim, widths }) => {
      const dims = [inputDim, ...widths, 1];
      const mats = dims.slice(1).map((r, l) => matrix(r, dims[l]!, lo, hi));
      const biases = bias
        ? fc.tuple(...dims.slice(1).map((r) => fc.array(fc.integer({ min: -2, max: 2 }), { minLength: r, maxLength: r })))
        : fc.constant(null);
      return fc.record({
        inputDim: fc.constant(inputDim),
        widths: fc.constant(widths),
        weights: fc.tuple(...mats),
        biases,
      });
    });
}

/** A rational with numerator in [−6, 6] and denominator in {1, 2, 3, 4}. */
export const arbRational: fc.Arbitrary<Rational> = fc
  .tuple(fc.integer({ min: -6, max: 6 }), fc.integer({ min: 1, max: 4 }))
  .map(([n, d]) => Rational.of(n, d));

/** A rational, often exactly 0 (so that zero pre-activations are common). */
export const arbRationalOrZero: fc.Arbitrary<Rational> = fc.oneof(arbRational, fc.constant(Rational.int(0)));

export function arbVector(p: number, arb: fc.Arbitrary<Rational> = arbRational): fc.Arbitrary<Rational[]> {
  return fc.array(arb, { minLength: p, maxLength: p });
}

/** A net together with a point and k directions of the right dimension. */
export function arbNetPoint(netOpts: Parameters<typeof arbNetSpec>[0] = {}, k = 1, pointArb: fc.Arbitrary<Rational> = arbRationalOrZero) {
  return arbNetSpec(netOpts).chain((spec) =>
    fc.record({
      spec: fc.constant(spec),
      x: arbVector(spec.inputDim, pointArb),
      V: fc.array(arbVector(spec.inputDim, arbRationalOrZero), { minLength: k, maxLength: k }),
    }),
  );
}
