/**
 * The doubling family F(x1, x2) = relu(min(x2, x1 − 2^m·x2)), ternary and bias-free, m a precision
 * knob (docs/theory.md §6 "Thresholds"): m layers double a copy of x2 (the `double` gadget, four
 * neurons relu(z), relu(z), relu(−z), relu(−z) read as 2z) while x1 and x2 are carried; then the
 * `min` gadget and a final relu. F is positive exactly on the wedge 2^m·x2 < x1, x2 > 0, of width
 * ~2^−m; its maximum on the unit box is 1/(2^m + 1). ∂^c F(0) ∋ (0, 1) and (0, 0): the answer is
 * `two` for every m, and the construction gives its certificate:
 *   h1 = (2^m + 2, 1): x2 = 1 < x1 − 2^m·x2 = 2, so F = x2 near h1 (gradient (0, 1));
 *   h2 = (−1, −1): min = x2 = −1 < 0, F = 0 near h2 (gradient (0, 0));
 * every pre-activation is nonzero along both (checked by src/verify at generation). A fixed
 * floating-point tolerance misses the wedge from m ≈ 20 on, which is what the family tests.
 */
import { Rational, ZERO } from '../../src/exact/rational';
import { UserError } from '../../src/errors';
import { LayeredBuilder, inputForm, sumForms, type Form } from '../gadgets';
import type { NetInstance } from './types';

/** Largest m: the certificate's direction has a coordinate 2^m + 2 (an exact integer, any size). */
export const DOUBLING_MAX_M = 10_000;

export function doubling(m: number): NetInstance {
  if (!Number.isSafeInteger(m) || m < 1 || m > DOUBLING_MAX_M) throw new UserError(`doubling: --m must be an integer in 1..${DOUBLING_MAX_M}, got ${m}`);
  const b = new LayeredBuilder(2);
  let x1: Form = inputForm(0, 1);
  let x2: Form = inputForm(1, 1);
  let z: Form = x2;
  for (let t = 0; t < m; t++)
    b.layer((L) => {
      const nx1 = L.carry(x1);
      const nx2 = L.carry(x2);
      z = L.double(z);
      x1 = nx1;
      x2 = nx2;
    });
  // min(a, b) with a = x2, b = x1 − 2^m·x2 (x1 and z live on disjoint units), then relu.
  const mn = b.layer((L) => L.min(x2, sumForms([[x1, 1], [z, -1]])));
  const out = b.layer((L) => L.relu(mn));
  const net = b.finish(out, { generator: 'nsad generate net-doubling', m });
  const two = 1n << BigInt(m);
  const I = (v: bigint | number): Rational => Rational.int(v);
  return {
    name: `doubling-m${m}`,
    family: 'doubling',
    params: { m },
    seed: null,
    net,
    at: [ZERO, ZERO],
    expected: 'two',
    construction: `F = relu(min(x2, x1 − 2^${m}·x2)) is positive on a wedge of width ~2^-${m} and 0 elsewhere: gradients (0, 1) and (0, 0) both in ∂^c F(0) (docs/theory.md §6 "Thresholds"); certificate directions (2^${m} + 2, 1) and (−1, −1) from the construction`,
    certificate: {
      at: [ZERO, ZERO],
      directions: [
        [I(two + 2n), I(1)],
        [I(-1), I(-1)],
      ],
      gradients: [
        [ZERO, I(1)],
        [ZERO, ZERO],
      ],
    },
  };
}
