/**
 * The exact regions of a 2-D slice (src/explore/regions.ts) against independent oracles: the
 * exhaustive region enumeration of test/soundness/regions.ts (the gradients of the regions meeting
 * x̄ are exactly the pieces of ∂^c F(x̄) when the slice is the whole plane, p = 2), exact backprop at
 * an interior point of each region (F is differentiable there when no neuron is tied), and the
 * tiling of the square (areas sum to (2R)² exactly, every region has positive area).
 */
import { describe, it, expect } from 'vitest';
import { Rational, ZERO, ONE, vecEq, dot } from '../../src/exact/rational';
import { backward } from '../../src/ad/backward';
import { networkOf } from '../../src/network/network';
import { sliceRegions, type Slice } from '../../src/explore/regions';
import { area, clipHalfPlane, containsPoint, convexHull, square, type Point } from '../../src/explore/polygon';
import { regionTruth } from '../soundness/regions';
import { kinkCase, biasFreeCase, type Case } from '../clarke-set/networks';

const q = (n: number, d = 1): Rational => Rational.of(BigInt(n), BigInt(d));
const E1 = [ONE, ZERO];
const E2 = [ZERO, ONE];

/** Tiling, positive areas, slice gradient = (∇F·D1, ∇F·D2), and ∇F = backprop at interior points without ties. */
function checkSlice(s: Slice, net: Case['net'], ctx: string): void {
  const total = s.regions.reduce((acc, r) => acc.add(r.area), ZERO);
  const side = s.radius.mul(q(2));
  expect(total.eq(side.mul(side)), `${ctx}: areas sum to (2R)², got ${total}`).toBe(true);
  for (const r of s.regions) {
    expect(r.area.sign(), ctx).toBe(1);
    if (r.gradient === null) continue;
    expect(dot(r.gradient, s.plane[0]).eq(r.sliceGradient[0]) && dot(r.gradient, s.plane[1]).eq(r.sliceGradient[1]), ctx).toBe(true);
    const n = q(r.polygon.length);
    const c: Point = [r.polygon.reduce((a, v) => a.add(v[0]), ZERO).div(n), r.polygon.reduce((a, v) => a.add(v[1]), ZERO).div(n)];
    const x = s.at.map((xi, i) => xi.add(c[0].mul(s.plane[0][i]!)).add(c[1].mul(s.plane[1][i]!)));
    const b = backward(net, x);
    if (b.zeros.length === 0) expect(vecEq(b.gradient, r.gradient), `${ctx}: backprop at an interior point`).toBe(true);
  }
}

function sameSet(a: readonly Rational[][], b: readonly Rational[][]): boolean {
  return a.every((g) => b.some((h) => vecEq(g, h))) && b.every((g) => a.some((h) => vecEq(g, h)));
}

describe('explore: polygons', () => {
  it('clips the square into two halves that tile it, and finds a hull', () => {
    const sq = square(ONE);
    const f = (p: Point): Rational => p[0].add(p[1].mul(q(2))).sub(q(1, 2)); // s + 2t − ½
    const above = clipHalfPlane(sq, sq.map(f));
    const below = clipHalfPlane(sq, sq.map((p) => f(p).neg()));
    expect(area(above).add(area(below)).eq(q(4))).toBe(true);
    expect(area(above).eq(q(3, 2))).toBe(true); // ∫ from −1 to 1 of (1 − (½ − s)/2) ds
    expect(containsPoint(above, [ONE, ONE])).toBe(true);
    expect(containsPoint(above, [ZERO, ZERO])).toBe(false);
    const h = convexHull([[ZERO, ZERO], [ONE, ZERO], [q(1, 2), q(1, 4)], [ONE, ONE], [ZERO, ONE], [q(1, 2), ZERO]]);
    expect(h.map((p) => p.join(','))).toEqual(['0,0', '1,0', '1,1', '0,1']);
    expect(convexHull([[ZERO, ZERO], [ONE, ONE], [q(1, 2), q(1, 2)]]).length).toBe(2);
  });
});

describe('explore: regions of a 2-D slice', () => {
  it('relu(x1) − relu(−x1) + relu(x2): four regions, two gradients, all meeting at 0', () => {
    const net = networkOf(2, [[[1, 0], [-1, 0], [0, 1]], [[1, -1, 1]]]);
    const s = sliceRegions(net, { at: [ZERO, ZERO], plane: [E1, E2], radius: ONE });
    expect(s.regions.length).toBe(4);
    expect(s.regions.every((r) => r.touchesCenter && r.area.eq(ONE))).toBe(true);
    const grads = s.regions.map((r) => r.gradient!.join(','));
    expect(new Set(grads)).toEqual(new Set(['1,0', '1,1']));
    checkSlice(s, net, 'relu difference');
  });

  it('seeded networks with p = 2 on 1–6 kinks: the regions meeting x̄ carry exactly the pieces of the exhaustive enumeration', () => {
    let checked = 0;
    for (let seed = 0; checked < 60 && seed < 2000; seed++) {
      const c = seed % 3 === 2 ? biasFreeCase(seed) : kinkCase(seed, seed % 3 === 1);
      if (c.net.inputDim !== 2) continue;
      const r = Rational.of(1n, 16n);
      const truth = regionTruth(c.net, c.at, r);
      for (const radius of [r, ONE]) {
        const s = sliceRegions(c.net, { at: c.at, plane: [E1, E2], radius });
        const meeting = s.regions.filter((x) => x.touchesCenter).map((x) => x.gradient!);
        expect(sameSet(meeting, truth.gradients), `${c.name}, R = ${radius}`).toBe(true);
        checkSlice(s, c.net, `${c.name}, R = ${radius}`);
      }
      checked++;
    }
    expect(checked).toBe(60);
  });

  it('p = 3, an oblique plane: the slice tiles its square and the gradients agree with backprop', () => {
    let checked = 0;
    for (let seed = 0; checked < 20 && seed < 2000; seed++) {
      const c = kinkCase(seed, seed % 2 === 1);
      if (c.net.inputDim !== 3) continue;
      const s = sliceRegions(c.net, { at: c.at, plane: [[ONE, q(1, 2), ZERO], [ZERO, q(-1, 3), ONE]], radius: q(1, 2) });
      checkSlice(s, c.net, c.name);
      checked++;
    }
    expect(checked).toBe(20);
  });

  it('refuses a dependent plane, one input, and a region limit', () => {
    const net = networkOf(2, [[[1, 0], [0, 1], [1, 1]], [[1, 1, -1]]]);
    expect(() => sliceRegions(net, { at: [ZERO, ZERO], plane: [E1, [q(2), ZERO]], radius: ONE })).toThrow(/dependent/);
    expect(() => sliceRegions(networkOf(1, [[[1]], [[1]]]), { at: [ZERO], plane: [[ONE], [ONE]], radius: ONE })).toThrow(/2 inputs/);
    expect(() => sliceRegions(net, { at: [ZERO, ZERO], plane: [E1, E2], radius: ONE, maxRegions: 3 })).toThrow(/more than 3 regions/);
  });
});
