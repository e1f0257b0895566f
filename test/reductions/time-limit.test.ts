/**
 * Issue 20: `decide --time-limit` covers the whole command (reading, reduction, solving), and
 * `sat` refuses up front what its solver cannot hold instead of printing `s UNKNOWN` with exit 0.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideCnf } from '../../reductions/decide-cnf';
import { reduceCnf } from '../../reductions/sat-to-relu';
import { randomKSat } from '../../src/cnf/generators/random-ksat';
import { generatorRng } from '../../src/cnf/seed';
import { parseDimacs, writeDimacs } from '../../src/cnf/dimacs';
import { TimeLimitReached } from '../../src/errors';
import { cli, userError } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'nsad-time-limit-'));
// 2·10^5 clauses: the reduction alone takes seconds (2.2·10^6 neurons).
const big = randomKSat({ n: 50_000, m: 200_000, k: 3 }, generatorRng(1));

describe('decide: the time limit covers reading and the reduction', () => {
  it('the reduction and the reader stop at a deadline (TimeLimitReached, saying where)', () => {
    expect(() => reduceCnf(big, {}, { deadline: performance.now() })).toThrow(TimeLimitReached);
    expect(() => reduceCnf(big, {}, { deadline: performance.now() })).toThrow(/during the reduction/);
    expect(() => parseDimacs(writeDimacs(big), 'big.cnf', { deadline: performance.now() - 1 })).toThrow(/during reading the formula/);
  });

  it('decideCnf answers unknown, without a network, when the limit passes during the reduction', async () => {
    const t0 = performance.now();
    const a = await decideCnf(big, { timeLimitSec: 0.3 });
    expect(a.answer).toBe('unknown');
    expect(a.satisfiable).toBeNull();
    expect(a.net).toBeNull();
    expect(a.network).toBeNull();
    expect(a.restsOn).toBe('nothing: the time limit (0.3 s, the whole command) was reached during the reduction');
    // Returns at the limit, not after the whole reduction (a bound far above the limit, far below the reduction).
    expect(performance.now() - t0).toBeLessThan(4000);
  });

  it('nsad decide --time-limit: unknown with exit 0, the time spent reading counted; --network not written, said on stderr', async () => {
    const f = join(dir, 'big.cnf');
    writeFileSync(f, writeDimacs(big));
    const out = join(dir, 'net.json');
    const r = await cli('decide', f, '--time-limit', '0.5', '--network', out, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ answer: 'unknown', exact: false, satisfiable: null, network: null });
    expect(j.restsOn).toMatch(/^nothing: the time limit \(0\.5 s, the whole command\) was reached during (reading the formula|the reduction)$/);
    expect(r.err).toMatch(/--network .* not written: the time limit passed before the network was built/);
  });
});

describe('sat: beyond the solver\'s capacity, refused up front', () => {
  it('500,000 variables: one line naming the file and the estimate, exit 2, nothing on stdout', async () => {
    const f = join(dir, 'wide.cnf');
    writeFileSync(f, 'p cnf 500000 1\n1 -2 0\n');
    expect(await userError('sat', f)).toBe(`${f}: 500000 variables and 1 clauses need about 50 MB of solver memory, beyond the reference solver's capacity (45 MB of MiniSat's fixed 64 MB heap)`);
    const r = await cli('sat', f, '--json');
    expect(r.out).toBe('');
  });
});
