/**
 * Heavy (NSAD_HEAVY): bab on SATLIB samples through the reduction — a `two` with a checked
 * certificate on satisfiable files, an exact proof accepted by src/verify on unsatisfiable ones.
 */
import { describe, it, expect } from 'vitest';
import { satlibFiles } from '../../src/cnf/satlib';
import { readCnfFile } from '../../src/cnf/dimacs';
import { reduceCnf, decodePoint } from '../../reductions/sat-to-relu';
import { babClarke } from '../../src/clarke/bab/clarke';
import { ProofBuffer } from '../../src/certificate/proof';
import { verifyProof } from '../../src/verify/proof';
import { networkToJson } from '../../src/network/format';

describe.skipIf(!process.env.NSAD_HEAVY)('bab on SATLIB samples (heavy)', () => {
  for (const family of ['uf20-91', 'uf50-218', 'uuf50-218'] as const) {
    it(`${family}: first two files`, () => {
      for (const path of satlibFiles(family).slice(0, 2)) {
        const cnf = readCnfFile(path);
        const net = reduceCnf(cnf);
        const buf = new ProofBuffer();
        const a = babClarke(net, { timeLimitSec: 120, proofSink: buf.sink });
        if (family.startsWith('uuf')) {
          expect(a.answer).toBe('singleton');
          const v = verifyProof(networkToJson(net), buf.lines);
          expect(v.valid, v.reason).toBe(true);
          expect(v.singleton).toBe(true);
        } else {
          expect(a.answer).toBe('two');
          expect(a.exact).toBe(true);
          const dirs = a.certificate!.directions;
          expect(dirs.some((h) => decodePoint(cnf, h).satisfies)).toBe(true);
        }
      }
    }, 600_000);
  }
});
