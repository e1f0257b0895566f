import { describe, it, expect } from 'vitest';
import { Rational } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { evaluateExact } from '../../src/network/evaluate';
import type { Network } from '../../src/network/network';
import { LayeredBuilder, inputForm, treeStep, treeDepth, align, type Form } from '../../reductions/gadgets';

const R = (n: number, d = 1): Rational => Rational.of(n, d);

/** Points with zeros, ties, signs and fractions, plus seeded random rationals. */
function points(dim: number, count = 60, seed = 7): Rational[][] {
  const rng = new Rng(seed);
  const special = [R(0), R(1), R(-1), R(1, 2), R(-3, 7), R(5)];
  const out: Rational[][] = [];
  // every combination of special values (dim ≤ 2) …
  if (dim === 1) for (const a of special) out.push([a]);
  if (dim === 2) for (const a of special) for (const b of special) out.push([a, b]);
  // … and random ones
  for (let k = 0; k < count; k++) out.push(Array.from({ length: dim }, () => R(rng.int(-20, 20), rng.int(1, 9))));
  return out;
}

function expectTernaryBiasFree(net: Network): void {
  expect(net.firstNonTernary()).toBeNull();
  expect(net.isBiasFree()).toBe(true);
}

/** A one-gadget network: F = gadget(x_1 [, x_2]), after one carry layer so that the inputs are disjoint. */
function oneGadget(dim: number, g: (b: import('../../reductions/gadgets').LayerBuilder, v: Form[]) => Form): Network {
  const nb = new LayeredBuilder(dim);
  const carried = nb.layer((b) => Array.from({ length: dim }, (_, i) => b.carry(inputForm(i, 1))));
  const out = nb.layer((b) => g(b, carried));
  return nb.finish(out);
}

describe('gadgets (docs/theory.md §4)', () => {
  it('carry: relu(v) − relu(−v) = v, weighed (+1, −1) downstream', () => {
    const nb = new LayeredBuilder(1);
    const v = nb.layer((b) => b.carry(inputForm(0, -1)));
    const net = nb.finish(v);
    expectTernaryBiasFree(net);
    expect(net.widths).toEqual([2]);
    expect(net.layers[0]!.weights.map((r) => r.map(Number))).toEqual([[-1], [1]]);
    expect(net.layers[1]!.weights[0]!.map(Number)).toEqual([1, -1]);
    for (const [x] of points(1)) expect(evaluateExact(net, [x!]).value.eq(x!.neg())).toBe(true);
  });

  it('max(a, b) = relu(a − b) + relu(b) − relu(−b), exact on ties, zeros and fractions', () => {
    const net = oneGadget(2, (b, [a, c]) => b.max(a!, c!));
    expectTernaryBiasFree(net);
    expect(net.widths).toEqual([4, 3]);
    for (const x of points(2)) expect(evaluateExact(net, x).value.eq(x[0]!.max(x[1]!))).toBe(true);
  });

  it('max straight from the inputs (distinct variables) is ternary', () => {
    const nb = new LayeredBuilder(2);
    const v = nb.layer((b) => b.max(inputForm(0, 1), inputForm(1, -1)));
    const net = nb.finish(v);
    expectTernaryBiasFree(net);
    for (const x of points(2)) expect(evaluateExact(net, x).value.eq(x[0]!.max(x[1]!.neg()))).toBe(true);
  });

  it('min(a, b) = relu(a) − relu(−a) − relu(a − b)', () => {
    const net = oneGadget(2, (b, [a, c]) => b.min(a!, c!));
    expectTernaryBiasFree(net);
    expect(net.widths).toEqual([4, 3]);
    for (const x of points(2)) expect(evaluateExact(net, x).value.eq(x[0]!.min(x[1]!))).toBe(true);
  });

  it('relu and abs', () => {
    const r = oneGadget(1, (b, [a]) => b.relu(a!));
    const ab = oneGadget(1, (b, [a]) => b.abs(a!));
    for (const [x] of points(1)) {
      expect(evaluateExact(r, [x!]).value.eq(x!.max(R(0)))).toBe(true);
      expect(evaluateExact(ab, [x!]).value.eq(x!.abs())).toBe(true);
    }
  });

  it('nested gadgets on gadget outputs stay ternary: min(max(x1, x2), max(x3, −x1)) over 2 more levels', () => {
    const nb = new LayeredBuilder(3);
    const [m1, m2] = nb.layer((b) => [b.max(inputForm(0, 1), inputForm(1, 1)), b.max(inputForm(2, 1), inputForm(0, -1))]);
    const v = nb.layer((b) => b.min(m1!, m2!));
    const net = nb.finish(v);
    expectTernaryBiasFree(net);
    const rng = new Rng(3);
    for (let k = 0; k < 200; k++) {
      const x = [0, 1, 2].map(() => R(rng.int(-4, 4), rng.int(1, 3)));
      const want = x[0]!.max(x[1]!).min(x[2]!.max(x[0]!.neg()));
      expect(evaluateExact(net, x).value.eq(want)).toBe(true);
    }
  });

  it('layer alignment: a value carried through k layers is unchanged; depths line up', () => {
    for (const k of [1, 2, 5]) {
      const nb = new LayeredBuilder(1);
      let v = inputForm(0, 1);
      for (let t = 0; t < k; t++) v = nb.layer((b) => align(b, v));
      expect(v.level).toBe(k);
      const net = nb.finish(v);
      expectTernaryBiasFree(net);
      expect(net.hiddenLayers).toBe(k);
      for (const [x] of points(1, 20)) expect(evaluateExact(net, [x!]).value.eq(x!)).toBe(true);
    }
  });

  it('treeStep: balanced pairwise reduction with the odd element carried; treeDepth = ⌈log2 k⌉', () => {
    expect([1, 2, 3, 4, 5, 8, 9].map(treeDepth)).toEqual([0, 1, 2, 2, 3, 3, 4]);
    for (const k of [1, 2, 3, 5, 7]) {
      const nb = new LayeredBuilder(k);
      // level 1: one max step over the k inputs (pairs maxed, an odd last input carried) …
      let vals: Form[] = nb.layer((b) => treeStep(b, [Array.from({ length: k }, (_, i) => inputForm(i, 1))], 'max')[0]!);
      // … then a min tree over the ⌈k/2⌉ values
      const firstLevel = vals.length;
      expect(firstLevel).toBe(Math.ceil(k / 2));
      while (vals.length > 1) vals = nb.layer((b) => treeStep(b, [vals], 'min')[0]!);
      const net = nb.finish(vals[0]!);
      expectTernaryBiasFree(net);
      expect(net.hiddenLayers).toBe(1 + treeDepth(firstLevel));
      const rng = new Rng(k);
      for (let t = 0; t < 50; t++) {
        const x = Array.from({ length: k }, () => R(rng.int(-5, 5)));
        const pairs: Rational[] = [];
        for (let i = 0; i + 1 < k; i += 2) pairs.push(x[i]!.max(x[i + 1]!));
        if (k % 2 === 1) pairs.push(x[k - 1]!);
        const want = pairs.reduce((a, b) => a.min(b));
        expect(evaluateExact(net, x).value.eq(want)).toBe(true);
      }
    }
  });

  it('refuses a non-ternary combination (forms on shared units) and a misaligned form', () => {
    const nb = new LayeredBuilder(1);
    expect(() => nb.layer((b) => b.max(inputForm(0, 1), inputForm(0, -1)))).toThrow(/not ternary/);
    const nb2 = new LayeredBuilder(2);
    const v = nb2.layer((b) => b.carry(inputForm(0, 1)));
    expect(() => nb2.layer((b) => b.max(v, inputForm(1, 1)))).toThrow(/alignment/);
  });
});
