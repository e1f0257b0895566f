/**
 * Networks of issue 10, built from their definitions (test/fixtures/soundness holds the same as
 * files for the CLI tests).
 */
import { networkOf, type Network } from '../../src/network/network';

/**
 * F(x1, x2) = relu(min(x2, x1 − 2^m·x2)) with ternary weights, bias-free: m doubling layers carry
 * x1, x2 and duplicated copies of relu(±2^(k−1)·x2); then min(a, b) = a − relu(a − b). Its maximum
 * on the unit box is 1/(2^m + 1) (at x1 = 1, x2 = 1/(2^m + 1)), so ∂^c F(0) ∋ 0 and a nonzero
 * gradient: the correct answer at 0 is `two`.
 */
export function doublingNetwork(m: number): Network {
  if (m < 1) throw new RangeError('m ≥ 1');
  // Neuron order in every doubling layer: X+ X- A+ A- B B' C C'
  //   X± = relu(±x2) (carry), A± = relu(±x1) (carry), B = B' = relu(2^(k-1) x2), C = C' = relu(-2^(k-1) x2).
  const layers: number[][][] = [];
  layers.push([
    [0, 1],
    [0, -1],
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, 1],
    [0, -1],
    [0, -1],
  ]);
  for (let k = 2; k <= m; k++) {
    layers.push([
      [1, 0, 0, 0, 0, 0, 0, 0],
      [0, 1, 0, 0, 0, 0, 0, 0],
      [0, 0, 1, 0, 0, 0, 0, 0],
      [0, 0, 0, 1, 0, 0, 0, 0],
      [0, 0, 0, 0, 1, 1, -1, -1],
      [0, 0, 0, 0, 1, 1, -1, -1],
      [0, 0, 0, 0, -1, -1, 1, 1],
      [0, 0, 0, 0, -1, -1, 1, 1],
    ]);
  }
  // Now a = x2 = X+ − X−, 2^m·x2 = B + B' − C − C', x1 = A+ − A−, b = x1 − 2^m x2.
  // P = relu(a), N = relu(−a), R = relu(a − b) = relu(X+ − X− − A+ + A− + B + B' − C − C').
  layers.push([
    [1, -1, 0, 0, 0, 0, 0, 0],
    [-1, 1, 0, 0, 0, 0, 0, 0],
    [1, -1, -1, 1, 1, 1, -1, -1],
  ]);
  layers.push([[1, -1, -1]]); // relu(a − relu(a − b)) = relu(min(a, b))
  layers.push([[1]]);
  return networkOf(2, layers);
}

/** The meta of a reduced SATLIB formula, as a forger would copy it. */
export const FORGED_META = {
  construction: 'sat-to-relu/v1',
  source: 'uuf20-01.cnf',
  n: 20,
  m: 91,
  neurons: 1005,
};

/** relu(min(x2 − x1, −x2)) = relu(a − relu(a − b)), a = x2 − x1, b = −x2: F(−1, −1/2) = 1/2. */
export function forgedMin(meta: Record<string, unknown> = FORGED_META): Network {
  return networkOf(
    2,
    [
      [
        [-1, 1],
        [1, -1],
        [-1, 2],
      ],
      [[1, -1, -1]],
      [[1]],
    ],
    meta,
  );
}

/** ½·relu(−x) in one input, with a forged meta. */
export function forgedHalfRelu(meta: Record<string, unknown> = FORGED_META): Network {
  return networkOf(1, [[[-1]], [[0.5]]], meta);
}
