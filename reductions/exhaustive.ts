/**
 * Exhaustive verification of the reduction on small formulas (issue 4, "Verification").
 *
 * For every CNF over n variables whose clauses are sets of 1..maxWidth literals (tautological
 * clauses included when asked), with at most maxClauses distinct clauses (a set of clauses, in a
 * canonical order: the network depends on the order only through the pairing of the min tree):
 *   - the network is ternary and bias-free;
 *   - satisfiable (by brute force over the 2^n assignments) ⇒ F(encode(a)) ≥ 1 for EVERY satisfying
 *     a, the exact region enumeration finds F ≢ 0, its witness w has F(w) > 0 (cross-checked by
 *     the exact evaluator) and decode(w) satisfies the formula;
 *   - unsatisfiable ⇒ F ≡ 0, decided by exact region enumeration (zero-test.ts), which reads only
 *     the weights and is independent of the construction.
 */
import { Rational } from '../src/exact/rational';
import { makeCnf, satisfies, type Cnf } from '../src/cnf/cnf';
import { evaluateExact } from '../src/network/evaluate';
import { reduceCnf, encodeAssignment, decodePoint } from './sat-to-relu';
import { decideIdenticallyZero } from './zero-test';

/** All clauses over x_1..x_n: sets of `1..maxWidth` literals, sorted by |lit|; optionally with x, ¬x. */
export function allClauses(n: number, maxWidth: number, tautologies: boolean): number[][] {
  const lits: number[] = [];
  for (let v = 1; v <= n; v++) lits.push(v, -v);
  const out: number[][] = [];
  const rec = (start: number, cur: number[]): void => {
    if (cur.length > 0) out.push(cur.slice());
    if (cur.length === maxWidth) return;
    for (let k = start; k < lits.length; k++) {
      const l = lits[k]!;
      if (!tautologies && cur.includes(-l)) continue;
      cur.push(l);
      rec(k + 1, cur);
      cur.pop();
    }
  };
  rec(0, []);
  return out;
}

/** Every set of at most `maxClauses` clauses from `pool` (as index combinations), including the empty formula. */
export function* clauseSets(pool: readonly (readonly number[])[], maxClauses: number): Generator<number[][]> {
  const idx: number[] = [];
  function* rec(start: number): Generator<number[][]> {
    yield idx.map((i) => pool[i]!.slice());
    if (idx.length === maxClauses) return;
    for (let k = start; k < pool.length; k++) {
      idx.push(k);
      yield* rec(k + 1);
      idx.pop();
    }
  }
  yield* rec(0);
}

/** The satisfying assignments of `cnf` by brute force (n small). */
export function satisfyingAssignments(cnf: Cnf): number[][] {
  const out: number[][] = [];
  for (let mask = 0; mask < 1 << cnf.n; mask++) {
    const a: number[] = [];
    for (let v = 1; v <= cnf.n; v++) a.push((mask >> (v - 1)) & 1 ? v : -v);
    if (satisfies(cnf, a)) out.push(a);
  }
  return out;
}

export interface FormulaCheck {
  ok: boolean;
  satisfiable: boolean;
  regions: number;
  reason?: string;
}

/**
 * Check one formula (see header). Never throws on a failed check: returns ok = false and why.
 * `models` may pass the precomputed satisfying assignments.
 */
export function checkFormula(cnf: Cnf, models?: number[][]): FormulaCheck {
  const net = reduceCnf(cnf);
  const sats = models ?? satisfyingAssignments(cnf);
  const satisfiable = sats.length > 0;
  const fail = (reason: string, regions = 0): FormulaCheck => ({ ok: false, satisfiable, regions, reason });
  if (!net.isTernary()) return fail(`not ternary: ${net.firstNonTernary()}`);
  if (!net.isBiasFree()) return fail('not bias-free');
  const one = Rational.int(1);
  for (const a of sats) {
    const v = evaluateExact(net, encodeAssignment(cnf, a)).value;
    if (v.cmp(one) < 0) return fail(`F(encode(${a.join(' ')})) = ${v} < 1`);
  }
  const z = decideIdenticallyZero(net);
  if (satisfiable) {
    if (z.zero) return fail('satisfiable but the region enumeration finds F ≡ 0', z.regions);
    const w = z.witness!;
    const fw = evaluateExact(net, w).value;
    if (!fw.eq(z.value!)) return fail(`region value ${z.value} ≠ evaluated F(w) = ${fw}`, z.regions);
    if (fw.sign() <= 0) return fail(`witness has F(w) = ${fw} ≤ 0 (F must be ≥ 0)`, z.regions);
    if (!decodePoint(cnf, w).satisfies) return fail(`decode(${w.join(',')}) does not satisfy the formula`, z.regions);
  } else if (!z.zero) {
    return fail(`unsatisfiable but F(${z.witness!.join(',')}) = ${z.value} ≠ 0`, z.regions);
  }
  return { ok: true, satisfiable, regions: z.regions };
}

export interface ExhaustiveSummary {
  n: number;
  maxClauses: number;
  maxWidth: number;
  tautologies: boolean;
  formulas: number;
  satisfiable: number;
  unsatisfiable: number;
  regions: number;
  maxRegions: number;
  /** Satisfiable formulas left out by `sampleSatisfiable` (0 for a complete run). */
  skippedSatisfiable: number;
  failures: Array<{ clauses: number[][]; reason: string }>;
  timeMs: number;
}

/**
 * Run `checkFormula` on every formula of the family (n variables exactly, ≤ maxClauses clauses of
 * width 1..maxWidth). Satisfiability is decided by brute force for every formula; when
 * `sampleSatisfiable` is given, unsatisfiable formulas are all checked (the F ≡ 0 claim) and a
 * satisfiable one only when `sampleSatisfiable()` returns true (e.g. a seeded coin), the others
 * counted in `skippedSatisfiable`. `onProgress` is called every 1000 formulas.
 */
export function runExhaustive(opts: {
  n: number;
  maxClauses: number;
  maxWidth?: number;
  tautologies?: boolean;
  sampleSatisfiable?: () => boolean;
  onProgress?: (done: number) => void;
}): ExhaustiveSummary {
  const t0 = performance.now();
  const maxWidth = opts.maxWidth ?? 3;
  const tautologies = opts.tautologies ?? true;
  const pool = allClauses(opts.n, maxWidth, tautologies);
  const s: ExhaustiveSummary = {
    n: opts.n, maxClauses: opts.maxClauses, maxWidth, tautologies,
    formulas: 0, satisfiable: 0, unsatisfiable: 0, regions: 0, maxRegions: 0, skippedSatisfiable: 0, failures: [], timeMs: 0,
  };
  for (const clauses of clauseSets(pool, opts.maxClauses)) {
    const cnf = makeCnf(opts.n, clauses);
    const models = satisfyingAssignments(cnf);
    s.formulas++;
    if (models.length > 0) s.satisfiable++;
    else s.unsatisfiable++;
    if (opts.onProgress && s.formulas % 1000 === 0) opts.onProgress(s.formulas);
    if (models.length > 0 && opts.sampleSatisfiable && !opts.sampleSatisfiable()) {
      s.skippedSatisfiable++;
      continue;
    }
    const r = checkFormula(cnf, models);
    s.regions += r.regions;
    s.maxRegions = Math.max(s.maxRegions, r.regions);
    if (!r.ok) s.failures.push({ clauses, reason: r.reason! });
  }
  s.timeMs = performance.now() - t0;
  return s;
}
