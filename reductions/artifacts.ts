/**
 * The artifact programs of docs/theory.md §3 — why the conservative gradient (what backprop returns) is not
 * the Clarke subdifferential — available by name for tests and experiments.
 *
 *   relu2(t) = relu(−t) + t        equals relu(t); backprop with relu'(0) = 0 gives relu2'(0) = 1
 *                                  (Clarke: ∂^c relu(0) = [0, 1], so 1 is fine here, but…)
 *   zero(t)  = relu2(t) − relu(t)  is the zero function; backprop with relu'(0) = 0 gives
 *                                  zero'(0) = 1 ∉ ∂^c zero(0) = {0}
 *   relu-carry(x) = relu(relu(x) − relu(−x))   the layered, bias-free, ternary network of the
 *                                  issue (fixture test/fixtures/abs-carry.json); it equals relu(x),
 *                                  so ∂^c F(0) = [0, 1]; backprop with relu'(0) = s gives
 *                                  s·(s + s) = 2s², i.e. 0 for s = 0 and 2 ∉ [0, 1] for s = 1.
 *   carry(x) = relu(x) − relu(−x)  the carry gadget alone (reductions/gadgets.ts): it equals x, so
 *                                  ∂^c carry(0) = {1}, while backprop with relu'(0) = 0 gives
 *                                  0 ∉ {1}; its conservative gradient at 0 is {s₁ + s₂ : s₁, s₂ ∈ [0, 1]}
 *                                  = [0, 2] (relu'(0) = 1/2 gives 1, relu'(0) = 1 gives 2).
 * Note: docs/theory.md §3 writes "Clarke: {1}" next to relu(relu(x) − relu(−x)); that value is the Clarke
 * subdifferential of the carry x = relu(x) − relu(−x); the function with the outer relu is relu(x),
 * whose Clarke subdifferential at 0 is [0, 1]. Both artifacts are provided; tests pin both facts.
 *
 * relu2 and zero are not layered networks (they use a skip connection `+ t`), so they are tapes
 * (src/ad/tape.ts); relu-carry is a Network.
 */
import { Tape } from '../src/ad/tape';
import { networkOf, type Network } from '../src/network/network';
import { UserError } from '../src/errors';

/** relu2(t) = relu(−t) + t, one input. */
export function relu2Tape(): Tape {
  const t = new Tape(1);
  const x = t.input(0);
  t.setOutput(t.add(t.relu(t.neg(x)), x));
  return t;
}

/** zero(t) = relu2(t) − relu(t) = 0 for every t, one input. */
export function zeroTape(): Tape {
  const t = new Tape(1);
  const x = t.input(0);
  const relu2 = t.add(t.relu(t.neg(x)), x);
  t.setOutput(t.sub(relu2, t.relu(x)));
  return t;
}

/** F(x) = relu(relu(x) − relu(−x)): layers [[1],[−1]], [[1,−1]], output [[1]]. */
export function reluCarryNetwork(): Network {
  return networkOf(
    1,
    [
      [[1], [-1]],
      [[1, -1]],
      [[1]],
    ],
    { artifact: 'relu-carry', function: 'relu(relu(x) - relu(-x))', theory: 'docs/theory.md §3' },
  );
}

/** carry(x) = relu(x) − relu(−x) = x: layers [[1],[−1]], output [[1,−1]]. */
export function carryNetwork(): Network {
  return networkOf(1, [[[1], [-1]], [[1, -1]]], { artifact: 'carry', function: 'relu(x) - relu(-x)', theory: 'docs/theory.md §3, §4' });
}

/**
 * A small program of docs/theory.md §3: a tape (straight-line program) or a layered network, with
 * a one-line description.
 */
export type Artifact =
  | { name: string; kind: 'tape'; tape: Tape; description: string }
  | { name: string; kind: 'network'; network: Network; description: string };

const ARTIFACTS: Record<string, () => Artifact> = {
  relu2: () => ({ name: 'relu2', kind: 'tape', tape: relu2Tape(), description: 'relu(-t) + t (= relu(t)); backprop with relu\'(0)=0 gives 1 at 0' }),
  zero: () => ({ name: 'zero', kind: 'tape', tape: zeroTape(), description: 'relu2(t) - relu(t) (= 0); backprop with relu\'(0)=0 gives 1 at 0, Clarke {0}' }),
  'relu-carry': () => ({
    name: 'relu-carry',
    kind: 'network',
    network: reluCarryNetwork(),
    description: 'relu(relu(x) - relu(-x)) (= relu(x)); backprop with relu\'(0)=0 gives 0 at 0',
  }),
  carry: () => ({
    name: 'carry',
    kind: 'network',
    network: carryNetwork(),
    description: 'relu(x) - relu(-x) (= x); Clarke {1}, backprop with relu\'(0)=0 gives 0',
  }),
};

/** The names `artifactByName` accepts: relu2, zero, relu-carry, carry. */
export const ARTIFACT_NAMES: readonly string[] = Object.keys(ARTIFACTS);

/** The artifact of that name (a fresh object each call); UserError naming the known ones otherwise. */
export function artifactByName(name: string): Artifact {
  const make = ARTIFACTS[name];
  if (make === undefined) throw new UserError(`unknown artifact "${name}": expected one of ${ARTIFACT_NAMES.join(', ')}`);
  return make();
}
