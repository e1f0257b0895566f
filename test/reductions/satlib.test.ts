import { describe, it, expect } from 'vitest';
import { Rational } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { evaluateExact } from '../../src/network/evaluate';
import { solveSat } from '../../src/cnf/sat';
import { satlibDir, satlibFiles, SATLIB_FAMILIES, satlibStatus } from '../../src/cnf/satlib';
import { reduceFile, encodeAssignment, decodePoint } from '../../reductions/sat-to-relu';
import { treeDepth } from '../../reductions/gadgets';

const dir = satlibDir();
if (dir === null) throw new Error('SATLIB samples missing: expected instances/satlib/<family>/ in the repository (or $NSAD_SATLIB)');

// Issue 4: on every SATLIB sample the network is ternary and bias-free; for the satisfiable ones F at
// the ±1 point of the reference solver's assignment is ≥ 1 (it is exactly 1).
describe('reduction on every SATLIB sample', () => {
  for (const family of SATLIB_FAMILIES) {
    it(`${family}: ternary, bias-free, O(n + m) size; F(encode(model)) = 1 on sat, F = 0 at ±1 points on unsat`, () => {
      const files = satlibFiles(family);
      expect(files.length).toBeGreaterThan(0);
      const rng = new Rng(99);
      for (const file of files) {
        const { cnf, net, sha256 } = reduceFile(file);
        const m = cnf.clauses.length;
        expect(net.firstNonTernary(), file).toBeNull();
        expect(net.isBiasFree(), file).toBe(true);
        expect(net.meta['sha256']).toBe(sha256);
        expect(net.neurons).toBeLessThanOrEqual(11 * m + 2 * treeDepth(m) + 1);
        expect(net.hiddenLayers).toBe(2 + treeDepth(m) + 1);
        const sat = solveSat(cnf);
        expect(sat.status, file).toBe(satlibStatus(family));
        if (sat.status === 'sat') {
          const x = encodeAssignment(cnf, sat.assignment!);
          expect(evaluateExact(net, x).value.eq(Rational.int(1)), file).toBe(true);
          expect(decodePoint(cnf, x).satisfies).toBe(true);
        } else {
          // no assignment satisfies: at every ±1 point some clause has all literals −1, so F = 0
          for (let k = 0; k < 3; k++) {
            const x = Array.from({ length: cnf.n }, () => Rational.int(rng.bool() ? 1 : -1));
            expect(evaluateExact(net, x).value.isZero(), file).toBe(true);
          }
        }
      }
    }, 120_000);
  }
});
