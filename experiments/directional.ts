/**
 * Claim 2 (docs/theory.md §2): forward mode is dimension-dependent. p directional derivatives of a
 * nonsmooth F cost, in the worst case, at least p^{ω−2}·cost(F) because they can encode a p×p
 * matrix product; one backprop costs ≤ ω_b·cost(F) whatever p.
 *
 * Two kinds of tasks:
 *  - `cost-p…`: F_p(x) = ‖A x‖₁ = Σ_i relu(a_i·x) + relu(−a_i·x) with A a random ternary p×p matrix
 *    (a ternary network, 2p hidden neurons, cost(F) = O(p²)). At x = 0, with p random ternary
 *    directions V: vector forward mode (src/ad/forward.ts) gives F'(0; v_k) = ‖A v_k‖₁, checked
 *    exactly against a direct computation of A·v_k; the lexicographic subgradient (p + 1 sweeps,
 *    src/ad/lexicographic.ts) and one backprop at 0 are run too. The op counts are the engines'
 *    own (paper's cost model); for p above the exact-run limit only the cost model is evaluated
 *    (it is structural: it depends on the program, not on the values), and the row says so.
 *  - `matmul-p…`: the matrix-multiplication connection made concrete. With a base B larger than
 *    every |(AV)_ik|, G(x) = Σ_i B^{2i} relu(a_i·x) + B^{2i+1} relu(−a_i·x) has
 *    G'(0; v_k) = Σ_i B^{2i} (A v_k)_i⁺ + B^{2i+1} (A v_k)_i⁻, whose base-B digits are the positive
 *    and negative parts of column k of A·V. So p directional derivatives of G yield the p×p product
 *    AV, which the experiment decodes and compares with the direct product. One gradient cannot
 *    do this: v ↦ G'(0; v) is not linear, and the row records how many of the p values the
 *    linear prediction g·v_k of a backprop gradient g at 0 gets wrong.
 */
import { Rational, ZERO, dot } from '../src/exact/rational';
import { Rng } from '../src/exact/rng';
import { Network, layerOf } from '../src/network/network';
import { directionalDerivatives } from '../src/ad/forward';
import { lexicographicSubgradient } from '../src/ad/lexicographic';
import { backward } from '../src/ad/backward';
import { networkForwardOps, networkBackpropOps, networkTangentOps, addOps, scaleOps } from '../src/ad/ops';
import { taskSeed } from './runner/shard';
import { fmt, logLogSlope } from './runner/fit';
import { markdownTable } from './runner/table';
import type { Experiment, ExperimentOptions, Row, Task } from './runner/types';
import { round } from './common';

interface DirTask extends Task {
  kind: 'cost' | 'matmul';
  p: number;
}

function params(o: ExperimentOptions): { costP: number[]; exactMax: number; matmulP: number[] } {
  if (o.tiny) return { costP: [2, 4, 8, 16], exactMax: 8, matmulP: [2, 4] };
  const quick = o.quick;
  const costP = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
  return quick ? { costP, exactMax: 128, matmulP: [2, 4, 8, 16, 32] } : { costP, exactMax: 1024, matmulP: [2, 4, 8, 16, 32, 64, 128] };
}

function ternaryMatrix(rows: number, cols: number, rng: Rng, lo = -1, hi = 1): Rational[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Rational.int(rng.int(lo, hi))));
}

/** ‖A x‖₁ as a ternary bias-free network: hidden rows a_1, −a_1, a_2, −a_2, …; output all ones. */
export function l1Network(A: Rational[][]): Network {
  const hidden: Rational[][] = [];
  for (const a of A) {
    hidden.push(a);
    hidden.push(a.map((w) => w.neg()));
  }
  return new Network(A[0]!.length, [layerOf(hidden), layerOf([hidden.map(() => Rational.int(1))])], { construction: 'l1-norm', p: A.length });
}

/** The packed network G of the module comment: output weights B^{2i}, B^{2i+1}. */
export function packedNetwork(A: Rational[][], base: bigint): Network {
  const hidden: Rational[][] = [];
  const out: Rational[] = [];
  A.forEach((a, i) => {
    hidden.push(a);
    hidden.push(a.map((w) => w.neg()));
    out.push(Rational.int(base ** BigInt(2 * i)));
    out.push(Rational.int(base ** BigInt(2 * i + 1)));
  });
  return new Network(A[0]!.length, [layerOf(hidden), layerOf([out])], { construction: 'packed-matmul', base: base.toString() });
}

/** Decode G'(0; v) (a nonnegative integer) into the p entries of A v: digit 2i minus digit 2i+1. */
export function decodeColumn(d: Rational, base: bigint, p: number): bigint[] {
  if (!d.isInteger() || d.sign() < 0) throw new Error(`packed derivative is not a nonnegative integer: ${d}`);
  let n = d.n;
  const digits: bigint[] = [];
  for (let k = 0; k < 2 * p; k++) {
    digits.push(n % base);
    n /= base;
  }
  if (n !== 0n) throw new Error('packed derivative overflows its digits');
  return Array.from({ length: p }, (_, i) => digits[2 * i]! - digits[2 * i + 1]!);
}

const pad = (k: number): string => String(k).padStart(4, '0');

const directional: Experiment<DirTask, Row> = {
  name: 'directional',
  title: 'Claim 2: forward mode is dimension-dependent (p directional derivatives vs one backprop)',
  describe(o) {
    const q = params(o);
    return (
      `F_p(x) = ‖A x‖₁ with A random ternary p×p, at x = 0, p random ternary directions, p = ${q.costP.join(', ')}. ` +
      `Exact runs (vector forward mode, lexicographic with M = I, one backprop) for p ≤ ${q.exactMax}, each derivative checked against ‖A v_k‖₁; ` +
      `above that the paper's cost model only (structural op counts). ` +
      `Matrix product: packed network G for p = ${q.matmulP.join(', ')}, A and V with entries in [−2, 2], AV decoded from the p directional derivatives and compared with the direct product.`
    );
  },
  defaultTimeLimitSec: () => 60,
  parallel: true,
  tasks(o: ExperimentOptions): DirTask[] {
    const q = params(o);
    return [...q.costP.map((p) => ({ id: `cost-p${pad(p)}`, kind: 'cost' as const, p })), ...q.matmulP.map((p) => ({ id: `matmul-p${pad(p)}`, kind: 'matmul' as const, p }))];
  },
  async run(t, o) {
    const seed = taskSeed(o.seed, t.id);
    const rng = new Rng(seed);
    const p = t.p;
    const zero = new Array<Rational>(p).fill(ZERO);
    if (t.kind === 'cost') {
      const A = ternaryMatrix(p, p, rng);
      // A row of zeros would make no neuron; ternaryMatrix may draw one, which is fine (the row is a program anyway).
      const net = l1Network(A);
      const V = ternaryMatrix(p, p, rng);
      const fOps = networkForwardOps(net);
      const bOps = networkBackpropOps(net);
      const vecModel = addOps(fOps, scaleOps(networkTangentOps(net), p));
      const row: Row = {
        id: t.id, kind: 'cost', p, seed, weights: net.nonzeros,
        forwardOps: fOps.total, backpropOps: bOps.total, vectorForwardOps: vecModel.total, lexicographicOps: null,
        exact: false, checked: null, vectorMs: null, lexicographicMs: null, backpropMs: null,
      };
      if (p <= params(o).exactMax) {
        let t0 = performance.now();
        const dd = directionalDerivatives(net, zero, V);
        row.vectorMs = round(performance.now() - t0, 3);
        t0 = performance.now();
        const lex = lexicographicSubgradient(net, zero);
        row.lexicographicMs = round(performance.now() - t0, 3);
        t0 = performance.now();
        const bp = backward(net, zero);
        row.backpropMs = round(performance.now() - t0, 3);
        // F'(0; v) = ‖A v‖₁, computed directly.
        const direct = V.map((v) => A.reduce((s, a) => s.add(dot(a, v).abs()), ZERO));
        row.exact = true;
        row.checked = dd.derivatives.every((d, k) => d.eq(direct[k]!));
        row.vectorForwardOps = dd.ops.total;
        row.lexicographicOps = lex.ops.total;
        row.backpropOps = bp.ops.total;
        if (dd.ops.total !== vecModel.total) throw new Error(`directional ${t.id}: engine op count ${dd.ops.total} differs from the cost model ${vecModel.total}`);
      }
      row.vectorOverF = round((row.vectorForwardOps as number) / fOps.total);
      row.vectorOverBackprop = round((row.vectorForwardOps as number) / (row.backpropOps as number));
      row.backpropOverF = round((row.backpropOps as number) / fOps.total);
      return row;
    }
    // matmul
    const A = ternaryMatrix(p, p, rng, -2, 2);
    const V = ternaryMatrix(p, p, rng, -2, 2);
    const base = BigInt(4 * p + 1); // |(AV)_ik| ≤ 4p < base
    const net = packedNetwork(A, base);
    const t0 = performance.now();
    const dd = directionalDerivatives(net, zero, V);
    const ms = performance.now() - t0;
    let mismatches = 0;
    for (let k = 0; k < p; k++) {
      const col = decodeColumn(dd.derivatives[k]!, base, p);
      for (let i = 0; i < p; i++) {
        const direct = dot(A[i]!, V[k]!);
        if (direct.n !== col[i]) mismatches++;
      }
    }
    const g = backward(net, zero).gradient;
    const linearWrong = V.filter((v, k) => !dot(g, v).eq(dd.derivatives[k]!)).length;
    return {
      id: t.id, kind: 'matmul', p, seed, base: Number(base), weights: net.nonzeros,
      productEntries: p * p, productMismatches: mismatches, productOk: mismatches === 0,
      gradientPredictionsWrong: linearWrong, vectorMs: round(ms, 3),
      vectorForwardOps: dd.ops.total, forwardOps: networkForwardOps(net).total,
    };
  },
  report(rows) {
    const cost = rows.filter((r) => r.kind === 'cost');
    const mm = rows.filter((r) => r.kind === 'matmul');
    const ps = cost.map((r) => r.p as number);
    const slopeF = logLogSlope(ps, cost.map((r) => r.forwardOps as number));
    const slopeVec = logLogSlope(ps, cost.map((r) => r.vectorForwardOps as number));
    const slopeBp = logLogSlope(ps, cost.map((r) => r.backpropOps as number));
    const slopeRatio = logLogSlope(ps, cost.map((r) => r.vectorOverF as number));
    const slopeBpRatio = logLogSlope(ps, cost.map((r) => r.backpropOverF as number));
    const exactRows = cost.filter((r) => r.exact === true);
    const slopeVecMs = logLogSlope(exactRows.map((r) => r.p as number), exactRows.map((r) => r.vectorMs as number));
    const slopeBpMs = logLogSlope(exactRows.map((r) => r.p as number), exactRows.map((r) => r.backpropMs as number));
    const badChecks = exactRows.filter((r) => r.checked !== true).map((r) => r.id);
    const badProducts = mm.filter((r) => r.productOk !== true).map((r) => r.id);
    const costTable = markdownTable({
      columns: ['p', 'weights', 'cost(F)', 'backprop ops', 'p directional (vector mode) ops', 'lexicographic ops', 'directional / cost(F)', 'directional / backprop', 'run', 'F\'(0;v_k) = ‖Av_k‖₁', 'vector ms', 'backprop ms'],
      rows: cost.map((r) => [r.p as number, r.weights as number, r.forwardOps as number, r.backpropOps as number, r.vectorForwardOps as number, r.lexicographicOps === null ? '' : (r.lexicographicOps as number), fmt(r.vectorOverF as number), fmt(r.vectorOverBackprop as number), r.exact ? 'exact' : 'cost model', r.checked === null ? '' : r.checked ? 'yes' : '**NO**', r.vectorMs === null ? '' : fmt(r.vectorMs as number), r.backpropMs === null ? '' : fmt(r.backpropMs as number)]),
    });
    const mmTable = markdownTable({
      columns: ['p', 'base B', 'AV entries', 'decoded ≠ direct', 'g·v_k ≠ G\'(0;v_k) (of p)', 'vector ms'],
      rows: mm.map((r) => [r.p as number, r.base as number, r.productEntries as number, r.productMismatches as number, r.gradientPredictionsWrong as number, fmt(r.vectorMs as number)]),
    });
    const notes =
      `\nFitted log-log slopes against p (ops): cost(F) ${fmt(slopeF.slope)}, one backprop ${fmt(slopeBp.slope)}, p directional derivatives ${fmt(slopeVec.slope)}; ` +
      `ratio directional/cost(F) ${fmt(slopeRatio.slope)} (so cost ∝ p^${fmt(slopeRatio.slope)}·cost(F); the worst-case lower bound is p^{ω−2}, ω − 2 ≤ 0.372), ratio backprop/cost(F) ${fmt(slopeBpRatio.slope)}.\n` +
      (exactRows.length >= 2 ? `Wall clock of the exact runs (p ≤ ${Math.max(...exactRows.map((r) => r.p as number))}): slope ${fmt(slopeVecMs.slope)} for p directional derivatives, ${fmt(slopeBpMs.slope)} for one backprop.\n` : '') +
      (badChecks.length ? `\n**Directional derivatives DIFFER from ‖A v_k‖₁ on ${badChecks.join(', ')}.**\n` : `Every exact directional derivative equals ‖A v_k‖₁ computed directly.\n`) +
      (badProducts.length ? `\n**Decoded product DIFFERS from AV on ${badProducts.join(', ')}.**\n` : mm.length ? `Every decoded product equals the direct product AV.\n` : '');
    const data = cost.flatMap((r) => [
      { p: r.p, ops: r.forwardOps, what: 'cost(F)' },
      { p: r.p, ops: r.backpropOps, what: 'one backprop' },
      { p: r.p, ops: r.vectorForwardOps, what: 'p directional derivatives' },
      ...(r.lexicographicOps === null ? [] : [{ p: r.p, ops: r.lexicographicOps, what: 'lexicographic (p+1 sweeps)' }]),
    ]);
    const plot = {
      title: `ops against p (log-log); slopes: F ${fmt(slopeF.slope)}, backprop ${fmt(slopeBp.slope)}, p directional ${fmt(slopeVec.slope)}`,
      data: { values: data },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'p', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'p (dimension = number of directions)' },
        y: { field: 'ops', type: 'quantitative', scale: { type: 'log' }, title: 'elementary operations (count, log scale)' },
        color: { field: 'what', type: 'nominal', title: null },
        // Dash and marker per series too: 'cost(F)' and 'one backprop' run parallel and close.
        strokeDash: { field: 'what', type: 'nominal', title: null },
        shape: { field: 'what', type: 'nominal', title: null },
      },
    };
    const holds =
      cost.length < 3 || mm.length === 0
        ? 'unknown'
        : badChecks.length === 0 && badProducts.length === 0 && slopeRatio.slope > 0.8 && Math.abs(slopeBpRatio.slope) < 0.1 && mm.every((r) => (r.gradientPredictionsWrong as number) > 0)
          ? 'yes'
          : 'no';
    return {
      markdown: `## Cost against p\n\n${costTable}\n## Matrix product from p directional derivatives\n\n${mmTable}${notes}`,
      plots: [{ name: 'cost-loglog', spec: plot }],
      claims: [
        {
          ref: '2',
          claim: 'Forward mode is dimension-dependent',
          statement: 'p directional derivatives cost ≥ p^{ω−2}·cost(F) in the worst case; they can encode a p×p matrix product',
          measured: `‖Ax‖₁, p = ${Math.min(...ps)}…${Math.max(...ps)}: p directional / cost(F) ∝ p^${fmt(slopeRatio.slope)}, backprop / cost(F) ∝ p^${fmt(slopeBpRatio.slope)}; AV decoded from p directional derivatives exactly for p = ${mm.map((r) => r.p).join(', ')} (${badProducts.length} failures)`,
          holds,
        },
      ],
      summary: { slopeF: slopeF.slope, slopeBackprop: slopeBp.slope, slopeVector: slopeVec.slope, slopeVectorOverF: slopeRatio.slope, slopeBackpropOverF: slopeBpRatio.slope, badChecks, badProducts },
    };
  },
};
export default directional;
