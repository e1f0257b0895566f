import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networkFromJson } from '../../src/network/format';
import { root, cli, bin, userError } from '../helpers/cli';

const fx = (f: string): string => join(root, 'test', 'fixtures', 'reductions', f);

const nsad = (...args: string[]) => bin(args);

describe('nsad reduce / decode', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'nsad-reduce-'));
  const net = join(tmp, 'net.json');

  it('reduce --json prints the size and writes a ternary bias-free network; decode reads a model back', async () => {
    const r = nsad('reduce', fx('small-sat.cnf'), '--out', net, '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ inputs: 4, layers: 7, ternary: true, biasFree: true, n: 4, m: 5 });
    expect(j.neurons).toBeGreaterThan(0);
    const parsed = networkFromJson(JSON.parse(readFileSync(net, 'utf8')));
    expect(parsed.neurons).toBe(j.neurons);
    expect(parsed.nonzeros).toBe(j.nonzeros);
    expect(parsed.meta['construction']).toBe('sat-to-relu/max-min-tree');
    expect(parsed.meta['source']).toBe('small-sat.cnf');

    // x1 = T, x2 = T, x3 = F, x4 = T satisfies all five clauses; a fractional point with these signs
    const d = await cli('decode', net, '--cnf', fx('small-sat.cnf'), '--at', '1/2,3,-1/7,2', '--json');
    expect(d.error).toBeUndefined();
    expect(d.code).toBe(0);
    expect(JSON.parse(d.out)).toEqual({ value: '1/7', positive: true, assignment: [1, 2, -3, 4], satisfies: true, violated: [] });
    // all −1: violates clause 5 (x1); exit code 1, F = 0
    const bad = await cli('decode', net, '--cnf', fx('small-sat.cnf'), '--at', '-1,-1,-1,-1');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/F\(x\) = 0/);
    expect(bad.out).toMatch(/violates 1 clause\(s\): 5/);
    // the sparse form holds the same network
    const sparse = join(tmp, 'sparse.json');
    const s = await cli('reduce', fx('small-sat.cnf'), '--out', sparse, '--sparse');
    expect(s.out).toMatch(/inputs 4, layers 7 \(6 hidden\), neurons \d+, nonzeros \d+, ternary, bias-free/);
    expect(networkFromJson(JSON.parse(readFileSync(sparse, 'utf8'))).nonzeros).toBe(j.nonzeros);
  }, 60_000);

  it('decode refuses a network reduced from another file (exit 2); reduce names a bad input file and line', async () => {
    const other = join(tmp, 'other.json');
    expect((await cli('reduce', fx('small-unsat.cnf'), '--out', other)).error).toBeUndefined();
    const r = nsad('decode', other, '--cnf', fx('small-sat.cnf'), '--at', '1,1,1,1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/different file/);
    const broken = join(tmp, 'broken.cnf');
    writeFileSync(broken, 'p cnf 2 1\n1 x 0\n');
    expect(await userError('reduce', broken, '--out', join(tmp, 'b.json'))).toMatch(/broken\.cnf:2/);
    // degenerate file: an empty clause and an unused variable
    const degenerate = join(tmp, 'degenerate.cnf');
    writeFileSync(degenerate, 'p cnf 3 2\n1 -2 0\n0\n');
    const dj = await cli('reduce', degenerate, '--out', join(tmp, 'd.json'), '--json');
    expect(dj.error).toBeUndefined();
    const dnet = networkFromJson(JSON.parse(readFileSync(join(tmp, 'd.json'), 'utf8')));
    expect(dnet.meta).toMatchObject({ n: 3, m: 2, emptyClauses: 1, unusedVariables: 1 });
    const wrongDim = await cli('decode', other, '--cnf', fx('small-unsat.cnf'), '--at', '1,1,1');
    expect(wrongDim.error).toMatch(/expected 2 coordinates/);
  }, 60_000);
});
