import { describe, it, expect } from 'vitest';
import { Rational } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { networkOf } from '../../src/network/network';
import { evaluateExact } from '../../src/network/evaluate';
import { readNetworkFile } from '../../src/network/format';
import { localize, tangentPass } from '../../src/clarke/localize';
import { presolve } from '../../src/clarke/presolve';
import { evaluateDag } from '../../src/network/dag';
import { reduceCnf } from '../../reductions/sat-to-relu';
import { randomKSat } from '../../src/cnf/generators/random-ksat';
import { randomNetwork, randomPoint, tiePoint, zeros } from './helpers';

describe('localize: the tangent network G(h) = F′(x̄; h) (docs/theory.md §6)', () => {
  it('matches (F(x̄ + t·h) − F(x̄))/t for tiny t, at random and tie points', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 40; trial++) {
      const base = randomNetwork(rng, { p: 3, widths: [4, 3], bias: true });
      const { net, at } = trial % 2 === 0 ? tiePoint(rng, base) : { net: base, at: randomPoint(rng, 3) };
      const loc = localize(net, at);
      const t = Rational.of(1, 10n ** 12n);
      for (let k = 0; k < 5; k++) {
        const h = randomPoint(rng, 3);
        const xt = at.map((a, i) => a.add(h[i]!.mul(t)));
        const dq = evaluateExact(net, xt).value.sub(loc.valueAtBar).div(t);
        expect(evaluateDag(loc.dag, h).value.eq(dq)).toBe(true);
        expect(tangentPass(net, loc.preAtBar, h).derivative.eq(dq)).toBe(true);
      }
    }
  });
});

describe('presolve: function-preserving simplification', () => {
  it('preserves G exactly at random points (in and beyond the box) and its bounds contain every pre-activation', () => {
    const rng = new Rng(12);
    for (let trial = 0; trial < 60; trial++) {
      const base = randomNetwork(rng, { p: 2 + (trial % 3), widths: [5, 4, 3], wmax: 2 });
      const { net, at } = trial % 3 === 0 ? tiePoint(rng, base) : { net: base, at: zeros(base.inputDim) };
      const loc = localize(net, at);
      const pres = presolve(loc.dag);
      expect(pres.stats.after).toBeLessThanOrEqual(pres.stats.before);
      for (let k = 0; k < 20; k++) {
        const h = randomPoint(rng, net.inputDim, 5);
        expect(evaluateDag(pres.dag, h).value.eq(evaluateDag(loc.dag, h).value)).toBe(true);
        const inBox = h.map((v) => v.div(Rational.int(3)));
        const pre = evaluateDag(pres.dag, inBox).pre;
        pre.forEach((z, i) => {
          expect(z.toNumber()).toBeGreaterThanOrEqual(pres.lo[i]!);
          expect(z.toNumber()).toBeLessThanOrEqual(pres.hi[i]!);
        });
      }
    }
  });

  it('collapses a carry pair: relu(relu(x) − relu(−x)) needs one relu', () => {
    const net = readNetworkFile(new URL('../fixtures/abs-carry.json', import.meta.url).pathname);
    const pres = presolve(localize(net, zeros(1)).dag);
    expect(pres.stats.before).toBe(3);
    expect(pres.stats.after).toBe(1);
  });

  it('merges proportional and opposite neurons, fixes stable ones, drops dead ones', () => {
    // relu(x+y), relu(2x+2y) (merged), relu(-x-y) (opposite), relu(x) unused, then relu(relu(x)+relu(y)) stable
    const net = networkOf(2, [
      [[1, 1], [2, 2], [-1, -1], [1, 0], [0, 1]],
      [[1, 1, 1, 0, 0], [0, 0, 0, 1, 1]],
      [[1, 1]],
    ]);
    const pres = presolve(localize(net, zeros(2)).dag);
    expect(pres.stats.merged).toBeGreaterThanOrEqual(1);
    expect(pres.stats.mergedOpposite).toBeGreaterThanOrEqual(1);
    expect(pres.stats.stableActive).toBeGreaterThanOrEqual(1);
    const rng = new Rng(3);
    for (let k = 0; k < 30; k++) {
      const h = randomPoint(rng, 2);
      expect(evaluateDag(pres.dag, h).value.eq(evaluateExact(net, h).value)).toBe(true);
    }
  });

  it('on reduced random 3-SAT formulas: at most 3m binaries (2 per clause max, 1 per min, + the output)', () => {
    const rng = new Rng(13);
    for (let trial = 0; trial < 10; trial++) {
      const cnf = randomKSat({ n: 8, m: 30, k: 3 }, rng);
      const net = reduceCnf(cnf);
      const loc = localize(net, zeros(net.inputDim));
      const pres = presolve(loc.dag);
      expect(pres.stats.before).toBe(net.neurons);
      expect(pres.stats.after).toBeLessThanOrEqual(3 * cnf.clauses.length);
      for (let k = 0; k < 10; k++) {
        const h = randomPoint(rng, net.inputDim);
        expect(evaluateDag(pres.dag, h).value.eq(evaluateExact(net, h).value)).toBe(true);
      }
    }
  });
});
