/**
 * "Hidden linear" networks: a linear map c·x written as a ternary bias-free network through
 * `kinks` cancelling kink pairs mixed by `depth` random ternary layers (the artifacts of
 * docs/theory.md §3 at scale).
 *
 * Construction. Draw a ternary k × p matrix W (no zero row). Hidden layer 1 holds the k kink pairs
 * P_i = relu(w_i·x), N_i = relu(−w_i·x). Each of `depth` mixing layers draws a ternary k × k matrix
 * S (no zero row) and maps both channels by it: P ← S·P, N ← S·N, each new value passed through
 * the layer by the carry gadget relu(u) − relu(−u) (reductions/gadgets.ts; the values of one channel
 * live on disjoint units, so every weight stays ternary). The output is t·P − t·N for random signs
 * t. Since P_i − N_i = w_i·x and every step is linear in the channels,
 *
 *     F(x) = t·S_d ⋯ S_1·(relu(Wx) − relu(−Wx)) = (t·S_d ⋯ S_1·W)·x = c·x,
 *
 * a linear function: ∂^c F(0) = {c}, a singleton by construction (docs/theory.md §1: F linear).
 * The channels P and N are not linear (each is a sum of relus); only their difference is, so the
 * cancellation is visible only at the output. Backpropagation with one value s = relu'(0) at every
 * (zero) neuron at 0 returns (2s)^(d+1)·c: 0 for PyTorch's s = 0, 2^(d+1)·c for s = 1 — the right
 * answer only for s = 1/2 (facts recorded with each instance), and the conservative gradient has
 * other elements (docs/theory.md §5).
 */
import { Rational, ZERO } from '../../src/exact/rational';
import { seededRng } from '../../src/exact/rng';
import { backward } from '../../src/ad/backward';
import { PYTORCH, constantPolicy } from '../../src/ad/relu-prime';
import { UserError } from '../../src/errors';
import { LayeredBuilder, sumForms, type Form } from '../gadgets';
import { inputForms, rowForm, rowTimes, ternaryRow, vectorText } from './common';
import type { NetInstance } from './types';

export interface HiddenLinearParams {
  /** Input dimension p ≥ 1. */
  inputs: number;
  /** Kink pairs per layer k ≥ 1. */
  kinks: number;
  /** Mixing layers d ≥ 0. */
  depth: number;
}

export function hiddenLinear(params: HiddenLinearParams, seed: number): NetInstance {
  const { inputs: p, kinks: k, depth: d } = params;
  if (!Number.isSafeInteger(p) || p < 1) throw new UserError(`hidden-linear: --inputs must be a positive integer, got ${p}`);
  if (!Number.isSafeInteger(k) || k < 1) throw new UserError(`hidden-linear: --kinks must be a positive integer, got ${k}`);
  if (!Number.isSafeInteger(d) || d < 0) throw new UserError(`hidden-linear: --depth must be a non-negative integer, got ${d}`);
  const rng = seededRng(seed);
  const W = Array.from({ length: k }, () => ternaryRow(p, rng));
  const S = Array.from({ length: d }, () => Array.from({ length: k }, () => ternaryRow(k, rng)));
  const t = Array.from({ length: k }, () => (rng.bool() ? 1 : -1));
  const b = new LayeredBuilder(p);
  const x = inputForms(p);
  let P: Form[] = [];
  let N: Form[] = [];
  b.layer((L) => {
    const pre = W.map((w) => rowForm(w, x));
    P = pre.map((u) => L.relu(u));
    N = pre.map((u) => L.relu(sumForms([[u, -1]])));
  });
  for (const Sl of S)
    b.layer((L) => {
      const nextP = Sl.map((row) => L.carry(rowForm(row, P)));
      const nextN = Sl.map((row) => L.carry(rowForm(row, N)));
      P = nextP;
      N = nextN;
    });
  const out = sumForms([...P.map((f, i) => [f, t[i]! as 1 | -1] as const), ...N.map((f, i) => [f, -t[i]! as 1 | -1] as const)]);
  const meta = { generator: 'nsad generate net-hidden-linear', inputs: p, kinks: k, depth: d, seed };
  const net = b.finish(out, meta);
  // c = t·S_d ⋯ S_1·W, exactly.
  let v = t.map((s) => BigInt(s));
  for (let l = d - 1; l >= 0; l--) v = rowTimes(v, S[l]!);
  const c = rowTimes(v, W).map((z) => Rational.int(z));
  const zero = new Array<Rational>(p).fill(ZERO);
  const bp0 = backward(net, zero, PYTORCH).gradient;
  const bp1 = backward(net, zero, constantPolicy(1)).gradient;
  return {
    name: `hidden-linear-p${p}-k${k}-d${d}-s${seed}`,
    family: 'hidden-linear',
    params: { inputs: p, kinks: k, depth: d },
    seed,
    net,
    at: zero,
    expected: 'singleton',
    construction: `F(x) = c·x by construction: ${k} kink pairs relu(w·x), relu(−w·x) mixed by ${d} ternary layers applied to both channels, which cancel at the output (reductions/families/hidden-linear.ts); a linear F has the one Clarke subgradient c (docs/theory.md §1)`,
    facts: {
      clarke: vectorText(c),
      backpropReluPrime0: vectorText(bp0),
      backpropReluPrime1: vectorText(bp1),
    },
  };
}
