import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/exact/rng';
import { Rational, ZERO, dot, vecEq } from '../../src/exact/rational';
import { Network, layerOf, networkOf } from '../../src/network/network';
import { evaluateExact } from '../../src/network/evaluate';
import { backward } from '../../src/ad/backward';
import { clarkeOne } from '../../src/conservative';
import { tinyNetwork, randomPoint } from './helpers';

const F = (net: Network, x: readonly Rational[]) => evaluateExact(net, x).value;

/** One-sided derivative of a 1-D piecewise-linear F at a, exactly (the quotient is constant for small h). */
function oneSided(net: Network, a: Rational, sign: 1 | -1): Rational {
  let h = Rational.of(1, 1 << 20).mul(Rational.int(sign));
  const q = (hh: Rational) => F(net, [a.add(hh)]).sub(F(net, [a])).div(hh);
  let prev = q(h);
  for (;;) {
    h = h.div(Rational.int(2));
    const cur = q(h);
    if (cur.eq(prev)) return cur;
    prev = cur;
  }
}

describe('clarke-one: one Clarke subgradient by one backprop near x̄ (docs/theory.md §2 claim 5)', () => {
  it('1-D: the result is one of the one-sided derivatives at x̄ (the extreme points of ∂^c F(x̄))', () => {
    const rng = new Rng(6301);
    let kinks = 0;
    for (let t = 0; t < 150; t++) {
      const net = tinyNetwork(rng, { maxInput: 1, w: 2, biasRate: 0.4, maxWidth: 3 });
      const a = Rational.int(rng.int(-1, 1));
      const r = clarkeOne(net, [a], t);
      const left = oneSided(net, a, -1);
      const right = oneSided(net, a, 1);
      expect(r.subgradient[0]!.eq(left) || r.subgradient[0]!.eq(right)).toBe(true);
      if (!left.eq(right)) kinks++;
    }
    expect(kinks).toBeGreaterThan(10);
  });

  it('p-D: no zero pre-activation at the point, F affine with that gradient near it and along the ray from x̄', () => {
    const rng = new Rng(6302);
    let halved = 0;
    let degenerate = 0;
    for (let t = 0; t < 120; t++) {
      const net = tinyNetwork(rng, { maxInput: 3, w: 2, biasRate: 0.3 });
      const x = randomPoint(rng, net.inputDim, 1);
      const r = clarkeOne(net, x, t);
      if (r.halvings > 0) halved++;
      if (r.locallyZero > 0) degenerate++;
      const b = backward(net, r.point);
      expect(b.zeros.length).toBe(r.locallyZero);
      expect(vecEq(b.gradient, r.subgradient)).toBe(true);
      // Along the ray x̄ + τ (y − x̄), τ ∈ (0, 1]: F(x̄ + τh) − F(x̄) = τ g·h (localization + homogeneity).
      const h = r.point.map((yi, k) => yi.sub(x[k]!));
      for (const tau of [Rational.int(1), Rational.of(1, 3), Rational.of(1, 1000)]) {
        const lhs = F(net, x.map((xi, k) => xi.add(tau.mul(h[k]!)))).sub(F(net, x));
        expect(lhs.eq(tau.mul(dot(r.subgradient, h)))).toBe(true);
      }
      // Near y, in every coordinate direction: F(y ± ε e_k) − F(y) = ±ε g_k.
      const eps = Rational.of(1, 1n << 80n);
      for (let k = 0; k < net.inputDim; k++) {
        for (const s of [eps, eps.neg()]) {
          const z = r.point.map((v, j) => (j === k ? v.add(s) : v));
          expect(F(net, z).sub(r.value).eq(s.mul(r.subgradient[k]!))).toBe(true);
        }
      }
    }
    expect(halved).toBeGreaterThan(10); // the step had to shrink to stay in the localization region
    expect(degenerate).toBeGreaterThan(10); // identically-zero pre-activations were met and handled
  });

  it('is Clarke-correct where backprop at x̄ is not: relu(relu(x) − relu(−x)) at 0 gives 1, backprop with relu\'(0)=0 gives 0', () => {
    const net = networkOf(1, [[[1], [-1]], [[1, -1]], [[1]]]);
    expect(backward(net, [ZERO]).gradient[0]!.isZero()).toBe(true);
    // ∂^c F(0) = conv{0, 1}: both one-sided slopes (F = relu(x)); clarke-one returns one of them.
    const seen = new Set<string>();
    for (let seed = 0; seed < 20; seed++) seen.add(clarkeOne(net, undefined, seed).subgradient[0]!.toString());
    expect([...seen].sort()).toEqual(['0', '1']);
  });

  it('zero function written with duplicate neurons: the Clarke subgradient is 0 everywhere', () => {
    // F(x) = relu(x) − relu(x) (two neurons): ∂^c F = {0}; backprop with choices (1, 0) at 0 gives 1.
    const net = networkOf(1, [[[1], [1]], [[1, -1]]]);
    expect(backward(net, [ZERO], { kind: 'per-neuron', s: [[Rational.int(1), ZERO]] }).gradient[0]!.eq(Rational.int(1))).toBe(true);
    for (let seed = 0; seed < 5; seed++) expect(clarkeOne(net, undefined, seed).subgradient[0]!.isZero()).toBe(true);
  });

  it('identically-zero pre-activations (zero rows, cancelling neurons) are recognised and never block', () => {
    // Layer 1: a = relu(x1), b = relu(x1), c = 0·x (structurally zero); layer 2: u = a − b (≡ 0), v = x-carry.
    const net = new Network(2, [
      layerOf([[1, 0], [1, 0], [0, 0], [0, 1], [0, -1]]),
      layerOf([[1, -1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, -1]]),
      layerOf([[1, 1, 1]]),
    ]);
    const r = clarkeOne(net, [ZERO, ZERO], 3);
    expect(r.locallyZero).toBeGreaterThanOrEqual(2);
    expect(r.subgradient[0]!.isZero()).toBe(true);
    expect(['0', '1']).toContain(r.subgradient[1]!.toString());
  });

  it('is deterministic in the seed and checks the point dimension', () => {
    const net = networkOf(2, [[[1, -1], [1, 1]], [[1, 1]]]);
    expect(clarkeOne(net, undefined, 7).point.map(String)).toEqual(clarkeOne(net, undefined, 7).point.map(String));
    expect(() => clarkeOne(net, [ZERO])).toThrow(/expected 2 coordinates/);
  });
});
