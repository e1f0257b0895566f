/**
 * Issue 19's acceptance test: on networks with p ≤ 3 whose pieces are known by exhaustive exact
 * region enumeration (./oracle.ts), clarkeSet returns exactly those gradients, marks exactly the
 * extreme ones, and clarkeContains agrees with a brute-force Carathéodory check — with the complete
 * set and by column generation. Every certificate is re-checked by src/verify/set.ts inside those
 * calls (an invalid one throws). Families: random integer and rational weights and biases with the
 * point on 1–6 kinks, bias-free ternary networks at 0, networks with a tied neuron that vanishes
 * identically (docs/theory.md §9's trap), and the artifacts of docs/theory.md §3.
 * Always on: 93 networks; NSAD_HEAVY=1: 603.
 */
import { describe, it, expect } from 'vitest';
import { Rational, ZERO } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { backward } from '../../src/ad/backward';
import { constantPolicy } from '../../src/ad/relu-prime';
import { clarkeSet, clarkeContains } from '../../src/clarke/set/index';
import { reluCarryNetwork, carryNetwork } from '../../reductions/artifacts';
import { Network } from '../../src/network/network';
import { regionGradients, inHull } from './oracle';
import { kinkCase, biasFreeCase, trapCase, type Case } from './networks';

const key = (g: readonly Rational[]): string => g.map(String).join(',');

function vectorsFor(c: Case, truth: Rational[][], rng: Rng): Rational[][] {
  const p = c.net.inputDim;
  const vs: Rational[][] = [];
  for (const s of [0, Rational.of(1n, 2n), 1]) vs.push(backward(c.net, c.at, constantPolicy(s)).gradient);
  const centroid = truth[0]!.map((_, i) => truth.reduce((s, g) => s.add(g[i]!), ZERO).div(Rational.int(truth.length)));
  vs.push(centroid);
  if (truth.length >= 2) vs.push(truth[0]!.map((x, i) => x.add(truth[1]!.at(i)!).div(Rational.int(2))));
  // Just outside a vertex, and far away.
  vs.push(truth[0]!.map((x, i) => (i === 0 ? x.add(Rational.of(1n, 7n)) : x)));
  vs.push(truth[truth.length - 1]!.map((x) => x.mul(Rational.of(3n, 2n)).sub(Rational.of(1n, 5n))));
  vs.push(Array.from({ length: p }, () => Rational.of(BigInt(rng.int(-6, 6)), BigInt(rng.int(1, 3)))));
  return vs;
}

function checkCase(c: Case, rng: Rng): void {
  const truth = regionGradients(c.net, c.at);
  const set = clarkeSet(c.net, { at: c.at });
  expect(set.complete, c.name).toBe(true);
  expect(set.check?.valid, c.name).toBe(true);
  expect(set.gradients.map((g) => key(g.gradient)).sort(), c.name).toEqual(truth.map(key).sort());
  for (const g of set.gradients) {
    const others = truth.filter((t) => key(t) !== key(g.gradient));
    const extreme = others.length === 0 || !inHull(others, g.gradient);
    expect(g.extreme, `${c.name}: extreme point ${key(g.gradient)}`).toBe(extreme);
  }
  for (const v of vectorsFor(c, truth, rng)) {
    const expected = inHull(truth, v) ? 'yes' : 'no';
    expect(clarkeContains(c.net, v, { at: c.at, set }).answer, `${c.name}: [${key(v)}] with the set`).toBe(expected);
    expect(clarkeContains(c.net, v, { at: c.at }).answer, `${c.name}: [${key(v)}] by column generation`).toBe(expected);
  }
}

const heavy = process.env.NSAD_HEAVY === '1';

describe('clarkeSet and clarkeContains against exhaustive region enumeration (p ≤ 3)', () => {
  it('the artifacts: relu(carry) has [0, 1], carry {1}, zero {0}', () => {
    const rng = new Rng(5);
    // zero(t) = relu(−t) + (relu(t + 1) − 1) − relu(t): relu2 − relu as a layered network (the skip
    // connection t is relu(t + 1) − 1 near 0); backprop with relu'(0) = 0 gives 1, ∂^c = {0}.
    const zeroNet = new Network(1, [
      { weights: [[Rational.int(-1)], [Rational.int(1)], [Rational.int(1)]], bias: [ZERO, Rational.int(1), ZERO] },
      { weights: [[Rational.int(1), Rational.int(1), Rational.int(-1)]], bias: [Rational.int(-1)] },
    ]);
    for (const [net, expected] of [[reluCarryNetwork(), ['0', '1']], [carryNetwork(), ['1']], [zeroNet, ['0']]] as const) {
      const at = [ZERO];
      const set = clarkeSet(net, { at });
      expect(set.gradients.map((g) => key(g.gradient)).sort()).toEqual([...expected]);
      checkCase({ name: 'artifact', net, at, tied: set.tied.length }, rng);
    }
  });

  const n = heavy ? 200 : 30;
  it(`${n} integer networks on 1–6 kinks`, () => {
    const rng = new Rng(1);
    for (let s = 0; s < n; s++) checkCase(kinkCase(1000 + s, false), rng);
  });
  it(`${n} rational networks on 1–6 kinks`, () => {
    const rng = new Rng(2);
    for (let s = 0; s < n; s++) checkCase(kinkCase(5000 + s, true), rng);
  });
  it(`${Math.round(n / 2)} bias-free ternary networks at 0 and ${Math.round(n / 2)} vanishing-tie traps`, () => {
    const rng = new Rng(3);
    for (let s = 0; s < n / 2; s++) checkCase(biasFreeCase(9000 + s), rng);
    for (let s = 0; s < n / 2; s++) checkCase(trapCase(12000 + s), rng);
  });
});
