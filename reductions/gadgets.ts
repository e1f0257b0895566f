/**
 * Gadgets for layered, bias-free ReLU networks with weights in {-1,0,1} (docs/theory.md §4).
 *
 * A *form* is a value the network carries: a linear combination, with coefficients ±1, of the
 * units of one level (level 0 = the input coordinates, level l ≥ 1 = the post-activations of
 * hidden layer l). A gadget reads forms of level l and writes neurons of hidden layer l+1, and
 * returns the resulting form of level l+1:
 *
 *     carry(v)    = relu(v) − relu(−v)                     = v          (2 neurons)
 *     max(a, b)   = relu(a − b) + relu(b) − relu(−b)       = max(a, b)  (3 neurons)
 *     min(a, b)   = relu(a) − relu(−a) − relu(a − b)       = min(a, b)  (3 neurons)
 *     relu(v)     = relu(v)                                              (1 neuron)
 *     double(v)   = relu(v) + relu(v) − relu(−v) − relu(−v) = 2v       (4 neurons)
 *
 * Why the weights stay ternary: a neuron's row is `Σ ±(form)`. When the forms combined in one
 * gadget live on *disjoint* units (always true for forms produced by gadgets, since each gadget
 * makes fresh neurons), every coefficient of `a − b` is in {-1,0,1}. `LayerBuilder.neuron` checks
 * this invariant and throws (a construction bug, not a user error) if a coefficient leaves {-1,0,1}.
 *
 * Why carries are exactly the pair (relu(z), relu(−z)) weighed (+1, −1) downstream: the MILP
 * presolve of the Clarke side recognises that pattern and replaces it by the identity, so every
 * value that merely passes a layer must use the `carry` gadget and nothing else.
 *
 * Layer alignment: a layered network needs every value of a level to be moved to the next level;
 * a value whose computation is finished early is carried (`carry`) once per level — see `align`
 * and `treeStep`.
 */
import { Rational } from '../src/exact/rational';
import { Network, NetLayer, LIMITS } from '../src/network/network';
import { UserError } from '../src/errors';

export type Sign = 1 | -1;

/** A ±1 linear form over the units of one level. Units are distinct. */
export interface Form {
  readonly level: number;
  readonly terms: ReadonlyArray<readonly [unit: number, coef: Sign]>;
}

/** The literal `sign · x_i` as a level-0 form (`i` is 0-based). */
export function inputForm(i: number, sign: Sign): Form {
  return { level: 0, terms: [[i, sign]] };
}

/**
 * One hidden layer under construction, stored as compressed sparse rows from the start (flat
 * arrays, no per-neuron object: the reduction of a 10^4-clause formula has 10^5 neurons).
 * Pre: every form passed in has `level === this.inputLevel`.
 */
export class LayerBuilder {
  /** Row i's terms are at positions rowStart[i] .. rowStart[i+1]−1, columns strictly increasing. */
  private readonly rowStart: number[] = [0];
  private readonly cols: number[] = [];
  private readonly coefs: number[] = [];

  constructor(
    /** Width of the level this layer reads (inputDim for the first layer). */
    readonly inputWidth: number,
    /** The level of the forms this layer reads. */
    readonly inputLevel: number,
    /** Called once per neuron (a deadline check: src/errors.ts `deadlineCheck`). */
    private readonly tick: () => void = () => {},
  ) {}

  get width(): number {
    return this.rowStart.length - 1;
  }

  /**
   * A new neuron with pre-activation `Σ sign · form` over `parts`; returns its index.
   * Throws Error if a coefficient would leave {-1,0,1} (forms combined must be on disjoint units)
   * or a form is of the wrong level.
   */
  neuron(parts: ReadonlyArray<readonly [Form, Sign]>): number {
    this.tick();
    const cols = this.cols;
    const coefs = this.coefs;
    const base = cols.length;
    for (const [f, s] of parts) {
      if (f.level !== this.inputLevel)
        throw new Error(`gadget: form of level ${f.level} used in the layer reading level ${this.inputLevel} (layer alignment bug)`);
      for (const [u, c] of f.terms) {
        if (u < 0 || u >= this.inputWidth) throw new Error(`gadget: unit ${u} out of range 0..${this.inputWidth - 1}`);
        // Stable insertion by column (rows have a handful of terms): equal units stay in the
        // order they were added, so the running sums below are the ones of that order.
        let q = cols.length;
        cols.push(u);
        coefs.push(s * c);
        while (q > base && cols[q - 1]! > u) {
          cols[q] = cols[q - 1]!;
          coefs[q] = coefs[q - 1]!;
          q--;
        }
        cols[q] = u;
        coefs[q] = s * c;
      }
    }
    // Merge equal units (running sum must stay in {-1,0,1}); drop zeros.
    let w = base;
    for (let q = base; q < cols.length; ) {
      const u = cols[q]!;
      let v = 0;
      for (; q < cols.length && cols[q] === u; q++) {
        v += coefs[q]!;
        if (v < -1 || v > 1) throw new Error(`gadget: weight ${v} on unit ${u} is not ternary (forms share units)`);
      }
      if (v !== 0) {
        cols[w] = u;
        coefs[w++] = v;
      }
    }
    if (w < cols.length) {
      cols.length = w;
      coefs.length = w;
    }
    this.rowStart.push(w);
    return this.rowStart.length - 2;
  }

  private out(terms: Array<readonly [number, Sign]>): Form {
    return { level: this.inputLevel + 1, terms };
  }

  /** `v = relu(v) − relu(−v)`: carry a value through this layer. */
  carry(v: Form): Form {
    const p = this.neuron([[v, 1]]);
    const q = this.neuron([[v, -1]]);
    return this.out([
      [p, 1],
      [q, -1],
    ]);
  }

  /** `max(a, b) = relu(a − b) + relu(b) − relu(−b)` (the last two: a carry of b). */
  max(a: Form, b: Form): Form {
    const d = this.neuron([
      [a, 1],
      [b, -1],
    ]);
    const c = this.carry(b);
    return this.out([[d, 1], ...c.terms]);
  }

  /** `min(a, b) = relu(a) − relu(−a) − relu(a − b)` (the first two: a carry of a). */
  min(a: Form, b: Form): Form {
    const c = this.carry(a);
    const d = this.neuron([
      [a, 1],
      [b, -1],
    ]);
    return this.out([...c.terms, [d, -1]]);
  }

  /** `relu(v)`, one neuron. */
  relu(v: Form): Form {
    return this.out([[this.neuron([[v, 1]]), 1]]);
  }

  /**
   * `2v = relu(v) + relu(v) − relu(−v) − relu(−v)`: four neurons, two copies of each carry
   * neuron, so that 2v is a ±1 form (the doubling network of docs/theory.md §6 "Thresholds").
   */
  double(v: Form): Form {
    const p1 = this.neuron([[v, 1]]);
    const p2 = this.neuron([[v, 1]]);
    const q1 = this.neuron([[v, -1]]);
    const q2 = this.neuron([[v, -1]]);
    return this.out([
      [p1, 1],
      [p2, 1],
      [q1, -1],
      [q2, -1],
    ]);
  }

  /** `relu(v) + relu(−v) = |v|`, two neurons (not a carry: weighed +1, +1). */
  abs(v: Form): Form {
    const p = this.neuron([[v, 1]]);
    const q = this.neuron([[v, -1]]);
    return this.out([
      [p, 1],
      [q, 1],
    ]);
  }

  /**
   * The layer in compressed sparse rows (src/network/network.ts): O(nonzeros) memory and time,
   * never the `width × inputWidth` dense matrix (O(m²) entries on the reduction). Weights are the
   * shared Rational instances −1 and 1.
   */
  toLayer(): NetLayer {
    const m1 = Rational.int(-1);
    const p1 = Rational.int(1);
    return NetLayer.fromCsr(
      this.width,
      this.inputWidth,
      Int32Array.from(this.rowStart),
      Int32Array.from(this.cols),
      this.coefs.map((c) => (c > 0 ? p1 : m1)),
      undefined,
      `layer reading level ${this.inputLevel}`,
    );
  }

  /** Dense weights, `width × inputWidth` (small layers and tests; the network stores `toLayer()`). */
  weights(): Rational[][] {
    return this.toLayer().weights as Rational[][];
  }

  /** Nonzero weights of this layer. */
  get nonzeros(): number {
    return this.cols.length;
  }
}

/**
 * A layered, bias-free network under construction. `layer(fn)` appends one hidden layer whose
 * neurons `fn` creates with gadgets; `finish(v)` appends the output layer `F = v`.
 */
export class LayeredBuilder {
  private readonly layers: NetLayer[] = [];
  private width: number;
  private levelNo = 0;
  private stored = 0;

  /** `tick` is called once per neuron built (e.g. a deadline check that throws). */
  constructor(
    readonly inputDim: number,
    private readonly tick: () => void = () => {},
  ) {
    this.width = inputDim;
  }

  /** The level the next layer reads (0 before any hidden layer). */
  get level(): number {
    return this.levelNo;
  }

  /** Build one hidden layer; `fn` must create at least one neuron. */
  layer<T>(fn: (b: LayerBuilder) => T): T {
    const b = new LayerBuilder(this.width, this.levelNo, this.tick);
    const r = fn(b);
    if (b.width === 0) throw new Error('gadget: empty hidden layer');
    // Layers are stored sparse: the documented limit is on nonzero weights (LIMITS.maxWeights).
    this.stored += b.nonzeros;
    if (this.stored > LIMITS.maxWeights)
      throw new UserError(`network too large: more than ${LIMITS.maxWeights} nonzero weights (hidden layer ${this.levelNo + 1} has ${b.nonzeros})`);
    this.layers.push(b.toLayer());
    this.width = b.width;
    this.levelNo++;
    return r;
  }

  /** The output layer: one row, `F = v`. */
  finish(v: Form, meta: Record<string, unknown> = {}): Network {
    if (v.level !== this.levelNo) throw new Error(`gadget: output form of level ${v.level}, expected ${this.levelNo}`);
    const b = new LayerBuilder(this.width, this.levelNo);
    b.neuron([[v, 1]]);
    return new Network(this.inputDim, [...this.layers, b.toLayer()], meta);
  }
}

/**
 * `Σ sign · form` as one form, for forms of one level on pairwise disjoint units (what gadgets
 * produce): the terms side by side. Throws Error when two parts share a unit (a coefficient could
 * leave {−1, 0, 1}) or their levels differ.
 */
export function sumForms(parts: ReadonlyArray<readonly [Form, Sign]>): Form {
  if (parts.length === 0) throw new Error('gadget: empty sum of forms');
  const level = parts[0]![0].level;
  const seen = new Set<number>();
  const terms: Array<readonly [number, Sign]> = [];
  for (const [f, s] of parts) {
    if (f.level !== level) throw new Error(`gadget: sum of forms of levels ${level} and ${f.level}`);
    for (const [u, c] of f.terms) {
      if (seen.has(u)) throw new Error(`gadget: unit ${u} in two forms of a sum (forms must be disjoint)`);
      seen.add(u);
      terms.push([u, (s * c) as Sign]);
    }
  }
  return { level, terms };
}

/**
 * Layer alignment: move a value that is already finished to the next level (a carry). Call it once
 * per level until the other values of the construction catch up.
 */
export function align(b: LayerBuilder, v: Form): Form {
  return b.carry(v);
}

/**
 * One level of a balanced reduction tree: within each group, combine consecutive pairs with `op`;
 * an odd last element is carried (layer alignment). A group of one element is carried.
 * Post: group g has ⌈|g|/2⌉ elements, all of level `b.inputLevel + 1`.
 */
export function treeStep(b: LayerBuilder, groups: readonly (readonly Form[])[], op: 'max' | 'min'): Form[][] {
  return groups.map((g) => {
    if (g.length === 0) throw new Error('gadget: empty group in a reduction tree');
    const out: Form[] = [];
    for (let k = 0; k + 1 < g.length; k += 2) out.push(op === 'max' ? b.max(g[k]!, g[k + 1]!) : b.min(g[k]!, g[k + 1]!));
    if (g.length % 2 === 1) out.push(align(b, g[g.length - 1]!));
    return out;
  });
}

/** Levels a balanced pairwise tree over k leaves needs: ⌈log2 k⌉. */
export function treeDepth(k: number): number {
  let d = 0;
  while (1 << d < k) d++;
  return d;
}
