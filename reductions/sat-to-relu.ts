/**
 * The reduction 3-SAT → ternary, bias-free, layered ReLU network (docs/theory.md §4).
 *
 * For a CNF over x_1..x_n with clauses C_1..C_m, the network computes
 *
 *     F(x) = relu( min_j  max_{ℓ ∈ C_j} ℓ(x) ),      ℓ(x_i) = x_i,  ℓ(¬x_i) = −x_i,
 *
 * so F ≥ 0, F is positively homogeneous, and F ≢ 0 ⇔ the formula is satisfiable (docs/theory.md §4):
 *   (⇐) a satisfying assignment a gives the ±1 point x(a) where every clause maximum is 1, F = 1;
 *   (⇒) F(x) > 0 ⇒ every clause has a literal with ℓ(x) > 0 ⇒ `x_i > 0 ↦ true` satisfies it
 *       (one literal per variable can be positive, so the assignment is consistent).
 * Hence ∂^c F(0) has two distinct elements ⇔ satisfiable (a nonnegative linear function is 0).
 *
 * Layout (gadgets.ts):
 *   levels 1..D1        clause maxima, a balanced tree of pairwise `max` per clause,
 *                       D1 = max(1, ⌈log2 k_max⌉) (k_max = widest clause; 2 levels for 3-SAT);
 *                       unit clauses are carried (level 1 must separate clauses that share
 *                       input coordinates before any two clause values meet in a gadget)
 *   next ⌈log2 m'⌉      a balanced tree of pairwise `min` over the clause values
 *   last hidden layer   one neuron relu(min); the output layer weighs it by 1.
 * Unfinished values are carried (`carry`, the pair relu(z), relu(−z) weighed +1, −1).
 *
 * Size (for clauses of width ≤ 3): at most 8 neurons per clause in the clause levels (3-clause:
 * max + carry = 5, then max = 3), then 3⌊k/2⌋ + 2(k mod 2) ≤ 1.5k + 2 neurons for the k values of
 * a min level, k halving each level: ≤ 11m + 2⌈log2 m⌉ + 1 hidden neurons; every neuron row has
 * ≤ 6 nonzeros, so O(m) nonzero weights; D1 + ⌈log2 m⌉ + 1 hidden layers (+1 output layer).
 * (Wider clauses: O(total literals + m·log k_max) neurons.) So the network has O(n + m) neurons and nonzeros and O(log m) layers — within the
 * O((n + m) log m) bound. Layers are stored sparse (src/network/network.ts), so building,
 * storing and writing the network cost O(n + m) too; the dense matrices would have O(m²) entries.
 *
 * Normalisation (documented degenerate cases; recorded in `meta`):
 * - a literal repeated in a clause is kept once (max(ℓ, ℓ) = ℓ);
 * - a tautological clause (x_i and ¬x_i) is dropped: it holds under every assignment, so the
 *   formula without it has the same satisfying assignments (and its max would need weight 2);
 * - an empty clause makes the formula unsatisfiable; all empty clauses are replaced by the two unit
 *   clauses (x_1), (¬x_1), an unsatisfiable pair, so F ≡ 0 while the network keeps its shape;
 * - no clause left (m = 0, or only tautologies): every assignment satisfies the formula, and the
 *   network is F(x) = relu(x_1) + relu(−x_1) = |x_1| (the value of the tautology x_1 ∨ ¬x_1),
 *   ≥ 1 at every ±1 point;
 * - a variable that never occurs gets an all-zero input column; encode sets it to ±1, decode
 *   reads its sign like any other;
 * - n = 0: the network has one padding input (inputDim must be ≥ 1); encode sets it to 1.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Rational } from '../src/exact/rational';
import { UserError, deadlineCheck } from '../src/errors';
import { satisfies, type Cnf } from '../src/cnf/cnf';
import type { Network } from '../src/network/network';
import { parseDimacs, readCnfFile, type DimacsOptions } from '../src/cnf/dimacs';
import { inputForm, LayeredBuilder, treeDepth, treeStep, type Form } from './gadgets';

export const CONSTRUCTION = 'sat-to-relu/max-min-tree';
export const CONSTRUCTION_VERSION = 1;

/** The clauses the network actually encodes, and what normalisation did. */
export interface NormalizedCnf {
  /** Clauses with distinct, non-complementary literals, in file order; none empty. */
  clauses: number[][];
  tautologiesDropped: number;
  duplicateLiteralsRemoved: number;
  emptyClauses: number;
  /** Variables 1..n that occur in no clause. */
  unusedVariables: number;
  /** Input dimension of the network: max(n, 1). */
  inputDim: number;
}

/** `tick` is called once per clause (a deadline check, src/errors.ts `deadlineCheck`). */
export function normalizeCnf(cnf: Cnf, tick: () => void = () => {}): NormalizedCnf {
  const clauses: number[][] = [];
  let tautologiesDropped = 0;
  let duplicateLiteralsRemoved = 0;
  let emptyClauses = 0;
  const used = new Uint8Array(cnf.n + 1);
  for (const c of cnf.clauses) {
    tick();
    for (const lit of c) used[Math.abs(lit)] = 1;
    if (c.length === 0) {
      emptyClauses++;
      continue;
    }
    const seen = new Set<number>();
    const lits: number[] = [];
    let taut = false;
    for (const lit of c) {
      if (seen.has(lit)) {
        duplicateLiteralsRemoved++;
        continue;
      }
      if (seen.has(-lit)) taut = true;
      seen.add(lit);
      lits.push(lit);
    }
    if (taut) tautologiesDropped++;
    else clauses.push(lits);
  }
  if (emptyClauses > 0) clauses.push([1], [-1]);
  let unusedVariables = 0;
  for (let v = 1; v <= cnf.n; v++) if (!used[v]) unusedVariables++;
  return { clauses, tautologiesDropped, duplicateLiteralsRemoved, emptyClauses, unusedVariables, inputDim: Math.max(cnf.n, 1) };
}

/** Size of a network as the issue reports it. */
export interface NetworkSize {
  inputs: number;
  /** Weight layers, the output layer included (= hidden layers + 1). */
  layers: number;
  hiddenLayers: number;
  /** Hidden neurons. */
  neurons: number;
  /** Nonzero weights, all layers. */
  nonzeros: number;
  widths: number[];
}

export function networkSize(net: Network): NetworkSize {
  return {
    inputs: net.inputDim,
    layers: net.layers.length,
    hiddenLayers: net.hiddenLayers,
    neurons: net.neurons,
    nonzeros: net.nonzeros,
    widths: net.widths,
  };
}

/**
 * Build the network of docs/theory.md §4 for `cnf`.
 * Pre: `cnf` satisfies makeCnf's invariants (any clause widths, empty clauses allowed).
 * Post: a layered, bias-free network with weights in {-1,0,1}, inputDim = max(n, 1), such that
 *   F ≥ 0 and positively homogeneous; F(encodeAssignment(cnf, a)) ≥ 1 for every satisfying a;
 *   F(x) > 0 ⇒ decodePoint(cnf, x).satisfies. `meta` = caller's meta + construction record.
 */
export function reduceCnf(cnf: Cnf, meta: Record<string, unknown> = {}, opts: { deadline?: number } = {}): Network {
  // With a deadline (a performance.now() time), the construction stops with TimeLimitReached.
  const tick = deadlineCheck(opts.deadline, 'the reduction', 4096);
  const norm = normalizeCnf(cnf, tick);
  const { clauses, inputDim } = norm;
  const b = new LayeredBuilder(inputDim, tick);
  const m = clauses.length;
  let value: Form;
  let levels: Record<string, number>;
  if (m === 0) {
    // Every assignment satisfies: F = |x_1| (see header).
    value = b.layer((l) => l.abs(inputForm(0, 1)));
    levels = { clauseMax: 0, minTree: 0, final: 1 };
  } else {
    const kmax = clauses.reduce((k, c) => Math.max(k, c.length), 0);
    const d1 = Math.max(1, treeDepth(kmax));
    let groups: Form[][] = clauses.map((c) => {
      tick();
      return c.map((lit) => inputForm(Math.abs(lit) - 1, lit > 0 ? 1 : -1));
    });
    for (let t = 0; t < d1; t++) groups = b.layer((l) => treeStep(l, groups, 'max'));
    // Every group now holds its clause maximum; clause values live on disjoint neurons.
    let vals: Form[] = groups.map((g) => g[0]!);
    const d2 = treeDepth(m);
    for (let t = 0; t < d2; t++) vals = b.layer((l) => treeStep(l, [vals], 'min')[0]!);
    const v = vals[0]!;
    value = b.layer((l) => l.relu(v));
    levels = { clauseMax: d1, minTree: d2, final: 1 };
  }
  const widthHistogram: Record<string, number> = {};
  for (const c of cnf.clauses) widthHistogram[String(c.length)] = (widthHistogram[String(c.length)] ?? 0) + 1;
  const record: Record<string, unknown> = {
    ...meta,
    construction: CONSTRUCTION,
    constructionVersion: CONSTRUCTION_VERSION,
    function: 'F(x) = relu(min_j max_{l in C_j} l(x))',
    n: cnf.n,
    m: cnf.clauses.length,
    clauseWidths: widthHistogram,
    encodedClauses: m,
    tautologiesDropped: norm.tautologiesDropped,
    duplicateLiteralsRemoved: norm.duplicateLiteralsRemoved,
    emptyClauses: norm.emptyClauses,
    unusedVariables: norm.unusedVariables,
    paddingInput: cnf.n === 0,
    levels,
  };
  const net = b.finish(value, record);
  // `record` is the network's meta object (stored by reference): add the size now that it is known.
  const size = networkSize(net);
  record.size = { inputs: size.inputs, layers: size.layers, neurons: size.neurons, nonzeros: size.nonzeros };
  return net;
}

/**
 * The ±1 point of an assignment: x_i = +1 if variable i is true, −1 if false (padding input: 1).
 * `assignment` lists a signed literal per variable (any order); every variable 1..n must appear
 * exactly once. Post: F(x) ≥ 1 when the assignment satisfies the formula (docs/theory.md §4).
 */
export function encodeAssignment(cnf: Cnf, assignment: readonly number[]): Rational[] {
  const x = new Array<Rational | undefined>(Math.max(cnf.n, 1)).fill(undefined);
  for (const lit of assignment) {
    const v = Math.abs(lit);
    if (!Number.isInteger(lit) || v < 1 || v > cnf.n) throw new UserError(`assignment: literal ${lit} is out of range 1..${cnf.n}`);
    if (x[v - 1] !== undefined) throw new UserError(`assignment: variable ${v} is assigned twice`);
    x[v - 1] = Rational.int(lit > 0 ? 1 : -1);
  }
  if (cnf.n === 0) return [Rational.int(1)];
  const missing = x.findIndex((r) => r === undefined);
  if (missing >= 0) throw new UserError(`assignment: variable ${missing + 1} has no value`);
  return x as Rational[];
}

/**
 * Decode a point: variable i is true iff x_i > 0 (exact sign test). Checks the assignment against
 * the original clauses. When F(x) > 0 for the network of `cnf`, `satisfies` is true (header).
 */
export function decodePoint(cnf: Cnf, x: readonly Rational[]): { assignment: number[]; satisfies: boolean } {
  const dim = Math.max(cnf.n, 1);
  if (x.length !== dim) throw new UserError(`point: expected ${dim} coordinates (one per variable), got ${x.length}`);
  const assignment: number[] = [];
  for (let v = 1; v <= cnf.n; v++) assignment.push(x[v - 1]!.sign() > 0 ? v : -v);
  return { assignment, satisfies: satisfies(cnf, assignment) };
}

/** Indices (1-based) of the clauses an assignment violates. */
export function violatedClauses(cnf: Cnf, assignment: readonly number[]): number[] {
  const out: number[] = [];
  cnf.clauses.forEach((c, j) => {
    if (!satisfies({ n: cnf.n, clauses: [c] }, assignment)) out.push(j + 1);
  });
  return out;
}

/** SHA-256 (hex) of a file's bytes, as read (a .cnf.gz file is hashed compressed); `-` is stdin. */
export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path === '-' ? 0 : path)).digest('hex');
}

/**
 * Read a DIMACS file (.cnf or .cnf.gz; `-` for stdin) and reduce it. `meta` records the source file
 * name and its SHA-256, so that `decode` can check it is given the formula the network was built
 * from. `timeMs` is the time of `reduceCnf` alone (parsing excluded).
 */
export function reduceFile(path: string, opts: DimacsOptions = {}): { cnf: Cnf; net: Network; sha256: string; timeMs: number } {
  let cnf: Cnf;
  let sha256: string;
  if (path === '-') {
    const bytes = readFileSync(0);
    sha256 = createHash('sha256').update(bytes).digest('hex');
    cnf = parseDimacs(bytes.toString('utf8'), '<stdin>', opts);
  } else {
    cnf = readCnfFile(path, opts);
    sha256 = fileSha256(path);
  }
  const t0 = performance.now();
  const net = reduceCnf(cnf, { source: path === '-' ? '<stdin>' : basename(path), sha256 });
  return { cnf, net, sha256, timeMs: performance.now() - t0 };
}
