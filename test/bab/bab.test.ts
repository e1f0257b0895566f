/**
 * babDecide (src/clarke/bab) against ground truths computed without it: MiniSat on formulas through
 * the SAT reduction, exact region enumeration (reductions/zero-test.ts) on random small networks,
 * and the doubling family (maximum 1/(2^m+1) on a wedge of width ~2^−m). Every proof is checked by
 * src/verify/proof.ts; every witness is re-evaluated exactly on the tangent DAG of src/clarke/localize.
 */
import { describe, it, expect } from 'vitest';
import { Rational, ZERO } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { babDecide, type BabResult } from '../../src/clarke/bab';
import { ProofBuffer } from '../../src/certificate/proof';
import { verifyProof } from '../../src/verify/proof';
import { networkToJson } from '../../src/network/format';
import { localize, genericDirection } from '../../src/clarke/localize';
import { evaluateDag } from '../../src/network/dag';
import type { Network } from '../../src/network/network';
import { reduceCnf } from '../../reductions/sat-to-relu';
import { randomKSat } from '../../src/cnf/generators/random-ksat';
import { solveSat } from '../../src/cnf/sat';
import { decideIdenticallyZero } from '../../reductions/zero-test';
import { randomNetwork, randomPoint, tiePoint } from '../clarke/helpers';
import { doublingNetwork, tangentMinusLinear } from './helpers';
import { doublingNetwork as doublingNetworkSoundness } from '../soundness/networks';

/** σ·(G(h) − g·h) by the toolkit's own localization (independent of the canonical DAG). */
function sigmaD(net: Network, at: readonly Rational[], g: readonly Rational[], sign: number, h: readonly Rational[]): Rational {
  const loc = localize(net, at);
  let v = evaluateDag(loc.dag, h).value;
  g.forEach((gi, i) => (v = v.sub(gi.mul(h[i]!))));
  return sign > 0 ? v : v.neg();
}

function run(net: Network, at: Rational[], g: Rational[], timeLimitSec = 20): { r: BabResult; check: ReturnType<typeof verifyProof> | null } {
  const buf = new ProofBuffer();
  const r = babDecide(net, { at, gradient: g, proofSink: buf.sink, timeLimitSec });
  const check = r.kind === 'proof' ? verifyProof(networkToJson(net), buf.text()) : null;
  return { r, check };
}

describe('babDecide on the SAT reduction agrees with MiniSat', () => {
  it('random 3-SAT, n = 3..9, ratios 2..7 (40 formulas)', () => {
    const rng = new Rng(1101);
    let sat = 0;
    let unsat = 0;
    for (let t = 0; t < 40; t++) {
      const n = 3 + (t % 7);
      const cnf = randomKSat({ n, m: Math.max(1, Math.round(n * (2 + (t % 6)))), k: 3 }, rng);
      const net = reduceCnf(cnf);
      const p = net.inputDim;
      const zeros = Array.from({ length: p }, () => ZERO);
      const { r, check } = run(net, zeros, zeros);
      const ref = solveSat(cnf).status;
      if (ref === 'sat') {
        sat++;
        expect(r.kind).toBe('witness');
        if (r.kind === 'witness') {
          expect(r.value.sign()).toBe(1);
          expect(sigmaD(net, zeros, zeros, r.sign, r.point).eq(r.value)).toBe(true);
        }
      } else {
        unsat++;
        expect(r.kind).toBe('proof');
        expect(check?.valid, check?.reason).toBe(true);
        expect(check?.singleton).toBe(true);
      }
    }
    expect(sat).toBeGreaterThan(5);
    expect(unsat).toBeGreaterThan(5);
  });
});

describe('babDecide on the doubling family', () => {
  for (const m of [5, 10, 20, 25, 30, 40]) {
    it(`m = ${m}: a witness with F = ${'1/(2^m+1)'}-scale value, exact`, () => {
      const net = doublingNetwork(m);
      const zeros = [ZERO, ZERO];
      const { r } = run(net, zeros, zeros);
      expect(r.kind).toBe('witness');
      if (r.kind !== 'witness') return;
      expect(r.value.sign()).toBe(1);
      // The exact maximum is 1/(2^m+1): no witness can exceed it.
      expect(r.value.cmp(Rational.of(1n, (1n << BigInt(m)) + 1n))).toBeLessThanOrEqual(0);
      expect(sigmaD(net, zeros, zeros, r.sign, r.point).eq(r.value)).toBe(true);
    });
  }
});

describe('babDecide on the doubling network built independently (test/soundness/networks.ts)', () => {
  it('m = 40: a witness, exactly positive, at most 1/(2^40+1)', () => {
    const net = doublingNetworkSoundness(40);
    const zeros = Array.from({ length: net.inputDim }, () => ZERO);
    const { r } = run(net, zeros, zeros);
    expect(r.kind).toBe('witness');
    if (r.kind !== 'witness') return;
    expect(r.value.sign()).toBe(1);
    expect(r.value.cmp(Rational.of(1n, (1n << 40n) + 1n))).toBeLessThanOrEqual(0);
    expect(sigmaD(net, zeros, zeros, r.sign, r.point).eq(r.value)).toBe(true);
  });
});

describe('babDecide on random small networks matches exact region enumeration', () => {
  it('bias-free networks at 0 and networks with biases at tie points (60 cases)', () => {
    const rng = new Rng(2026);
    let proofs = 0;
    let witnesses = 0;
    let unknown = 0;
    for (let t = 0; t < 60; t++) {
      const p = 2 + (t % 2);
      const base = randomNetwork(rng, { p, widths: [2 + (t % 3), 2], wmax: 2, bias: t % 2 === 1 });
      const { net, at } = t % 2 === 1 ? tiePoint(rng, base) : { net: base, at: Array.from({ length: p }, () => ZERO) };
      const loc = localize(net, at);
      const gen = genericDirection(net, loc.preAtBar, new Rng(t + 1));
      if (gen === null || gen.pass.gradient === null) continue;
      const g = gen.pass.gradient;
      const truth = decideIdenticallyZero(tangentMinusLinear(net, at, g)).zero;
      const { r, check } = run(net, at, g, 10);
      if (r.kind === 'proof') {
        proofs++;
        expect(truth).toBe(true);
        expect(check?.valid, check?.reason).toBe(true);
      } else if (r.kind === 'witness') {
        witnesses++;
        expect(truth).toBe(false);
        expect(sigmaD(net, at, g, r.sign, r.point).eq(r.value)).toBe(true);
        expect(r.value.sign()).toBe(1);
      } else unknown++;
    }
    expect(proofs).toBeGreaterThan(5);
    expect(witnesses).toBeGreaterThan(5);
    expect(unknown).toBeLessThanOrEqual(3);
  });
});
