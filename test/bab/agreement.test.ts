/**
 * The conflict-driven search against MiniSat on random 3-SAT around the threshold: every answer
 * agrees, every `singleton` proof is accepted by the independent checker, every witness is
 * exactly positive. The eager theory (a network bound at every fixpoint of propagation) gives the
 * same answers. 120 formulas (n = 20…80) with NSAD_HEAVY=1, 12 (n = 20…40) otherwise.
 */
import { describe, it, expect } from 'vitest';
import { ZERO } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { babDecide } from '../../src/clarke/bab';
import { ProofBuffer } from '../../src/certificate/proof';
import { verifyProof } from '../../src/verify/proof';
import { networkToJson } from '../../src/network/format';
import { reduceCnf } from '../../reductions/sat-to-relu';
import { randomKSat } from '../../src/cnf/generators/random-ksat';
import { solveSat } from '../../src/cnf/sat';

const HEAVY = process.env.NSAD_HEAVY === '1';

describe('bab (cdcl) agrees with MiniSat', () => {
  it(`${HEAVY ? 120 : 12} random 3-SAT formulas, n = 20…${HEAVY ? 80 : 40}, ratios 3.8…4.8`, () => {
    const rng = new Rng(180418);
    const count = HEAVY ? 120 : 12;
    let sat = 0;
    let unsat = 0;
    for (let t = 0; t < count; t++) {
      const n = 20 + (t % (HEAVY ? 7 : 3)) * 10;
      const ratio = 3.8 + (t % 11) / 10;
      const cnf = randomKSat({ n, m: Math.round(ratio * n), k: 3 }, rng);
      const net = reduceCnf(cnf);
      const zeros = Array.from({ length: net.inputDim }, () => ZERO);
      const buf = new ProofBuffer();
      const eager = t % 5 === 0;
      const r = babDecide(net, { gradient: zeros, proofSink: buf.sink, timeLimitSec: 120, eagerTheory: eager });
      const ref = solveSat(cnf).status;
      expect(r.kind, `formula ${t} (n=${n}, eager ${eager})`).toBe(ref === 'sat' ? 'witness' : 'proof');
      if (r.kind === 'proof') {
        unsat++;
        const c = verifyProof(networkToJson(net), buf.text());
        expect(c.valid, c.reason).toBe(true);
        expect(c.singleton).toBe(true);
      } else if (r.kind === 'witness') {
        sat++;
        expect(r.value.sign()).toBe(1);
      }
    }
    expect(sat).toBeGreaterThan(count / 6);
    expect(unsat).toBeGreaterThan(count / 6);
  }, 900_000);
});
