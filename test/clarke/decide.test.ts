import { describe, it, expect, afterAll } from 'vitest';
import { Rational, vecEq } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { networkToJson } from '../../src/network/format';
import { networkOf } from '../../src/network/network';
import { localize, tangentPass } from '../../src/clarke/localize';
import { decideClarke } from '../../src/clarke/decide';
import { decideCnf } from '../../reductions/decide-cnf';
import { certificateToJson } from '../../src/certificate/certificate';
import { verifyCertificate } from '../../src/verify';
import { shutdownWorkers } from '../../src/milp/backends';
import { randomKSat } from '../../src/cnf/generators/random-ksat';
import { solveSat } from '../../src/cnf/sat';
import { makeCnf, satisfies } from '../../src/cnf/cnf';
import { randomNetwork, randomPoint, tiePoint, zeros } from './helpers';
import type { Network } from '../../src/network/network';

afterAll(async () => {
  await shutdownWorkers();
});

/**
 * Brute-force oracle: the distinct gradients of the pieces entered along 400 random directions
 * (exact). Two distinct ones prove `two`; on these tiny networks (≤ 3 inputs, small integer
 * weights) every piece is a cone of non-negligible angle, so 400 samples find them all.
 */
function oracle(net: Network, at: Rational[], rng: Rng): 'two' | 'singleton' {
  const loc = localize(net, at);
  const seen: Rational[][] = [];
  for (let k = 0; k < 400; k++) {
    const h = Array.from({ length: net.inputDim }, () => Rational.int(rng.int(-1000, 1000)));
    const pass = tangentPass(net, loc.preAtBar, h);
    // a tie-free piece, or one whose ties vanish identically (then the piece is still open)
    if (pass.gradient === null) continue;
    if (!seen.some((g) => vecEq(g, pass.gradient!))) seen.push(pass.gradient);
    if (seen.length >= 2) return 'two';
  }
  return 'singleton';
}

function checkTwo(net: Network, a: Awaited<ReturnType<typeof decideClarke>>) {
  expect(a.certificate).toBeDefined();
  expect(verifyCertificate(networkToJson(net), certificateToJson(a.certificate!))).toEqual({ valid: true });
}

describe('decideClarke against brute force on random small networks', () => {
  it('agrees at 0, at random points and at tie points; every `two` carries a valid certificate', async () => {
    const rng = new Rng(21);
    const counts = { two: 0, singleton: 0 };
    for (let trial = 0; trial < 24; trial++) {
      const p = 1 + (trial % 3);
      const kind = trial % 3; // 0: bias-free at 0, 1: random point, 2: tie point
      let net = randomNetwork(rng, { p, widths: [3, 2], wmax: 2, bias: kind !== 0, density: 0.7 });
      let at = zeros(p);
      if (kind === 1) at = randomPoint(rng, p, 3);
      if (kind === 2) ({ net, at } = tiePoint(rng, net));
      const expected = oracle(net, at, rng);
      const a = await decideClarke(net, { at, timeLimitSec: 30, seed: trial, trustSolver: true });
      expect(a.answer, `trial ${trial}: ${a.restsOn}`).toBe(expected);
      counts[expected]++;
      if (a.answer === 'two') checkTwo(net, a);
      else expect(a.restsOn.length).toBeGreaterThan(0);
    }
    // the sample must exercise both answers
    expect(counts.two).toBeGreaterThan(3);
    expect(counts.singleton).toBeGreaterThan(3);
  }, 120_000);

  it('the zero function of docs/theory.md §3 is a singleton; |x| at 0 is two', async () => {
    const zero = networkOf(1, [[[-1], [1], [-1], [1]], [[1, 1, -1, -1]]]);
    const z = await decideClarke(zero, { timeLimitSec: 20, trustSolver: true });
    expect(z.answer).toBe('singleton');
    expect(z.subgradients).toEqual([[Rational.int(0)]]);
    const abs = networkOf(1, [[[1], [-1]], [[1, 1]]]);
    const a = await decideClarke(abs, { timeLimitSec: 20 });
    expect(a.answer).toBe('two');
    checkTwo(abs, a);
  });
});

describe('the singleton proofs and the three backends', () => {
  // relu(relu(x) + relu(-x)) - relu(x) - relu(-x) = 0, which presolve cannot see (|x| ≥ 0 needs
  // more than interval or symbolic bounds): the optimization form must prove it.
  const hidden0 = networkOf(1, [[[1], [-1]], [[1, 1], [1, 0], [0, 1]], [[1, -1, -1]]]);
  const abs = networkOf(1, [[[1], [-1]], [[1, 1]]]);
  for (const solver of ['highs', 'glpk', 'lpsolver'] as const) {
    it(`${solver}: |x| is two (certificate valid), a disguised zero is a numerical singleton`, async () => {
      const a = await decideClarke(abs, { solver, timeLimitSec: 20 });
      expect(a.answer).toBe('two');
      checkTwo(abs, a);
      const z = await decideClarke(hidden0, { solver, timeLimitSec: 20, trustSolver: true });
      expect(z.answer, z.restsOn).toBe('singleton');
      expect(z.restsOn).toMatch(/optimal by .*numerical/);
      expect(z.exact).toBe(false);
      expect(z.solves.some((s) => s.label.startsWith('maximize'))).toBe(true);
      const u = await decideCnf(makeCnf(2, [[1, 2], [-1, 2], [1, -2], [-1, -2]]), { solver, timeLimitSec: 20, trustSolver: true });
      expect(u.satisfiable).toBe(false);
      expect(u.restsOn).toMatch(/docs\/theory\.md §6/);
    });
  }
});

describe('decideCnf agrees with the reference SAT solver', () => {
  it('on seeded random small formulas (sat and unsat), decoding a checked assignment on sat', async () => {
    const rng = new Rng(22);
    const seen = { sat: 0, unsat: 0 };
    for (let trial = 0; trial < 12; trial++) {
      const n = 3 + (trial % 4);
      const m = Math.round(n * (3 + (trial % 4)));
      const cnf = randomKSat({ n, m, k: 3 }, rng);
      const ref = solveSat(cnf);
      const a = await decideCnf(cnf, { timeLimitSec: 30, seed: trial, trustSolver: true });
      expect(a.satisfiable, `trial ${trial} (${a.restsOn})`).toBe(ref.status === 'sat');
      if (a.satisfiable) {
        expect(satisfies(cnf, a.assignment!)).toBe(true);
        checkTwo(a.net!, a);
        seen.sat++;
      } else {
        expect(a.answer).toBe('singleton');
        seen.unsat++;
      }
    }
    expect(seen.sat).toBeGreaterThan(3);
    expect(seen.unsat).toBeGreaterThan(3);
  }, 120_000);

  it('a limit hit gives unknown (satisfiable: null), never a guess', async () => {
    const cnf = randomKSat({ n: 12, m: 60, k: 3 }, new Rng(23));
    const a = await decideCnf(cnf, { timeLimitSec: 0.1, solver: 'highs' });
    expect(a.answer).toBe('unknown');
    expect(a.satisfiable).toBeNull();
    expect(a.restsOn).toMatch(/time|limit/i);
  });

  it('degenerate formulas: no clause, an empty clause, a tautology', async () => {
    expect((await decideCnf(makeCnf(2, []), { timeLimitSec: 20 })).satisfiable).toBe(true);
    expect((await decideCnf(makeCnf(2, [[1, 2], []]), { timeLimitSec: 20, trustSolver: true })).satisfiable).toBe(false);
    expect((await decideCnf(makeCnf(1, [[1, -1]]), { timeLimitSec: 20 })).satisfiable).toBe(true);
  });
});
