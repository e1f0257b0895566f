/**
 * `decideConservative`: is the conservative gradient `D^a_F(x̄)` of backprop a singleton, and if
 * not, two (or k) distinct elements with the per-neuron `relu'(0)` choices that produce them
 * (docs/theory.md §2 claim 4, §5). Every returned element is `Φ(choices)`, which is exactly what plain
 * `backward(net, x̄, {kind: 'per-neuron', s: choices})` computes (fixed entries of `choices`
 * are the diagonal values backprop uses there anyway).
 *
 * Methods, chosen by the point:
 *  - no hidden layer: F is linear, `D^a_F = {M_1^T}`;
 *  - every hidden pre-activation is 0 (bias-free network at 0): reachability, O(#weights);
 *  - otherwise: exact span identity test (Raz–Shpilka style, polynomial), or with
 *    `randomized: true` the Schwartz–Zippel test (labelled; only a "singleton" can be wrong);
 *  - `all: true` (tiny networks): every vertex `{Φ(D) : D ∈ {0,1}^free}`, deduplicated.
 * "two" answers are always certified: the two elements are computed and compared exactly.
 */
import { Rational, ZERO, ONE, vecEq } from '../exact/rational';
import type { Rng } from '../exact/rng';
import { seededRng } from '../exact/rng';
import { UserError } from '../errors';
import type { Network } from '../network/network';
import { patternAt, choicesOf, phi, vectorKey, freePositions, type DiagPattern } from './pattern';
import { reachability, pathFrom, pathElement } from './reachability';
import { spanIdentity } from './span';
import { szDiffers, szErrorBound } from './schwartz-zippel';
import { greedyWitness } from './witness';

/**
 * Options of `decideConservative`: the point, how many elements, the seed, the randomized test,
 * the enumeration limit.
 */
export interface ConservativeOptions {
  /** The point x̄ (default 0). */
  at?: Rational[];
  /** Number of distinct elements wanted, ≥ 2 (default 2; fewer are returned when no more are found). */
  count?: number;
  /** Every vertex over {0,1}^free (tiny networks only). */
  all?: boolean;
  /** Seed for random relu'(0) choices and the randomized test (default 0). */
  seed?: number;
  /** Use the Schwartz–Zippel identity test instead of the exact span test at a general point. */
  randomized?: boolean;
  /** Refuse `all` above this many free neurons (default 20). */
  maxAllFree?: number;
  /**
   * At a general point, first try all-0, all-1 and a random vertex, which settles "two" exactly
   * when two of them differ (default true). `false` always runs the identity test and the
   * self-reduction (tests and measurements).
   */
  shortcut?: boolean;
}

/** How a conservative question was answered (docs/theory.md §5). */
export type ConservativeMethod = 'no-hidden-layer' | 'reachability' | 'span-identity' | 'schwartz-zippel' | 'enumeration';

export interface ConservativeAnswer {
  answer: 'two' | 'singleton';
  /** Distinct elements of D^a_F(x̄), exact. */
  elements: Rational[][];
  /** Per element, per hidden layer, per neuron: the diagonal entry (relu'(0) choice where free). */
  choices: Rational[][][];
  method: ConservativeMethod;
  /**
   * True iff the method is the randomized Schwartz–Zippel one (requested with `randomized` at a
   * point where not every entry is free). A "two" answer is exact even then (its elements are
   * computed and compared exactly); a "singleton" may be wrong with probability ≤ `errorBound`.
   */
  randomized: boolean;
  timeMs: number;
  /** With `randomized`: bound on the probability that a "singleton" answer is wrong. */
  errorBound?: string;
  /** Number of free (zero pre-activation) hidden neurons at x̄. */
  freeNeurons: number;
  /** Cost figures of the method (weights scanned, ranks, identity tests run). */
  stats: Record<string, number | string>;
}

/** Exact deduplicating collection of elements with their choices. */
class ElementSet {
  readonly elements: Rational[][] = [];
  readonly choices: Rational[][][] = [];
  private readonly keys = new Set<string>();
  add(el: Rational[], ch: Rational[][]): boolean {
    const k = vectorKey(el);
    if (this.keys.has(k)) return false;
    this.keys.add(k);
    this.elements.push(el);
    this.choices.push(ch);
    return true;
  }
  get size(): number {
    return this.elements.length;
  }
}

function randomChoices(pattern: DiagPattern, rng: Rng): Rational[][] {
  return choicesOf(pattern, () => (rng.bool() ? ONE : ZERO));
}

/** Fill `set` up to `count` with `Φ` of all-ones and seeded random choices (at most `budget` random draws). */
function fillRandom(net: Network, pattern: DiagPattern, set: ElementSet, count: number, rng: Rng, withOnes: boolean, budget = 4 * count + 64): number {
  let attempts = 0;
  if (withOnes && set.size < count) {
    const ch = choicesOf(pattern, () => ONE);
    set.add(phi(net, ch), ch);
    attempts++;
  }
  for (let t = 0; t < budget && set.size < count; t++) {
    const ch = randomChoices(pattern, rng);
    set.add(phi(net, ch), ch);
    attempts++;
  }
  return attempts;
}

/**
 * Is the conservative gradient D^a_F(x̄) a single point? Linear-time reachability at 0 for
 * bias-free networks, an exact span identity test elsewhere, or (on request) a randomized
 * Schwartz–Zippel test; distinct elements come with the relu'(0) choices that reproduce them by
 * `backward` (docs/theory.md §5).
 */
export function decideConservative(net: Network, opts: ConservativeOptions = {}): ConservativeAnswer {
  const t0 = performance.now();
  const count = opts.count ?? 2;
  if (!Number.isSafeInteger(count) || count < 2) throw new UserError(`count: expected an integer ≥ 2, got ${count}`);
  const seed = opts.seed ?? 0;
  const rng = seededRng(seed, 0);
  const { pattern, free, allFree } = patternAt(net, opts.at);
  const set = new ElementSet();
  const stats: Record<string, number | string> = {};
  let method: ConservativeMethod;
  let randomized = false;
  let errorBound: string | undefined;
  const H = net.hiddenLayers;

  if (opts.all) {
    method = 'enumeration';
    const maxFree = opts.maxAllFree ?? 20;
    if (free > maxFree)
      throw new UserError(`--all: ${free} free neurons at this point means 2^${free} vertices; the limit is ${maxFree}`);
    // Bit k of the mask is the choice of the k-th free neuron (layer-major).
    const bitOf = pattern.map((row) => new Int32Array(row.length).fill(-1));
    freePositions(pattern).forEach(([l, i], k) => (bitOf[l]![i] = k));
    for (let mask = 0; mask < 2 ** free; mask++) {
      const ch = choicesOf(pattern, (l, i) => ((mask >> bitOf[l]![i]!) & 1 ? ONE : ZERO));
      set.add(phi(net, ch), ch);
    }
    stats.vertices = 2 ** free;
  } else if (H === 0) {
    method = 'no-hidden-layer';
    set.add(net.layers[0]!.weights[0]!.slice(), []);
  } else if (allFree) {
    method = 'reachability';
    const r = reachability(net);
    stats.weightsScanned = r.weightsScanned;
    stats.pathStarts = r.starts.length;
    stats.reachableInputs = r.reachableInputs;
    // D = 0 gives Φ = 0: every monomial has degree H ≥ 1.
    set.add(new Array<Rational>(net.inputDim).fill(ZERO), choicesOf(pattern, () => ZERO));
    for (let k = 0; k < r.starts.length && set.size < count; k++) {
      const path = pathFrom(r, r.starts[k]!);
      const ch = choicesOf(pattern, (l, i) => (path[l] === i ? ONE : ZERO));
      // A complete path's product is nonzero, hence distinct from the element 0 (docs/theory.md §5).
      if (!set.add(pathElement(net, path), ch) && k === 0) throw new Error('reachability: a complete path gave the zero vector (bug)');
    }
    if (r.starts.length > 0 && set.size < count) stats.randomAttempts = fillRandom(net, pattern, set, count, rng, true);
  } else {
    method = opts.randomized ? 'schwartz-zippel' : 'span-identity';
    randomized = opts.randomized === true;
    const zeroCh = choicesOf(pattern, () => ZERO);
    const c = phi(net, zeroCh);
    set.add(c, zeroCh);
    // Cheap candidates first: two distinct vertices settle "two" exactly without any test.
    if (opts.shortcut !== false) fillRandom(net, pattern, set, 2, rng, true, 2);
    if (set.size >= 2 || free === 0) {
      stats.identityTest = free === 0 ? 'not needed: no free neuron' : 'not needed: two distinct vertices found directly';
    } else {
      let tests = 0;
      const szOpts = { rng, trials: 2 };
      const exact = (p: DiagPattern, cc: readonly Rational[]): boolean => {
        tests++;
        const s = spanIdentity(net, p);
        return s.rank > 0 || !vecEq(s.constant, cc);
      };
      const rand = (p: DiagPattern, cc: readonly Rational[]): boolean => {
        tests++;
        return szDiffers(net, p, cc, szOpts);
      };
      let nonconstant: boolean;
      if (randomized) {
        nonconstant = szDiffers(net, pattern, null, szOpts);
        stats.identityTest = 'schwartz-zippel';
      } else {
        const s = spanIdentity(net, pattern);
        nonconstant = s.rank > 0;
        stats.identityTest = 'span';
        stats.rank = s.rank;
        stats.maxRank = s.maxRank;
        if (!nonconstant && !vecEq(s.constant, c)) throw new Error('span identity test: constant term disagrees with Φ(0) (bug)');
      }
      if (nonconstant) {
        let w = greedyWitness(pattern, c, randomized ? rand : exact);
        let ch = choicesOf(w, () => ZERO);
        let el = phi(net, ch);
        if (vecEq(el, c)) {
          // Only a randomized oracle can get here: redo the self-reduction exactly.
          stats.fallback = 'exact witness after a randomized miss';
          w = greedyWitness(pattern, c, exact);
          ch = choicesOf(w, () => ZERO);
          el = phi(net, ch);
          if (vecEq(el, c)) throw new Error('witness search failed on a non-constant Φ (bug)');
        }
        set.add(el, ch);
      } else if (randomized) {
        errorBound = szErrorBound(H, szOpts.trials);
      }
      stats.witnessTests = tests;
    }
    if (set.size >= 2 && set.size < count) fillRandom(net, pattern, set, count, rng, false);
  }

  const elements = set.elements.slice(0, opts.all ? undefined : count);
  const choices = set.choices.slice(0, elements.length);
  const answer = set.size >= 2 ? 'two' : 'singleton';
  const out: ConservativeAnswer = {
    answer,
    elements,
    choices,
    method,
    randomized,
    timeMs: performance.now() - t0,
    freeNeurons: free,
    stats,
  };
  if (errorBound !== undefined && answer === 'singleton') out.errorBound = errorBound;
  return out;
}

