/**
 * Two distinct vertices of D^a_F(x̄) once Φ is known to be non-constant (THEORY §5), by
 * self-reduction on the identity test.
 *
 * Let `c = Φ(free entries = 0)`. Invariant: the restriction R of Φ (some free entries fixed) is
 * not identically c. Fix the next free entry x: `R = R_0 + x R_1` with `R_0 = R|_{x=0}`. If
 * `R_0 ≢ c`, fix x = 0; otherwise `R_0 ≡ c`, so `R_1 ≢ 0` and `R|_{x=1} = c + R_1 ≢ c`: fix x = 1.
 * When every entry is fixed, R is a constant ≠ c. The two vertices are (all 0) and the result.
 * Cost: one identity test per free neuron.
 */
import type { Rational } from '../exact/rational';
import { clonePattern, freePositions, INACTIVE, ACTIVE, type DiagPattern } from './pattern';

/** `differs(p, c)`: is Φ restricted to the pattern p not identically c? */
export type DiffersOracle = (pattern: DiagPattern, c: readonly Rational[]) => boolean;

/**
 * Pre: `differs(pattern, c)` holds with `c = Φ(free = 0)`. Post: a fully fixed pattern
 * (entries ACTIVE/INACTIVE) whose Φ differs from c when the oracle is exact; a randomized
 * oracle may err, and callers re-check the result exactly.
 */
export function greedyWitness(pattern: DiagPattern, c: readonly Rational[], differs: DiffersOracle): DiagPattern {
  const work = clonePattern(pattern);
  for (const [l, i] of freePositions(pattern)) {
    work[l]![i] = INACTIVE;
    if (!differs(work, c)) work[l]![i] = ACTIVE;
  }
  return work;
}
