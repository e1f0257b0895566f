/**
 * Compressed sparse rows of a network's weight matrices, cached per Network. Ternary networks from
 * the reduction are very sparse; the exact engines (evaluate, backward, forward, lexicographic) loop over nonzeros only.
 * `unit[k]` is +1/−1 when the weight is exactly ±1 (so a multiplication can be a copy/negation),
 * 0 otherwise. Networks are treated as immutable once constructed (the cache is keyed by identity).
 */
import type { Rational } from '../exact/rational';
import type { Network } from './network';

export interface SparseLayer {
  rows: number;
  cols: number;
  /** Row i's nonzeros are at positions start[i] .. start[i+1]−1. */
  start: Int32Array;
  col: Int32Array;
  w: Rational[];
  unit: Int8Array;
  bias: readonly Rational[];
  biasFree: boolean;
}

const cache = new WeakMap<Network, SparseLayer[]>();

export function sparseLayers(net: Network): SparseLayer[] {
  const hit = cache.get(net);
  if (hit) return hit;
  const out = net.layers.map((layer): SparseLayer => {
    const rows = layer.weights.length;
    const cols = layer.weights[0]!.length;
    let nnz = 0;
    for (const row of layer.weights) for (const w of row) if (w.n !== 0n) nnz++;
    const start = new Int32Array(rows + 1);
    const col = new Int32Array(nnz);
    const w: Rational[] = new Array(nnz);
    const unit = new Int8Array(nnz);
    let k = 0;
    for (let i = 0; i < rows; i++) {
      start[i] = k;
      const row = layer.weights[i]!;
      for (let j = 0; j < cols; j++) {
        const v = row[j]!;
        if (v.n === 0n) continue;
        col[k] = j;
        w[k] = v;
        unit[k] = v.d === 1n && (v.n === 1n || v.n === -1n) ? Number(v.n) : 0;
        k++;
      }
    }
    start[rows] = k;
    return { rows, cols, start, col, w, unit, bias: layer.bias, biasFree: layer.bias.every((b) => b.n === 0n) };
  });
  cache.set(net, out);
  return out;
}
