/**
 * The parallel branch and bound (src/clarke/bab/parallel.ts): cube and conquer over worker threads
 * gives the same answers as one thread, and its one proof (warm-up lemmas, every worker's lemmas,
 * the tree of cubes) is accepted by the independent checker. The warm-up is set to 0 so the
 * threads really run on these small formulas.
 */
import { describe, it, expect } from 'vitest';
import { ZERO } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { babDecide } from '../../src/clarke/bab';
import { babDecideAsync } from '../../src/clarke/bab/parallel';
import { ProofBuffer } from '../../src/certificate/proof';
import { verifyProof } from '../../src/verify/proof';
import { networkToJson } from '../../src/network/format';
import { reduceCnf } from '../../reductions/sat-to-relu';
import { randomKSat } from '../../src/cnf/generators/random-ksat';
import { solveSat } from '../../src/cnf/sat';

describe('babDecideAsync with worker threads', () => {
  it('random 3-SAT near the threshold, n = 14..30: the answer of one thread and of MiniSat; every proof checks', async () => {
    const rng = new Rng(818);
    let proofs = 0;
    let witnesses = 0;
    for (let t = 0; t < 8; t++) {
      const n = 14 + 2 * t;
      const cnf = randomKSat({ n, m: Math.round(4.5 * n), k: 3 }, rng);
      const net = reduceCnf(cnf);
      const zeros = Array.from({ length: net.inputDim }, () => ZERO);
      const buf = new ProofBuffer();
      const r = await babDecideAsync(net, { gradient: zeros, proofSink: buf.sink, jobs: 2, warmUpSec: 0, timeLimitSec: 60 });
      const one = babDecide(net, { gradient: zeros, timeLimitSec: 60 });
      const ref = solveSat(cnf).status;
      expect(r.kind, `n=${n}`).toBe(ref === 'sat' ? 'witness' : 'proof');
      expect(one.kind).toBe(r.kind);
      if (r.kind === 'proof') {
        proofs++;
        const c = verifyProof(networkToJson(net), buf.text());
        expect(c.valid, c.reason).toBe(true);
        expect(c.singleton).toBe(true);
      } else if (r.kind === 'witness') {
        witnesses++;
        expect(r.value.sign()).toBe(1);
      }
    }
    expect(proofs).toBeGreaterThan(1);
    expect(witnesses).toBeGreaterThan(1);
  }, 120_000);
});
