/** Shared helpers for the conservative tests: tiny random networks and the brute-force oracle. */
import { Rational, ZERO, ONE, vecEq } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { Network, layerOf } from '../../src/network/network';
import { backward } from '../../src/ad/backward';
import type { ConservativeAnswer } from '../../src/conservative';

export interface TinyOptions {
  maxInput?: number;
  maxWidth?: number;
  maxHidden?: number;
  /** Weights drawn from [-w, w]. */
  w?: number;
  /** Probability of a bias term being nonzero. */
  biasRate?: number;
  /** Probability of a weight being zero. */
  zeroRate?: number;
}

export function tinyNetwork(rng: Rng, o: TinyOptions = {}): Network {
  const p = rng.int(1, o.maxInput ?? 3);
  const H = rng.int(1, o.maxHidden ?? 3);
  const w = o.w ?? 1;
  const zr = o.zeroRate ?? 0.3;
  const layers = [];
  let cols = p;
  for (let l = 0; l <= H; l++) {
    const rows = l === H ? 1 : rng.int(1, o.maxWidth ?? 3);
    const W = Array.from({ length: rows }, () =>
      Array.from({ length: cols }, () => (rng.float() < zr ? 0 : rng.int(-w, w))),
    );
    const b = Array.from({ length: rows }, () => (rng.float() < (o.biasRate ?? 0) ? rng.int(-w, w) : 0));
    layers.push(layerOf(W, b));
    cols = rows;
  }
  return new Network(p, layers);
}

export function randomPoint(rng: Rng, p: number, range = 1): Rational[] {
  return Array.from({ length: p }, () => Rational.int(rng.int(-range, range)));
}

/**
 * The oracle: every vertex of D^a_F(x) by plain backprop over all s ∈ {0,1}^N (N = all hidden
 * neurons; the choices at nonzero pre-activations are ignored by backward). Distinct vectors.
 */
export function bruteForceVertices(net: Network, x: readonly Rational[]): Rational[][] {
  const widths = net.widths;
  const N = widths.reduce((a, b) => a + b, 0);
  const out: Rational[][] = [];
  for (let mask = 0; mask < 2 ** N; mask++) {
    let k = 0;
    const s = widths.map((w) => Array.from({ length: w }, () => ((mask >> k++) & 1 ? ONE : ZERO)));
    const g = backward(net, x, { kind: 'per-neuron', s }).gradient;
    if (!out.some((v) => vecEq(v, g))) out.push(g);
  }
  return out;
}

/** Assert-style check: every element is reproduced exactly by plain per-neuron backprop. */
export function reproducedByBackward(net: Network, x: readonly Rational[], ans: ConservativeAnswer): boolean {
  return ans.elements.every((el, k) => {
    const r = backward(net, x, { kind: 'per-neuron', s: ans.choices[k]! });
    return vecEq(r.gradient, el) && r.choices.every((row, l) => vecEq(row, ans.choices[k]![l]!));
  });
}

export function distinct(vs: readonly Rational[][]): boolean {
  for (let i = 0; i < vs.length; i++) for (let j = 0; j < i; j++) if (vecEq(vs[i]!, vs[j]!)) return false;
  return true;
}

export const zeros = (p: number): Rational[] => new Array<Rational>(p).fill(ZERO);
