import { describe, it, expect } from 'vitest';
import { Rational } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { evaluateExact } from '../../src/network/evaluate';
import { networkOf, type Network } from '../../src/network/network';
import { LayeredBuilder, inputForm } from '../../reductions/gadgets';
import { decideIdenticallyZero, rank } from '../../reductions/zero-test';

const R = (n: number, d = 1): Rational => Rational.of(n, d);

function expectWitness(net: Network): void {
  const r = decideIdenticallyZero(net);
  expect(r.zero).toBe(false);
  expect(evaluateExact(net, r.witness!).value.eq(r.value!)).toBe(true);
  expect(r.value!.isZero()).toBe(false);
}

describe('exact F ≡ 0 test by region enumeration', () => {
  it('rank over Q', () => {
    expect(rank([[R(1), R(2)], [R(2), R(4)]])).toBe(1);
    expect(rank([[R(1), R(2), R(0)], [R(0), R(1), R(1)], [R(1), R(3), R(1)]])).toBe(2);
    expect(rank([])).toBe(0);
  });

  it('recognises zero networks that are not trivially zero', () => {
    // relu(x) − relu(x)
    expect(decideIdenticallyZero(networkOf(1, [[[1], [1]], [[1, -1]]])).zero).toBe(true);
    // relu(x) − relu(−x) − (relu(x) − relu(−x))
    expect(decideIdenticallyZero(networkOf(1, [[[1], [-1], [1], [-1]], [[1, -1, -1, 1]]])).zero).toBe(true);
    // max(x, y) + min(x, y) − x − y over gadgets (x, y carried alongside)
    const nb = new LayeredBuilder(2);
    const [mx, mn, cx, cy] = nb.layer((b) => [
      b.max(inputForm(0, 1), inputForm(1, 1)),
      b.min(inputForm(0, 1), inputForm(1, 1)),
      b.carry(inputForm(0, -1)),
      b.carry(inputForm(1, -1)),
    ]);
    // (the forms share input units, but each gadget reads them separately, so the layer is fine)
    const out = { level: 1, terms: [...mx!.terms, ...mn!.terms, ...cx!.terms, ...cy!.terms] };
    const net = nb.finish(out);
    expect(net.isTernary()).toBe(true);
    const r = decideIdenticallyZero(net);
    expect(r.zero).toBe(true);
    expect(r.regions).toBeGreaterThan(1);
    // relu(−|x − y|) = relu(min(x − y, y − x)) in 2 layers
    expect(decideIdenticallyZero(networkOf(2, [[[1, -1], [-1, 1]], [[-1, -1]], [[1]]])).zero).toBe(true);
  });

  it('finds nonzero networks, with an exact witness', () => {
    expectWitness(networkOf(1, [[[1]], [[1]]])); // relu(x)
    expectWitness(networkOf(2, [[[1, 1], [1, 0], [0, 1]], [[1, -1, -1]]])); // relu(x+y) − relu(x) − relu(y) ≤ 0
  });

  it('finds a thin positive cone: relu(min(x − y, y − z, z)) > 0 only on x > y > z > 0 (1/48 of space)', () => {
    const nb = new LayeredBuilder(3);
    const [d1, d2, z] = nb.layer((b) => [
      b.carry({ level: 0, terms: [[0, 1], [1, -1]] }),
      b.carry({ level: 0, terms: [[1, 1], [2, -1]] }),
      b.carry(inputForm(2, 1)),
    ]);
    const [m, zc] = nb.layer((b) => [b.min(d1!, d2!), b.carry(z!)]);
    const v = nb.layer((b) => b.min(m!, zc!));
    const f = nb.layer((b) => b.relu(v));
    const net = nb.finish(f);
    const r = decideIdenticallyZero(net);
    expect(r.zero).toBe(false);
    expect(r.value!.sign()).toBe(1);
    const [x, y, zz] = r.witness!;
    expect(x!.cmp(y!) > 0 && y!.cmp(zz!) > 0 && zz!.sign() > 0).toBe(true);
    // flipping the last constraint makes it empty: relu(min(x − y, y − z, z − x)) ≡ 0
    const nb2 = new LayeredBuilder(3);
    const [e1, e2, e3] = nb2.layer((b) => [
      b.carry({ level: 0, terms: [[0, 1], [1, -1]] }),
      b.carry({ level: 0, terms: [[1, 1], [2, -1]] }),
      b.carry({ level: 0, terms: [[2, 1], [0, -1]] }),
    ]);
    const [m2, c3] = nb2.layer((b) => [b.min(e1!, e2!), b.carry(e3!)]);
    const v2 = nb2.layer((b) => b.min(m2!, c3!));
    const net2 = nb2.finish(nb2.layer((b) => b.relu(v2)));
    expect(decideIdenticallyZero(net2).zero).toBe(true);
  });

  it('agrees with exact evaluation on seeded random ternary networks (p ≤ 3)', () => {
    const rng = new Rng(2024);
    let zeros = 0;
    let nonzeros = 0;
    for (let t = 0; t < 150; t++) {
      const p = rng.int(1, 3);
      const widths = [rng.int(1, 4), rng.int(1, 4)];
      const layers: number[][][] = [];
      let cols = p;
      for (const w of [...widths, 1]) {
        layers.push(Array.from({ length: w }, () => Array.from({ length: cols }, () => rng.int(-1, 1))));
        cols = w;
      }
      const net = networkOf(p, layers);
      const r = decideIdenticallyZero(net);
      // sampling can only refute "zero": every sampled value must be 0 when the test says zero
      const samples = Array.from({ length: 40 }, () => Array.from({ length: p }, () => R(rng.int(-9, 9), rng.int(1, 4))));
      if (r.zero) {
        zeros++;
        for (const x of samples) expect(evaluateExact(net, x).value.isZero()).toBe(true);
      } else {
        nonzeros++;
        expect(evaluateExact(net, r.witness!).value.eq(r.value!)).toBe(true);
        expect(r.value!.isZero()).toBe(false);
      }
    }
    expect(zeros).toBeGreaterThan(5);
    expect(nonzeros).toBeGreaterThan(5);
  });

  it('refuses a network with biases', () => {
    const net = new (networkOf(1, [[[1]], [[1]]]).constructor as typeof import('../../src/network/network').Network)(1, [
      { weights: [[R(1)]], bias: [R(1)] },
      { weights: [[R(1)]], bias: [R(0)] },
    ]);
    expect(() => decideIdenticallyZero(net)).toThrow(/bias-free/);
  });
});
