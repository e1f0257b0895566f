/**
 * Localization (docs/theory.md §6). For a piecewise-linear F and a rational point x̄,
 *
 *     F(x̄ + h) = F(x̄) + F'(x̄; h)   for small h,
 *
 * and h ↦ G(h) = F'(x̄; h) is the *tangent network*: every neuron whose pre-activation at x̄ is
 * nonzero is frozen (positive: identity, negative: 0), the neurons with a zero pre-activation keep
 * their relu, and all biases vanish. G is positively homogeneous and ∂^c F(x̄) = ∂^c G(0).
 *
 * Everything here is exact (Rational): the zero tests at x̄ decide which neurons stay nonlinear.
 */
import { Rational, ZERO } from '../exact/rational';
import type { Network, NetLayer } from '../network/network';
import { evaluateExact, affineExact } from '../network/evaluate';
import { pieceGradient } from '../ad/piece';
import { Rng } from '../exact/rng';
import { addScaled, constExpr, varExpr, type LinExpr, type ReluDag } from '../network/dag';
import { floatTangent, signsAtBar } from './float-tangent';

export interface Localized {
  /** The tangent network G as a DAG (one relu node per zero pre-activation of F at x̄). */
  dag: ReluDag;
  /** `origin[k] = [layer, neuron]` of F for relu node k of the DAG. */
  origin: Array<[number, number]>;
  /** Exact pre-activations of F at x̄. */
  preAtBar: Rational[][];
  valueAtBar: Rational;
}

/**
 * Pre: x̄.length === net.inputDim. Post: for every h, evaluateDag(dag, h) = F'(x̄; h) exactly.
 * Cost: O(Σ_l nnz_l · |expr|) (layers are CSR); expressions stay single variables when every neuron
 * is zero at x̄ (the bias-free case at 0), so it is linear in the number of nonzero weights there.
 */
export function localize(net: Network, xbar: readonly Rational[]): Localized {
  const fwd = evaluateExact(net, xbar);
  const p = net.inputDim;
  let prev: LinExpr[] = Array.from({ length: p }, (_, i) => varExpr(i));
  const neurons: LinExpr[] = [];
  const origin: Array<[number, number]> = [];
  const L = net.layers.length;
  // Row i of a stored layer (CSR, src/network/network.ts): only its nonzeros are visited.
  const combine = (W: NetLayer, i: number): LinExpr => {
    const acc = { terms: new Map<number, Rational>(), c: ZERO };
    for (let k = W.start[i]!; k < W.start[i + 1]!; k++) addScaled(acc, prev[W.col[k]!]!, W.w[k]!);
    return acc;
  };
  for (let l = 0; l < L - 1; l++) {
    const W = net.layers[l]!;
    const next: LinExpr[] = [];
    for (let i = 0; i < W.rows; i++) {
      const s = fwd.pre[l]![i]!.sign();
      if (s < 0) {
        next.push(constExpr());
        continue;
      }
      const e = combine(W, i);
      if (s > 0) next.push(e);
      else if (e.terms.size === 0) next.push(constExpr()); // relu(0) on the whole tangent space
      else {
        origin.push([l, i]);
        neurons.push(e);
        next.push(varExpr(p + neurons.length - 1));
      }
    }
    prev = next;
  }
  const output = combine(net.layers[L - 1]!, 0);
  return { dag: { inputDim: p, neurons, output }, origin, preAtBar: fwd.pre, valueAtBar: fwd.value };
}

export interface TangentPass {
  /** F'(x̄; h) = G(h). */
  derivative: Rational;
  /** Effective sign of each hidden neuron along h: sign at x̄, or where 0, sign of its derivative. */
  signs: Int8Array[];
  /** Number of neurons with zero pre-activation at x̄ and zero derivative along h (ties). */
  ties: number;
  /**
   * Every tie's pre-activation vanishes identically near x̄ + t·h (its gradient on the piece, with
   * the ties below it switched off, is 0): then F is still linear on an open set accumulating at
   * x̄ and `gradient` is a Clarke subgradient. True when there is no tie.
   */
  tiesVanish: boolean;
  /** Gradient of the piece of F entered along h (ties switched off) when tiesVanish; else null. */
  gradient: Rational[] | null;
}

/**
 * One exact forward sweep of (value at x̄, derivative along h): the activation pattern of F at
 * x̄ + t·h for small t > 0, exactly the pattern the certificate format asks for. When that pattern
 * is strict (no ties), F is linear on a cone around x̄ + t·h and its gradient there is a Clarke
 * subgradient at x̄ (docs/theory.md §2 claim 5, §6), computed by one backward sweep with those diagonals.
 *
 * Ties: on networks such as the SAT reduction, a pre-activation can vanish on a whole open set
 * (min(a, b) where a and b are attained by the same input there), and then no point of that set
 * has a strict pattern. Such a tie is harmless — the neuron outputs 0 on the whole set — and is
 * recognised exactly: the gradient of its pre-activation on the piece is 0 (one backward sweep per
 * tie). Induction over layers: if every tie below vanishes identically, the pieces' linear
 * functions are the true local ones, so the check is sound. `tiesVanish` reports it.
 */
export function tangentPass(net: Network, preAtBar: readonly (readonly Rational[])[], h: readonly Rational[]): TangentPass {
  let dv: readonly Rational[] = h;
  const L = net.layers.length;
  const signs: Int8Array[] = [];
  for (let l = 0; l < L - 1; l++) {
    const W = net.layers[l]!;
    const dz = affineExact(W, new Array<Rational>(W.rows).fill(ZERO), dv);
    const sg = new Int8Array(W.rows);
    const out = new Array<Rational>(W.rows);
    for (let i = 0; i < W.rows; i++) {
      const s0 = preAtBar[l]![i]!.sign();
      const s = s0 !== 0 ? s0 : dz[i]!.sign();
      sg[i] = s;
      out[i] = s > 0 ? dz[i]! : ZERO;
    }
    signs.push(sg);
    dv = out;
  }
  const derivative = affineExact(net.layers[L - 1]!, [ZERO], dv)[0]!;
  // The pattern → piece step shared with clarke-one (src/ad/piece.ts).
  const { ties, tiesVanish, gradient } = pieceGradient(net, signs);
  return { derivative, signs, ties, tiesVanish, gradient };
}

/**
 * A direction h with a strict pattern (no ties), drawn from the seeded RNG: integer coordinates in
 * [-2^20, 2^20]; we check exactly and resample (docs/theory.md §6: "check exactly; resample if one is").
 * If no draw is strict, the first draw whose ties all vanish identically (see tangentPass);
 * null if neither occurs in `tries` draws.
 */
export function genericDirection(
  net: Network,
  preAtBar: readonly (readonly Rational[])[],
  rng: Rng,
  tries = 64,
): { h: Rational[]; pass: TangentPass } | null {
  const R = 1n << 20n;
  let fallback: { h: Rational[]; pass: TangentPass } | null = null;
  const barSigns = signsAtBar(preAtBar);
  for (let t = 0; t < tries; t++) {
    const h = Array.from({ length: net.inputDim }, () => Rational.int(rng.bigint(-R, R)));
    // Floats first (./float-tangent.ts): a draw whose float pattern has ties is checked exactly
    // only while no fallback is known — on networks without strict points (the reduction) that
    // is one exact pass instead of nine.
    if (fallback !== null && floatTangent(net, barSigns, h.map((v) => v.toNumber())).ties > 0) {
      if (t >= 8) break;
      continue;
    }
    const pass = tangentPass(net, preAtBar, h);
    if (pass.ties === 0) return { h, pass };
    if (pass.tiesVanish && fallback === null) fallback = { h, pass };
    if (fallback !== null && t >= 8) break; // strict points may not exist at all (see tangentPass)
  }
  return fallback;
}
