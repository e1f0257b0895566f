/**
 * The `relu'(0)` convention, as an explicit parameter (never a buried `>` vs `>=`).
 *
 * Backprop multiplies by `relu'(z)`: 1 for z > 0, 0 for z < 0, and the policy's choice at z = 0.
 * Every choice in [0,1] yields an element of the conservative gradient D^a_F (docs/theory.md §1).
 */
import { seededRng } from '../exact/rng';
import { Rational, ZERO, ONE } from '../exact/rational';
import { UserError } from '../errors';

/**
 * The value backpropagation uses for relu'(0) at a zero pre-activation: one constant, one value
 * per neuron, or seeded random choices in {0, 1}. Every choice gives an element of the
 * conservative gradient (docs/theory.md §1).
 */
export type ReluPrime =
  /** The same s ∈ [0,1] at every zero pre-activation (s = 0: PyTorch/TensorFlow). */
  | { kind: 'constant'; s: Rational }
  /** `s[l][i]` at hidden neuron i of layer l when its pre-activation is 0. */
  | { kind: 'per-neuron'; s: readonly (readonly Rational[])[] }
  /** An independent uniform choice in {0, 1} per zero neuron, from a seeded generator. */
  | { kind: 'random'; seed: number };

/** relu'(0) = 0 everywhere: the convention of PyTorch, TensorFlow and JAX. */
export const PYTORCH: ReluPrime = { kind: 'constant', s: ZERO };

/**
 * The policy relu'(0) = s at every zero pre-activation; s must lie in [0, 1] (UserError
 * otherwise).
 */
export function constantPolicy(s: Rational | number): ReluPrime {
  const r = s instanceof Rational ? s : Rational.fromNumber(s);
  if (r.sign() < 0 || r.cmp(ONE) > 0) throw new UserError(`relu'(0) = ${r}: expected a value in [0, 1]`);
  return { kind: 'constant', s: r };
}

/** Parse the CLI form: `0`, `1`, a rational `s` in [0,1], `random` or `random:SEED`. */
export function parseReluPrime(text: string): ReluPrime {
  const t = text.trim();
  const m = /^random(?::(\d+))?$/.exec(t);
  if (m) {
    const seed = m[1] === undefined ? 0 : Number(m[1]);
    if (!Number.isSafeInteger(seed)) throw new UserError(`--relu-prime: the seed in "${text}" is not a safe integer`);
    return { kind: 'random', seed };
  }
  const r = Rational.parse(t);
  if (r === null) throw new UserError(`--relu-prime: expected 0, 1, a rational s in [0,1], or random[:seed], got "${text}"`);
  return constantPolicy(r);
}

/**
 * Resolve a policy to a function (layer, neuron) → s, called only at zero pre-activations, in a
 * fixed order (layer by layer, neuron by neuron) so that a seeded random policy is reproducible.
 */
export function resolveReluPrime(policy: ReluPrime, widths: readonly number[]): (l: number, i: number) => Rational {
  switch (policy.kind) {
    case 'constant': {
      const s = policy.s;
      if (s.sign() < 0 || s.cmp(ONE) > 0) throw new UserError(`relu'(0) = ${s}: expected a value in [0, 1]`);
      return () => s;
    }
    case 'per-neuron': {
      if (policy.s.length !== widths.length)
        throw new UserError(`relu'(0) choices: expected ${widths.length} layers, got ${policy.s.length}`);
      policy.s.forEach((row, l) => {
        if (row.length !== widths[l]) throw new UserError(`relu'(0) choices[${l}]: expected ${widths[l]} entries, got ${row.length}`);
        row.forEach((s, i) => {
          if (s.sign() < 0 || s.cmp(ONE) > 0) throw new UserError(`relu'(0) choices[${l}][${i}] = ${s}: expected a value in [0, 1]`);
        });
      });
      return (l, i) => policy.s[l]![i]!;
    }
    case 'random': {
      const rng = seededRng(policy.seed);
      return () => (rng.bool() ? ONE : ZERO);
    }
  }
}
