/**
 * The layered ReLU network of docs/theory.md §1:
 *
 *     F(x) = W_L relu(W_{L-1} relu( … relu(W_1 x + b_1) …) + b_{L-1}) + b_L
 *
 * Hidden layers (all but the last) apply relu; the last layer is linear with exactly one row, so F
 * is scalar. Weights and biases are exact rationals; the headline case is ternary and bias-free.
 *
 * Storage is sparse (compressed sparse rows, `NetLayer`): the reduction of docs/theory.md §4 has
 * O(n + m) nonzero weights but O(m²) dense entries, so every engine that must scale (evaluation,
 * backprop, reachability, localization, the MILP build) walks the nonzeros only. The dense matrix
 * `layer.weights` is still there for code written against it: it is built on first access, cached,
 * and refused (UserError) beyond `LIMITS.maxDenseWeights` entries.
 *
 * The constructor enforces the shape invariants and the size limits and names the offending field
 * as a JSON path (`layers[1].weights[3]`), so every consumer may assume a well-formed network.
 */
import { Rational, ZERO, ONE, MINUS_ONE } from '../exact/rational';
import { UserError } from '../errors';

/**
 * A layer as code writes it: a dense `rows × cols` matrix, row-major (`weights[i][j]` weighs input
 * j of neuron i), and one bias per row. `Network` accepts these (or `NetLayer`s) and stores CSR.
 */
export interface Layer {
  readonly weights: readonly (readonly Rational[])[];
  /** One entry per row; all zero for a bias-free layer. */
  readonly bias: readonly Rational[];
}

/** Documented size limits: beyond these, inputs are refused with a clear error. */
export const LIMITS = {
  maxInputDim: 10_000_000,
  maxWidth: 10_000_000,
  maxLayers: 100_000,
  /** Stored (nonzero) weights of a whole network. */
  maxWeights: 100_000_000,
  /** Entries of one layer's dense view (`layer.weights`, dense JSON), built only on demand. */
  maxDenseWeights: 100_000_000,
} as const;

const isUnit = (v: Rational): number => (v === ONE ? 1 : v === MINUS_ONE ? -1 : v.d === 1n && (v.n === 1n || v.n === -1n) ? Number(v.n) : 0);

/**
 * One weight layer in compressed sparse rows. Row i's nonzeros are at positions
 * `start[i] .. start[i+1]−1`, with strictly increasing columns `col[k]` and nonzero values `w[k]`;
 * `unit[k]` is ±1 when `w[k]` is exactly ±1 (a multiplication becomes a copy or a negation), else 0.
 * Immutable once built.
 */
export class NetLayer implements Layer {
  readonly rows: number;
  readonly cols: number;
  readonly start: Int32Array;
  readonly col: Int32Array;
  readonly w: readonly Rational[];
  readonly unit: Int8Array;
  readonly bias: readonly Rational[];
  readonly biasFree: boolean;
  private dense: Rational[][] | null = null;

  /**
   * Pre (checked by the factories, not here): `start` has rows + 1 nondecreasing entries from 0 to
   * w.length; columns strictly increase within a row and lie in 0..cols−1; no w[k] is zero.
   */
  private constructor(rows: number, cols: number, start: Int32Array, col: Int32Array, w: Rational[], bias: readonly Rational[]) {
    this.rows = rows;
    this.cols = cols;
    this.start = start;
    this.col = col;
    this.w = w;
    const unit = new Int8Array(w.length);
    for (let k = 0; k < w.length; k++) unit[k] = isUnit(w[k]!);
    this.unit = unit;
    this.bias = bias;
    this.biasFree = bias.every((b) => b.n === 0n);
  }

  /**
   * From a dense matrix. `path` prefixes error messages (`layers[2]`). Zero weights are dropped.
   * Throws UserError when a row has the wrong length or the bias the wrong size.
   */
  static fromDense(weights: readonly (readonly Rational[])[], bias: readonly Rational[] | undefined, cols: number, path = 'layer'): NetLayer {
    const rows = weights.length;
    if (rows < 1) throw new UserError(`${path}.weights: expected at least one row, got none`);
    if (rows > LIMITS.maxWidth) throw new UserError(`${path}.weights: ${rows} rows exceed the limit ${LIMITS.maxWidth}`);
    let nnz = 0;
    for (let i = 0; i < rows; i++) {
      const row = weights[i]!;
      if (row.length !== cols) throw new UserError(`${path}.weights[${i}]: expected ${cols} entries, got ${row.length}`);
      for (let j = 0; j < cols; j++) if (row[j]!.n !== 0n) nnz++;
    }
    const start = new Int32Array(rows + 1);
    const col = new Int32Array(nnz);
    const w = new Array<Rational>(nnz);
    let k = 0;
    for (let i = 0; i < rows; i++) {
      start[i] = k;
      const row = weights[i]!;
      for (let j = 0; j < cols; j++) {
        const v = row[j]!;
        if (v.n === 0n) continue;
        col[k] = j;
        w[k++] = v;
      }
    }
    start[rows] = k;
    return new NetLayer(rows, cols, start, col, w, checkBias(bias, rows, path));
  }

  /**
   * From compressed sparse rows given by the caller (readers, builders). Checks everything the
   * class assumes: `start` nondecreasing from 0 to nnz, columns in range and strictly increasing
   * within each row. Zero values are dropped. A column out of range or repeated is a UserError
   * naming `path` (bad input); inconsistent arrays or unsorted columns are a caller bug (Error).
   * The arrays are kept, not copied: the caller must not modify them afterwards.
   */
  static fromCsr(
    rows: number,
    cols: number,
    start: Int32Array,
    col: Int32Array,
    w: Rational[],
    bias: readonly Rational[] | undefined,
    path = 'layer',
  ): NetLayer {
    if (!Number.isSafeInteger(rows) || rows < 1) throw new UserError(`${path}: expected at least one row, got ${rows}`);
    if (rows > LIMITS.maxWidth) throw new UserError(`${path}: ${rows} rows exceed the limit ${LIMITS.maxWidth}`);
    if (start.length !== rows + 1 || start[0] !== 0 || start[rows] !== col.length || w.length !== col.length)
      throw new Error(`NetLayer.fromCsr: inconsistent arrays (start ${start.length}, col ${col.length}, w ${w.length}, rows ${rows})`);
    let zeros = 0;
    for (let i = 0; i < rows; i++) {
      const a = start[i]!;
      const b = start[i + 1]!;
      if (b < a) throw new Error(`NetLayer.fromCsr: start decreases at row ${i}`);
      let prev = -1;
      for (let k = a; k < b; k++) {
        const j = col[k]!;
        if (j < 0 || j >= cols) throw new UserError(`${path}: row ${i}: column ${j} is out of range 0..${cols - 1}`);
        if (j === prev) throw new UserError(`${path}: entry (${i}, ${j}) is repeated`);
        if (j < prev) throw new Error(`NetLayer.fromCsr: columns of row ${i} are not sorted`);
        prev = j;
        if (w[k]!.n === 0n) zeros++;
      }
    }
    if (zeros > 0) {
      // Compact: stored weights are nonzero by invariant.
      const s2 = new Int32Array(rows + 1);
      const c2 = new Int32Array(col.length - zeros);
      const w2 = new Array<Rational>(col.length - zeros);
      let q = 0;
      for (let i = 0; i < rows; i++) {
        s2[i] = q;
        for (let k = start[i]!; k < start[i + 1]!; k++) {
          if (w[k]!.n === 0n) continue;
          c2[q] = col[k]!;
          w2[q++] = w[k]!;
        }
      }
      s2[rows] = q;
      return new NetLayer(rows, cols, s2, c2, w2, checkBias(bias, rows, path));
    }
    return new NetLayer(rows, cols, start, col, w, checkBias(bias, rows, path));
  }

  /**
   * From sparse rows: `rowCols[i]` and `rowVals[i]` list row i's entries in any order. Zero values
   * are dropped; a repeated column in a row is an error (UserError naming `path`).
   */
  static fromRows(
    cols: number,
    rowCols: readonly (readonly number[])[],
    rowVals: readonly (readonly Rational[])[],
    bias: readonly Rational[] | undefined,
    path = 'layer',
  ): NetLayer {
    const rows = rowCols.length;
    if (rows < 1) throw new UserError(`${path}: expected at least one row, got none`);
    if (rows > LIMITS.maxWidth) throw new UserError(`${path}: ${rows} rows exceed the limit ${LIMITS.maxWidth}`);
    let nnz = 0;
    for (let i = 0; i < rows; i++) nnz += rowCols[i]!.length;
    const start = new Int32Array(rows + 1);
    const col = new Int32Array(nnz);
    const w = new Array<Rational>(nnz);
    let k = 0;
    for (let i = 0; i < rows; i++) {
      start[i] = k;
      const cs = rowCols[i]!;
      const vs = rowVals[i]!;
      if (vs.length !== cs.length) throw new Error(`NetLayer.fromRows: row ${i} has ${cs.length} columns and ${vs.length} values`);
      let order: number[] | null = null;
      for (let t = 1; t < cs.length; t++) {
        if (cs[t]! <= cs[t - 1]!) {
          order = Array.from(cs, (_, q) => q).sort((a, b) => cs[a]! - cs[b]!);
          break;
        }
      }
      let prev = -1;
      for (let t = 0; t < cs.length; t++) {
        const q = order === null ? t : order[t]!;
        const j = cs[q]!;
        if (!Number.isInteger(j) || j < 0 || j >= cols) throw new UserError(`${path}: row ${i}: column ${j} is out of range 0..${cols - 1}`);
        // Sorted order: a repeated (i, j) is adjacent, whatever its values (zeros included).
        if (j === prev) throw new UserError(`${path}: entry (${i}, ${j}) is repeated`);
        prev = j;
        const v = vs[q]!;
        if (v.n === 0n) continue;
        col[k] = j;
        w[k++] = v;
      }
    }
    start[rows] = k;
    return new NetLayer(rows, cols, start, col.slice(0, k), w.slice(0, k), checkBias(bias, rows, path));
  }

  /** Stored (nonzero) weights. */
  get nonzeros(): number {
    return this.w.length;
  }

  /** Nonzeros of row i. */
  rowNnz(i: number): number {
    return this.start[i + 1]! - this.start[i]!;
  }

  /** Weight (i, j), exact; O(log nnz(row i)). */
  weight(i: number, j: number): Rational {
    let lo = this.start[i]!;
    let hi = this.start[i + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.col[mid]!;
      if (c === j) return this.w[mid]!;
      if (c < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return ZERO;
  }

  /** Row i as a dense array of `cols` entries (O(cols)). */
  denseRow(i: number): Rational[] {
    const out = new Array<Rational>(this.cols).fill(ZERO);
    for (let k = this.start[i]!; k < this.start[i + 1]!; k++) out[this.col[k]!] = this.w[k]!;
    return out;
  }

  /**
   * The dense matrix, `rows × cols`, built on first access and cached. Code that must scale reads
   * the CSR fields instead; this view exists so code written against dense layers keeps working.
   * Throws UserError beyond `LIMITS.maxDenseWeights` entries.
   */
  get weights(): readonly (readonly Rational[])[] {
    if (this.dense !== null) return this.dense;
    if (this.rows * this.cols > LIMITS.maxDenseWeights)
      throw new UserError(
        `a ${this.rows}×${this.cols} layer is too large for an operation that reads dense weights (limit ${LIMITS.maxDenseWeights} entries; the network has ${this.nonzeros} nonzeros in this layer)`,
      );
    const template = new Array<Rational>(this.cols).fill(ZERO);
    const d: Rational[][] = new Array(this.rows);
    for (let i = 0; i < this.rows; i++) {
      const row = template.slice();
      for (let k = this.start[i]!; k < this.start[i + 1]!; k++) row[this.col[k]!] = this.w[k]!;
      d[i] = row;
    }
    this.dense = d;
    return d;
  }
}

function checkBias(bias: readonly Rational[] | undefined, rows: number, path: string): readonly Rational[] {
  if (bias === undefined) return new Array<Rational>(rows).fill(ZERO);
  if (bias.length !== rows) throw new UserError(`${path}.bias: expected ${rows} entries (one per row), got ${bias.length}`);
  return bias;
}

export class Network {
  readonly inputDim: number;
  readonly layers: readonly NetLayer[];
  readonly meta: Record<string, unknown>;

  /**
   * `layers` may be dense `Layer`s (converted to CSR here) or `NetLayer`s (kept as they are).
   * Throws UserError naming the field on any shape or size violation.
   */
  constructor(inputDim: number, layers: readonly Layer[], meta: Record<string, unknown> = {}) {
    if (!Number.isSafeInteger(inputDim) || inputDim < 1)
      throw new UserError(`inputDim: expected a positive integer, got ${JSON.stringify(inputDim)}`);
    if (inputDim > LIMITS.maxInputDim)
      throw new UserError(`inputDim: ${inputDim} exceeds the limit ${LIMITS.maxInputDim}`);
    if (layers.length < 1) throw new UserError('layers: expected at least one layer, got none');
    if (layers.length > LIMITS.maxLayers)
      throw new UserError(`layers: ${layers.length} layers exceed the limit ${LIMITS.maxLayers}`);
    let cols = inputDim;
    let total = 0;
    const out: NetLayer[] = [];
    layers.forEach((layer, l) => {
      const path = `layers[${l}]`;
      let nl: NetLayer;
      if (layer instanceof NetLayer) {
        nl = layer;
        if (nl.cols !== cols)
          throw new UserError(`${path}: expected ${cols} columns (${l === 0 ? 'inputDim' : `rows of layers[${l - 1}]`}), got ${nl.cols}`);
      } else {
        layer.weights.forEach((row, i) => {
          if (row.length !== cols)
            throw new UserError(
              `${path}.weights[${i}]: expected ${cols} entries (${l === 0 ? 'inputDim' : `rows of layers[${l - 1}]`}), got ${row.length}`,
            );
        });
        nl = NetLayer.fromDense(layer.weights, layer.bias, cols, path);
      }
      if (l === layers.length - 1 && nl.rows !== 1)
        throw new UserError(`${path}.weights: the output layer must have exactly 1 row, got ${nl.rows}`);
      total += nl.nonzeros;
      if (total > LIMITS.maxWeights)
        throw new UserError(`layers: more than ${LIMITS.maxWeights} nonzero weights (the documented limit)`);
      out.push(nl);
      cols = nl.rows;
    });
    this.inputDim = inputDim;
    this.layers = out;
    this.meta = meta;
  }

  /** Number of relu layers (all but the output layer). */
  get hiddenLayers(): number {
    return this.layers.length - 1;
  }
  /** Widths of the hidden layers. */
  get widths(): number[] {
    return this.layers.slice(0, -1).map((l) => l.rows);
  }
  get neurons(): number {
    return this.widths.reduce((a, b) => a + b, 0);
  }
  /** Dense entry count Σ rows·cols (the size of the dense matrices, zeros included). */
  get weightCount(): number {
    return this.layers.reduce((s, l) => s + l.rows * l.cols, 0);
  }
  get nonzeros(): number {
    return this.layers.reduce((s, l) => s + l.nonzeros, 0);
  }
  isBiasFree(): boolean {
    return this.layers.every((l) => l.biasFree);
  }
  isTernary(): boolean {
    return this.firstNonTernary() === null;
  }
  /** JSON path of the first weight not in {-1,0,1}, or null (stored zeros do not exist). */
  firstNonTernary(): string | null {
    for (let l = 0; l < this.layers.length; l++) {
      const S = this.layers[l]!;
      for (let i = 0; i < S.rows; i++) {
        for (let k = S.start[i]!; k < S.start[i + 1]!; k++) {
          if (S.unit[k] === 0) return `layers[${l}].weights[${i}][${S.col[k]}] = ${S.w[k]}`;
        }
      }
    }
    return null;
  }
  isIntegral(): boolean {
    return this.layers.every((l) => l.w.every((w) => w.d === 1n) && l.bias.every((b) => b.d === 1n));
  }
}

/** Throws a UserError naming the first offending field unless `net` is ternary (and bias-free when asked). */
export function requireTernary(net: Network, source: string, biasFree = true): void {
  const bad = net.firstNonTernary();
  if (bad !== null) throw new UserError(`${source}: ${bad}: expected a weight in {-1,0,1}`);
  if (biasFree) {
    net.layers.forEach((l, li) =>
      l.bias.forEach((b, i) => {
        if (!b.isZero()) throw new UserError(`${source}: layers[${li}].bias[${i}] = ${b}: expected a bias-free network`);
      }),
    );
  }
}

/** A layer from plain integers (tests, generators, reductions). `bias` defaults to zeros. */
export function layerOf(weights: readonly (readonly (number | bigint | Rational)[])[], bias?: readonly (number | bigint | Rational)[]): Layer {
  const toR = (v: number | bigint | Rational): Rational => (v instanceof Rational ? v : typeof v === 'number' && !Number.isInteger(v) ? Rational.fromNumber(v) : Rational.int(v));
  return {
    weights: weights.map((r) => r.map(toR)),
    bias: bias ? bias.map(toR) : weights.map(() => ZERO),
  };
}

/** Convenience: a network from integer matrices. */
export function networkOf(inputDim: number, layers: readonly (readonly (readonly (number | bigint | Rational)[])[])[], meta: Record<string, unknown> = {}): Network {
  return new Network(inputDim, layers.map((w) => layerOf(w)), meta);
}
