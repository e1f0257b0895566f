/**
 * Exact convex polygons in the plane: the regions of `nsad explore` (docs/theory.md §1: on each
 * activation region a ReLU network is affine, and the regions are convex polyhedra). Vertices are
 * Rational pairs in counter-clockwise order; every decision (which side of a line, inside or not)
 * is the sign of an exact expression, never a float comparison.
 */
import { Rational, ZERO } from '../exact/rational';

/** A point (s, t) of the plane. */
export type Point = readonly [Rational, Rational];

/** An affine form a·s + b·t + c on the plane. */
export type Form2 = readonly [a: Rational, b: Rational, c: Rational];

export const evalForm = (f: Form2, p: Point): Rational => f[0].mul(p[0]).add(f[1].mul(p[1])).add(f[2]);

/** The square [−r, r]², counter-clockwise (t pointing up). */
export function square(r: Rational): Point[] {
  const m = r.neg();
  return [
    [m, m],
    [r, m],
    [r, r],
    [m, r],
  ];
}

/**
 * The part of the convex polygon `poly` where `f ≥ 0` (Sutherland–Hodgman against one half-plane,
 * exact): a vertex is kept when f(v) ≥ 0; an edge whose ends have strictly opposite signs adds the
 * point where f vanishes on it. Vertices with f = 0 are kept on both sides of a split, so the two
 * halves share the cutting segment and tile `poly`. Order (counter-clockwise) is preserved.
 * `values[k]` = f(poly[k]) (the caller has them already).
 */
export function clipHalfPlane(poly: readonly Point[], values: readonly Rational[]): Point[] {
  const out: Point[] = [];
  const n = poly.length;
  for (let k = 0; k < n; k++) {
    const p = poly[k]!;
    const q = poly[(k + 1) % n]!;
    const fp = values[k]!;
    const fq = values[(k + 1) % n]!;
    if (fp.sign() >= 0) out.push(p);
    if (fp.sign() * fq.sign() < 0) {
      // f(p + λ(q − p)) = 0 at λ = fp / (fp − fq) ∈ (0, 1).
      const lambda = fp.div(fp.sub(fq));
      out.push([p[0].add(lambda.mul(q[0].sub(p[0]))), p[1].add(lambda.mul(q[1].sub(p[1])))]);
    }
  }
  return out;
}

/** Signed area (shoelace): positive for a counter-clockwise polygon. */
export function area(poly: readonly Point[]): Rational {
  let twice = ZERO;
  for (let k = 0; k < poly.length; k++) {
    const p = poly[k]!;
    const q = poly[(k + 1) % poly.length]!;
    twice = twice.add(p[0].mul(q[1]).sub(q[0].mul(p[1])));
  }
  return twice.div(Rational.int(2));
}

/** (q − p) × (r − p): > 0 when p, q, r turn counter-clockwise. */
const cross = (p: Point, q: Point, r: Point): Rational => q[0].sub(p[0]).mul(r[1].sub(p[1])).sub(q[1].sub(p[1]).mul(r[0].sub(p[0])));

/** Whether the point lies in the closed convex counter-clockwise polygon (boundary included). */
export function containsPoint(poly: readonly Point[], x: Point): boolean {
  for (let k = 0; k < poly.length; k++) if (cross(poly[k]!, poly[(k + 1) % poly.length]!, x).sign() < 0) return false;
  return true;
}

/**
 * The convex hull of a finite point set, counter-clockwise, without collinear or repeated points
 * (Andrew's monotone chain, exact). One point or a segment when the set is degenerate.
 */
export function convexHull(points: readonly Point[]): Point[] {
  const pts = points.slice().sort((a, b) => a[0].cmp(b[0]) || a[1].cmp(b[1]));
  const uniq = pts.filter((p, i) => i === 0 || !(p[0].eq(pts[i - 1]![0]) && p[1].eq(pts[i - 1]![1])));
  if (uniq.length <= 2) return uniq;
  const half = (list: readonly Point[]): Point[] => {
    const h: Point[] = [];
    for (const p of list) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, p).sign() <= 0) h.pop();
      h.push(p);
    }
    h.pop();
    return h;
  };
  const hull = [...half(uniq), ...half(uniq.slice().reverse())];
  return hull.length === 0 ? [uniq[0]!] : hull;
}
