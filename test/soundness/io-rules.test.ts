/**
 * Issue 20, the house rules of input and output: one JSON reader with one depth limit for every
 * JSON file, writers that never write what the readers refuse, one number rule for every number
 * read from text (JSON, `--at`, CSV) and the verifier's copy of it, and one output-path guard.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MAX_JSON_DEPTH,
  JsonNumber,
  depthExceededAt,
  exactRational,
  parseJsonExact,
  parseJsonExactFast,
  parseJsonPlain,
  stringifyJson,
  valueDepth,
} from '../../src/io/json-exact';
import { checkOutputDir, checkOutputs, writeJsonAtomic } from '../../src/io/atomic';
import { NUMERAL_LIMITS, Rational, readNumeral } from '../../src/exact/rational';
import { num } from '../../src/verify/q';
import { parseExactJson as verifierParse, MAX_DEPTH as VERIFIER_MAX_DEPTH } from '../../src/verify/json';
import { Network, layerOf } from '../../src/network/network';
import { parseNetwork, serializeNetwork } from '../../src/network/format';
import { quoted, UserError } from '../../src/errors';
import { MAX_TEXT_BYTES } from '../../src/io/json-exact';
import { LIMITS } from '../../src/network/network';
import { NETWORK_LIMITS } from '../../src/verify/q';
import { SAT_CAPACITY } from '../../src/cnf/sat';
import { MAX_COMPOSE_PRODUCTS } from '../../src/formats/onnx';
import { MAX_SHARDS } from '../../experiments/runner/shard';
import { GENERATION_LIMITS } from '../../src/cnf/generate';
import { NET_GENERATION_LIMITS } from '../../reductions/families';
import { root } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'nsad-io-rules-'));
const nest = (d: number): string => '['.repeat(d) + '0' + ']'.repeat(d);
const NET = '{"format":"nsad-network","version":1,"inputDim":1,"layers":[{"weights":[[1]]},{"weights":[[1]]}]';

describe('one JSON reader, one depth limit', () => {
  it('MAX_JSON_DEPTH levels are read, one more is refused in one line naming line and column (every reader, the verifier too)', () => {
    expect(MAX_JSON_DEPTH).toBe(1000);
    expect(VERIFIER_MAX_DEPTH).toBe(MAX_JSON_DEPTH);
    const ok = nest(MAX_JSON_DEPTH);
    const deep = nest(MAX_JSON_DEPTH + 1);
    expect(() => parseJsonExact(ok, 'f.json')).not.toThrow();
    expect(() => parseJsonPlain(ok, 'f.json')).not.toThrow();
    expect(() => verifierParse(ok)).not.toThrow();
    for (const read of [parseJsonExact, parseJsonExactFast, parseJsonPlain])
      expect(() => read(deep, 'f.json')).toThrow(/^f\.json: not valid JSON \(arrays and objects nested deeper than 1000 levels, line 1, column 1001\)$/);
    expect(() => verifierParse(deep)).toThrow(/nested deeper than 1000 levels/);
    // 100,000 levels: the same line, no stack overflow.
    expect(() => parseJsonExact(nest(100_000), 'f.json')).toThrow(UserError);
    expect(() => parseJsonExactFast('{"a":' + nest(100_000) + '}', 'f.json')).toThrow(UserError);
  });

  it('the depth scan skips strings, escaped quotes included', () => {
    expect(depthExceededAt(`["${'['.repeat(5000)}\\"${'{'.repeat(5000)}"]`)).toBe(-1);
    expect(depthExceededAt('[[[]]]', 2)).toBe(2);
  });

  it('a network whose meta nests 10,000 deep: one line, on the exact path (a decimal weight) and the fast one', () => {
    const meta = `,"meta":{"x":${nest(10_000)}}}`;
    expect(() => parseNetwork(NET + meta, 'n.json')).toThrow(/^n\.json: not valid JSON \(arrays and objects nested deeper/);
    expect(() => parseNetwork(NET.replace('[[1]]}', '[[0.5]]}') + meta, 'n.json')).toThrow(/^n\.json: not valid JSON \(arrays and objects nested deeper/);
  });

  it('the plain reader (experiment rows, manifests) refuses repeated keys and keeps the text rules', () => {
    expect(parseJsonPlain('\ufeff{"a":1.5,"b":[1e3]}', 'r')).toEqual({ a: 1.5, b: [1000] });
    expect(() => parseJsonPlain('{"id":"x","id":"y"}', 'rows.jsonl:3')).toThrow(/^rows\.jsonl:3: not valid JSON \(duplicate key "id"/);
  });
});

describe('writers never write what the readers refuse', () => {
  const deepValue = (d: number): unknown => {
    let v: unknown = 0;
    for (let k = 0; k < d; k++) v = [v];
    return v;
  };

  it('valueDepth is iterative (100,000 levels measured, not overflowed)', () => {
    expect(valueDepth(deepValue(100_000))).toBe(MAX_JSON_DEPTH + 1);
    expect(valueDepth({ a: [1, { b: [] }] })).toBe(4);
    expect(valueDepth(new JsonNumber('1'))).toBe(0);
  });

  it('stringifyJson and writeJsonAtomic refuse a value deeper than the readers accept, and write nothing', () => {
    expect(stringifyJson(deepValue(MAX_JSON_DEPTH), 'x')).toHaveLength(2 * MAX_JSON_DEPTH + 1);
    expect(() => stringifyJson(deepValue(MAX_JSON_DEPTH), 'meta', { under: 1 })).toThrow(/^meta: nested deeper than 1000 levels/);
    const out = join(dir, 'deep.json');
    expect(() => writeJsonAtomic(out, deepValue(6000))).toThrow(UserError);
    expect(existsSync(out)).toBe(false);
  });

  it('a network built in memory with a deep meta is refused by the writer, in one line', () => {
    const net = new Network(1, [layerOf([[1]]), layerOf([[1]])], { x: deepValue(6000) });
    expect(() => serializeNetwork(net)).toThrow(/^meta: nested deeper than 1000 levels/);
    const ok = new Network(1, [layerOf([[1]]), layerOf([[1]])], { x: deepValue(MAX_JSON_DEPTH - 2) });
    expect(parseNetwork(serializeNetwork(ok), 'n.json').meta).toEqual(ok.meta);
  });
});

describe('one number rule: the toolkit and the verifier agree', () => {
  const samples = [
    '0', '-3', '+7', '1/3', '-2/-4', '3/0', '0.25', '1.0000000000000001', '1e-3', '1E+5', '-1.5e2', '1e1000', '1e1001', '1e-1001',
    '9'.repeat(1000), '9'.repeat(1001), `1.${'0'.repeat(1000)}1`, '.5', '5.', 'abc', '', ' 2 ', '1/2/3', '0x10', 'NaN', 'inf', '1e', '--1',
  ];
  it('readNumeral: the same accept/refuse and the same value as the verifier (q.ts num), for strings', () => {
    for (const s of samples) {
      const ours = readNumeral(s);
      let theirs: { n: bigint; d: bigint } | null;
      try {
        theirs = num(s, 'x');
      } catch {
        theirs = null;
      }
      expect(ours instanceof Rational, s).toBe(theirs !== null);
      if (ours instanceof Rational && theirs !== null) expect([ours.n, ours.d], s).toEqual([theirs.n, theirs.d]);
    }
  });
  it('the limits: exponents within ±1000, at most 1000 digits in a row; JSON tokens, CLI points and Rational.parse alike', () => {
    expect(NUMERAL_LIMITS).toEqual({ maxExponent: 1000, maxDigits: 1000 });
    expect(readNumeral('1e1001')).toMatchObject({ reason: 'exponent' });
    expect(readNumeral('9'.repeat(1001))).toMatchObject({ reason: 'digits' });
    expect(readNumeral('1/0')).toMatchObject({ reason: 'zero-denominator' });
    expect(Rational.parse('1e5000')).toBeNull();
    expect(() => exactRational(new JsonNumber('1e-1001'), 'n.json', 'w')).toThrow(/^n\.json: w: the number 1e-1001 has an exponent beyond ±1000/);
    expect(() => exactRational('1'.repeat(1001), 'n.json', 'w')).toThrow(/more than 1000 digits/);
  });
  it('quoted: input text in a message is one printable line', () => {
    expect(quoted('a\x1b[31mb\rc\u009bd\u2028')).toBe('"a\\u001b[31mb\\rc\\u009bd\\u2028"');
    expect(quoted('x'.repeat(100), 5)).toBe('"xxxxx…"');
  });
});

describe('one output-path guard', () => {
  const input = join(dir, 'in.json');
  writeFileSync(input, '{}');

  it('an output that is an input — by name, by ./ spelling, through a symlink or a hard link — is refused', () => {
    const sym = join(dir, 'sym.json');
    const hard = join(dir, 'hard.json');
    symlinkSync(input, sym);
    linkSync(input, hard);
    for (const out of [input, join(dir, '.', 'in.json'), sym, hard])
      expect(() => checkOutputs([['--out', out]], [input]), out).toThrow(/is the input file .*refusing to overwrite an input/);
    expect(readFileSync(input, 'utf8')).toBe('{}');
  });

  it('two outputs that are one file are refused, whether or not it exists yet', () => {
    const a = join(dir, 'new.bin');
    expect(() => checkOutputs([['--onnx', a], ['--safetensors', join(dir, '.', 'new.bin')]], [])).toThrow(/^--onnx and --safetensors: the same file/);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    symlinkSync(sub, join(dir, 'sublink'));
    expect(() => checkOutputs([['--markdown', join(sub, 'r.md')], ['--svg', join(dir, 'sublink', 'r.md')]], [])).toThrow(/the same file/);
    expect(() => checkOutputs([['--markdown', join(sub, 'r.md')], ['--svg', join(sub, 'r.svg')], ['--x', undefined]], [input])).not.toThrow();
  });

  it('an output folder that is an input folder is refused (experiment merge A B --out A)', () => {
    const A = join(dir, 'A');
    mkdirSync(A);
    expect(() => checkOutputDir(join(dir, '.', 'A/'), '--out', [A, join(dir, 'B')])).toThrow(/is the input folder .*refusing to overwrite an input/);
    expect(() => checkOutputDir(join(dir, 'C'), '--out', [A])).not.toThrow();
  });
});

describe('the documented limits are the enforced ones (docs/formats.md "Limits, in one place")', () => {
  const doc = readFileSync(join(root, 'docs/formats.md'), 'utf8');
  const table = doc.slice(doc.indexOf('## Limits, in one place'));
  const row = (what: string): string => table.split('\n').find((l) => l.startsWith(`| ${what}`)) ?? `(no row "${what}")`;
  const pow10 = (n: number): string => `10^${Math.log10(n)}`;
  it('each row states the constant the code enforces, and the verifier\'s copies agree', () => {
    expect(row('nesting of JSON')).toContain(`${MAX_JSON_DEPTH} levels`);
    expect(row('a number\'s exponent')).toContain(`±${NUMERAL_LIMITS.maxExponent}`);
    expect(row('digits in a row')).toContain(`| ${NUMERAL_LIMITS.maxDigits} |`);
    expect(row('a text file')).toContain(MAX_TEXT_BYTES.toLocaleString('en-US'));
    expect(row('a network\'s input dimension')).toContain(pow10(LIMITS.maxInputDim));
    expect(LIMITS.maxWidth).toBe(LIMITS.maxInputDim);
    expect(row('a network\'s layers')).toContain(pow10(LIMITS.maxLayers));
    expect(row('a network\'s nonzero weights')).toContain(pow10(LIMITS.maxWeights));
    expect(row('one layer\'s dense view')).toContain(`${pow10(LIMITS.maxDenseWeights)} entries`);
    expect(NETWORK_LIMITS).toEqual({ maxInputDim: LIMITS.maxInputDim, maxWidth: LIMITS.maxWidth, maxLayers: LIMITS.maxLayers, maxWeights: LIMITS.maxWeights });
    expect(row('composing affine maps')).toContain(`${MAX_COMPOSE_PRODUCTS / 1e7}·10^7`);
    expect(row('MiniSat')).toContain(`${SAT_CAPACITY.bytesPerVariable}·vars + ${SAT_CAPACITY.bytesPerClause}·clauses + ${SAT_CAPACITY.bytesPerLiteral}·literals\` ≤ ${SAT_CAPACITY.bytes / 1e6}·10^6 bytes`);
    expect(row('`--shard')).toContain(`n ≤ ${pow10(MAX_SHARDS)}`);
    const g = GENERATION_LIMITS;
    expect(row('`nsad generate`, a formula')).toContain(`${pow10(g.variables)} variables; ${g.clauses / 1e6}·10^6 clauses; ${g.literals / 1e7}·10^7 literals; G(n, p) ${g.gnpPairs / 1e7}·10^7 vertex pairs`);
    expect(row('`nsad generate net-')).toContain(`${pow10(NET_GENERATION_LIMITS.neurons)} neurons; ${pow10(NET_GENERATION_LIMITS.denseWeights)} dense weights`);
  });
});
