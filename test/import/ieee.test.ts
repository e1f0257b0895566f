/** IEEE bit patterns → exact rationals, and the roundings used by the emulated float passes. */
import { describe, it, expect } from 'vitest';
import { Rational } from '../../src/exact/rational';
import { decodeBits, decodeFloats, encodeFloats, roundF16, roundBf16, exactFloat, f16Bits } from '../../src/formats/ieee';

const q = (s: string) => Rational.parse(s)!;

describe('decodeBits', () => {
  it('decodes known float16 patterns exactly', () => {
    expect(decodeBits(0x3c00n, 'float16')!.eq(q('1'))).toBe(true);
    expect(decodeBits(0xc000n, 'float16')!.eq(q('-2'))).toBe(true);
    expect(decodeBits(0x7bffn, 'float16')!.eq(q('65504'))).toBe(true);
    expect(decodeBits(0x0001n, 'float16')!.eq(Rational.of(1n, 1n << 24n))).toBe(true); // smallest subnormal
    expect(decodeBits(0x0400n, 'float16')!.eq(Rational.of(1n, 1n << 14n))).toBe(true); // smallest normal
    expect(decodeBits(0x3555n, 'float16')!.eq(Rational.of(1365n, 4096n))).toBe(true); // nearest half to 1/3
    expect(decodeBits(0x8000n, 'float16')!.isZero()).toBe(true);
    expect(decodeBits(0x7c00n, 'float16')).toBeNull();
    expect(decodeBits(0xfe00n, 'float16')).toBeNull();
  });
  it('decodes float32, bfloat16 and float64 patterns exactly', () => {
    // 0.1f = 13421773 / 2^27
    expect(decodeBits(0x3dcccccdn, 'float32')!.eq(Rational.of(13421773n, 1n << 27n))).toBe(true);
    expect(decodeBits(0x00000001n, 'float32')!.eq(Rational.of(1n, 1n << 149n))).toBe(true);
    expect(decodeBits(0x7f7fffffn, 'float32')!.eq(Rational.of(((1n << 24n) - 1n) << 104n))).toBe(true);
    expect(decodeBits(0x3dcdn, 'bfloat16')!.eq(Rational.of(205n, 2048n))).toBe(true);
    // 0.1 (double) = 3602879701896397 / 2^55
    expect(decodeBits(0x3fb999999999999an, 'float64')!.eq(Rational.of(3602879701896397n, 1n << 55n))).toBe(true);
    expect(decodeBits(0x7ff0000000000000n, 'float64')).toBeNull();
  });
  it('agrees with the platform on float32 and float64 bytes (fixed sample)', () => {
    const vals = [0.1, -3.75, 1e-40, 3.4e38, 1 / 3, -0, 2 ** -149];
    const f32 = vals.map((v) => Math.fround(v));
    const r32 = decodeFloats(encodeFloats(f32, 'float32'), 'float32', f32.length);
    if ('badIndex' in r32) throw new Error('unexpected');
    r32.values.forEach((r, k) => expect(r.eq(Rational.fromNumber(f32[k]!))).toBe(true));
    const r64 = decodeFloats(encodeFloats(vals, 'float64'), 'float64', vals.length);
    if ('badIndex' in r64) throw new Error('unexpected');
    r64.values.forEach((r, k) => expect(r.eq(Rational.fromNumber(vals[k]!))).toBe(true));
    const bad = decodeFloats(encodeFloats([1, NaN], 'float32'), 'float32', 2);
    expect(bad).toEqual({ badIndex: 1 });
  });
});

describe('roundF16 (exhaustive over all halves)', () => {
  it('fixes every finite half, and rounds each midpoint to the even neighbour', () => {
    const halves: number[] = [];
    for (let b = 0; b < 0x7c00; b++) halves.push(decodeBits(BigInt(b), 'float16')!.toNumber());
    // Collect mismatches (one expect per pattern would dominate the run time).
    const bad: string[] = [];
    const check = (got: number, want: number, what: string) => {
      if (!Object.is(got, want) && !(got === 0 && want === 0)) bad.push(`${what}: got ${got}, want ${want}`);
    };
    for (let k = 0; k < halves.length; k++) {
      const h = halves[k]!;
      check(roundF16(h), h, `half ${k}`);
      check(roundF16(-h), -h, `-half ${k}`);
      check(f16Bits(h), k, `bits of half ${k}`);
      if (k + 1 < halves.length) {
        const mid = (h + halves[k + 1]!) / 2; // exact in float64
        check(roundF16(mid), k % 2 === 0 ? h : halves[k + 1]!, `midpoint ${k}`);
        check(roundF16(mid + mid * 2 ** -40), halves[k + 1]!, `above midpoint ${k}`);
        check(roundF16(mid - mid * 2 ** -40), h, `below midpoint ${k}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(roundF16(65519.99)).toBe(65504);
    expect(roundF16(65520)).toBe(Infinity);
    expect(roundF16(-1e6)).toBe(-Infinity);
  });
  it('bfloat16 rounding agrees with the bit decoder on a sample of patterns', () => {
    for (let b = 0; b < 0x7f80; b += 97) {
      const v = decodeBits(BigInt(b), 'bfloat16')!.toNumber();
      expect(roundBf16(v)).toBe(v);
      const next = decodeBits(BigInt(b + 1), 'bfloat16')!.toNumber();
      expect(roundBf16((v + next) / 2)).toBe(b % 2 === 0 ? v : next);
    }
  });
});

describe('exactFloat', () => {
  it('accepts exactly representable rationals only', () => {
    expect(exactFloat(q('1/3'), 'float64')).toBeNull();
    expect(exactFloat(q('3/4'), 'float16')).toBe(0.75);
    expect(exactFloat(Rational.fromNumber(0.1), 'float64')).toBe(0.1);
    expect(exactFloat(Rational.fromNumber(0.1), 'float32')).toBeNull();
    expect(exactFloat(Rational.fromNumber(Math.fround(0.1)), 'float32')).toBe(Math.fround(0.1));
    expect(exactFloat(q('65505'), 'float16')).toBeNull();
    expect(exactFloat(Rational.of(1n, 1n << 1100n), 'float64')).toBeNull();
  });
});
