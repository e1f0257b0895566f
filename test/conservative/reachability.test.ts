import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/exact/rng';
import { Rational, ZERO, vecEq } from '../../src/exact/rational';
import { networkOf } from '../../src/network/network';
import { decideConservative, reachability, spanIdentity, patternAt } from '../../src/conservative';
import { tinyNetwork, bruteForceVertices, reproducedByBackward, distinct, zeros } from './helpers';

describe('conservative gradient at 0 by reachability (docs/theory.md §5)', () => {
  it('agrees with brute force over all D ∈ {0,1}^N on 300 tiny bias-free networks', () => {
    const rng = new Rng(6001);
    let twos = 0;
    let singles = 0;
    for (let t = 0; t < 300; t++) {
      const net = tinyNetwork(rng, { w: t % 3 === 0 ? 2 : 1, zeroRate: t % 2 === 0 ? 0.6 : 0.3 });
      const x = zeros(net.inputDim);
      const oracle = bruteForceVertices(net, x);
      const ans = decideConservative(net);
      expect(ans.method).toBe('reachability');
      expect(ans.randomized).toBe(false);
      expect(ans.answer).toBe(oracle.length >= 2 ? 'two' : 'singleton');
      expect(reproducedByBackward(net, x, ans)).toBe(true);
      expect(distinct(ans.elements)).toBe(true);
      if (ans.answer === 'two') {
        twos++;
        expect(ans.elements.length).toBe(2);
        expect(vecEq(ans.elements[0]!, x)).toBe(true); // D = 0 gives 0
      } else {
        singles++;
        expect(ans.elements).toEqual([x]);
      }
      // The exact span test, run with every entry free, says the same.
      expect(spanIdentity(net, patternAt(net).pattern).rank > 0).toBe(ans.answer === 'two');
    }
    expect(twos).toBeGreaterThan(50);
    expect(singles).toBeGreaterThan(10);
  });

  it('--count k returns k distinct elements, each reproduced by backward, all vertices of the oracle', () => {
    const rng = new Rng(6002);
    let wanted = 0;
    let full = 0;
    for (let t = 0; t < 60; t++) {
      const net = tinyNetwork(rng, { maxWidth: 4, zeroRate: 0.2, w: 2 });
      const x = zeros(net.inputDim);
      const oracle = bruteForceVertices(net, x);
      const k = 1 + rng.int(1, 6);
      const ans = decideConservative(net, { count: k, seed: t });
      expect(distinct(ans.elements)).toBe(true);
      expect(reproducedByBackward(net, x, ans)).toBe(true);
      for (const el of ans.elements) expect(oracle.some((v) => vecEq(v, el))).toBe(true);
      expect(ans.elements.length).toBeLessThanOrEqual(Math.min(k, oracle.length));
      if (oracle.length >= 2) expect(ans.elements.length).toBeGreaterThanOrEqual(2);
      else expect(ans.elements.length).toBe(1);
      if (oracle.length >= k) {
        wanted++;
        if (ans.elements.length === k) full++;
      }
    }
    // Paths, all-ones and seeded random choices find k distinct elements in most cases where they exist.
    expect(full / wanted).toBeGreaterThan(0.9);
  });

  it('--all gives exactly the set of vertices of the brute-force oracle', () => {
    const rng = new Rng(6003);
    for (let t = 0; t < 40; t++) {
      const net = tinyNetwork(rng, { w: 2 });
      const x = zeros(net.inputDim);
      const oracle = bruteForceVertices(net, x);
      const ans = decideConservative(net, { all: true });
      expect(ans.method).toBe('enumeration');
      expect(ans.elements.length).toBe(oracle.length);
      for (const v of oracle) expect(ans.elements.some((e) => vecEq(e, v))).toBe(true);
      expect(reproducedByBackward(net, x, ans)).toBe(true);
    }
  });

  it('the path element is the path product, and reachability finds no path when the output weights are 0', () => {
    // F = relu(relu(x1 - x2)) with a second neuron that never reaches the output.
    const net = networkOf(2, [[[1, -1], [1, 1]], [[1, 0]], [[-1]]]);
    const r = reachability(net);
    expect(r.starts).toEqual([0]);
    expect(r.live[0]).toEqual(new Uint8Array([1, 0]));
    const ans = decideConservative(net);
    expect(ans.answer).toBe('two');
    expect(ans.elements[1]!.map(String)).toEqual(['-1', '1']);
    expect(ans.choices[1]!.map((row) => row.map(String))).toEqual([['1', '0'], ['1']]);
    // A live first-layer neuron with a zero row of M_1 starts no path.
    const zeroRow = networkOf(2, [[[0, 0], [1, 1]], [[1, 0]], [[1]]]);
    expect(reachability(zeroRow).live[0]).toEqual(new Uint8Array([1, 0]));
    expect(reachability(zeroRow).starts).toEqual([]);
    expect(reachability(zeroRow).reachableInputs).toBe(0);
    expect(decideConservative(zeroRow).answer).toBe('singleton');
    const dead = networkOf(2, [[[1, -1], [1, 1]], [[1, 1]], [[0]]]);
    const d = decideConservative(dead);
    expect(d.answer).toBe('singleton');
    expect(d.elements).toEqual([[ZERO, ZERO]]);
    expect(reachability(dead).starts).toEqual([]);
  });

  it('large and fractional weights (not shared instances) are read exactly', () => {
    const big = Rational.of(10n ** 30n);
    const third = Rational.of(1, 3);
    const net = networkOf(2, [[[big, ZERO], [ZERO, third]], [[ZERO, big], [third, ZERO]], [[Rational.int(1000), ZERO]]]);
    const r = reachability(net);
    expect(r.starts).toEqual([1]);
    const ans = decideConservative(net);
    expect(ans.answer).toBe('two');
    expect(ans.elements[1]!.map(String)).toEqual(['0', Rational.of(10n ** 33n, 3n).toString()]);
    expect(reproducedByBackward(net, zeros(2), ans)).toBe(true);
  });

  it('a network without hidden layer is linear: a singleton', () => {
    const net = networkOf(3, [[[1, 0, -1]]]);
    const ans = decideConservative(net, { count: 5 });
    expect(ans.answer).toBe('singleton');
    expect(ans.method).toBe('no-hidden-layer');
    expect(ans.elements.map((e) => e.map(String))).toEqual([['1', '0', '-1']]);
    expect(reproducedByBackward(net, zeros(3), ans)).toBe(true);
  });

  it('rejects a count below 2 and --all on too many free neurons', () => {
    const net = networkOf(1, [[[1], [1], [1]], [[1, 1, 1]]]);
    expect(() => decideConservative(net, { count: 1 })).toThrow(/count/);
    expect(() => decideConservative(net, { all: true, maxAllFree: 2 })).toThrow(/2\^3/);
    expect(Rational.int(1).eq(decideConservative(net).elements[1]![0]!)).toBe(true);
  });
});
