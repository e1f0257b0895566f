/**
 * Lexicographic subgradient of a layered ReLU network (docs/theory.md §7, Nesterov's lexicographic
 * derivative). Exact and Clarke-correct, but dimension-dependent: p + 1 sweeps.
 *
 * Algorithm: propagate the value and a row of p tangents (one per direction m_k, the rows of M,
 * default the identity) through every neuron. Where a pre-activation is positive the row passes,
 * where negative it is zeroed, and where it is exactly zero the row passes iff its first nonzero
 * entry is positive (all-zero rows are zeroed; they are zero either way).
 *
 * Why it is a Clarke subgradient: this is the sequence of directional derivatives
 * F'(x; m_1), then F'_{m_1}(·; m_2), … — at a zero pre-activation, the first direction along which
 * the pre-activation moves decides whether the neuron is on or off for the whole nested sequence.
 * The result J equals g·m_k for the gradient g of the linear piece of F that contains the points
 * x + t_1 m_1 + t_2 m_2 + … (t_1 ≫ t_2 ≫ … > 0); that piece has nonempty interior because M is a
 * basis, so g is a limit of gradients at differentiable points: g ∈ ∂^c F(x). Solving g·m_k = J_k
 * (g = F'(x;M)·M^{-1}) recovers it.
 *
 * Post: subgradient.length === inputDim; ops = cost(F) + p · cost(tangent) [+ the exact solve when
 * M is not the identity].
 */
import { Rational, ZERO } from '../exact/rational';
import type { Network } from '../network/network';
import { checkPoint } from '../network/evaluate';
import { tangentSweepNetwork } from './forward';
import { identity, firstNonzeroSign } from './tape';
import { lexicographicFromRow, checkDirections } from './linear';
import { addOps, scaleOps, networkForwardOps, networkTangentOps, type OpCounts } from './ops';

/**
 * F(x) and a lexicographic subgradient (an element of the Clarke subdifferential, docs/theory.md
 * §7), with the operation counts.
 */
export interface LexicographicResult {
  value: Rational;
  subgradient: Rational[];
  ops: OpCounts;
}

/**
 * Nesterov's lexicographic subgradient at x with directions M (default the identity): p + 1 exact
 * forward sweeps; the result lies in ∂^c F(x) (docs/theory.md §7). Throws on a singular M.
 */
export function lexicographicSubgradient(net: Network, x: Rational[], M?: Rational[][]): LexicographicResult {
  checkPoint(net, x);
  const p = net.inputDim;
  const dirs = M ?? identity(p);
  checkDirections(dirs, p);
  const zeroRow = new Array<Rational>(p).fill(ZERO);
  const r = tangentSweepNetwork(net, x, dirs, (row) => (firstNonzeroSign(row) > 0 ? row : zeroRow));
  const { subgradient, ops } = lexicographicFromRow(M, r.out, addOps(networkForwardOps(net), scaleOps(networkTangentOps(net), p)));
  return { value: r.value, subgradient, ops };
}
