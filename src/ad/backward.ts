/**
 * Backpropagation, exact (docs/theory.md §1). Returns
 *
 *     M_1^T D_1 M_2^T D_2 … D_{L-1} M_L^T
 *
 * where D_l is diagonal: 1 where the pre-activation is positive, 0 where negative, and the policy's
 * `relu'(0)` where it is exactly zero. For every policy with values in [0,1] the result is an
 * element of the conservative gradient D^a_F(x).
 *
 * Post: `gradient.length === inputDim`; `pattern[l][i]` is the sign of pre-activation (l, i);
 * `zeros` lists the hidden neurons (l, i) whose pre-activation is exactly 0, layer-major order;
 * `choices[l][i]` is the diagonal entry used; `ops` the operation count in the paper's model.
 */
import { Rational, ZERO, ONE } from '../exact/rational';
import type { Network } from '../network/network';
import { evaluateExact } from '../network/evaluate';
import { sparseLayers } from '../network/sparse';
import { resolveReluPrime, type ReluPrime, PYTORCH } from './relu-prime';
import { networkBackpropOps, type OpCounts } from './ops';

/**
 * What one backpropagation returns: F(x), the gradient (an element of the conservative gradient,
 * docs/theory.md §1), the activation pattern (sign per hidden neuron), the neurons whose
 * pre-activation is exactly 0 with the relu'(0) chosen there, and the operation counts.
 */
export interface BackwardResult {
  value: Rational;
  gradient: Rational[];
  pattern: Int8Array[];
  zeros: Array<[layer: number, neuron: number]>;
  choices: Rational[][];
  /** Structural cost of forward + reverse sweep (src/ad/ops.ts); compare with networkForwardOps(net). */
  ops: OpCounts;
}

/**
 * Exact backpropagation through a network at a rational point, with `relu'(0)` taken from `policy`
 * at every zero pre-activation (default PyTorch's 0). Returns an element of the conservative
 * gradient D^a_F(x) (docs/theory.md §1); Clarke-correct only when no pre-activation is 0 (claim
 * 5).
 */
export function backward(net: Network, x: readonly Rational[], policy: ReluPrime = PYTORCH): BackwardResult {
  const fwd = evaluateExact(net, x);
  const widths = net.widths;
  const choose = resolveReluPrime(policy, widths);
  const pattern: Int8Array[] = [];
  const zeros: Array<[number, number]> = [];
  const choices: Rational[][] = [];
  for (let l = 0; l < widths.length; l++) {
    const z = fwd.pre[l]!;
    const pat = new Int8Array(z.length);
    const ch = new Array<Rational>(z.length);
    for (let i = 0; i < z.length; i++) {
      const s = z[i]!.sign();
      pat[i] = s;
      if (s > 0) ch[i] = ONE;
      else if (s < 0) ch[i] = ZERO;
      else {
        zeros.push([l, i]);
        ch[i] = choose(l, i);
      }
    }
    pattern.push(pat);
    choices.push(ch);
  }
  return { value: fwd.value, gradient: backwardWithDiagonals(net, choices), pattern, zeros, choices, ops: networkBackpropOps(net) };
}

/**
 * The vector–matrix chain `M_L D_{L-1} M_{L-1} … D_1 M_1` for given diagonals (adjoint sweep from
 * the output). `diag[l][i]` is entry i of D_{l+1}. Used by backward and by the conservative side.
 */
export function backwardWithDiagonals(net: Network, diag: readonly (readonly Rational[])[]): Rational[] {
  // Sparse rows (src/network/sparse.ts): only nonzero weights are visited, ±1 weights add or
  // subtract without a multiplication.
  const layers = sparseLayers(net);
  const L = layers.length;
  let adj: Rational[] = [ONE];
  for (let l = L - 1; l >= 0; l--) {
    const S = layers[l]!;
    if (l < L - 1) {
      const d = diag[l]!;
      adj = adj.map((a, i) => (a.n === 0n ? a : a.mul(d[i]!)));
    }
    const next = new Array<Rational>(S.cols).fill(ZERO);
    for (let i = 0; i < S.rows; i++) {
      const a = adj[i]!;
      if (a.n === 0n) continue;
      const na = a.neg();
      for (let k = S.start[i]!; k < S.start[i + 1]!; k++) {
        const j = S.col[k]!;
        const u = S.unit[k]!;
        next[j] = next[j]!.add(u === 1 ? a : u === -1 ? na : S.w[k]!.mul(a));
      }
    }
    adj = next;
  }
  return adj;
}
