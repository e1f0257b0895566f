/**
 * clarkeContains follows backprop's own pattern (every tied neuron inactive for relu'(0) = 0,
 * active for relu'(0) = 1) before column generation: at many tied neurons in general position,
 * where the set has 2^k pieces, it decides `yes` with one piece at once and the certificate passes
 * the independent checker. (The oracle comparison of acceptance.test.ts covers its answers on
 * small networks, backprop's vectors included.)
 */
import { describe, expect, it } from 'vitest';
import { Rational, ZERO } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { Network, layerOf } from '../../src/network/network';
import { evaluateExact } from '../../src/network/evaluate';
import { backward } from '../../src/ad/backward';
import { constantPolicy } from '../../src/ad/relu-prime';
import { clarkeContains } from '../../src/clarke/set';

describe("membership by backprop's own pattern", () => {
  it('14 tied first-layer neurons (2^14 pieces): relu\'(0) = 0 and 1 are decided yes with one piece, checked', () => {
    const rng = new Rng(41);
    const p = 16;
    const at = Array.from({ length: p }, () => Rational.int(rng.int(-2, 2)));
    const W = Array.from({ length: 20 }, () => Array.from({ length: p }, () => Rational.int(rng.int(-3, 3))));
    // The first 14 neurons tied at x̄ (bias = −w·x̄), the others 1/2 away from their kink.
    const b = W.map((row, i) => {
      const z = row.reduce((s, w, j) => s.add(w.mul(at[j]!)), ZERO);
      return i < 14 ? z.neg() : z.neg().add(Rational.of(1n, 2n));
    });
    const out = [Array.from({ length: 20 }, () => Rational.int(rng.int(-2, 2) || 1))];
    const net = new Network(p, [layerOf(W, b), layerOf(out, [ZERO])]);
    expect(evaluateExact(net, at).pre[0]!.filter((z) => z.isZero()).length).toBe(14);
    for (const s of [0, 1]) {
      const v = backward(net, at, constantPolicy(Rational.int(s))).gradient;
      const m = clarkeContains(net, v, { at, timeLimitSec: 30 });
      expect(m.answer).toBe('yes');
      expect(m.check?.valid).toBe(true);
      expect(m.combination!.length).toBe(1);
      expect(m.restsOn).toMatch(/backprop's own pattern/);
    }
  });
});
