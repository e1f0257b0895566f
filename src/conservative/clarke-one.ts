/**
 * One Clarke subgradient at the cost of one backprop (docs/theory.md §2 claim 5, §6 "Localization").
 *
 * Let G be the tangent network at x̄ (neurons with nonzero pre-activation at x̄ frozen: active →
 * identity, inactive → 0). If at y = x̄ + h every such neuron keeps its sign, then layer by layer
 * `z_F(y) = z_F(x̄) + z_G(h)` (induction on layers: a frozen active neuron passes z(x̄) + z_G(h),
 * a frozen inactive one 0, a free one relu(0 + z_G(h))). If moreover no pre-activation is zero at
 * y, the signs are constant near y, so F is affine near y with `∇F(y) = ∇G(h)`, and since G is
 * positively homogeneous, `∇G(h) = ∇G(t h) → ∂^c G(0) = ∂^c F(x̄)` as t → 0. And at such a y
 * backprop returns the true gradient (no relu'(0) choice is ever used).
 *
 * Point choice, exact: h = t·r, r a seeded random integer vector in [-2^20, 2^20]^p, t = 2^-k.
 * Halve t while a frozen neuron changes sign (it terminates: pre-activations are continuous in t);
 * draw a new r when some pre-activation of y is exactly 0.
 *
 * Degenerate neurons: a pre-activation may be identically 0 near every point (a zero row, or
 * `relu(a) − relu(a)` feeding a neuron). Such a neuron outputs the constant 0 near y, so treating
 * it as inactive is exact. It is recognised exactly: in layer order, a zero pre-activation at y is
 * locally ≡ 0 iff the gradient of that pre-activation (backprop of the sub-network below it, with
 * the earlier locally-zero neurons inactive) is 0 — the pre-activation is affine near y. Rows that
 * are structurally zero (zero bias, nonzero weights only from structurally zero neurons) are
 * recognised without a backprop.
 */
import { Rational, ZERO, ONE } from '../exact/rational';
import { seededRng } from '../exact/rng';
import { UserError } from '../errors';
import type { Network } from '../network/network';
import { evaluateExact, checkPoint } from '../network/evaluate';
import { pieceGradient, structuralZeros } from '../ad/piece';

export interface ClarkeOneResult {
  /** ∇F(point), an element of ∂^c F(at). */
  subgradient: Rational[];
  /** The point y near `at` where no pre-activation is zero (except locally-zero ones). */
  point: Rational[];
  /** F(point). */
  value: Rational;
  /** The point x̄ the subgradient belongs to. */
  at: Rational[];
  /** The step t of y = at + t·r. */
  step: Rational;
  /** Random directions drawn. */
  draws: number;
  /** Halvings of t. */
  halvings: number;
  /** Hidden neurons whose pre-activation is identically 0 near y (treated as inactive). */
  locallyZero: number;
  seed: number;
  timeMs: number;
}

const R = 1 << 20;
const MAX_DRAWS = 64;
const MAX_HALVINGS = 4096;

/**
 * One Clarke subgradient at `at` (default 0) for the price of one backpropagation at a nearby
 * exact point where every zero pre-activation vanishes identically (docs/theory.md §2 claim 5,
 * §6). Deterministic given `seed`; throws a UserError if 64 random directions all hit a kink.
 */
export function clarkeOne(net: Network, at?: readonly Rational[], seed = 0): ClarkeOneResult {
  const t0 = performance.now();
  const p = net.inputDim;
  const xbar = at ? [...at] : new Array<Rational>(p).fill(ZERO);
  checkPoint(net, xbar, '--at');
  const rng = seededRng(seed, 1);
  const ref = evaluateExact(net, xbar).pre.map((z) => z.map((v) => v.sign()));
  const structural = structuralZeros(net);
  let halvings = 0;
  for (let draw = 1; draw <= MAX_DRAWS; draw++) {
    const r = new Array<Rational>(p);
    let nonzero = false;
    for (let k = 0; k < p; k++) {
      const v = rng.int(-R, R);
      if (v !== 0) nonzero = true;
      r[k] = Rational.int(v);
    }
    if (!nonzero) continue;
    let t = ONE;
    for (let h = 0; h <= MAX_HALVINGS; h++) {
      const y = xbar.map((xi, k) => xi.add(t.mul(r[k]!)));
      const fwd = evaluateExact(net, y);
      // 1. Every neuron nonzero at x̄ must keep its sign at y (y inside the localization region).
      let moved = false;
      for (let l = 0; l < fwd.pre.length && !moved; l++) {
        const z = fwd.pre[l]!;
        const s = ref[l]!;
        for (let i = 0; i < z.length; i++) if (s[i] !== 0 && z[i]!.sign() !== s[i]) {
          moved = true;
          break;
        }
      }
      if (moved) {
        t = t.div(Rational.int(2));
        halvings++;
        continue;
      }
      // 2. No pre-activation may be zero at y, except ones that are identically zero near y
      //    (the shared pattern → piece step, src/ad/piece.ts).
      const piece = pieceGradient(net, fwd.pre.map((z) => z.map((v) => v.sign())), structural);
      if (!piece.tiesVanish) break; // a kink at y: draw a new direction
      const locallyZero = piece.ties;
      return {
        subgradient: piece.gradient!,
        point: y,
        value: fwd.value,
        at: xbar,
        step: t,
        draws: draw,
        halvings,
        locallyZero,
        seed,
        timeMs: performance.now() - t0,
      };
    }
  }
  throw new UserError(`clarke-one: no point without a zero pre-activation found near the given point after ${MAX_DRAWS} random directions (seed ${seed})`);
}
