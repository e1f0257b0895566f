import { describe, it, expect } from 'vitest';
import { Rational } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { makeCnf, type Cnf } from '../../src/cnf/cnf';
import { evaluateExact } from '../../src/network/evaluate';
import { networkFromJson, networkToJson } from '../../src/network/format';
import type { Network } from '../../src/network/network';
import { reduceCnf, encodeAssignment, decodePoint, normalizeCnf, networkSize, CONSTRUCTION } from '../../reductions/sat-to-relu';
import { decideIdenticallyZero } from '../../reductions/zero-test';
import { satisfyingAssignments, checkFormula } from '../../reductions/exhaustive';
import { treeDepth } from '../../reductions/gadgets';

const R = (n: number, d = 1): Rational => Rational.of(n, d);
const F = (net: Network, x: Rational[]): Rational => evaluateExact(net, x).value;

/** docs/theory.md §4's F computed directly from the clauses (the specification, not the network). */
function spec(cnf: Cnf, x: Rational[]): Rational {
  if (cnf.clauses.length === 0) return R(1); // unused: sign only
  let mn: Rational | null = null;
  for (const c of cnf.clauses) {
    if (c.length === 0) return R(0);
    let mx: Rational | null = null;
    for (const l of c) {
      const v = l > 0 ? x[l - 1]! : x[-l - 1]!.neg();
      mx = mx === null ? v : mx.max(v);
    }
    mn = mn === null ? mx! : mn.min(mx!);
  }
  return mn!.max(R(0));
}

function randomCnf(rng: Rng, n: number, m: number, maxWidth: number): Cnf {
  const clauses: number[][] = [];
  for (let j = 0; j < m; j++) {
    const k = rng.int(1, maxWidth);
    clauses.push(Array.from({ length: k }, () => rng.int(1, n) * (rng.bool() ? 1 : -1)));
  }
  return makeCnf(n, clauses);
}

/** Neurons that belong to a carry pair (rows r, −r) weighed (w, −w) by every row of the next layer. */
function carryPairNeurons(net: Network): number {
  let count = 0;
  for (let l = 0; l + 1 < net.layers.length; l++) {
    const W = net.layers[l]!.weights;
    const next = net.layers[l + 1]!.weights;
    const key = (row: readonly Rational[]): string => row.map(String).join(',');
    const byRow = new Map<string, number[]>();
    W.forEach((r, i) => byRow.set(key(r), [...(byRow.get(key(r)) ?? []), i]));
    const used = new Set<number>();
    W.forEach((r, p) => {
      if (used.has(p)) return;
      for (const q of byRow.get(key(r.map((w) => w.neg()))) ?? []) {
        if (used.has(q) || q === p) continue;
        if (next.every((row) => row[p]!.eq(row[q]!.neg()))) {
          used.add(p).add(q);
          count += 2;
          return;
        }
      }
    });
  }
  return count;
}

describe('reduceCnf (docs/theory.md §4)', () => {
  it('3-SAT example: ternary, bias-free, layered as documented; meta records the construction', () => {
    const cnf = makeCnf(4, [[1, -2, 3], [-1, 2, 4], [2, 3, -4], [-3, -4, 1], [1, 2]]);
    const net = reduceCnf(cnf, { source: 'x.cnf', sha256: 'abc' });
    expect(net.isTernary()).toBe(true);
    expect(net.isBiasFree()).toBe(true);
    expect(net.inputDim).toBe(4);
    // 2 clause levels + ⌈log2 5⌉ = 3 min levels + final relu, + output
    expect(net.hiddenLayers).toBe(2 + 3 + 1);
    expect(net.meta).toMatchObject({ source: 'x.cnf', sha256: 'abc', construction: CONSTRUCTION, constructionVersion: 1, n: 4, m: 5 });
    const size = networkSize(net);
    expect(net.meta['size']).toEqual({ inputs: 4, layers: 7, neurons: size.neurons, nonzeros: size.nonzeros });
    // 4 three-clauses: 5 + 3 neurons; the 2-clause: 3 then a carry of 2
    expect(net.widths[0]).toBe(4 * 5 + 3);
    expect(net.widths[1]).toBe(4 * 3 + 2);
    // JSON round trip keeps it
    const back = networkFromJson(JSON.parse(JSON.stringify(networkToJson(net))));
    expect(back.nonzeros).toBe(net.nonzeros);
  });

  it('equals relu(min_j max_l l(x)) at seeded random rational points (formulas of width 1..4, repeated literals, tautologies)', () => {
    const rng = new Rng(11);
    for (let t = 0; t < 120; t++) {
      const n = rng.int(1, 6);
      const cnf = randomCnf(rng, n, rng.int(1, 9), 4);
      const norm = normalizeCnf(cnf);
      const net = reduceCnf(cnf);
      expect(net.isTernary()).toBe(true);
      const encoded = makeCnf(n, norm.clauses);
      for (let k = 0; k < 15; k++) {
        const x = Array.from({ length: n }, () => R(rng.int(-6, 6), rng.int(1, 3)));
        if (norm.clauses.length === 0) expect(F(net, x).eq(x[0]!.abs())).toBe(true);
        else expect(F(net, x).eq(spec(encoded, x))).toBe(true);
        // positive homogeneity and F ≥ 0
        const s = R(rng.int(1, 7), rng.int(1, 5));
        expect(F(net, x.map((c) => c.mul(s))).eq(F(net, x).mul(s))).toBe(true);
        expect(F(net, x).sign()).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('size: ≤ 11m + 2⌈log2 m⌉ + 1 neurons, ≤ 6 nonzeros per neuron, depth D1 + ⌈log2 m⌉ + 1 for 3-CNF', () => {
    const rng = new Rng(5);
    for (const [n, m] of [[10, 1], [10, 2], [20, 91], [50, 218], [30, 129]] as const) {
      const cnf = makeCnf(n, Array.from({ length: m }, () => {
        const vs = new Set<number>();
        while (vs.size < 3) vs.add(rng.int(1, n));
        return [...vs].map((v) => (rng.bool() ? v : -v));
      }));
      const net = reduceCnf(cnf);
      expect(net.neurons).toBeLessThanOrEqual(11 * m + 2 * treeDepth(m) + 1);
      expect(net.nonzeros).toBeLessThanOrEqual(6 * net.neurons + 1);
      expect(net.hiddenLayers).toBe(2 + treeDepth(m) + 1);
    }
  });

  it('values are carried with the pair relu(z), relu(−z) weighed (w, −w): all neurons but the a − b ones and the final relu', () => {
    const rng = new Rng(8);
    for (let t = 0; t < 20; t++) {
      const cnf = randomCnf(rng, 5, rng.int(1, 12), 3);
      const norm = normalizeCnf(cnf);
      if (norm.clauses.length === 0) continue;
      const net = reduceCnf(cnf);
      // one difference neuron per max gadget (k − 1 per clause) and per min gadget (m' − 1), one final relu
      const diff = norm.clauses.reduce((s, c) => s + c.length - 1, 0) + norm.clauses.length - 1 + 1;
      expect(carryPairNeurons(net)).toBe(net.neurons - diff);
    }
  });

  it('degenerate inputs: no clauses, an empty clause, n = 0, unused variables, tautologies, width-1 and 2 clauses', () => {
    // no clauses: satisfiable, F = |x_1|
    const none = reduceCnf(makeCnf(3, []));
    expect(F(none, [R(-1), R(1), R(1)]).eq(R(1))).toBe(true);
    expect(decideIdenticallyZero(none).zero).toBe(false);
    // n = 0, m = 0: satisfiable by the empty assignment; one padding input
    const empty = reduceCnf(makeCnf(0, []));
    expect(empty.inputDim).toBe(1);
    expect(F(empty, encodeAssignment(makeCnf(0, []), [])).cmp(R(1))).toBeGreaterThanOrEqual(0);
    // an empty clause: unsatisfiable, F ≡ 0 (also for n = 0)
    for (const cnf of [makeCnf(2, [[1, 2], []]), makeCnf(0, [[]])]) {
      const net = reduceCnf(cnf);
      expect(net.meta['emptyClauses']).toBe(1);
      expect(net.isTernary()).toBe(true);
      expect(decideIdenticallyZero(net).zero).toBe(true);
    }
    // only tautologies: like no clauses
    const taut = reduceCnf(makeCnf(2, [[1, -1], [2, -2, 1]]));
    expect(taut.meta['tautologiesDropped']).toBe(2);
    expect(decideIdenticallyZero(taut).zero).toBe(false);
    // unused variable: zero input column; encode/decode still fine
    const cnf = makeCnf(3, [[1], [-2]]);
    const net = reduceCnf(cnf);
    expect(net.meta['unusedVariables']).toBe(1);
    expect(net.layers[0]!.weights.every((r) => r[2]!.isZero())).toBe(true);
    expect(F(net, encodeAssignment(cnf, [1, -2, 3])).eq(R(1))).toBe(true);
    expect(F(net, encodeAssignment(cnf, [1, -2, -3])).eq(R(1))).toBe(true);
    // all these go through the full check too
    for (const c of [makeCnf(3, []), makeCnf(2, [[1, 2], []]), makeCnf(2, [[1, -1]]), makeCnf(3, [[1], [-2]]), makeCnf(2, [[1], [-1]]), makeCnf(3, [[1, 1, 2], [-1, -1]])])
      expect(checkFormula(c)).toMatchObject({ ok: true });
  });

  it('encode: F = 1 at the ±1 point of every satisfying assignment; 0 at the others', () => {
    const rng = new Rng(21);
    for (let t = 0; t < 40; t++) {
      const cnf = randomCnf(rng, 4, rng.int(1, 8), 3);
      const net = reduceCnf(cnf);
      const sats = new Set(satisfyingAssignments(cnf).map((a) => a.join(' ')));
      for (let mask = 0; mask < 16; mask++) {
        const a = [1, 2, 3, 4].map((v) => ((mask >> (v - 1)) & 1 ? v : -v));
        const v = F(net, encodeAssignment(cnf, a));
        expect(v.eq(sats.has(a.join(' ')) ? R(1) : R(0))).toBe(true);
      }
    }
  });

  it('reduces a formula whose dense matrices would exceed 10^8 entries: layers are stored sparse', () => {
    // 3-clauses: hidden layers 1 and 2 are 5m × n and 3m × 5m, i.e. 15m² > 10^8 dense entries for
    // m = 2700 (refused when layers were dense); stored sparse it has O(m) nonzeros.
    const cnf = makeCnf(100, Array.from({ length: 2700 }, (_, j) => [(j % 98) + 1, -((j % 98) + 2), (j % 98) + 3]));
    const net = reduceCnf(cnf);
    expect(net.weightCount).toBeGreaterThan(100_000_000);
    // the header's bound: ≤ 11m + 2⌈log2 m⌉ + 1 hidden neurons, ≤ 6 nonzeros per row, + the output row
    expect(net.nonzeros).toBeLessThanOrEqual(6 * (11 * 2700 + 2 * 12 + 1) + 1);
    expect(net.isTernary() && net.isBiasFree()).toBe(true);
  });

  it('encode rejects incomplete or inconsistent assignments', () => {
    const cnf = makeCnf(3, [[1, 2, 3]]);
    expect(() => encodeAssignment(cnf, [1, 2])).toThrow(/variable 3 has no value/);
    expect(() => encodeAssignment(cnf, [1, -1, 2, 3])).toThrow(/twice/);
    expect(() => encodeAssignment(cnf, [1, 2, 4])).toThrow(/out of range/);
    expect(encodeAssignment(cnf, [-3, 1, 2]).map(Number)).toEqual([1, 1, -1]);
  });

  it('decode: any point with F > 0 gives a satisfying assignment (x_i > 0 ↦ true; 0 ↦ false)', () => {
    const rng = new Rng(33);
    let positive = 0;
    for (let t = 0; t < 60; t++) {
      const cnf = randomCnf(rng, 5, rng.int(2, 10), 3);
      const net = reduceCnf(cnf);
      for (let k = 0; k < 30; k++) {
        const x = Array.from({ length: 5 }, () => R(rng.int(-3, 3), rng.int(1, 4)));
        const d = decodePoint(cnf, x);
        d.assignment.forEach((lit, i) => expect(lit).toBe(x[i]!.sign() > 0 ? i + 1 : -(i + 1)));
        if (F(net, x).sign() > 0) {
          positive++;
          expect(d.satisfies).toBe(true);
        }
      }
    }
    expect(positive).toBeGreaterThan(20);
    expect(() => decodePoint(makeCnf(2, [[1]]), [R(1)])).toThrow(/expected 2 coordinates/);
  });

  it('seeded random formulas with n ≤ 4 and m ≤ 7 (clause order, repeats, empty clauses): sat ⇔ F ≢ 0, checked exactly', () => {
    const rng = new Rng(4242);
    let unsat = 0;
    for (let t = 0; t < 300; t++) {
      const n = rng.int(1, 4);
      const cnf = randomCnf(rng, n, rng.int(0, 7), 3);
      const withEmpty = rng.int(0, 30) === 0 ? makeCnf(n, [...cnf.clauses, []]) : cnf;
      const r = checkFormula(withEmpty);
      if (!r.ok) throw new Error(`${JSON.stringify(withEmpty.clauses)}: ${r.reason}`);
      if (!r.satisfiable) unsat++;
    }
    expect(unsat).toBeGreaterThan(20);
  });
});
