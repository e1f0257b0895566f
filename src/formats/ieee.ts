/**
 * IEEE 754 binary formats as exact rationals, for importing trained models (docs/audit.md).
 *
 * Every finite float (binary16, bfloat16, binary32, binary64) is a dyadic rational m·2^e; the
 * decoders below read the bit fields and build that rational directly, with no decimal round trip
 * and no intermediate rounding. NaN and ±Infinity have no rational value and are reported as null
 * (the callers name the tensor and the index).
 *
 * The encoders go the other way only for values that are exactly representable (export refuses the
 * others), and `roundTo` gives the round-to-nearest-even result of one float operation in a format,
 * for the emulated float forward passes of the audit.
 */
import { Rational, ZERO } from '../exact/rational';

export type FloatDtype = 'float16' | 'bfloat16' | 'float32' | 'float64';

interface Layout {
  bytes: number;
  exp: number;
  mant: number;
}

const LAYOUT: Record<FloatDtype, Layout> = {
  float16: { bytes: 2, exp: 5, mant: 10 },
  bfloat16: { bytes: 2, exp: 8, mant: 7 },
  float32: { bytes: 4, exp: 8, mant: 23 },
  float64: { bytes: 8, exp: 11, mant: 52 },
};

export function dtypeBytes(d: FloatDtype): number {
  return LAYOUT[d].bytes;
}

/**
 * The exact value of the float with the given bit pattern (as an unsigned integer), or null for
 * NaN/±Infinity. value = (−1)^s · (2^mant + m) · 2^(E − bias − mant) for a normal number, and
 * (−1)^s · m · 2^(1 − bias − mant) for a subnormal one (E = 0).
 */
export function decodeBits(bits: bigint, dtype: FloatDtype): Rational | null {
  const { exp, mant } = LAYOUT[dtype];
  const mantMask = (1n << BigInt(mant)) - 1n;
  const expMask = (1n << BigInt(exp)) - 1n;
  const m = bits & mantMask;
  const E = (bits >> BigInt(mant)) & expMask;
  const negative = ((bits >> BigInt(mant + exp)) & 1n) === 1n;
  if (E === expMask) return null;
  const bias = (1n << BigInt(exp - 1)) - 1n;
  let sig: bigint;
  let e: bigint;
  if (E === 0n) {
    if (m === 0n) return ZERO; // +0 and −0 are the same rational
    sig = m;
    e = 1n - bias - BigInt(mant);
  } else {
    sig = (1n << BigInt(mant)) | m;
    e = E - bias - BigInt(mant);
  }
  if (negative) sig = -sig;
  return e >= 0n ? Rational.of(sig << e) : Rational.of(sig, 1n << -e);
}

/**
 * Decode `count` little-endian floats of `dtype` from `bytes` (starting at `offset`). Returns the
 * values, or the index of the first NaN/Infinity.
 */
export function decodeFloats(
  bytes: Uint8Array,
  dtype: FloatDtype,
  count: number,
  offset = 0,
): { values: Rational[] } | { badIndex: number } {
  const w = LAYOUT[dtype].bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * w);
  const out = new Array<Rational>(count);
  for (let k = 0; k < count; k++) {
    let bits: bigint;
    if (w === 2) bits = BigInt(view.getUint16(2 * k, true));
    else if (w === 4) bits = BigInt(view.getUint32(4 * k, true));
    else bits = view.getBigUint64(8 * k, true);
    const r = decodeBits(bits, dtype);
    if (r === null) return { badIndex: k };
    out[k] = r;
  }
  return { values: out };
}

// Scratch view to read a double's exponent field without Math.log2 (the audit rounds every
// operation of a float16 pass, so this is hot).
const SCRATCH = new Float64Array(1);
const SCRATCH_WORDS = new Uint32Array(SCRATCH.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the high word's index (little- or big-endian)
const POW2: number[] = [];
for (let e = -1074; e <= 1023; e++) POW2.push(2 ** e);
const pow2 = (e: number): number => POW2[e + 1074]!;

/** floor(log2 |x|) for a finite nonzero double (subnormal doubles are below every half anyway). */
function exponentOf(a: number): number {
  SCRATCH[0] = a;
  const E = (SCRATCH_WORDS[HI]! >>> 20) & 0x7ff;
  return E === 0 ? -1023 : E - 1023;
}

/** Round |a| to a multiple of the power of two q, ties to even (a / q is exact and < 2^53). */
function roundToMultiple(a: number, q: number): number {
  const r = a / q;
  const f = Math.floor(r);
  const d = r - f; // exact
  return (d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f) * q;
}

/** Round a float64 to the nearest binary16 (ties to even), as a float64; ±Infinity on overflow. */
export function roundF16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  // 65504 is the largest half; halfway to the next binade (65520) and above rounds to infinity.
  if (a >= 65520) return x > 0 ? Infinity : -Infinity;
  const e = exponentOf(a);
  const v = roundToMultiple(a, e < -14 ? pow2(-24) : pow2(e - 10)); // spacing of halves at a (subnormals below 2^-14)
  return x < 0 ? -v : v;
}

/** Round a float64 to the nearest bfloat16 (ties to even), as a float64. */
export function roundBf16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  // Rounded from the float64 directly (going through float32 first would round twice).
  const a = Math.abs(x);
  const e = exponentOf(a);
  const v = roundToMultiple(a, e < -126 ? pow2(-133) : pow2(e - 7));
  if (v > 3.3895313892515355e38) return x > 0 ? Infinity : -Infinity;
  return x < 0 ? -v : v;
}

/** The result of rounding one exact float64 result to `dtype` (round to nearest even). */
export function roundTo(x: number, dtype: FloatDtype): number {
  switch (dtype) {
    case 'float64':
      return x;
    case 'float32':
      return Math.fround(x);
    case 'float16':
      return roundF16(x);
    case 'bfloat16':
      return roundBf16(x);
  }
}

/**
 * The float of `dtype` equal to `r`, or null when `r` is not exactly representable in it (export
 * writes only exact weights). Checked exactly: the candidate double is converted back to a
 * rational and compared.
 */
export function exactFloat(r: Rational, dtype: FloatDtype): number | null {
  const v = r.toNumber();
  if (!Number.isFinite(v)) return null;
  if (!Rational.fromNumber(v).eq(r)) return null;
  return roundTo(v, dtype) === v ? v : null;
}

/** The binary16 bit pattern of a float64 that is exactly a half (pre: roundF16(v) === v). */
export function f16Bits(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24); // subnormal
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const m = a / 2 ** e - 1; // in [0, 1)
  return sign | ((e + 15) << 10) | Math.round(m * 1024);
}

/** The bfloat16 bit pattern of a float64 that is exactly a bfloat16. */
export function bf16Bits(v: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, v, true);
  return buf.getUint32(0, true) >>> 16;
}

/** Little-endian bytes of floats that are exactly representable in `dtype`. */
export function encodeFloats(values: readonly number[], dtype: FloatDtype): Uint8Array {
  const w = LAYOUT[dtype].bytes;
  const out = new Uint8Array(values.length * w);
  const view = new DataView(out.buffer);
  values.forEach((v, k) => {
    if (dtype === 'float64') view.setFloat64(8 * k, v, true);
    else if (dtype === 'float32') view.setFloat32(4 * k, v, true);
    else if (dtype === 'float16') view.setUint16(2 * k, f16Bits(v), true);
    else view.setUint16(2 * k, bf16Bits(v), true);
  });
  return out;
}
