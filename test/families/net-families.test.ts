/**
 * Network families at p ≤ 3 inputs against exhaustive exact region enumeration
 * (test/soundness/regions.ts): the construction's expected answer, the evidence found and checked
 * at generation (reductions/families/evidence.ts), and the brute-force truth agree.
 */
import { describe, expect, it } from 'vitest';
import { generateNet, type NetFamilySpec } from '../../reductions/families/index';
import { certifyInstance } from '../../reductions/families/evidence';
import { regionTruth } from '../soundness/regions';

const SPECS: NetFamilySpec[] = [
  { family: 'hidden-linear', inputs: 3, kinks: 3, depth: 2 },
  { family: 'hidden-linear', inputs: 2, kinks: 4, depth: 1 },
  { family: 'planted-two', inputs: 3, width: 4, depth: 2, kinks: 1 },
  { family: 'planted-two', inputs: 3, width: 5, depth: 2, kinks: 2 },
  { family: 'doubling', m: 3 },
  { family: 'doubling', m: 6 },
  { family: 'random-ternary', inputs: 3, width: 4, depth: 2, density: 1 },
  { family: 'random-ternary', inputs: 3, width: 5, depth: 2, density: 0.4 },
];

describe('network families vs region enumeration (p ≤ 3)', () => {
  for (const spec of SPECS)
    for (const seed of spec.family === 'doubling' ? [1] : [1, 2, 3]) {
      it(`${spec.family} ${JSON.stringify(spec)} seed ${seed}`, async () => {
        const inst = generateNet(spec, seed);
        const truth = regionTruth(inst.net, inst.at);
        const ev = await certifyInstance(inst, { timeLimitSec: 30 });
        expect(ev.answer).toBe(truth.answer);
        if (inst.expected !== 'unknown') expect(inst.expected).toBe(truth.answer);
        if (spec.family === 'hidden-linear') expect(truth.gradients.map((g) => g.map((x) => x.toString()))).toEqual([inst.facts!.clarke]);
      }, 60_000);
    }
});
