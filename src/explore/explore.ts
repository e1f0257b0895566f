/**
 * The figure data of `nsad explore`: everything the picture shows, computed exactly.
 *
 * - The activation regions of F on the slice x̄ + s·D1 + t·D2, (s, t) ∈ [−R, R]², each with its exact
 *   gradient (./regions.ts).
 * - The Clarke subdifferential ∂^c F(x̄), the convex hull of the gradients of the pieces of F at x̄
 *   (docs/theory.md §1, §9), enumerated with a completeness certificate by `clarkeSet` and checked
 *   by the independent verifier.
 * - Backprop's vectors at x̄ for relu'(0) ∈ {0, ½, 1} (elements of the conservative gradient,
 *   docs/theory.md §1) and, for each, whether it lies in ∂^c F(x̄) (`clarkeContains`: `yes` with
 *   exact convex weights, `no` with a separating direction, or `undecided` past the time limit).
 * - Coordinates for gradient space: the gradients themselves when p = 2; when p > 2, their
 *   projections (g·D1, g·D2) on the plane's directions. The projection of ∂^c F(x̄) is a convex set
 *   containing the Clarke set of the restriction F∘φ at 0 (chain rule inclusion), and a vector
 *   outside ∂^c F(x̄) may project inside the projected set: membership is always decided in R^p.
 */
import { Rational, ZERO, ONE, dot } from '../exact/rational';
import type { Network } from '../network/network';
import { backward } from '../ad/backward';
import { constantPolicy } from '../ad/relu-prime';
import { clarkeSet, clarkeContains, tiedForms, type ClarkeSet, type MembershipAnswer } from '../clarke/set';
import { sliceRegions, type Slice } from './regions';
import { convexHull, type Point } from './polygon';

export interface ExploreOptions {
  /** x̄ (length p ≥ 2). */
  at: Rational[];
  /** D1, D2 (default e1, e2). */
  plane?: [Rational[], Rational[]];
  /** Half side of the square of (s, t) (default 1). */
  radius?: Rational;
  maxRegions?: number;
  /** Budget in seconds of the Clarke set and of each membership question (default 60). */
  timeLimitSec?: number;
  /** The relu'(0) values of backprop (default 0, ½, 1). */
  reluPrimes?: Rational[];
  progress?: (line: string) => void;
}

export interface BackpropPoint {
  reluPrime: Rational;
  gradient: Rational[];
  /** Its coordinates in the gradient-space panel. */
  point: Point;
  membership: MembershipAnswer;
  /** How the membership answer is known. */
  restsOn: string;
}

export interface Exploration {
  /** The network's input dimension p. */
  inputDim: number;
  /** F(x̄). */
  value: Rational;
  slice: Slice;
  clarke: ClarkeSet;
  /** The Clarke set's gradients in gradient-space coordinates (one per `clarke.gradients`). */
  setPoints: Point[];
  /** Their convex hull (counter-clockwise; a point or a segment when degenerate). */
  setHull: Point[];
  backprop: BackpropPoint[];
  /** True when p > 2: gradient space is drawn projected on (D1, D2). */
  projected: boolean;
}

const HALF = Rational.of(1n, 2n);

/**
 * Compute the figure data (module header). Throws RangeError on a malformed slice or past the
 * region limit, TimeLimitReached when the limit passes while reducing the tied forms.
 */
export function explore(net: Network, opts: ExploreOptions): Exploration {
  const p = net.inputDim;
  const log = opts.progress ?? (() => {});
  const unit = (k: number): Rational[] => Array.from({ length: p }, (_, i) => (i === k ? ONE : ZERO));
  const plane = opts.plane ?? [unit(0), unit(1)];
  const slice = sliceRegions(net, { at: opts.at, plane, radius: opts.radius ?? ONE, maxRegions: opts.maxRegions });
  log(`slice: ${slice.regions.length} region(s), ${slice.regions.filter((r) => r.touchesCenter).length} meeting x̄`);
  // One reduction of the tied forms for the set and every membership question; past the limit
  // there it throws TimeLimitReached (src/clarke/set/clarke-set.ts): no picture of the set then.
  const forms = tiedForms(net, opts.at, performance.now() + (opts.timeLimitSec ?? 60) * 1000);
  const clarke = clarkeSet(net, { at: opts.at, timeLimitSec: opts.timeLimitSec, forms, progress: (l) => log(`clarke set: ${l}`) });
  const projected = p > 2;
  const coords = (g: readonly Rational[]): Point => (projected ? [dot(g, plane[0]), dot(g, plane[1])] : [g[0]!, g[1]!]);
  const setPoints = clarke.gradients.map((g) => coords(g.gradient));
  const backprop = (opts.reluPrimes ?? [ZERO, HALF, ONE]).map((s): BackpropPoint => {
    const gradient = backward(net, opts.at, constantPolicy(s)).gradient;
    const m = clarkeContains(net, gradient, { at: opts.at, set: clarke, forms, timeLimitSec: opts.timeLimitSec });
    log(`backprop relu'(0) = ${s}: (${gradient.join(', ')}) ∈ ∂^c F(x̄)? ${m.answer}`);
    return { reluPrime: s, gradient, point: coords(gradient), membership: m.answer, restsOn: m.restsOn };
  });
  return { inputDim: p, value: forms.value, slice, clarke, setPoints, setHull: convexHull(setPoints), backprop, projected };
}
