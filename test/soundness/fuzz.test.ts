/**
 * Seeded fuzz test of decideClarke against exhaustive exact region enumeration (regions.ts):
 * small random networks with 1 or 2 inputs, integer and rational weights and biases, duplicated,
 * negated and zero rows, at random rational points, at 0 and at points where a first-layer
 * neuron is exactly 0. Required: no wrong answer, no `exact: true` answer wrong, every `two`
 * certificate accepted by the verifier.
 * NSAD_HEAVY runs 1500 networks instead of 300.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Rational, ZERO, vecEq } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { Network, layerOf } from '../../src/network/network';
import { networkToJson } from '../../src/network/format';
import { decideClarke } from '../../src/clarke/decide';
import { certificateToJson } from '../../src/certificate/certificate';
import { verifyCertificate } from '../../src/verify';
import { shutdownWorkers } from '../../src/milp/backends';
import { regionTruth } from './regions';

afterAll(async () => {
  await shutdownWorkers();
});

const DENS = [1n, 2n, 3n];
function randQ(rng: Rng, rational: boolean, max = 3): Rational {
  if (rng.int(0, 3) === 0) return ZERO;
  const d = rational ? DENS[rng.int(0, DENS.length - 1)]! : 1n;
  return Rational.of(BigInt(rng.int(-max, max)), d);
}

/** A random network; rows are sometimes duplicated, negated or zero. */
export function randomNet(rng: Rng): Network {
  const p = rng.int(1, 2);
  const depth = rng.int(1, 3);
  const rational = rng.int(0, 1) === 1;
  const withBias = rng.int(0, 2) > 0;
  const layers = [];
  let cols = p;
  for (let l = 0; l < depth; l++) {
    const width = rng.int(1, 4);
    const W: Rational[][] = [];
    const b: Rational[] = [];
    for (let i = 0; i < width; i++) {
      const kind = i > 0 ? rng.int(0, 7) : 7;
      if (kind === 0) {
        W.push(W[i - 1]!.slice()); // duplicated row
        b.push(b[i - 1]!);
      } else if (kind === 1) {
        W.push(W[i - 1]!.map((v) => v.neg())); // negated row
        b.push(b[i - 1]!.neg());
      } else if (kind === 2) {
        W.push(Array.from({ length: cols }, () => ZERO)); // zero row
        b.push(ZERO);
      } else {
        W.push(Array.from({ length: cols }, () => randQ(rng, rational)));
        b.push(withBias ? randQ(rng, rational, 2) : ZERO);
      }
    }
    layers.push(layerOf(W, b));
    cols = width;
  }
  layers.push(layerOf([Array.from({ length: cols }, () => randQ(rng, rational))]));
  return new Network(p, layers);
}

/** 0, a random rational point, or a point where some first-layer neuron is exactly 0. */
function randomPoint(rng: Rng, net: Network): Rational[] {
  const p = net.inputDim;
  const kind = Math.min(2, rng.int(0, 4)); // 0: zero, 1: random, 2-4: on a first-layer kink
  const q = () => Rational.of(BigInt(rng.int(-6, 6)), BigInt(rng.int(1, 4)));
  if (kind === 0) return Array.from({ length: p }, () => ZERO);
  if (kind === 1) return Array.from({ length: p }, q);
  const L0 = net.layers[0]!;
  const i = rng.int(0, L0.weights.length - 1);
  const w = L0.weights[i]!;
  const b = L0.bias[i]!;
  const x = Array.from({ length: p }, q);
  const j = w.findIndex((v) => !v.isZero());
  if (j < 0) return x;
  // solve w·x + b = 0 for x_j
  let rest = b;
  w.forEach((v, k) => {
    if (k !== j) rest = rest.add(v.mul(x[k]!));
  });
  x[j] = rest.neg().div(w[j]!);
  return x;
}

const N = process.env.NSAD_HEAVY ? 1500 : 300;

describe('decideClarke against exact region enumeration (seeded fuzz)', () => {
  it(`${N} random small networks: 0 wrong answers, no exact answer wrong, every certificate valid`, async () => {
    const rng = new Rng(20261129);
    const tally = { two: 0, singletonExact: 0, unknownHintSingleton: 0, unknown: 0, truthTwo: 0, truthSingleton: 0, hintWrong: 0 };
    for (let t = 0; t < N; t++) {
      const net = randomNet(rng);
      const at = randomPoint(rng, net);
      const truth = regionTruth(net, at);
      if (truth.answer === 'two') tally.truthTwo++;
      else tally.truthSingleton++;
      const a = await decideClarke(net, { at, seed: t, timeLimitSec: 10 });
      const ctx = `case ${t}: at ${at.join(',')}, truth ${truth.answer}, answer ${a.answer} (${a.restsOn})`;
      if (a.answer === 'two') {
        tally.two++;
        expect(a.exact, ctx).toBe(true);
        expect(truth.answer, ctx).toBe('two');
        expect(verifyCertificate(networkToJson(net), certificateToJson(a.certificate!)), ctx).toEqual({ valid: true });
        for (const g of a.subgradients!) expect(truth.gradients.some((h) => vecEq(g, h)), ctx).toBe(true);
      } else if (a.answer === 'singleton') {
        expect(a.exact, ctx).toBe(true); // no --trust-solver: a singleton is exact
        tally.singletonExact++;
        expect(truth.answer, ctx).toBe('singleton');
        if (a.subgradients) expect(vecEq(a.subgradients[0]!, truth.gradients[0]!), ctx).toBe(true);
      } else {
        expect(a.exact, ctx).toBe(false);
        if (a.hint === 'singleton') {
          tally.unknownHintSingleton++;
          if (truth.answer !== 'singleton') tally.hintWrong++;
        } else tally.unknown++;
      }
    }
    console.log(`fuzz ${N}: ${JSON.stringify(tally)}`);
    expect(tally.truthTwo).toBeGreaterThan(N / 5);
    expect(tally.truthSingleton).toBeGreaterThan(N / 10);
    // A numerical hint is not an answer, but on these small integer/rational networks it should not
    // point the wrong way either.
    expect(tally.hintWrong).toBe(0);
  }, 600_000);
});
