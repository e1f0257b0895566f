/**
 * Emulated IEEE forward passes of a network, to compare the signs a framework would compute with
 * the exact ones (docs/audit.md "Float passes").
 *
 * Model of the arithmetic: weights, biases and inputs are first rounded to the format (nearest,
 * ties to even; a rational that is not a float is first taken to its nearest float64), then every
 * product and every partial sum is rounded to the format, summing left to right over the input
 * index, the bias added last — a naive GEMM with no fused multiply-add. Real kernels (MLAS, cuBLAS,
 * oneDNN) sum in blocks and use FMA, so their last bits can differ; the sign disagreements reported
 * are those of this reference order, not of one particular library. float64 uses JS arithmetic
 * directly (binary64, round to nearest even), float32 `Math.fround`, float16/bfloat16 the
 * roundings of src/formats/ieee.ts.
 */
import { Rational } from '../exact/rational';
import type { Network } from '../network/network';
import { roundTo, type FloatDtype } from '../formats/ieee';

export interface FloatPass {
  dtype: FloatDtype;
  /** Hidden pre-activations per layer, as float64 values of the format (may be ±Infinity or NaN). */
  pre: Float64Array[];
  value: number;
  /** Whether the input was exactly representable in the format (else it was rounded first). */
  inputExact: boolean;
}

/** A network's weights rounded to a format, reusable across inputs. */
export interface RoundedNet {
  dtype: FloatDtype;
  layers: Array<{ rows: number; cols: number; W: Float64Array; b: Float64Array }>;
}

export function roundNetwork(net: Network, dtype: FloatDtype): RoundedNet {
  return {
    dtype,
    layers: net.layers.map((layer) => {
      const W = layer.weights;
      const rows = W.length;
      const cols = W[0]!.length;
      const out = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        const row = W[i]!;
        for (let j = 0; j < cols; j++) out[i * cols + j] = roundTo(row[j]!.toNumber(), dtype);
      }
      return { rows, cols, W: out, b: Float64Array.from(layer.bias, (b) => roundTo(b.toNumber(), dtype)) };
    }),
  };
}

export function floatForward(rn: RoundedNet, x: readonly Rational[]): FloatPass {
  const dt = rn.dtype;
  let inputExact = true;
  let a = Float64Array.from(x, (v) => {
    const d = v.toNumber();
    const r = roundTo(d, dt);
    if (r !== d || !Number.isFinite(d) || !v.eq(exactOf(d))) inputExact = false;
    return r;
  });
  const pre: Float64Array[] = [];
  const L = rn.layers.length;
  for (let l = 0; l < L; l++) {
    const { rows, cols, W, b } = rn.layers[l]!;
    const z = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let acc = 0;
      const o = i * cols;
      if (dt === 'float64') {
        for (let j = 0; j < cols; j++) acc += W[o + j]! * a[j]!;
        acc += b[i]!;
      } else if (dt === 'float32') {
        for (let j = 0; j < cols; j++) acc = Math.fround(acc + Math.fround(W[o + j]! * a[j]!));
        acc = Math.fround(acc + b[i]!);
      } else {
        for (let j = 0; j < cols; j++) acc = roundTo(acc + roundTo(W[o + j]! * a[j]!, dt), dt);
        acc = roundTo(acc + b[i]!, dt);
      }
      z[i] = acc;
    }
    if (l === L - 1) return { dtype: dt, pre, value: z[0]!, inputExact };
    pre.push(z);
    a = z.map((v) => (v > 0 ? v : 0));
  }
  throw new Error('unreachable: a network has at least one layer');
}

/** Sign of a float result: -1, 0, 1, or NaN. */
export function floatSign(v: number): number {
  return Number.isNaN(v) ? NaN : v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** The exact value of a finite double (0 for a non-finite one, which then never compares equal). */
function exactOf(d: number): Rational {
  return Number.isFinite(d) ? Rational.fromNumber(d) : Rational.int(0);
}
