/**
 * Issue 20, the proof checker's reading: proof lines are read with the verifier's exact JSON
 * reader (a number token means the decimal it spells, a repeated key is refused), `nsad verify`
 * exits 0 only when the claim of `singleton` is proven, and the exit codes of proof mode follow
 * the certificate's rule (malformed input: 2; well-formed but not valid: 1).
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { verifyProof, networkHash } from '../../src/verify/proof';
import { readNetwork } from '../../src/verify/q';
import { parseExactJson } from '../../src/verify/json';
import { cli } from '../helpers/cli';
import { trivialProof } from '../helpers/proofs';

const dir = mkdtempSync(join(tmpdir(), 'nsad-proof-reading-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** F(x) = relu(x − b) for a bias given as the string b. */
const reluShift = (b: string): string =>
  `{"format":"nsad-network","version":1,"inputDim":1,"layers":[{"weights":[[1]],"bias":["-${b}"]},{"weights":[[1]]}]}`;
const hashOf = (netText: string): string => {
  const { p, layers } = readNetwork(parseExactJson(netText));
  return networkHash(p, layers);
};
describe('proof lines are read exactly', () => {
  const b = '1.0000000000000001';
  const NET = reluShift(b);
  const sha = hashOf(NET);

  it('"at":[1.0000000000000001] is that point (the kink), not 1: the one-leaf singleton proof is refused', () => {
    // At x̄ = 1 (what a double would read) F is 0 near x̄ and the trivial proof is valid…
    expect(verifyProof(parseExactJson(NET), trivialProof(sha, '1', '0')).valid).toBe(true);
    // …at the point the file spells, x̄ is the kink: the Clarke set is [0, 1], no proof of singleton.
    const r = verifyProof(parseExactJson(NET), trivialProof(sha, b, '0'));
    expect(r.valid).toBe(false);
    expect(r.malformed).toBeUndefined();
    expect(r.reason).toMatch(/leaf bound 1 > 0/);
  });

  it('1e-400 is not 0', () => {
    const tiny = reluShift('1e-400');
    const r = verifyProof(parseExactJson(tiny), trivialProof(hashOf(tiny), '1e-400', '0'));
    expect(r.valid).toBe(false);
    expect(r.reason).toMatch(/leaf bound/);
  });

  it('a repeated header key is malformed, not "last value wins"', () => {
    const r = verifyProof(parseExactJson(NET), trivialProof(sha, '1', '0', ',"at":[5]'));
    expect(r.valid).toBe(false);
    expect(r.malformed).toBe('proof');
    expect(r.reason).toMatch(/duplicate key "at"/);
  });

  it('exponents beyond ±1000 and numbers of over 1000 digits are malformed, as in every other file', () => {
    for (const at of ['"1e-1001"', '1e-1001', `"1/${'7'.repeat(1001)}"`]) {
      const r = verifyProof(parseExactJson(NET), trivialProof(sha, at, '0'));
      expect(r.malformed, at).toBe('proof');
    }
  });

  it('a split line with fraction tokens is read exactly (the JSON.parse fast path is for integers only)', () => {
    // ["x",0,0.5] spells 1/2 exactly: a valid split; 0.30000000000000004 is a different rational from 0.3.
    const ABS = '{"format":"nsad-network","version":1,"inputDim":1,"layers":[{"weights":[[1]]},{"weights":[[1]]}]}';
    const lines = (c: string): string =>
      [
        `{"format":"nsad-clarke-proof","version":1,"network":{"sha256":"${hashOf(ABS)}"},"inputDim":1,"at":[-1],"gradient":[0],"signs":[1,-1]}`,
        '{"tree":1}',
        `["x",0,${c}]`,
        '["b"]',
        '["b"]',
        '{"end":1,"nodes":3,"leaves":2}',
        '{"tree":-1}',
        '["b"]',
        '{"end":-1,"nodes":1,"leaves":1}',
      ].join('\n');
    const r = verifyProof(parseExactJson(ABS), lines('0.5'));
    expect(r.valid, r.reason).toBe(true);
    expect(verifyProof(parseExactJson(ABS), lines('1.5')).reason).toMatch(/split value 3\/2 not strictly inside/);
  });
});

describe('nsad verify: exit codes of proof mode', () => {
  const ABS = '{"format":"nsad-network","version":1,"inputDim":1,"layers":[{"weights":[[1]]},{"weights":[[1]]}]}';
  const sha = hashOf(ABS);
  const net = file('abs.json', ABS);
  const header = (over: Record<string, string>): string => {
    const f: Record<string, string> = { network: `{"sha256":"${sha}"}`, inputDim: '1', at: '[-1]', gradient: '[0]', signs: '[1,-1]', ...over };
    return `{"format":"nsad-clarke-proof","version":1,${Object.entries(f).map(([k, v]) => `"${k}":${v}`).join(',')}}`;
  };
  const tree = (s: number): string[] => [`{"tree":${s}}`, '["b"]', `{"end":${s},"nodes":1,"leaves":1}`];

  it('a valid proof of both signs: exit 0', async () => {
    const p = file('both.jsonl', [header({}), ...tree(1), ...tree(-1)].join('\n'));
    const r = await cli('verify', net, p);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/singleton/);
  });

  it('a valid one-sign proof: exit 1 (not a proof of singleton); exit 0 with --one-sign', async () => {
    const p = file('one.jsonl', [header({ signs: '[-1]' }), ...tree(-1)].join('\n'));
    const r = await cli('verify', net, p);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/sign -1 only.*not a proof of singleton/);
    const j = await cli('verify', net, p, '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({ valid: true, singleton: false, signs: [-1] });
    expect((await cli('verify', net, p, '--one-sign')).code).toBe(0);
  });

  it('malformed header fields and networks exit 2, naming the file', async () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ['signs', header({ signs: '[2]' }), net, /signs\[0\]: expected 1 or -1/],
      ['sha', header({ network: '{"sha256":5}' }), net, /sha256: expected a string/],
      ['dim', header({ inputDim: '2' }), net, /inputDim: expected 1/],
      ['twoRows', header({}), file('two-rows.json', '{"format":"nsad-network","version":1,"inputDim":1,"layers":[{"weights":[[1]]},{"weights":[[1],[1]]}]}'), /output layer/],
    ];
    for (const [name, h, n, re] of cases) {
      const p = file(`${name}.jsonl`, [h, ...tree(1), ...tree(-1)].join('\n'));
      const r = await cli('verify', n, p);
      expect(r.code, name).toBe(2);
      expect(r.error, name).toMatch(re);
      expect(r.error!.startsWith(name === 'twoRows' ? n : p), name).toBe(true);
    }
  });

  it('a proof for another network is well-formed but not valid: exit 1', async () => {
    const p = file('other.jsonl', [header({ network: `{"sha256":"${'0'.repeat(64)}"}` }), ...tree(1), ...tree(-1)].join('\n'));
    const r = await cli('verify', net, p);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/another network/);
  });

  it('a UTF-8 byte-order mark is accepted on the network and on the proof, as everywhere', async () => {
    const n = file('bom.json', '\ufeff' + ABS);
    const p = file('bom.jsonl', '\ufeff' + [header({}), ...tree(1), ...tree(-1)].join('\n'));
    expect((await cli('verify', n, p)).code).toBe(0);
  });
});
