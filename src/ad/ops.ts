/**
 * The operation-count cost model (docs/theory.md §2, claim 1: `cost(backprop(P)) ≤ ω_b · cost(P)`).
 *
 * A program is a straight-line program over the dictionary {+, −, ×, relu, constants}
 * (Baur–Strassen / Griewank's model, as in the paper). Its cost is the number of elementary
 * operations it executes:
 *   - `add`  : additions, subtractions and negations,
 *   - `mul`  : multiplications (including by a weight ±1: the program as written multiplies),
 *   - `relu` : relu evaluations and sign tests / comparisons (relu' at a point is a comparison).
 * Constants and inputs are free. `total = add + mul + relu`.
 *
 * For a layered network the program is the one its nonzero weights define (a zero weight is not
 * in the program, so skipping it is not a saving): neuron i of a layer costs nnz(row i)
 * multiplications, nnz(row i) − 1 additions (+1 when its bias is nonzero) and one relu on hidden
 * layers. Counts are structural: they never depend on the values flowing through the program,
 * so `cost(backprop)/cost(F)` is a property of the program, as in the paper.
 */
import type { Network } from '../network/network';

/**
 * Operation counts in the paper's cost model: additions (+, −, negation), multiplications,
 * relu/sign decisions, and their total (docs/theory.md §2, claim 1).
 */
export type OpCounts = { add: number; mul: number; relu: number; total: number };

export function opCounts(add = 0, mul = 0, relu = 0): OpCounts {
  return { add, mul, relu, total: add + mul + relu };
}

export const NO_OPS: OpCounts = Object.freeze(opCounts()) as OpCounts;

/** Componentwise sum. */
export function addOps(...xs: readonly OpCounts[]): OpCounts {
  let a = 0;
  let m = 0;
  let r = 0;
  for (const x of xs) {
    a += x.add;
    m += x.mul;
    r += x.relu;
  }
  return opCounts(a, m, r);
}

/** `k` copies of `x`. */
export function scaleOps(x: OpCounts, k: number): OpCounts {
  return opCounts(x.add * k, x.mul * k, x.relu * k);
}

/** `num.total / den.total`, or NaN when the denominator program is empty. */
export function opRatio(num: OpCounts, den: OpCounts): number {
  return den.total === 0 ? Number.NaN : num.total / den.total;
}

/** A mutable counter, for engines that count as they go. */
export class OpCounter {
  add = 0;
  mul = 0;
  relu = 0;
  counts(): OpCounts {
    return opCounts(this.add, this.mul, this.relu);
  }
}

// ---------------------------------------------------------------------------------------------
// Structural counts for layered networks (docs/theory.md §1). Only nonzero weights are in the program.


export interface LayerStructure {
  /** Nonzero weights per row. */
  rowNnz: ArrayLike<number>;
  /** Nonzero weights per column. */
  colNnz: ArrayLike<number>;
  /** Rows with a nonzero bias (0 when bias-free). */
  biasRows?: (i: number) => boolean;
  /** Hidden (relu) layer, or the linear output layer. */
  hidden: boolean;
}

/**
 * The model, one layer at a time:
 *   forward  — row i: nnz_i mul, nnz_i − 1 add (+1 for a nonzero bias), 1 relu if hidden;
 *   reverse  — hidden row i: 1 relu (the relu' comparison) + 1 mul (adjoint × relu');
 *              column j of W: nnz_j mul, nnz_j − 1 add (adj_prev[j] = Σ_i W_ij adj_i);
 *   tangent  — row i: nnz_i mul, nnz_i − 1 add, 1 relu (sign decision) if hidden.
 * Dense n×n hidden layer: forward ≈ 2n², reverse ≈ 2n², so cost(backprop)/cost(F) ≈ 2.
 */
export function layerOps(s: LayerStructure): { forward: OpCounts; reverse: OpCounts; tangent: OpCounts } {
  let fAdd = 0, fMul = 0, fRelu = 0, rAdd = 0, rMul = 0, rRelu = 0;
  for (let i = 0; i < s.rowNnz.length; i++) {
    const nnz = s.rowNnz[i]!;
    fMul += nnz;
    fAdd += Math.max(nnz - 1, 0) + (nnz > 0 && s.biasRows?.(i) ? 1 : 0);
    if (s.hidden) {
      fRelu += 1;
      rRelu += 1;
      rMul += 1;
    }
  }
  for (let j = 0; j < s.colNnz.length; j++) {
    rMul += s.colNnz[j]!;
    rAdd += Math.max(s.colNnz[j]! - 1, 0);
  }
  const tAdd = fAdd - (s.biasRows ? countBias(s) : 0);
  return { forward: opCounts(fAdd, fMul, fRelu), reverse: opCounts(rAdd, rMul, rRelu), tangent: opCounts(tAdd, fMul, fRelu) };
}

function countBias(s: LayerStructure): number {
  let c = 0;
  for (let i = 0; i < s.rowNnz.length; i++) if (s.rowNnz[i]! > 0 && s.biasRows!(i)) c++;
  return c;
}

interface NetStructure {
  forward: OpCounts;
  reverse: OpCounts;
  tangent: OpCounts;
}
const structureCache = new WeakMap<Network, NetStructure>();

function structure(net: Network): NetStructure {
  const hit = structureCache.get(net);
  if (hit) return hit;
  const parts = net.layers.map((layer, l) => {
    // Stored layers are CSR (src/network/network.ts): count from the nonzeros, O(nnz).
    const rowNnz = new Int32Array(layer.rows);
    const colNnz = new Int32Array(layer.cols);
    for (let i = 0; i < layer.rows; i++) {
      rowNnz[i] = layer.rowNnz(i);
      for (let k = layer.start[i]!; k < layer.start[i + 1]!; k++) colNnz[layer.col[k]!]!++;
    }
    return layerOps({ rowNnz, colNnz, biasRows: (i) => !layer.bias[i]!.isZero(), hidden: l < net.layers.length - 1 });
  });
  const s = {
    forward: addOps(...parts.map((p) => p.forward)),
    reverse: addOps(...parts.map((p) => p.reverse)),
    tangent: addOps(...parts.map((p) => p.tangent)),
  };
  structureCache.set(net, s);
  return s;
}

/** cost(F): one evaluation of the network. */
export function networkForwardOps(net: Network): OpCounts {
  return structure(net).forward;
}
/** The reverse sweep alone (backprop = forward + reverse). */
export function networkReverseOps(net: Network): OpCounts {
  return structure(net).reverse;
}
/** Propagating one tangent direction alongside the forward sweep. */
export function networkTangentOps(net: Network): OpCounts {
  return structure(net).tangent;
}
/** cost(backprop(F)) = forward + reverse. */
export function networkBackpropOps(net: Network): OpCounts {
  const s = structure(net);
  return addOps(s.forward, s.reverse);
}
