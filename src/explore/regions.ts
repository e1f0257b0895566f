/**
 * The exact activation regions of a ReLU network F on a 2-D slice
 *
 *     φ(s, t) = x̄ + s·D1 + t·D2,   (s, t) ∈ [−R, R]²,
 *
 * each with its exact gradient. F∘φ is piecewise affine and its pieces are convex polygons
 * (docs/theory.md §1). Method (the one of reductions/zero-test.ts and of the region oracle of the
 * tests, in two dimensions and written for polygons): walk the hidden neurons in topological order
 * (layer by layer), keeping a list of convex polygons, on each of which every neuron seen so far
 * has a fixed sign and so every pre-activation is an affine form in (s, t). A neuron whose form z
 * is ≥ 0 at every vertex of a polygon is ≥ 0 on it (a polygon is the convex hull of its vertices):
 * relu(z) = z there; ≤ 0 at every vertex: relu(z) = 0; otherwise the polygon is cut along z = 0
 * into its parts z ≥ 0 and z ≤ 0, both with nonempty interior (z takes both strict signs). The
 * leaves tile the square (areas sum to (2R)² exactly) and on each, F∘φ is affine.
 *
 * The gradient of F itself (in R^p) on a leaf is backprop with the leaf's activation pattern as
 * the diagonals, 1 where z > 0 inside the leaf, 0 where z < 0. A neuron with z ≡ 0 on the whole
 * leaf (sign '0') needs care: when the slice spans R^p (p = 2), z vanishes on an open set, so its
 * gradient is 0 there and its diagonal does not matter; when p > 2, F may be nondifferentiable
 * across the slice on that leaf, and the leaf's gradient is reported as unknown (null), its slice
 * gradient (∂/∂s, ∂/∂t of F∘φ, always defined) still exact.
 */
import { Rational, ZERO, ONE } from '../exact/rational';
import type { Network } from '../network/network';
import { backwardWithDiagonals } from '../ad/backward';
import { area, clipHalfPlane, containsPoint, evalForm, square, type Form2, type Point } from './polygon';

/** Default limit on the number of regions of a slice (`nsad explore --max-regions`). */
export const DEFAULT_MAX_REGIONS = 20_000;

export interface SliceOptions {
  /** x̄ (length p). */
  at: readonly Rational[];
  /** D1, D2 (length p each, linearly independent). */
  plane: readonly [readonly Rational[], readonly Rational[]];
  /** Half side R of the square of (s, t) (> 0). */
  radius: Rational;
  /** Give up (RangeError) past this many regions (default DEFAULT_MAX_REGIONS). */
  maxRegions?: number;
}

export interface SliceRegion {
  /** Vertices (s, t), counter-clockwise. */
  polygon: Point[];
  /** Exact area in the (s, t) coordinates. */
  area: Rational;
  /** Sign of each hidden neuron inside the region, layer by layer: '+', '-', or '0' (vanishes on the whole region). */
  pattern: string;
  /** (∂/∂s, ∂/∂t) of F∘φ on the region. */
  sliceGradient: [Rational, Rational];
  /** ∇F on the region (R^p); null when F's gradient is not determined by the slice (module header). */
  gradient: Rational[] | null;
  /** The closed region contains x̄ (s = t = 0): its gradient is an element of ∂^c F(x̄) (docs/theory.md §1). */
  touchesCenter: boolean;
}

export interface Slice {
  at: Rational[];
  plane: [Rational[], Rational[]];
  radius: Rational;
  regions: SliceRegion[];
}

/** Whether two vectors are linearly independent (some 2×2 minor is nonzero). */
export function independent(d1: readonly Rational[], d2: readonly Rational[]): boolean {
  for (let i = 0; i < d1.length; i++) for (let j = i + 1; j < d1.length; j++) if (!d1[i]!.mul(d2[j]!).sub(d1[j]!.mul(d2[i]!)).isZero()) return true;
  return false;
}

interface Cell {
  poly: Point[];
  /** Post-activation forms of the previous layer. */
  prev: Form2[];
  /** Post-activation forms of the current layer so far. */
  cur: Form2[];
  signs: string;
}

const ZERO_FORM: Form2 = [ZERO, ZERO, ZERO];

/** The regions of F on the slice (module header). Throws RangeError on a malformed slice or past `maxRegions`. */
export function sliceRegions(net: Network, opts: SliceOptions): Slice {
  const p = net.inputDim;
  const [d1, d2] = opts.plane;
  if (p < 2) throw new RangeError(`sliceRegions: a 2-D slice needs at least 2 inputs, the network has ${p}`);
  if (opts.at.length !== p || d1.length !== p || d2.length !== p) throw new RangeError(`sliceRegions: x̄, D1 and D2 need ${p} coordinates`);
  if (!independent(d1, d2)) throw new RangeError('sliceRegions: D1 and D2 are linearly dependent');
  if (opts.radius.sign() <= 0) throw new RangeError('sliceRegions: the radius must be positive');
  const maxRegions = opts.maxRegions ?? DEFAULT_MAX_REGIONS;
  const inputs: Form2[] = Array.from({ length: p }, (_, i) => [d1[i]!, d2[i]!, opts.at[i]!]);
  const L = net.layers.length;
  let cells: Cell[] = [{ poly: square(opts.radius), prev: inputs, cur: [], signs: '' }];
  // Affine form of neuron i of layer l on a cell: Σ_j w_ij·prev_j + b_i (CSR: nonzeros only).
  const formOf = (l: number, i: number, prev: readonly Form2[]): Form2 => {
    const S = net.layers[l]!;
    let a = ZERO;
    let b = ZERO;
    let c = S.bias[i]!;
    for (let k = S.start[i]!; k < S.start[i + 1]!; k++) {
      const f = prev[S.col[k]!]!;
      const w = S.w[k]!;
      if (!f[0].isZero()) a = a.add(w.mul(f[0]));
      if (!f[1].isZero()) b = b.add(w.mul(f[1]));
      if (!f[2].isZero()) c = c.add(w.mul(f[2]));
    }
    return [a, b, c];
  };
  for (let l = 0; l < L - 1; l++) {
    for (let i = 0; i < net.layers[l]!.rows; i++) {
      const next: Cell[] = [];
      for (const cell of cells) {
        const z = formOf(l, i, cell.prev);
        const vals = cell.poly.map((v) => evalForm(z, v));
        const pos = vals.some((v) => v.sign() > 0);
        const neg = vals.some((v) => v.sign() < 0);
        if (pos && neg) {
          const above = clipHalfPlane(cell.poly, vals);
          const below = clipHalfPlane(cell.poly, vals.map((v) => v.neg()));
          next.push({ poly: above, prev: cell.prev, cur: [...cell.cur, z], signs: cell.signs + '+' });
          next.push({ poly: below, prev: cell.prev, cur: [...cell.cur, ZERO_FORM], signs: cell.signs + '-' });
        } else if (pos) next.push({ ...cell, cur: [...cell.cur, z], signs: cell.signs + '+' });
        else next.push({ ...cell, cur: [...cell.cur, ZERO_FORM], signs: cell.signs + (neg ? '-' : '0') });
      }
      if (next.length > maxRegions) throw new RangeError(`sliceRegions: more than ${maxRegions} regions in the square`);
      cells = next;
    }
    cells = cells.map((c) => ({ ...c, prev: c.cur, cur: [] }));
  }
  const widths = net.layers.slice(0, L - 1).map((S) => S.rows);
  const origin: Point = [ZERO, ZERO];
  const regions = cells.map((cell): SliceRegion => {
    const out = formOf(L - 1, 0, cell.prev);
    const vanishing = cell.signs.includes('0');
    let gradient: Rational[] | null = null;
    if (!vanishing || p === 2) {
      let k = 0;
      const diag = widths.map((w) => Array.from({ length: w }, () => (cell.signs[k++] === '+' ? ONE : ZERO)));
      gradient = backwardWithDiagonals(net, diag);
    }
    return {
      polygon: cell.poly,
      area: area(cell.poly),
      pattern: cell.signs,
      sliceGradient: [out[0], out[1]],
      gradient,
      touchesCenter: containsPoint(cell.poly, origin),
    };
  });
  return { at: opts.at.slice(), plane: [d1.slice(), d2.slice()], radius: opts.radius, regions };
}
