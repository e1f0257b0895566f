/**
 * The time limit of the bab phase covers the independent re-check of the proof (issue 20: a limit
 * covers the whole command): with a clock that passes the deadline once the search is over, an
 * unsatisfiable formula's proof is found but not re-checked in time, and the answer is `unknown`
 * (hint singleton), never an unchecked `singleton`. With the real clock, the same call answers
 * `singleton`.
 */
import { describe, it, expect } from 'vitest';
import { ZERO } from '../../src/exact/rational';
import { readCnfFile } from '../../src/cnf/dimacs';
import { reduceCnf } from '../../reductions/sat-to-relu';
import { runBabPhase } from '../../src/clarke/bab/phase';

const net = reduceCnf(readCnfFile('instances/php/php-h3.cnf'));
const at = new Array(net.inputDim).fill(ZERO);
const g = new Array(net.inputDim).fill(ZERO); // unsatisfiable: F ≡ 0 near 0, ∂^c F(0) = {0}
const noWitness = () => null;

describe('runBabPhase: the deadline covers the proof check', () => {
  it('real clock: singleton, checked', async () => {
    const r = await runBabPhase(net, at, g, noWitness, { timeLimitSec: 60 });
    expect(r.kind).toBe('singleton');
  });
  it('a clock past the deadline after the search: unknown, with the lines checked said', async () => {
    let calls = 0;
    const clock = () => (calls++ === 0 ? 0 : Number.POSITIVE_INFINITY);
    const r = await runBabPhase(net, at, g, noWitness, { timeLimitSec: 60, clock });
    expect(r.kind).toBe('unknown');
    expect(r.kind === 'unknown' ? r.restsOn : '').toMatch(/time limit reached while the independent checker re-checked the proof .*0 of \d+ lines.*hint: singleton/);
  });
});
