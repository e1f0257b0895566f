/**
 * Reachability at a point where every diagonal entry is free — a bias-free network at 0 (docs/theory.md §5).
 *
 * Expanding `Φ(d) = M_1^T D_1 M_2^T … D_{L-1} M_L^T` gives one monomial `d_{1 j1} ⋯ d_{L-1, j_{L-1}}`
 * per path `j1 → … → j_{L-1} → output`, with coefficient vector
 * `(row j1 of M_1)^T · M_2[j2][j1] ⋯ M_L[0][j_{L-1}]`. Distinct paths are distinct monomials, so
 * nothing cancels: Φ is non-constant (and `D^a_F(0)` is not a singleton) iff some path has all its
 * weights nonzero and starts at a neuron whose row of `M_1` is nonzero — graph reachability.
 * With one hidden layer or more, `Φ(0) = 0` (every monomial has degree L-1 ≥ 1), and the
 * indicator of a single path's neurons (one per layer) selects exactly that path's monomial, so
 * `{0, path product}` are two distinct elements.
 *
 * Cost: one backward sweep over the stored (nonzero) weights of live rows, O(#nonzeros), allocating
 * nothing per weight: a weight is tested only while its column is not yet live, by a pointer
 * comparison with the shared instances ONE / MINUS_ONE / ZERO and otherwise by `w.n !== 0n`.
 */
import { Rational, ZERO, ONE, MINUS_ONE } from '../exact/rational';
import type { Network } from '../network/network';

/**
 * `w ≠ 0`, exactly. Ternary weights are the shared instances ONE / MINUS_ONE / ZERO, so a pointer
 * comparison settles them; anything else falls back to the BigInt test (so nothing relies on
 * instance sharing for correctness).
 */
function nonzero(w: Rational): boolean {
  if (w === ONE || w === MINUS_ONE) return true;
  if (w === ZERO) return false;
  return w.n !== 0n;
}

/**
 * Which hidden neurons reach the output through nonzero weights, with one path from each
 * (docs/theory.md §5).
 */
export interface Reachability {
  /** `live[h][j] = 1` iff hidden neuron j of layer h reaches the output through nonzero weights. */
  live: Uint8Array[];
  /** For a live neuron, the next neuron on one path to the output (layer h+1; 0 = output). */
  next: Int32Array[];
  /** Live first-layer neurons whose row of M_1 is nonzero: the starts of complete paths. */
  starts: number[];
  /** Input coordinates with a nonzero weight into a start (support of the span of Φ). */
  reachableInputs: number;
  /** Stored (nonzero) weights read (the linear-time bound). */
  weightsScanned: number;
}

/**
 * Pre: `net` has at least one hidden layer. Post: `starts` is empty iff Φ ≡ 0, i.e. iff
 * `D^a_F(x̄) = {0}` at any point where all hidden pre-activations are 0.
 */
export function reachability(net: Network): Reachability {
  const L = net.layers.length;
  const H = L - 1;
  if (H < 1) throw new RangeError('reachability: the network has no hidden layer');
  const widths = net.widths;
  const live = widths.map((w) => new Uint8Array(w));
  const next = widths.map((w) => new Int32Array(w).fill(-1));
  let scanned = 0;
  // Layers are CSR (src/network/network.ts): only stored (nonzero-valued) weights are visited.
  // Output layer: neurons of the last hidden layer with a nonzero output weight.
  {
    const S = net.layers[L - 1]!;
    const lv = live[H - 1]!;
    const nx = next[H - 1]!;
    for (let k = S.start[0]!; k < S.start[1]!; k++) {
      if (nonzero(S.w[k]!)) {
        const j = S.col[k]!;
        lv[j] = 1;
        nx[j] = 0;
      }
    }
    scanned += S.rowNnz(0);
  }
  // Hidden layers, from the output towards the input: j in layer h is live iff some live k in
  // layer h+1 has a nonzero weight W_{h+1}[k][j].
  for (let h = H - 2; h >= 0; h--) {
    const S = net.layers[h + 1]!;
    const up = live[h + 1]!;
    const lv = live[h]!;
    const nx = next[h]!;
    for (let k = 0; k < S.rows; k++) {
      if (up[k] === 0) continue;
      const e = S.start[k + 1]!;
      for (let q = S.start[k]!; q < e; q++) {
        const j = S.col[q]!;
        if (lv[j] === 0 && nonzero(S.w[q]!)) {
          lv[j] = 1;
          nx[j] = k;
        }
      }
      scanned += e - S.start[k]!;
    }
  }
  // First layer: a live neuron starts a complete path iff its row of M_1 is nonzero.
  const starts: number[] = [];
  const inputs = new Uint8Array(net.inputDim);
  {
    const S = net.layers[0]!;
    const lv = live[0]!;
    for (let j = 0; j < S.rows; j++) {
      if (lv[j] === 0) continue;
      let nz = false;
      const e = S.start[j + 1]!;
      for (let q = S.start[j]!; q < e; q++) {
        if (nonzero(S.w[q]!)) {
          nz = true;
          inputs[S.col[q]!] = 1;
        }
      }
      scanned += e - S.start[j]!;
      if (nz) starts.push(j);
    }
  }
  let reachableInputs = 0;
  for (let i = 0; i < inputs.length; i++) reachableInputs += inputs[i]!;
  return { live, next, starts, reachableInputs, weightsScanned: scanned };
}

/** The neurons (one per hidden layer) of the path that starts at first-layer neuron `start`. */
export function pathFrom(r: Reachability, start: number): number[] {
  const path = [start];
  for (let h = 0; h + 1 < r.live.length; h++) path.push(r.next[h]![path[h]!]!);
  return path;
}

/**
 * The monomial coefficient of a path: `(row j1 of M_1)^T · Π weights along the path`. This is
 * `Φ(D)` for D the indicator of the path's neurons. O(inputDim + L·log(row nonzeros)).
 */
export function pathElement(net: Network, path: readonly number[]): Rational[] {
  const L = net.layers.length;
  let coeff = ONE;
  for (let h = 0; h < path.length; h++) {
    const to = h + 1 < L - 1 ? path[h + 1]! : 0;
    coeff = coeff.mul(net.layers[h + 1]!.weight(to, path[h]!));
  }
  const S = net.layers[0]!;
  const out = new Array<Rational>(net.inputDim).fill(ZERO);
  for (let q = S.start[path[0]!]!; q < S.start[path[0]! + 1]!; q++) out[S.col[q]!] = S.w[q]!.mul(coeff);
  return out;
}
