/**
 * Adversarial tests of the certificate verifier (src/verify, the trust anchor of every `two`) and of
 * the parts of decideClarke that claim `singleton`. Hand-built certificates that must be rejected
 * or accepted, malformed inputs, and a seeded randomized soundness test: whenever the verifier
 * accepts a single-direction claim (x̄, h, g), F is checked independently, by exact evaluation, to
 * be affine with gradient g around x̄ + t·h for small t.
 */
import { describe, it, expect } from 'vitest';
import { verifyCertificate, verifyPiece } from '../../src/verify';
import { Rational, ZERO, ONE } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { Network, layerOf } from '../../src/network/network';
import { networkToJson } from '../../src/network/format';
import { evaluateExact } from '../../src/network/evaluate';
import { backwardWithDiagonals } from '../../src/ad/backward';
import { tangentPass } from '../../src/clarke/localize';
import { decideClarke, certifyWitness } from '../../src/clarke/decide';
import type { MilpBackend, MilpModel, SolveOptions, SolveResult } from '../../src/milp/model';
import { randomNetwork, tiePoint } from './helpers';
import { reduceCnf } from '../../reductions/sat-to-relu';
import { shutdownWorkers } from '../../src/milp/backends';
import { afterAll } from 'vitest';

const net = (inputDim: number, layers: unknown[][][], bias?: unknown[][]) => ({
  format: 'nsad-network',
  version: 1,
  inputDim,
  layers: layers.map((weights, l) => (bias?.[l] ? { weights, bias: bias[l] } : { weights })),
});
const cert = (at: unknown, directions: unknown, gradients: unknown) => ({
  format: 'nsad-clarke-certificate',
  version: 1,
  at,
  directions,
  gradients,
});
const ABS = net(1, [[[1], [-1]], [[1, 1]]]); // |x|
const ABS_CERT = cert([0], [[1], [-1]], [[1], [-1]]);

describe('verifier: hand-built certificates', () => {
  it('accepts the valid ones', () => {
    expect(verifyCertificate(ABS, ABS_CERT)).toEqual({ valid: true });
    expect(verifyCertificate(ABS, cert(['0/5'], [['1/3'], [' -7 ']], [['2/2'], ['-1']]))).toEqual({ valid: true });
    // sparse form of |x|
    const sparse = { format: 'nsad-network', version: 1, inputDim: 1, layers: [{ rows: 2, cols: 1, entries: [[0, 0, 1], [1, 0, -1]] }, { weights: [[1, 1]] }] };
    expect(verifyCertificate(sparse, ABS_CERT)).toEqual({ valid: true });
    // max(x1, x2) = relu(x1 - x2) + relu(x2) - relu(-x2) at (1, 1) (bias-free, kink on x1 = x2)
    const MAX = net(2, [[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]]);
    expect(verifyCertificate(MAX, cert([1, 1], [[1, 0], [0, 1]], [[1, 0], [0, 1]]))).toEqual({ valid: true });
  });

  it('rejects a wrong gradient, equal gradients, and swapped gradients', () => {
    expect(verifyCertificate(ABS, cert([0], [[1], [-1]], [[1], [1]])).valid).toBe(false);
    expect(verifyCertificate(ABS, cert([0], [[1], [2]], [[1], [1]])).reason).toMatch(/g1 = g2/);
    expect(verifyCertificate(ABS, cert([0], [[1], [-1]], [[-1], [1]])).valid).toBe(false);
    // a gradient off by 1/10^30: exact arithmetic must see it
    expect(verifyCertificate(ABS, cert([0], [[1], [-1]], [['1000000000000000000000000000001/1000000000000000000000000000000'], [-1]])).valid).toBe(false);
  });

  it('rejects a degenerate direction h = 0 where F is not affine, accepts it only where F is affine', () => {
    expect(verifyCertificate(ABS, cert([0], [[0], [-1]], [[0], [-1]])).reason).toMatch(/not strict/);
    expect(verifyCertificate(ABS, cert([0], [[0], [-1]], [[1], [-1]])).valid).toBe(false);
    // relu(x - 1): affine near x̄ = 2, so h = 0 is harmless there (the gradient of F at x̄ itself)
    const R1 = net(1, [[[1]], [[1]]], [['-1'], [0]]);
    expect(verifyPiece(R1, [2], [0], [1])).toEqual({ valid: true });
    expect(verifyPiece(R1, [1], [0], [1]).valid).toBe(false);
    expect(verifyPiece(R1, [1], [0], [0]).valid).toBe(false);
  });

  it('rejects a tie whose pre-activation does not vanish identically (first and deeper layers)', () => {
    // F(x) = relu(x1 - x2) - relu(x2 - x1) = x1 - x2 is LINEAR, ∂^c F = {(1, -1)}. Along (1, 1) both
    // neurons are ties; switching them off would claim the gradient 0: a false certificate.
    const LIN = net(2, [[[1, -1], [-1, 1]], [[1, -1]]]);
    const r = verifyCertificate(LIN, cert([0, 0], [[1, 1], [1, 0]], [[0, 0], [1, -1]]));
    expect(r.valid).toBe(false);
    expect(r.reason).toMatch(/does not vanish identically/);
    // the same in layer 2: a = relu(x1), b = relu(x2) both active along (1, 1); relu(a - b) - relu(b - a) = x1 - x2 there
    const DEEP = net(2, [[[1, 0], [0, 1]], [[1, -1], [-1, 1]], [[1, -1]]]);
    const d = verifyCertificate(DEEP, cert([0, 0], [[1, 1], [1, 0]], [[0, 0], [1, -1]]));
    expect(d.valid).toBe(false);
    expect(d.reason).toMatch(/layer 1 neuron 0/);
    // a tie at a nonzero x̄ through biases: relu(x1 + x2 - 2) at (1, 1) along (1, -1)
    const B = net(2, [[[1, 1], [1, 0]], [[1, 1]]], [['-2', '-1'], [0]]);
    expect(verifyCertificate(B, cert([1, 1], [[1, -1], [-1, 0]], [[1, 0], [0, 0]])).valid).toBe(false);
  });

  it('accepts a tie that vanishes identically on the region (the SAT-reduction situation)', () => {
    // t = relu(relu(x) - relu(x)) ≡ 0, F = 5t + relu(x) + relu(-x) = |x|
    const T = net(1, [[[1], [1], [-1]], [[1, -1, 0], [1, 0, 0], [0, 0, 1]], [[5, 1, 1]]]);
    expect(verifyCertificate(T, cert([0], [[1], [-1]], [[1], [-1]]))).toEqual({ valid: true });
    // and the gradient claimed with the tie "on" (relu'(0) = 1) would be the same: the tie cannot lie
    expect(verifyCertificate(T, cert([0], [[1], [-1]], [[6], [-1]])).valid).toBe(false);
  });

  it('checks huge numbers exactly', () => {
    const B = '1000000000000000000000000000000';
    const BIG = net(1, [[[B], ['-1']], [[1, 1]]]); // relu(Bx) + relu(-x)
    expect(verifyCertificate(BIG, cert([0], [[1], [-1]], [[B], [-1]]))).toEqual({ valid: true });
    expect(verifyCertificate(BIG, cert([0], [[1], [-1]], [['1000000000000000000000000000001'], [-1]])).valid).toBe(false);
    expect(verifyCertificate(BIG, cert([0], [[1], [-1]], [['1e30'], [-1]]))).toEqual({ valid: true });
    expect(verifyCertificate(BIG, cert([0], [[1], [-1]], [[1e30], [-1]])).reason).toMatch(/beyond 2\^53/);
    // One rule with the toolkit's reader (docs/formats.md): |exponent| ≤ 1000, ≤ 1000 digits a run.
    expect(verifyCertificate(ABS, cert(['1e1001'], [[1], [-1]], [[1], [-1]])).reason).toMatch(/exponent beyond ±1000/);
    expect(verifyCertificate(ABS, cert(['1e-1001'], [[1], [-1]], [[1], [-1]])).reason).toMatch(/exponent beyond ±1000/);
    expect(verifyCertificate(ABS, cert([`1/${'3'.repeat(1001)}`], [[1], [-1]], [[1], [-1]])).reason).toMatch(/more than 1000 digits/);
  });

  it('refuses non-integer JSON numbers (0.1 is not the point the file shows)', () => {
    // relu(x - d) with d the double nearest 0.1, written exactly as a decimal string.
    const d = '0.1000000000000000055511151231257827021181583404541015625';
    expect(Rational.fromNumber(0.1).eq(Rational.parse(d)!)).toBe(true);
    const N = net(1, [[[1]], [[1]]], [[`-${d}`], [0]]);
    expect(verifyCertificate(N, cert([d], [[1], [-1]], [[1], [0]]))).toEqual({ valid: true });
    // the file shows x̄ = 0.1, where F is linear: the certificate must not be accepted
    const r = verifyCertificate(N, cert([0.1], [[1], [-1]], [[1], [0]]));
    expect(r.valid).toBe(false);
    expect(r.reason).toMatch(/non-integer JSON number/);
    expect(verifyCertificate(N, cert(['0.1'], [[1], [-1]], [[1], [0]])).valid).toBe(false); // exact 1/10: g1 = g2
    expect(verifyCertificate(ABS, cert([0], [[0.5], [-1]], [[1], [-1]])).valid).toBe(false);
    expect(verifyCertificate(net(1, [[[0.5], [-1]], [[1, 1]]]), cert([0], [[1], [-1]], [['1/2'], [-1]])).valid).toBe(false);
  });

  it('rejects malformed inputs without throwing', () => {
    const bad: Array<[unknown, unknown]> = [
      [undefined, ABS_CERT],
      [ABS, undefined],
      [null, null],
      [ABS, 'x'],
      [ABS, []],
      [{ ...ABS, format: 'x' }, ABS_CERT],
      [{ ...ABS, version: 2 }, ABS_CERT],
      [{ ...ABS, inputDim: 0 }, ABS_CERT],
      [{ ...ABS, inputDim: 2 }, ABS_CERT],
      [{ ...ABS, inputDim: 1.5 }, ABS_CERT],
      [{ ...ABS, layers: [] }, ABS_CERT],
      [{ ...ABS, layers: {} }, ABS_CERT],
      [net(1, [[[1], [-1]], [[1, 1], [1, 1]]]), ABS_CERT], // two output rows
      [net(1, [[[1], [-1]], [[1]]]), ABS_CERT], // row too short
      [net(1, [[], [[1]]]), ABS_CERT], // empty layer
      [net(1, [[[1], [-1]], [[1, 1]]], [[0], [0]]), ABS_CERT], // bias length
      [net(1, [[['x'], [-1]], [[1, 1]]]), ABS_CERT],
      [{ format: 'nsad-network', version: 1, inputDim: 1, layers: [{ rows: 2, cols: 1, entries: [[0, 0, 1], [0, 0, 1]] }, { weights: [[1, 1]] }] }, ABS_CERT],
      [{ format: 'nsad-network', version: 1, inputDim: 1, layers: [{ rows: 2, cols: 1, entries: [[2, 0, 1]] }, { weights: [[1, 1]] }] }, ABS_CERT],
      [{ format: 'nsad-network', version: 1, inputDim: 1, layers: [{ rows: 2, cols: 2, entries: [] }, { weights: [[1, 1]] }] }, ABS_CERT],
      [ABS, { ...ABS_CERT, format: 'nsad-certificate' }],
      [ABS, { ...ABS_CERT, version: '1' }],
      [ABS, { ...ABS_CERT, at: undefined }],
      [ABS, { ...ABS_CERT, at: [0, 0] }],
      [ABS, { ...ABS_CERT, at: [] }],
      [ABS, { ...ABS_CERT, at: 0 }],
      [ABS, { ...ABS_CERT, directions: [[1]] }],
      [ABS, { ...ABS_CERT, directions: [[1], [-1], [2]] }],
      [ABS, { ...ABS_CERT, directions: [[1], []] }],
      [ABS, { ...ABS_CERT, gradients: [[1], [-1, 0]] }],
      [ABS, { ...ABS_CERT, gradients: [[1]] }],
      [ABS, { ...ABS_CERT, gradients: undefined }],
      [ABS, cert([NaN], [[1], [-1]], [[1], [-1]])],
      [ABS, cert([Infinity], [[1], [-1]], [[1], [-1]])],
      [ABS, cert([0], [[1], [-1]], [[1], [-Infinity]])],
      [ABS, cert(['1/0'], [[1], [-1]], [[1], [-1]])],
      [ABS, cert([0], [['1/0'], [-1]], [[1], [-1]])],
      [ABS, cert([0], [[1], [-1]], [['0/0'], [-1]])],
      [ABS, cert([0], [[1], [-1]], [['1/-1'], [-1]])],
      [ABS, cert([''], [[1], [-1]], [[1], [-1]])],
      [ABS, cert(['.'], [[1], [-1]], [[1], [-1]])],
      [ABS, cert(['1.2.3'], [[1], [-1]], [[1], [-1]])],
      [ABS, cert(['0x10'], [[1], [-1]], [[1], [-1]])],
      [ABS, cert([null], [[1], [-1]], [[1], [-1]])],
      [ABS, cert([true], [[1], [-1]], [[1], [-1]])],
      [ABS, cert([[0]], [[1], [-1]], [[1], [-1]])],
      [ABS, cert([{ n: 0 }], [[1], [-1]], [[1], [-1]])],
      [ABS, cert([0], [[1], [-1]], [[1n as unknown], [-1]])],
      [ABS, cert([2 ** 60], [[1], [-1]], [[1], [-1]])],
    ];
    bad.forEach(([n, c], k) => {
      let r: ReturnType<typeof verifyCertificate> | undefined;
      expect(() => (r = verifyCertificate(n, c)), `case ${k}`).not.toThrow();
      expect(r!.valid, `case ${k}: ${r!.reason}`).toBe(false);
      expect(typeof r!.reason, `case ${k}`).toBe('string');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Randomized soundness: accepted single-direction claims are checked against F itself.

function exactF(N: Network, x: readonly Rational[]): Rational {
  return evaluateExact(N, x).value;
}

/**
 * Independent check that F is affine with gradient g near x̄ + t·h for small t: at two points of the
 * ray, both one-sided differences along every axis equal ±s·g_i, and F on the ray is F(x̄) + t·g·h.
 * t and s are far below every kink distance of these tiny integer networks (see the bounds below).
 */
function affineNear(N: Network, at: readonly Rational[], h: readonly Rational[], g: readonly Rational[]): string | null {
  const Fbar = exactF(N, at);
  for (const t of [Rational.of(1n, 10n ** 6n), Rational.of(1n, 3n * 10n ** 6n)]) {
    const y = at.map((a, i) => a.add(h[i]!.mul(t)));
    const Fy = exactF(N, y);
    const gh = g.reduce((s, gi, i) => s.add(gi.mul(h[i]!)), ZERO);
    if (!Fy.eq(Fbar.add(t.mul(gh)))) return `F(x̄ + t h) ≠ F(x̄) + t g·h at t = ${t}`;
    const s = Rational.of(1n, 10n ** 14n);
    for (let i = 0; i < at.length; i++)
      for (const sg of [s, s.neg()]) {
        const z = y.slice();
        z[i] = z[i]!.add(sg);
        if (!exactF(N, z).sub(Fy).eq(sg.mul(g[i]!))) return `difference along e_${i} by ${sg} ≠ ${sg}·g_${i} at t = ${t}`;
      }
  }
  return null;
}

describe('verifier: randomized soundness on tiny networks (seeded)', () => {
  it('every accepted (x̄, h, g) has F affine with gradient g near x̄ + t·h; agrees with tangentPass', () => {
    const rng = new Rng(20261126);
    const shapes = [[3], [3, 3], [2, 3, 2], [4, 2]];
    const fixedDirs = [[0, 0], [1, 0], [0, 1], [1, 1], [1, -1], [-1, 1], [2, -1], [-1, 0]];
    let accepted = 0;
    let acceptedWithTies = 0;
    let rejectedTies = 0;
    let acceptedZeroDir = 0;
    for (let trial = 0; trial < 260; trial++) {
      const kind = trial % 3; // 0: bias-free at 0; 1: tie point; 2: random point, biases
      let N = randomNetwork(rng, { p: 2, widths: shapes[trial % shapes.length]!, wmax: 2, bias: kind === 2, density: 0.7 });
      let at: Rational[] = [ZERO, ZERO];
      if (kind === 1) ({ net: N, at } = tiePoint(rng, N));
      else if (kind === 2) at = [Rational.of(rng.int(-6, 6), 3), Rational.of(rng.int(-6, 6), 3)];
      const json = networkToJson(N);
      const pre = evaluateExact(N, at).pre;
      const dirs = [...fixedDirs, [rng.int(-3, 3), rng.int(-3, 3)]];
      for (const d of dirs) {
        const h = d.map((v) => Rational.int(v));
        const pass = tangentPass(N, pre, h);
        // Candidate gradients: the piece gradient with ties off, ties on, every zero neuron at 0 or
        // 1 (what backprop with relu'(0) = 0 / 1 returns), and a perturbed one.
        const masks = [
          pass.signs.map((sg) => Array.from(sg, (s) => (s > 0 ? ONE : ZERO))),
          pass.signs.map((sg) => Array.from(sg, (s) => (s >= 0 ? ONE : ZERO))),
          pre.map((z) => z.map((v) => (v.sign() > 0 ? ONE : ZERO))),
          pre.map((z) => z.map((v) => (v.sign() >= 0 ? ONE : ZERO))),
        ];
        const cands = masks.map((m) => backwardWithDiagonals(N, m));
        cands.push(cands[0]!.map((v, i) => (i === 0 ? v.add(ONE) : v)));
        const seen = new Set<string>();
        for (const g of cands) {
          const key = g.map(String).join(',');
          if (seen.has(key)) continue;
          seen.add(key);
          const r = verifyPiece(json, at.map((v) => v.toJSON()), h.map((v) => v.toJSON()), g.map((v) => v.toJSON()));
          // The two implementations (src/verify and src/clarke/localize) must agree exactly.
          const expected = pass.tiesVanish && pass.gradient !== null && g.every((v, i) => v.eq(pass.gradient![i]!));
          expect(r.valid, `trial ${trial} h=${d} g=${key}: ${r.reason}`).toBe(expected);
          if (!r.valid) {
            if (pass.ties > 0 && !pass.tiesVanish) rejectedTies++;
            continue;
          }
          accepted++;
          if (pass.ties > 0) acceptedWithTies++;
          if (d[0] === 0 && d[1] === 0) acceptedZeroDir++;
          const bad = affineNear(N, at, h, g);
          expect(bad, `counterexample: trial ${trial}, at=${at}, h=${d}, g=${key}, net=${JSON.stringify(json)}`).toBeNull();
        }
      }
    }
    // Not vacuous: strict claims, claims with vanishing ties, rejected ties, and h = 0 all occur.
    expect(accepted).toBeGreaterThan(1000);
    expect(acceptedWithTies).toBeGreaterThan(300);
    expect(rejectedTies).toBeGreaterThan(300);
    expect(acceptedZeroDir).toBeGreaterThan(40);
  });
});

// ---------------------------------------------------------------------------------------------
// decideClarke's singleton claims.

/** A scripted backend: feasibility answers come from `feas`, maximization from `max`. */
function scripted(feas: (m: MilpModel) => Partial<SolveResult>, max: (m: MilpModel) => Partial<SolveResult>): MilpBackend {
  return {
    name: 'highs',
    async solve(model: MilpModel, opts: SolveOptions): Promise<SolveResult> {
      const base: SolveResult = { status: 'infeasible', objective: null, x: null, timeMs: 0, solver: 'highs', rawStatus: 'scripted', tolerance: 1e-6 };
      return { ...base, ...(opts.firstFeasible ? feas(model) : max(model)) };
    },
  };
}

describe('decideClarke: singleton claims', () => {
  const abs = new Network(1, [layerOf([[1], [-1]]), layerOf([[1, 1]])]);

  it('a solver that reports σ·D ≥ 1 feasible and then max σ·D ≤ tol gives unknown, not singleton', async () => {
    const nvars = (m: MilpModel) => m.vars.length;
    const backend = scripted(
      (m) => ({ status: 'feasible', rawStatus: 'scripted feasible', x: new Float64Array(nvars(m)).fill(NaN) }),
      (m) => ({ status: 'optimal', rawStatus: 'scripted optimal', objective: 0, x: new Float64Array(nvars(m)) }),
    );
    const a = await decideClarke(abs, { backend, timeLimitSec: 10, probeSamples: 0 });
    expect(a.answer, a.restsOn).toBe('unknown');
    expect(a.restsOn).toMatch(/contradict/);
  });

  it('meta never turns on the reduction rule; only the caller can (issue 10)', async () => {
    // -relu(±x1) with a forged meta: not an output of the reduction (F ≤ 0, not linear). A scripted
    // solver says "F ≥ 1 infeasible" and "max = 0": with the forged meta this must not be singleton.
    for (const sgn of [1, -1]) {
      const forged = new Network(2, [layerOf([[sgn, 0]]), layerOf([[-1]])], { construction: 'sat-to-relu/max-min-tree' });
      for (let seed = 1; seed <= 3; seed++) {
        const a = await decideClarke(forged, { seed, timeLimitSec: 10, probeSamples: 0, trustSolver: true, backend: scripted(() => ({}), () => ({})) });
        expect(a.answer, a.restsOn).not.toBe('singleton');
        expect(a.reduction).toBe(false);
      }
    }
    // The caller that built the network itself (decideCnf) states the premise as its own.
    for (const sgn of [1, -1]) {
      const own = new Network(2, [layerOf([[sgn, 0]]), layerOf([[-1]])]);
      const b = await decideClarke(own, { seed: 1, reduction: true, probeSamples: 0, trustSolver: true, timeLimitSec: 10, backend: scripted(() => ({}), () => ({})) });
      if (b.answer === 'singleton') {
        expect(b.restsOn).toMatch(/built by the SAT reduction \(caller\)/);
        expect(b.exact).toBe(false);
      }
    }
  });

  it('certifyWitness survives a huge (finite) solver coordinate and still certifies exactly', () => {
    const pre = evaluateExact(abs, [ZERO]).pre;
    const w = certifyWitness(abs, pre, [-1e303], [ONE], new Rng(3));
    expect(w).not.toBeNull();
    expect(w!.gradient.map(String)).toEqual(['-1']);
    expect(w!.h[0]!.sign()).toBe(-1);
  });

  it('presolve.box below 1: the model is encoded on the same box, and the reduction rule is off', async () => {
    // (x1)(x2)(x3): satisfiable, F = relu(min(x1, x2, x3)) ≤ 1/2 on [-1/2, 1/2]^3, so "F ≥ 1
    // infeasible" there proves nothing; and big-M bounds computed on [-1/2, 1/2]^3 are wrong on [-1, 1]^3.
    const F = reduceCnf({ n: 3, clauses: [[1], [2], [3]] });
    const boxes: number[][] = [];
    const backend = scripted(() => ({}), () => ({}));
    const a = await decideClarke(F, { seed: 1, timeLimitSec: 10, presolve: { box: 0.5 }, reduction: true, trustSolver: true, probeSamples: 0, backend, onModel: (m) => boxes.push(m.vars.slice(0, 3).map((v) => v.ub)) });
    expect(a.subgradients === undefined || a.subgradients[0]!.every((v) => v.isZero())).toBe(true);
    expect(a.answer, a.restsOn).not.toBe('singleton');
    expect(boxes.length).toBeGreaterThan(0);
    for (const b of boxes) expect(b).toEqual([0.5, 0.5, 0.5]);
    // with the default box the rule applies (scripted "infeasible")
    const d = await decideClarke(F, { seed: 1, timeLimitSec: 10, reduction: true, trustSolver: true, probeSamples: 0, backend });
    expect(d.answer).toBe('singleton');
    expect(d.restsOn).toMatch(/F\(x\) >= 1 infeasible on \[-1,1\]\^n/);
  });
});

afterAll(() => shutdownWorkers());
