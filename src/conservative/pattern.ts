/**
 * The diagonal pattern of backprop at a point x̄ (docs/theory.md §1, §5): for each hidden neuron, its
 * `relu'` is fixed to 1 (pre-activation > 0) or 0 (< 0), or free in [0,1] (exactly 0).
 *
 * The conservative gradient at x̄ is `D^a_F(x̄) = {Φ(d) : d ∈ [0,1]^free}` with
 * `Φ(d) = M_1^T D_1 M_2^T … D_{L-1} M_L^T` — a vector polynomial, multilinear in the free entries
 * (one variable per free neuron, at most one per layer in each monomial). Biases do not enter Φ;
 * they only decide which entries are free.
 */
import { Rational, ZERO, ONE } from '../exact/rational';
import type { Network } from '../network/network';
import { evaluateExact, checkPoint } from '../network/evaluate';
import { backwardWithDiagonals } from '../ad/backward';

/** Entry of a pattern: fixed inactive, fixed active, or free (zero pre-activation). */
export const INACTIVE = 0;
export const ACTIVE = 1;
export const FREE = -1;

/** Per hidden layer, per neuron: INACTIVE | ACTIVE | FREE. */
export type DiagPattern = Int8Array[];

/**
 * The diagonal pattern of backpropagation at a point: fixed entries (active/inactive) and free
 * ones (zero pre-activation).
 */
export interface PatternAt {
  pattern: DiagPattern;
  /** Number of free (zero pre-activation) hidden neurons. */
  free: number;
  /** True when every hidden neuron is free (bias-free network at 0, or any such point). */
  allFree: boolean;
}

/**
 * The pattern at `x` (default 0). For a bias-free network at 0 every pre-activation is 0, so no
 * evaluation is needed (and nothing is allocated per weight): this is the path the linear-time
 * reachability test of docs/theory.md §5 takes on 10^7-weight networks.
 */
export function patternAt(net: Network, x?: readonly Rational[]): PatternAt {
  const widths = net.widths;
  const isZeroPoint = x === undefined || x.every((v) => v.n === 0n);
  if (x !== undefined) checkPoint(net, x);
  if (isZeroPoint && net.isBiasFree()) {
    const pattern = widths.map((w) => new Int8Array(w).fill(FREE));
    const free = widths.reduce((a, b) => a + b, 0);
    return { pattern, free, allFree: true };
  }
  const fwd = evaluateExact(net, x ?? new Array<Rational>(net.inputDim).fill(ZERO));
  let free = 0;
  const pattern = fwd.pre.map((z) => {
    const p = new Int8Array(z.length);
    for (let i = 0; i < z.length; i++) {
      const s = z[i]!.n;
      if (s > 0n) p[i] = ACTIVE;
      else if (s < 0n) p[i] = INACTIVE;
      else {
        p[i] = FREE;
        free++;
      }
    }
    return p;
  });
  return { pattern, free, allFree: free === net.neurons };
}

export function clonePattern(p: DiagPattern): DiagPattern {
  return p.map((row) => row.slice());
}

/** Positions (layer, neuron) of the free entries, layer-major. */
export function freePositions(p: DiagPattern): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  p.forEach((row, l) => row.forEach((v, i) => {
    if (v === FREE) out.push([l, i]);
  }));
  return out;
}

/**
 * The full diagonal (the per-neuron `relu'(0)` choices a plain backprop needs): fixed entries as
 * they are, free entries from `value(l, i)`. Fixed entries are written as the diagonal value
 * backprop uses there, so the array equals `backward(...).choices` for the same point.
 */
export function choicesOf(p: DiagPattern, value: (l: number, i: number) => Rational): Rational[][] {
  return p.map((row, l) => {
    const out = new Array<Rational>(row.length);
    for (let i = 0; i < row.length; i++) out[i] = row[i] === ACTIVE ? ONE : row[i] === INACTIVE ? ZERO : value(l, i);
    return out;
  });
}

/** `Φ(d)` for a full diagonal: one exact backprop sweep. */
export function phi(net: Network, choices: readonly (readonly Rational[])[]): Rational[] {
  return backwardWithDiagonals(net, choices);
}

/** Canonical text key of an exact vector (Rational normal form makes it unique). */
export function vectorKey(v: readonly Rational[]): string {
  return v.map((r) => r.toString()).join(',');
}
