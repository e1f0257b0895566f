/**
 * Fast float evaluation and backprop of layered ReLU networks, for benchmarks and for sign
 * decisions the exactness rule (src/network/float-bound.ts) proves exact.
 *
 * Never use the plain float path for a sign decision unless `floatExactness` says so; the exact
 * engines (src/network/evaluate.ts, src/ad/*) are the reference.
 *
 * Kernel design (what the benchmark measures, bench/ad.ts; figures in README.md, "Benchmark"):
 *  - weights row-major, read with unit stride in both passes: forward computes dot products of
 *    weight rows with the input, backward does row-wise axpy `g_in += g_i · W_i` — no transposed copy;
 *  - several rows per loop iteration with independent accumulators (4 rows; and 2 samples at once
 *    in the forward pass when batch ≥ 2, so 6 loads feed 8 multiply-adds);
 *  - a block of rows kept in cache across the batch (`blockRows`);
 *  - Float32 storage of weights and activations where exactness is not at stake (JS arithmetic
 *    stays float64: loads convert, accumulators are doubles);
 *  - backward compacts the rows whose adjoint is nonzero (relu off ⇒ adjoint 0 ⇒ row skipped).
 * Each choice can be switched off (`KernelOptions`) so the benchmark can report what it bought.
 */
import { LIMITS, type Network } from './network';
import { UserError } from '../errors';
import { Rational } from '../exact/rational';
import { floatExactness } from './float-bound';
import { evaluateExact, checkPoint } from './evaluate';

export type FloatArray = Float32Array | Float64Array;
export type Precision = 'f32' | 'f64';

export interface FloatLayer {
  rows: number;
  cols: number;
  /** rows × cols, row-major. */
  W: FloatArray;
  /** null when bias-free. */
  b: Float64Array | null;
}

export interface FloatNet {
  inputDim: number;
  precision: Precision;
  layers: FloatLayer[];
}

export interface KernelOptions {
  /**
   * Rows per inner-loop iteration (independent accumulators): 1, 4 or 8. Default 8. (The
   * two-sample forward path uses 4 rows × 2 samples = 8 accumulators whenever this is ≥ 4.)
   */
  rowsPerIter?: 1 | 4 | 8;
  /** Process two samples at once in the forward pass (batch ≥ 2). Default true. */
  pairSamples?: boolean;
  /** Rows kept in cache across the batch; 0 = all rows (no blocking). Default 32. */
  blockRows?: number;
  /** Backward: skip rows with zero adjoint by compacting the active ones. Default true. */
  compact?: boolean;
  /** relu'(0) used by the float backward (where a pre-activation is exactly 0.0). Default 0. */
  reluPrime?: number;
}

const DEFAULTS: Required<KernelOptions> = { rowsPerIter: 8, pairSamples: true, blockRows: 64, compact: true, reluPrime: 0 };

function alloc(precision: Precision, n: number): FloatArray {
  return precision === 'f32' ? new Float32Array(n) : new Float64Array(n);
}

/** Float copy of an exact network (nearest float of each rational). */
export function compileFloat(net: Network, precision: Precision = 'f64'): FloatNet {
  const layers = net.layers.map((layer, l): FloatLayer => {
    const { rows, cols } = layer;
    // The float kernels are dense by design (bench/ad.ts); filled from the stored CSR.
    if (rows * cols > LIMITS.maxDenseWeights)
      throw new UserError(`layers[${l}]: a ${rows}×${cols} layer is too large for the dense float kernels (limit ${LIMITS.maxDenseWeights} entries)`);
    const W = alloc(precision, rows * cols);
    for (let i = 0; i < rows; i++)
      for (let k = layer.start[i]!; k < layer.start[i + 1]!; k++) W[i * cols + layer.col[k]!] = layer.w[k]!.toNumber();
    return { rows, cols, W, b: layer.biasFree ? null : Float64Array.from(layer.bias, (b) => b.toNumber()) };
  });
  return { inputDim: net.inputDim, precision, layers };
}

/**
 * Reusable buffers for one (net, batch): activations per layer, pre-activations for the relu'
 * decisions, adjoints. Inputs are `batch × inputDim`, sample-major.
 */
export class FloatEngine {
  readonly net: FloatNet;
  readonly batch: number;
  private readonly opt: Required<KernelOptions>;
  /** acts[0] = input copy; acts[l+1] = relu output of hidden layer l; last = outputs. */
  private readonly acts: FloatArray[];
  /** pre-activations of hidden layers (for relu'). */
  private readonly pres: Float64Array[];
  private readonly adj: Float64Array[];
  private readonly idx: Int32Array;
  private readonly gval: Float64Array;

  constructor(net: FloatNet, batch: number, options: KernelOptions = {}) {
    this.net = net;
    this.batch = batch;
    this.opt = { ...DEFAULTS, ...options };
    const L = net.layers.length;
    this.acts = [alloc(net.precision, batch * net.inputDim)];
    this.pres = [];
    this.adj = [new Float64Array(batch * net.inputDim)];
    let maxRows = 1;
    for (let l = 0; l < L; l++) {
      const r = net.layers[l]!.rows;
      maxRows = Math.max(maxRows, r);
      this.acts.push(l < L - 1 ? alloc(net.precision, batch * r) : new Float64Array(batch * r));
      if (l < L - 1) {
        this.pres.push(new Float64Array(batch * r));
        this.adj.push(new Float64Array(batch * r));
      }
    }
    this.idx = new Int32Array(maxRows + 3);
    this.gval = new Float64Array(maxRows + 3);
  }

  /** F at each sample: returns `batch` values (a view into an internal buffer). */
  forward(X: ArrayLike<number>): Float64Array {
    if (X.length !== this.batch * this.net.inputDim)
      throw new RangeError(`FloatEngine: expected ${this.batch}×${this.net.inputDim} = ${this.batch * this.net.inputDim} inputs, got ${X.length}`);
    this.acts[0]!.set(X);
    const L = this.net.layers.length;
    for (let l = 0; l < L; l++) this.forwardLayer(l, l < L - 1);
    return this.acts[L] as Float64Array;
  }

  /** Forward + backward: returns values and the gradients w.r.t. the input (`batch × inputDim`, views). */
  gradient(X: ArrayLike<number>): { values: Float64Array; gradients: Float64Array } {
    const values = this.forward(X);
    const L = this.net.layers.length;
    const B = this.batch;
    const s = this.opt.reluPrime;
    // Adjoint of the last hidden layer: the output row, times relu'.
    const out = this.net.layers[L - 1]!;
    if (L === 1) {
      const g = this.adj[0]!;
      for (let b = 0; b < B; b++) for (let j = 0; j < out.cols; j++) g[b * out.cols + j] = out.W[j]!;
      return { values, gradients: g };
    }
    {
      const g = this.adj[L - 1]!;
      const z = this.pres[L - 2]!;
      const r = out.cols;
      for (let b = 0; b < B; b++) {
        const o = b * r;
        for (let i = 0; i < r; i++) {
          const zi = z[o + i]!;
          g[o + i] = zi > 0 ? out.W[i]! : zi < 0 ? 0 : s * out.W[i]!;
        }
      }
    }
    for (let l = L - 2; l >= 0; l--) {
      this.backwardLayer(l);
      if (l > 0) {
        const g = this.adj[l]!;
        const z = this.pres[l - 1]!;
        for (let k = 0; k < g.length; k++) {
          const zk = z[k]!;
          g[k] = zk > 0 ? g[k]! : zk < 0 ? 0 : s * g[k]!;
        }
      }
    }
    return { values, gradients: this.adj[0]! };
  }

  /** Signs of the hidden pre-activations of the last forward pass, for sample `b`. */
  patterns(b = 0): Int8Array[] {
    return this.pres.map((z, l) => {
      const r = this.net.layers[l]!.rows;
      return Int8Array.from(z.subarray(b * r, (b + 1) * r), (v) => Math.sign(v));
    });
  }

  /** acts[l+1] = relu?(W_l acts[l] + b_l); pres[l] = the pre-activations. */
  private forwardLayer(l: number, hidden: boolean): void {
    const { rows: r, cols: c, W, b: bias } = this.net.layers[l]!;
    const A = this.acts[l]!;
    const O = this.acts[l + 1]!;
    const Z = hidden ? this.pres[l]! : (O as Float64Array);
    const B = this.batch;
    const block = this.opt.blockRows > 0 ? this.opt.blockRows : r;
    const four = this.opt.rowsPerIter >= 4;
    const eight = this.opt.rowsPerIter === 8;
    const pair = this.opt.pairSamples;
    for (let i0 = 0; i0 < r; i0 += block) {
      const i1 = Math.min(r, i0 + block);
      let b = 0;
      if (pair) {
        for (; b + 2 <= B; b += 2) {
          const xa = b * c;
          const xb = xa + c;
          let i = i0;
          if (four) {
            for (; i + 4 <= i1; i += 4) {
              const w0 = i * c;
              const w1 = w0 + c;
              const w2 = w1 + c;
              const w3 = w2 + c;
              let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
              for (let j = 0; j < c; j++) {
                const u = A[xa + j]!;
                const v = A[xb + j]!;
                const q0 = W[w0 + j]!, q1 = W[w1 + j]!, q2 = W[w2 + j]!, q3 = W[w3 + j]!;
                a0 += q0 * u; a1 += q1 * u; a2 += q2 * u; a3 += q3 * u;
                b0 += q0 * v; b1 += q1 * v; b2 += q2 * v; b3 += q3 * v;
              }
              const za = b * r + i;
              const zb = za + r;
              Z[za] = a0; Z[za + 1] = a1; Z[za + 2] = a2; Z[za + 3] = a3;
              Z[zb] = b0; Z[zb + 1] = b1; Z[zb + 2] = b2; Z[zb + 3] = b3;
            }
          }
          for (; i < i1; i++) {
            const w0 = i * c;
            let a0 = 0, b0 = 0;
            for (let j = 0; j < c; j++) {
              const q = W[w0 + j]!;
              a0 += q * A[xa + j]!;
              b0 += q * A[xb + j]!;
            }
            Z[b * r + i] = a0;
            Z[(b + 1) * r + i] = b0;
          }
        }
      }
      for (; b < B; b++) {
        const xo = b * c;
        let i = i0;
        if (eight) {
          for (; i + 8 <= i1; i += 8) {
            const w0 = i * c;
            const w1 = w0 + c, w2 = w1 + c, w3 = w2 + c, w4 = w3 + c, w5 = w4 + c, w6 = w5 + c, w7 = w6 + c;
            let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            for (let j = 0; j < c; j++) {
              const u = A[xo + j]!;
              s0 += W[w0 + j]! * u;
              s1 += W[w1 + j]! * u;
              s2 += W[w2 + j]! * u;
              s3 += W[w3 + j]! * u;
              s4 += W[w4 + j]! * u;
              s5 += W[w5 + j]! * u;
              s6 += W[w6 + j]! * u;
              s7 += W[w7 + j]! * u;
            }
            const z = b * r + i;
            Z[z] = s0; Z[z + 1] = s1; Z[z + 2] = s2; Z[z + 3] = s3;
            Z[z + 4] = s4; Z[z + 5] = s5; Z[z + 6] = s6; Z[z + 7] = s7;
          }
        }
        if (four) {
          for (; i + 4 <= i1; i += 4) {
            const w0 = i * c;
            const w1 = w0 + c;
            const w2 = w1 + c;
            const w3 = w2 + c;
            let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (let j = 0; j < c; j++) {
              const u = A[xo + j]!;
              s0 += W[w0 + j]! * u;
              s1 += W[w1 + j]! * u;
              s2 += W[w2 + j]! * u;
              s3 += W[w3 + j]! * u;
            }
            const z = b * r + i;
            Z[z] = s0; Z[z + 1] = s1; Z[z + 2] = s2; Z[z + 3] = s3;
          }
        }
        for (; i < i1; i++) {
          const w0 = i * c;
          let s0 = 0;
          for (let j = 0; j < c; j++) s0 += W[w0 + j]! * A[xo + j]!;
          Z[b * r + i] = s0;
        }
      }
    }
    if (bias) for (let b = 0; b < B; b++) for (let i = 0; i < r; i++) Z[b * r + i] += bias[i]!;
    if (hidden) for (let k = 0; k < B * r; k++) { const z = Z[k]!; O[k] = z > 0 ? z : 0; }
  }

  /** adj[l] = adj[l+1] · W_l (row-wise axpy; rows with zero adjoint skipped when compacting). */
  private backwardLayer(l: number): void {
    const { rows: r, cols: c, W } = this.net.layers[l]!;
    const G = this.adj[l + 1]!;
    const O = this.adj[l]!;
    O.fill(0);
    const B = this.batch;
    // With one sample there is nothing to keep in cache across; a single block also avoids
    // leftover rows (fewer than 8 active) at the end of every block.
    const block = this.opt.blockRows > 0 && B > 1 ? this.opt.blockRows : r;
    const compact = this.opt.compact;
    const four = this.opt.rowsPerIter >= 4;
    const eight = this.opt.rowsPerIter === 8;
    const idx = this.idx;
    const gv = this.gval;
    for (let i0 = 0; i0 < r; i0 += block) {
      const i1 = Math.min(r, i0 + block);
      for (let b = 0; b < B; b++) {
        const go = b * r;
        const oo = b * c;
        let n = 0;
        if (compact) {
          for (let i = i0; i < i1; i++) {
            const g = G[go + i]!;
            if (g !== 0) { idx[n] = i; gv[n] = g; n++; }
          }
        } else {
          for (let i = i0; i < i1; i++) { idx[n] = i; gv[n] = G[go + i]!; n++; }
        }
        // Pad the active list to a multiple of 4 with zero adjoints (repeating a row index), so
        // the leftover rows run in one 4-row iteration instead of one-row passes over O.
        if (four && n > 0) while (n % 4 !== 0) { idx[n] = idx[n - 1]!; gv[n] = 0; n++; }
        let k = 0;
        if (eight) {
          for (; k + 8 <= n; k += 8) {
            const w0 = idx[k]! * c, w1 = idx[k + 1]! * c, w2 = idx[k + 2]! * c, w3 = idx[k + 3]! * c;
            const w4 = idx[k + 4]! * c, w5 = idx[k + 5]! * c, w6 = idx[k + 6]! * c, w7 = idx[k + 7]! * c;
            const g0 = gv[k]!, g1 = gv[k + 1]!, g2 = gv[k + 2]!, g3 = gv[k + 3]!;
            const g4 = gv[k + 4]!, g5 = gv[k + 5]!, g6 = gv[k + 6]!, g7 = gv[k + 7]!;
            for (let j = 0; j < c; j++) {
              O[oo + j] +=
                g0 * W[w0 + j]! + g1 * W[w1 + j]! + g2 * W[w2 + j]! + g3 * W[w3 + j]! +
                (g4 * W[w4 + j]! + g5 * W[w5 + j]! + g6 * W[w6 + j]! + g7 * W[w7 + j]!);
            }
          }
        }
        if (four) {
          for (; k + 4 <= n; k += 4) {
            const w0 = idx[k]! * c, w1 = idx[k + 1]! * c, w2 = idx[k + 2]! * c, w3 = idx[k + 3]! * c;
            const g0 = gv[k]!, g1 = gv[k + 1]!, g2 = gv[k + 2]!, g3 = gv[k + 3]!;
            for (let j = 0; j < c; j++) {
              O[oo + j] += g0 * W[w0 + j]! + g1 * W[w1 + j]! + g2 * W[w2 + j]! + g3 * W[w3 + j]!;
            }
          }
        }
        for (; k < n; k++) {
          const w0 = idx[k]! * c;
          const g0 = gv[k]!;
          for (let j = 0; j < c; j++) O[oo + j] += g0 * W[w0 + j]!;
        }
      }
    }
  }
}

/**
 * One float64 forward pass over the stored CSR layers (O(nonzeros)), for networks whose dense
 * float matrices would be mostly zeros (the reduction: O(m²) dense entries, O(m) nonzeros).
 * `bias[l]` overrides layer l's biases (the scaled integer biases of the exactness rule).
 * Returns F and the sign of every hidden pre-activation. Under the exactness rule every product
 * and partial sum is an integer ≤ 2^53, so the order of the sum does not matter.
 */
export function forwardCsrFloat(net: Network, x: ArrayLike<number>, bias?: readonly (readonly number[] | null)[]): { value: number; pattern: Int8Array[] } {
  let a = Float64Array.from(x);
  const pattern: Int8Array[] = [];
  const L = net.layers.length;
  for (let l = 0; l < L; l++) {
    const S = net.layers[l]!;
    const b = bias?.[l] ?? (S.biasFree ? null : S.bias.map((v) => v.toNumber()));
    const w = Float64Array.from(S.w, (v) => v.toNumber());
    const z = new Float64Array(S.rows);
    for (let i = 0; i < S.rows; i++) {
      let t = b === null ? 0 : b[i]!;
      for (let k = S.start[i]!; k < S.start[i + 1]!; k++) t += w[k]! * a[S.col[k]!]!;
      z[i] = t;
    }
    if (l === L - 1) return { value: z[0]!, pattern };
    pattern.push(Int8Array.from(z, (t) => (t > 0 ? 1 : t < 0 ? -1 : 0)));
    for (let i = 0; i < z.length; i++) if (!(z[i]! > 0)) z[i] = 0;
    a = z;
  }
  throw new Error('unreachable: a network has at least one layer');
}

/** True when the dense float matrices would be mostly zeros (the CSR pass is then the cheaper). */
function preferCsr(net: Network): boolean {
  return net.layers.some((l) => l.rows * l.cols > 4096 && 8 * l.nonzeros <= l.rows * l.cols);
}

/** F(x) in float64 at a float point (no exactness claim). */
export function evaluateFloat(net: Network | FloatNet, x: ArrayLike<number>): number {
  if (!('precision' in net) && preferCsr(net)) return forwardCsrFloat(net, x).value;
  const fn = 'precision' in net ? net : compileFloat(net, 'f64');
  return new FloatEngine(fn, 1).forward(x)[0]!;
}

export interface CheckedFloat {
  /** Float64 value of F(x) (F_{Db}(Dx)/D, see float-bound.ts). */
  value: number;
  /** True when the rule of src/network/float-bound.ts proves every float sign decision exact. */
  exact: boolean;
  /** The magnitude bound, as a decimal string. */
  bound: string;
  /** When exact: the exact value, recovered from the float one. */
  exactValue?: Rational;
  /** When exact: the sign of every hidden pre-activation (layer-major), from float64. */
  pattern?: Int8Array[];
}

/**
 * Float64 evaluation with the exactness rule applied. When `exact`, the float value at the scaled
 * point is an integer computed without rounding, so `exactValue = value_at(Dx)/D` equals the exact
 * F(x) and `pattern` equals the exact activation pattern.
 */
export function evaluateFloatChecked(net: Network, x: readonly Rational[]): CheckedFloat {
  checkPoint(net, x);
  const ex = floatExactness(net, x);
  if (!ex.exact) {
    const value = evaluateFloat(net, x.map((v) => v.toNumber()));
    return { value, exact: false, bound: ex.bound.toString() };
  }
  if (preferCsr(net)) {
    const r = forwardCsrFloat(
      net,
      ex.scaled.map((v) => Number(v)),
      ex.scaledBias.map((bs) => bs.map((b) => Number(b))),
    );
    const exactValue = Rational.of(BigInt(r.value), ex.scale);
    return { value: exactValue.toNumber(), exact: true, bound: ex.bound.toString(), exactValue, pattern: r.pattern };
  }
  const fn = compileFloat(net, 'f64');
  // the biases scaled by D, as exact integers (|D·b_i| ≤ bound ≤ 2^53)
  fn.layers.forEach((layer, l) => {
    if (ex.scaledBias[l]!.some((b) => b !== 0n)) layer.b = Float64Array.from(ex.scaledBias[l]!, (b) => Number(b));
  });
  const eng = new FloatEngine(fn, 1);
  const X = ex.scaled.map((v) => Number(v));
  const vScaled = eng.forward(X)[0]!;
  const exactValue = Rational.of(BigInt(vScaled), ex.scale);
  const pattern = eng.patterns();
  return { value: exactValue.toNumber(), exact: true, bound: ex.bound.toString(), exactValue, pattern };
}

/** The activation pattern by float64 when the rule proves it exact, else by exact arithmetic. */
export function activationPattern(net: Network, x: readonly Rational[]): Int8Array[] {
  const fl = evaluateFloatChecked(net, x);
  if (fl.pattern) return fl.pattern;
  return evaluateExact(net, x).pre.map((z) => Int8Array.from(z, (v) => v.sign()));
}
