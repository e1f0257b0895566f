import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/exact/rng';
import { Rational, vecEq } from '../../src/exact/rational';
import { Network, layerOf, networkOf } from '../../src/network/network';
import { evaluateExact } from '../../src/network/evaluate';
import { decideConservative, spanIdentity, patternAt, Echelon } from '../../src/conservative';
import { tinyNetwork, randomPoint, bruteForceVertices, reproducedByBackward, distinct } from './helpers';

/** A point where some pre-activations are 0 and others are not, often enough to matter. */
function mixedCase(rng: Rng) {
  const net = tinyNetwork(rng, { w: 2, biasRate: 0.3, zeroRate: 0.3, maxWidth: 3, maxHidden: 3 });
  const x = randomPoint(rng, net.inputDim, 1);
  return { net, x };
}

describe('conservative gradient at any point: exact span identity test (docs/theory.md §5)', () => {
  it('agrees with brute force over all D ∈ {0,1}^N at 400 random (network, point) pairs', () => {
    const rng = new Rng(6101);
    const seen = { two: 0, singleton: 0, spanRan: 0, mixedSingleton: 0 };
    for (let t = 0; t < 400; t++) {
      const { net, x } = mixedCase(rng);
      const oracle = bruteForceVertices(net, x);
      const ans = decideConservative(net, { at: x });
      expect(ans.answer).toBe(oracle.length >= 2 ? 'two' : 'singleton');
      expect(ans.randomized).toBe(false);
      expect(reproducedByBackward(net, x, ans)).toBe(true);
      expect(distinct(ans.elements)).toBe(true);
      for (const el of ans.elements) expect(oracle.some((v) => vecEq(v, el))).toBe(true);
      // The span test itself, independently of the shortcuts decide takes.
      const { pattern, free, allFree } = patternAt(net, x);
      const s = spanIdentity(net, pattern);
      expect(s.rank > 0).toBe(oracle.length >= 2);
      if (s.rank === 0) expect(vecEq(s.constant, oracle[0]!)).toBe(true);
      seen[ans.answer]++;
      if (ans.stats.identityTest === 'span') seen.spanRan++;
      if (ans.answer === 'singleton' && free > 0 && !allFree) seen.mixedSingleton++;
    }
    expect(seen.two).toBeGreaterThan(50);
    expect(seen.singleton).toBeGreaterThan(50);
    expect(seen.mixedSingleton).toBeGreaterThan(5); // cancellations across fixed and free entries
  });

  it('the identity test plus self-reduction alone (no shortcut) find two vertices whenever they exist', () => {
    const rng = new Rng(6104);
    let witnessed = 0;
    for (let t = 0; t < 300; t++) {
      const { net, x } = mixedCase(rng);
      const oracle = bruteForceVertices(net, x);
      for (const randomized of [false, true]) {
        const ans = decideConservative(net, { at: x, shortcut: false, randomized, seed: t });
        expect(ans.answer).toBe(oracle.length >= 2 ? 'two' : 'singleton');
        expect(reproducedByBackward(net, x, ans)).toBe(true);
        expect(distinct(ans.elements)).toBe(true);
        if (ans.answer === 'two' && !randomized && typeof ans.stats.witnessTests === 'number') {
          // O(H log N) tests: ≤ H+1 rounds of one test plus a binary search over ≤ N entries.
          const N = patternAt(net, x).free;
          expect(ans.stats.witnessTests).toBeLessThanOrEqual((net.hiddenLayers + 1) * (1 + Math.ceil(Math.log2(N + 1))));
          witnessed++;
        }
      }
    }
    expect(witnessed).toBeGreaterThan(20);
  });

  it('finds the witness by self-reduction when all-0, all-1 and random vertices coincide', () => {
    // Φ(d) = d1·d2 − d1·d3 ... built so that Φ(0) = Φ(1) but Φ is not constant:
    // F = relu(relu(x)) − relu(relu(x)) via distinct neurons: paths through (a, c) minus (b, c').
    // Hidden 1: a = x, b = x; hidden 2: c = a, e = b; output c − e. Φ = d_a d_c − d_b d_e.
    const net = networkOf(1, [[[1], [1]], [[1, 0], [0, 1]], [[1, -1]]]);
    const x = [Rational.int(0)];
    const ans = decideConservative(net, { at: x, seed: 1 });
    expect(ans.answer).toBe('two');
    expect(reproducedByBackward(net, x, ans)).toBe(true);
    // With biases that force a fixed-active entry the same holds at a general point.
    const biased = new Network(1, [layerOf([[1], [1]], [0, 0]), layerOf([[1, 0], [0, 1]], [1, 0]), layerOf([[1, -1]])]);
    const b = decideConservative(biased, { at: x });
    expect(patternAt(biased, x).allFree).toBe(false);
    expect(b.answer).toBe(bruteForceVertices(biased, x).length >= 2 ? 'two' : 'singleton');
    expect(reproducedByBackward(biased, x, b)).toBe(true);
  });

  it('cancellation at a general point: Φ has several monomials but is constant', () => {
    // Hidden: u = x − 1 (fixed inactive at x = 1? no: 0 → free), v = x − 1 (free), output u − v.
    // Φ = d_u − d_v is not constant. With a second layer making both paths identical and
    // fixed-active, we get a constant: relu(relu(x) + 1) − relu(relu(x) + 1) at x = 0.
    const net = new Network(1, [layerOf([[1]], [0]), layerOf([[1], [1]], [1, 1]), layerOf([[1, -1]])]);
    const x = [Rational.int(0)];
    const { pattern } = patternAt(net, x);
    expect(Array.from(pattern[0]!)).toEqual([-1]);
    expect(Array.from(pattern[1]!)).toEqual([1, 1]);
    const s = spanIdentity(net, pattern);
    expect(s.rank).toBe(0);
    const ans = decideConservative(net, { at: x });
    expect(ans.answer).toBe('singleton');
    expect(ans.stats.identityTest).toBe('span');
  });

  it('a point with biases where every pre-activation is 0 uses reachability, and agrees with brute force', () => {
    const net = new Network(1, [layerOf([[1], [-1]], [-1, 1]), layerOf([[1, 1], [1, -1]], [0, 0]), layerOf([[1, -1]])]);
    const x = [Rational.int(1)];
    expect(patternAt(net, x).allFree).toBe(true);
    const ans = decideConservative(net, { at: x, count: 4 });
    expect(ans.method).toBe('reachability');
    const oracle = bruteForceVertices(net, x);
    expect(ans.answer).toBe(oracle.length >= 2 ? 'two' : 'singleton');
    expect(reproducedByBackward(net, x, ans)).toBe(true);
    for (const el of ans.elements) expect(oracle.some((v) => vecEq(v, el))).toBe(true);
    expect(ans.elements.length).toBe(Math.min(4, oracle.length));
  });

  it('rational weights: the integer scaling does not change the verdict', () => {
    const rng = new Rng(6102);
    for (let t = 0; t < 80; t++) {
      const base = tinyNetwork(rng, { w: 2, biasRate: 0.3 });
      const scaled = new Network(
        base.inputDim,
        base.layers.map((l, k) => ({
          weights: l.weights.map((r) => r.map((w) => w.div(Rational.int(k + 2)))),
          bias: l.bias.map((b) => b.div(Rational.int(k + 2))),
        })),
      );
      const x = randomPoint(rng, base.inputDim, 1);
      const oracle = bruteForceVertices(scaled, x);
      const ans = decideConservative(scaled, { at: x });
      expect(ans.answer).toBe(oracle.length >= 2 ? 'two' : 'singleton');
      expect(reproducedByBackward(scaled, x, ans)).toBe(true);
      expect(spanIdentity(scaled, patternAt(scaled, x).pattern).rank > 0).toBe(oracle.length >= 2);
    }
  });

  it('--all at a general point enumerates the free vertices only', () => {
    const rng = new Rng(6103);
    for (let t = 0; t < 40; t++) {
      const { net, x } = mixedCase(rng);
      const oracle = bruteForceVertices(net, x);
      const ans = decideConservative(net, { at: x, all: true });
      expect(ans.elements.length).toBe(oracle.length);
      expect(ans.stats.vertices).toBe(2 ** patternAt(net, x).free);
      expect(reproducedByBackward(net, x, ans)).toBe(true);
    }
  });

  it('echelon basis: rank of integer vectors', () => {
    const e = new Echelon(3);
    expect(e.insert([2n, 4n, 6n])).toBe(true);
    expect(e.insert([1n, 2n, 3n])).toBe(false);
    expect(e.insert([0n, 1n, 1n])).toBe(true);
    expect(e.insert([3n, 7n, 10n])).toBe(false);
    expect(e.insert([0n, 0n, 5n])).toBe(true);
    expect(e.rank).toBe(3);
  });

  it('the point is checked: wrong dimension is a user error', () => {
    const net = networkOf(2, [[[1, 1]], [[1]]]);
    expect(() => decideConservative(net, { at: [Rational.int(1)] })).toThrow(/expected 2 coordinates/);
    expect(evaluateExact(net, [Rational.int(1), Rational.int(-1)]).value.isZero()).toBe(true);
  });
});

describe('randomized Schwartz–Zippel variant, labelled as such', () => {
  it('agrees with brute force and says it is randomized', () => {
    const rng = new Rng(6201);
    let szRan = 0;
    for (let t = 0; t < 250; t++) {
      const { net, x } = mixedCase(rng);
      const oracle = bruteForceVertices(net, x);
      const ans = decideConservative(net, { at: x, randomized: true, seed: t });
      expect(ans.answer).toBe(oracle.length >= 2 ? 'two' : 'singleton');
      expect(reproducedByBackward(net, x, ans)).toBe(true);
      if (!patternAt(net, x).allFree && net.hiddenLayers > 0) {
        expect(ans.method).toBe('schwartz-zippel');
        expect(ans.randomized).toBe(true);
        if (ans.stats.identityTest === 'schwartz-zippel') szRan++;
        if (ans.answer === 'singleton' && ans.stats.identityTest === 'schwartz-zippel') expect(ans.errorBound).toMatch(/2\^32/);
      }
    }
    expect(szRan).toBeGreaterThan(20);
  });
});
