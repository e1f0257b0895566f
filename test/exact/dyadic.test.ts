/**
 * The dyadic fast path of the normalizing constructors (src/exact/rational.ts Rational.of,
 * src/verify/q.ts q): for a power-of-two denominator the gcd is the lowest set bit of the
 * numerator. Checked against Euclid's gcd on seeded random numerators (signs, zero, large powers).
 */
import { describe, it, expect } from 'vitest';
import { Rational } from '../../src/exact/rational';
import { q } from '../../src/verify/q';
import { Rng } from '../../src/exact/rng';

function euclid(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

describe('dyadic normalization', () => {
  it('Rational.of and q agree with Euclid for d = 2^k', () => {
    const rng = new Rng(2);
    for (let t = 0; t < 5000; t++) {
      const k = BigInt(rng.int(0, 200));
      const d = 1n << k;
      const mag = rng.bigint(0n, 1n << BigInt(rng.int(0, 250)));
      const n = (rng.int(0, 1) === 0 ? mag : -mag) << BigInt(rng.int(0, 60));
      const g = n === 0n ? d : euclid(n, d);
      const r = Rational.of(n, d);
      expect([r.n, r.d]).toEqual([n / g, d / g]);
      const s = q(n, d);
      expect([s.n, s.d]).toEqual([n / g, d / g]);
      const neg = Rational.of(n, -d);
      expect([neg.n, neg.d]).toEqual([-n / g, d / g]);
    }
  });
});
