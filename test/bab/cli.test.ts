/**
 * `--solver bab` and `--proof FILE` through decideClarke and the clarke / decide / verify commands
 * (in process): exact singletons with a proof file that `nsad verify` accepts, `two` with a
 * certificate, a MILP's numerical singleton re-proven exactly, no proof file for other answers.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, existsSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { decideClarke } from '../../src/clarke/decide';
import { ProofBuffer } from '../../src/certificate/proof';
import { verifyProof } from '../../src/verify/proof';
import { networkToJson, writeNetworkFile } from '../../src/network/format';
import { reduceCnf } from '../../reductions/sat-to-relu';
import { makeCnf } from '../../src/cnf/cnf';
import { shutdownWorkers } from '../../src/milp/backends';
import { ZERO } from '../../src/exact/rational';
import { doublingNetwork } from './helpers';
import { cli, userError } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'nsad-bab-cli-'));
const ALL8 = makeCnf(3, [[1, 2, 3], [1, 2, -3], [1, -2, 3], [1, -2, -3], [-1, 2, 3], [-1, 2, -3], [-1, -2, 3], [-1, -2, -3]]);
const ALL8_TEXT = 'p cnf 3 8\n1 2 3 0\n1 2 -3 0\n1 -2 3 0\n1 -2 -3 0\n-1 2 3 0\n-1 2 -3 0\n-1 -2 3 0\n-1 -2 -3 0\n';

afterAll(async () => {
  await shutdownWorkers();
});

describe('decideClarke with solver bab', () => {
  it('an unsatisfiable reduction: exact singleton, and the proof it streamed checks', async () => {
    const net = reduceCnf(ALL8);
    const buf = new ProofBuffer();
    const a = await decideClarke(net, { solver: 'bab', proofSink: buf.sink });
    expect(a.answer).toBe('singleton');
    expect(a.exact).toBe(true);
    expect(a.proofLeaves).toBeGreaterThan(0);
    const v = verifyProof(networkToJson(net), buf.lines);
    expect(v.valid, v.reason).toBe(true);
    expect(v.gradient).toEqual(a.subgradients![0]!.map(String));
  });
  it('the doubling network, m = 40: two, with a certificate', async () => {
    const a = await decideClarke(doublingNetwork(40), { solver: 'bab', at: [ZERO, ZERO], probeSamples: 0 });
    expect(a.answer).toBe('two');
    expect(a.exact).toBe(true);
    expect(a.certificate).toBeDefined();
  });
});

describe('CLI: --solver bab, --proof', () => {
  it('decide --solver bab --proof: UNSATISFIABLE, the proof file is accepted by nsad verify; tampering is caught', async () => {
    const cnf = join(dir, 'all8.cnf');
    writeFileSync(cnf, ALL8_TEXT);
    const proof = join(dir, 'all8.proof.jsonl');
    const netFile = join(dir, 'all8.net.json');
    const r = await cli('decide', cnf, '--solver', 'bab', '--proof', proof, '--network', netFile, '--json');
    expect(r.error).toBeUndefined();
    const j = JSON.parse(r.out);
    expect(j.answer).toBe('singleton');
    expect(j.exact).toBe(true);
    expect(existsSync(proof)).toBe(true);
    const v = await cli('verify', netFile, proof);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^valid: .*singleton/);
    const lines = readFileSync(proof, 'utf8').trim().split('\n');
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, lines.filter((l, i) => !(l.startsWith('["b"') && i === lines.findIndex((x) => x.startsWith('["b"')))).join('\n') + '\n');
    const v2 = await cli('verify', netFile, bad);
    expect(v2.code).toBe(1);
    expect(v2.out).toMatch(/^invalid/);
    // Malformed proof files are bad input (exit 2, one line naming the file), not "invalid".
    const garbled = join(dir, 'garbled.jsonl');
    writeFileSync(garbled, [lines[0], lines[1], '["b", {oops', ...lines.slice(3)].join('\n') + '\n');
    expect(await userError('verify', netFile, garbled)).toMatch(/garbled\.jsonl: line 3: not valid JSON/);
    const badShape = join(dir, 'badshape.jsonl');
    writeFileSync(badShape, [lines[0]!.replace(/"version":\d/, '"version":"1"'), ...lines.slice(1)].join('\n') + '\n');
    expect(await userError('verify', netFile, badShape)).toMatch(/badshape\.jsonl: header\.version/);
  });
  it('clarke --solver bab on a satisfiable reduction: two; --proof leaves no file behind', async () => {
    const net = join(dir, 'sat.net.json');
    writeNetworkFile(net, reduceCnf(makeCnf(3, [[1, 2], [-1, 3], [-3, -2]])));
    const proof = join(dir, 'sat.proof.jsonl');
    const r = await cli('clarke', net, '--solver', 'bab', '--proof', proof, '--json');
    expect(JSON.parse(r.out).answer).toBe('two');
    expect(existsSync(proof)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.sat.proof'))).toEqual([]);
  });
  it('clarke --proof on a network with biases at a point where presolve already shows linearity: a proof is written anyway', async () => {
    const net = join(dir, 'lin.json');
    writeFileSync(net, JSON.stringify({ format: 'nsad-network', version: 1, inputDim: 2, layers: [{ weights: [[1, -1], [-1, 1], [1, 1]], bias: [0, 0, -3] }, { weights: [[2, -2, 5]] }] }));
    const proof = join(dir, 'lin.proof.jsonl');
    const r = await cli('clarke', net, '--at', '1,1', '--proof', proof, '--json');
    const j = JSON.parse(r.out);
    expect(j.answer).toBe('singleton');
    expect(j.exact).toBe(true);
    const v = await cli('verify', net, proof);
    expect(v.out).toMatch(/singleton \{\[2, -2\]\}/);
  });
  it('decide with a MILP backend and --proof: the numerical singleton is re-proven exactly', async () => {
    const cnf = join(dir, 'all8b.cnf');
    writeFileSync(cnf, ALL8_TEXT);
    const proof = join(dir, 'all8b.proof.jsonl');
    const r = await cli('decide', cnf, '--solver', 'highs', '--proof', proof, '--json');
    const j = JSON.parse(r.out);
    expect(j.answer).toBe('singleton');
    expect(j.exact).toBe(true);
    expect(existsSync(proof)).toBe(true);
  });
});
