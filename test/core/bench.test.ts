/** The benchmark's pieces: the op-count model on float nets agrees with the exact one; rows are well-formed. */
import { describe, it, expect } from 'vitest';
import { ternaryFloatNet, floatNetOps, measure } from '../../bench/ad';
import { Network, layerOf } from '../../src/network/network';
import { networkForwardOps, networkBackpropOps, opRatio } from '../../src/ad/ops';
import { backward } from '../../src/ad/backward';
import { FloatEngine } from '../../src/network/float';
import { Rational } from '../../src/exact/rational';

describe('bench/ad.ts', () => {
  const fnet = ternaryFloatNet(12, 3, 'f32', 99);
  const exact = new Network(
    12,
    fnet.layers.map((l) => layerOf(Array.from({ length: l.rows }, (_, i) => Array.from(l.W.subarray(i * l.cols, (i + 1) * l.cols))))),
  );
  it('generates a bias-free ternary net of the requested shape, deterministically', () => {
    expect(exact.isTernary() && exact.isBiasFree()).toBe(true);
    expect(exact.widths).toEqual([12, 12, 12]);
    expect(Array.from(ternaryFloatNet(12, 3, 'f32', 99).layers[1]!.W)).toEqual(Array.from(fnet.layers[1]!.W));
    const vals = new Set(fnet.layers.flatMap((l) => Array.from(l.W)));
    expect([...vals].sort()).toEqual([-1, 0, 1]);
  });
  it('op counts of the float net equal the exact model (src/ad/ops.ts), ratio ≈ 2 ≤ 5', () => {
    const o = floatNetOps(fnet);
    expect(o.forward).toEqual(networkForwardOps(exact));
    expect(o.backprop).toEqual(networkBackpropOps(exact));
    expect(opRatio(o.backprop, o.forward)).toBeGreaterThan(1.5);
    expect(opRatio(o.backprop, o.forward)).toBeLessThanOrEqual(5);
  });
  it('the float gradient at integer points equals exact backprop', () => {
    const x = [3, -1, 0, 2, 1, -2, 0, 1, 1, -3, 2, 0];
    const g = new FloatEngine(fnet, 1).gradient(x).gradients;
    const ex = backward(exact, x.map((v) => Rational.int(v))).gradient;
    expect(Array.from(g, (v) => Rational.fromNumber(v).toString())).toEqual(ex.map(String));
  });
  it('measure() returns a well-formed row', () => {
    const r = measure(fnet, 2, {}, 5, 1);
    expect(r).toMatchObject({ width: 12, depth: 3, batch: 2 });
    for (const k of ['forwardMs', 'backwardMs', 'ratio', 'opRatio', 'forwardCpuMs', 'cpuRatio'] as const) expect(Number.isFinite(r[k])).toBe(true);
    expect(r.reps).toBeGreaterThanOrEqual(3);
  });
});

describe('FloatEngine on shapes that exercise every loop remainder', () => {
  it('8-row, 4-row and single-row paths, odd batch, partial blocks: equal to exact backprop', () => {
    const fnet = ternaryFloatNet(45, 3, 'f64', 5);
    const exact = new Network(
      45,
      fnet.layers.map((l) => layerOf(Array.from({ length: l.rows }, (_, i) => Array.from(l.W.subarray(i * l.cols, (i + 1) * l.cols))))),
    );
    const batch = 5;
    const X = Array.from({ length: batch * 45 }, (_, k) => ((k * 7919) % 7) - 3);
    for (const opts of [{}, { blockRows: 16 }, { blockRows: 13, rowsPerIter: 4 as const }, { rowsPerIter: 1 as const, compact: false }]) {
      const { values, gradients } = new FloatEngine(fnet, batch, opts).gradient(X);
      for (let b = 0; b < batch; b++) {
        const x = X.slice(b * 45, (b + 1) * 45).map((v) => Rational.int(v));
        const ex = backward(exact, x);
        expect(Rational.fromNumber(values[b]!).eq(ex.value)).toBe(true);
        expect(Array.from(gradients.subarray(b * 45, (b + 1) * 45), (v) => Rational.fromNumber(v).toString())).toEqual(ex.gradient.map(String));
      }
    }
  });
});
