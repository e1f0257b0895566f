/**
 * Network JSON is read exactly (src/io/json-exact.ts; fast path src/io/fast-json.ts): a number
 * token is the decimal it spells, never a rounded double; the fast path and the exact reader give
 * the same network; malformed input is one UserError naming the file and the JSON path, and the
 * CLI exits 2 with one line.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Rational } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { UserError } from '../../src/errors';
import { Network, layerOf } from '../../src/network/network';
import { parseNetwork, readNetworkFile, serializeNetwork, networkToJson } from '../../src/network/format';
import { plainJsonIsExact } from '../../src/io/fast-json';
import { bin } from '../helpers/cli';

const head = '{"format":"nsad-network","version":1,"inputDim":2,"layers":';
const net1 = (w: string) => `${head}[{"weights":[[${w},0],[0,1]]},{"weights":[[1,1]]}]}`;

function errorOf(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('exact numbers in network files', () => {
  it('a number token is the decimal it spells: 1.0000000000000001 ≠ 1, 0.1 = 1/10, 2^53 + 1 exact', () => {
    const a = parseNetwork(net1('1.0000000000000001'), 'a.json');
    expect(a.layers[0]!.weight(0, 0).eq(Rational.of(10000000000000001n, 10n ** 16n))).toBe(true);
    expect(a.layers[0]!.weight(0, 0).eq(Rational.int(1))).toBe(false);
    expect(a.isTernary()).toBe(false);
    expect(parseNetwork(net1('0.1'), 'b.json').layers[0]!.weight(0, 0).toString()).toBe('1/10');
    expect(parseNetwork(net1('1e-3'), 'c.json').layers[0]!.weight(0, 0).toString()).toBe('1/1000');
    expect(parseNetwork(net1('9007199254740993'), 'd.json').layers[0]!.weight(0, 0).toString()).toBe('9007199254740993');
    expect(parseNetwork(net1('"-3/6"'), 'e.json').layers[0]!.weight(0, 0).toString()).toBe('-1/2');
    // sparse entries and biases follow the same rule
    const s = parseNetwork(`${head}[{"rows":1,"cols":2,"entries":[[0,1,0.30000000000000004]],"bias":[1e2]},{"weights":[[1]]}]}`, 's.json');
    expect(s.layers[0]!.weight(0, 1).eq(Rational.of(30000000000000004n, 10n ** 17n))).toBe(true);
    expect(s.layers[0]!.bias[0]!.toString()).toBe('100');
  });

  it('the fast path (JSON.parse on short-integer files) and the exact reader give the same network', () => {
    const rng = new Rng(2001);
    for (let t = 0; t < 60; t++) {
      const p = rng.int(1, 6);
      const rows = rng.int(1, 6);
      const W = Array.from({ length: rows }, () => Array.from({ length: p }, () => rng.int(-3, 3)));
      const b = Array.from({ length: rows }, () => rng.int(-2, 2));
      const net = new Network(p, [layerOf(W, b), layerOf([Array.from({ length: rows }, () => rng.int(-1, 1))])], { seed: t });
      for (const sparse of [true, false]) {
        const text = serializeNetwork(net, { sparse });
        expect(plainJsonIsExact(text, 1000)).toBe(true);
        // the same file with one token written 1.0 (= 1) must take the exact reader
        const slow = text.replace('"version": 1', '"version": 1.0');
        expect(plainJsonIsExact(slow, 1000)).toBe(false);
        const a = parseNetwork(text, 'fast.json');
        const c = parseNetwork(slow, 'slow.json');
        expect(networkToJson(c, { sparse: true })).toEqual(networkToJson(a, { sparse: true }));
        expect(c.meta).toEqual({ seed: t });
      }
    }
  });

  it('plainJsonIsExact: yes only for short integers and distinct keys, whatever the strings hold', () => {
    expect(plainJsonIsExact('{"a":[1,-2,0,123456789012345],"s":"1.5e3 true \\" 1.0","t":true,"n":null}', 1000)).toBe(true);
    expect(plainJsonIsExact('[1.5]', 1000)).toBe(false);
    expect(plainJsonIsExact('[1e3]', 1000)).toBe(false);
    expect(plainJsonIsExact('[1E3]', 1000)).toBe(false);
    expect(plainJsonIsExact('[1234567890123456]', 1000)).toBe(false);
    expect(plainJsonIsExact('{"a":1,"a":1}', 1000)).toBe(false);
    expect(plainJsonIsExact('{"a":{"b":1},"c":{"b":2}}', 1000)).toBe(true);
    expect(plainJsonIsExact('{"\\u0061":1}', 1000)).toBe(false);
    expect(plainJsonIsExact('[1,', 1000)).toBe(false);
    expect(plainJsonIsExact('[NaN]', 1000)).toBe(false);
  });

  it('a repeated key with different values is refused; meta numbers beyond 2^53 keep their digits', () => {
    const e = errorOf(() => parseNetwork(`${head}[{"weights":[[1,1]]}],"inputDim":3}`, 'dup.json'));
    expect(e.message).toMatch(/^dup\.json: not valid JSON \(duplicate key "inputDim"/);
    const m = parseNetwork(`${head}[{"weights":[[1,1]]}],"meta":{"big":12345678901234567890,"small":7,"x":0.5}}`, 'meta.json');
    expect(m.meta).toEqual({ big: '12345678901234567890', small: 7, x: '0.5' });
  });
});

describe('malformed network JSON: one line naming the file and the JSON path', () => {
  const cases: Array<[string, RegExp]> = [
    [net1('"abc"'), /^f\.json: layers\[0\]\.weights\[0\]\[0\]: expected a number or a string "a\/b", got the string "abc"$/],
    [net1('"1/0"'), /^f\.json: layers\[0\]\.weights\[0\]\[0\]: the fraction "1\/0" has denominator 0$/],
    [net1('1e5000'), /^f\.json: layers\[0\]\.weights\[0\]\[0\]: .*exponent beyond/],
    [`${head}[{"rows":1,"cols":2,"entries":[[0,1.5,1]]},{"weights":[[1]]}]}`, /^f\.json: layers\[0\]\.entries\[0\]\[1\]: expected a column index in 0\.\.1, got number 1\.5$/],
    [`${head}[{"rows":2,"cols":2,"entries":[[1,1,1],[0,0,1],[1,1,0]]},{"weights":[[1,1]]}]}`, /^f\.json: layers\[0\]\.entries\[2\]: entry \(1, 1\) is repeated$/],
    [`${head}[{"rows":"1","cols":2,"entries":[]},{"weights":[[1]]}]}`, /^f\.json: layers\[0\]\.rows: expected a positive integer, got the string "1"$/],
    ['{"format":"nsad-network","version":1,"inputDim":2.5,"layers":[]}', /^f\.json: inputDim: expected a positive integer, got number 2\.5$/],
    [`${head}[{"weights":[[1,1]]}],"meta":[1]}`, /^f\.json: meta: expected an object, got an array of length 1$/],
    [`${head}[{"weights":[[1,1]`, /^f\.json: not valid JSON/],
  ];
  it('every case is a UserError with the expected single line', () => {
    for (const [text, re] of cases) {
      const err = errorOf(() => parseNetwork(text, 'f.json'));
      expect(err.message).toMatch(re);
      expect(err.message).not.toContain('\n');
    }
  });

  it('an integer written 1.0 is the integer 1 (the exact rule), so such a file is well-formed', () => {
    const net = parseNetwork(`${head}[{"rows":1.0,"cols":2,"entries":[[0,0,1]]},{"weights":[[1]]}]}`, 'f.json');
    expect(net.layers[0]!.rows).toBe(1);
    expect(net.layers[0]!.weight(0, 0).eq(Rational.int(1))).toBe(true);
  });

  it('the CLI exits 2 with one line on stderr naming the file and the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsad-netfmt-'));
    const f = join(dir, 'bad.json');
    writeFileSync(f, `${head}[{"rows":2,"cols":2,"entries":[[0,0,1],[5,0,1]]},{"weights":[[1,1]]}]}`);
    const r = bin(['conservative', f]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${f}: layers[0].entries[1][0]: expected a row index in 0..1, got number 5`);
    expect(() => readNetworkFile(join(dir, 'missing.json'))).toThrow(/missing\.json: no such file/);
  });
});
