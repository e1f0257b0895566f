/**
 * Compressed sparse rows of a network's weight matrices. Layers are stored this way
 * (`NetLayer`, src/network/network.ts); this module keeps the older entry point for the exact
 * engines (evaluate, backward, forward, lexicographic), which loop over nonzeros only.
 * `unit[k]` is +1/−1 when the weight is exactly ±1 (so a multiplication can be a copy/negation),
 * 0 otherwise.
 */
import type { Network, NetLayer } from './network';

export type SparseLayer = NetLayer;

export function sparseLayers(net: Network): readonly SparseLayer[] {
  return net.layers;
}
