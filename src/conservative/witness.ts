/**
 * Two distinct vertices of D^a_F(x̄) once Φ is known to be non-constant (docs/theory.md §5), by
 * self-reduction on the identity test.
 *
 * Let `c = Φ(free entries = 0)` and order the free entries x_1..x_N (layer-major). Invariant: the
 * restriction R of Φ (entries before `pos` fixed) is not identically c. For a restriction R,
 * `T(k)` = "R with x_pos..x_k fixed to 0 is ≢ c". T is monotone (once ≡ c, fixing more keeps it
 * constant) and T(pos−1) holds. If T(N) holds, fix everything to 0: the value differs from c.
 * Otherwise binary search the first k with ¬T(k): then `R_0 = R|_{x_pos..x_{k−1}=0}` is ≢ c while
 * `R_0|_{x_k=0}` ≡ c, so writing `R_0 = A + x_k B` (A ≡ c) gives B ≢ 0 and `R_0|_{x_k=1} = c + B ≢ c`:
 * fix x_pos..x_{k−1} = 0, x_k = 1 and continue from k+1.
 *
 * Φ is set-multilinear (at most one free variable per hidden layer in each monomial), and after
 * x_k = 1 the remaining dependence is through `B`, which has no other variable of x_k's layer; so
 * at most H entries are set to 1 and the search makes O(H · log N) identity tests (a plain
 * entry-by-entry greedy would make N).
 */
import type { Rational } from '../exact/rational';
import { clonePattern, freePositions, INACTIVE, ACTIVE, FREE, type DiagPattern } from './pattern';

/** `differs(p, c)`: is Φ restricted to the pattern p not identically c? */
export type DiffersOracle = (pattern: DiagPattern, c: readonly Rational[]) => boolean;

/**
 * Pre: `differs(pattern, c)` holds with `c = Φ(free = 0)`. Post: a fully fixed pattern
 * (entries ACTIVE/INACTIVE) whose Φ differs from c when the oracle is exact; a randomized
 * oracle may err, and callers re-check the result exactly.
 */
export function greedyWitness(pattern: DiagPattern, c: readonly Rational[], differs: DiffersOracle): DiagPattern {
  const work = clonePattern(pattern);
  const free = freePositions(pattern);
  const N = free.length;
  const setRange = (from: number, to: number, v: number): void => {
    for (let k = from; k <= to; k++) work[free[k]![0]]![free[k]![1]] = v;
  };
  /** T(k): with free[pos..k] fixed to 0 (the rest of the tail still free), is Φ ≢ c? */
  const T = (pos: number, k: number): boolean => {
    setRange(pos, k, INACTIVE);
    const r = differs(work, c);
    setRange(pos, k, FREE);
    return r;
  };
  let pos = 0;
  while (pos < N) {
    if (T(pos, N - 1)) {
      setRange(pos, N - 1, INACTIVE);
      break;
    }
    // Smallest k in [pos, N-1] with ¬T(k); T(pos-1) holds by the invariant.
    let lo = pos;
    let hi = N - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (T(pos, mid)) lo = mid + 1;
      else hi = mid;
    }
    setRange(pos, lo - 1, INACTIVE);
    setRange(lo, lo, ACTIVE);
    pos = lo + 1;
  }
  return work;
}
