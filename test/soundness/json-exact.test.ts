import { describe, expect, it } from 'vitest';
import { JsonNumber, decodeUtf8, exactInteger, exactRational, parseJsonExact, toPlainJson } from '../../src/io/json-exact';
import { Rational } from '../../src/exact/rational';
import { UserError } from '../../src/errors';

const q = (s: string) => Rational.parse(s)!;

describe('parseJsonExact / exactRational', () => {
  it('keeps number tokens exact: 1.0000000000000001 is not 1', () => {
    const v = parseJsonExact('{"g":[1.0000000000000001, 0.1, 1e-3, -2, 12345678901234567890]}', 'c.json') as Record<string, JsonNumber[]>;
    const g = v.g!.map((x, i) => exactRational(x, 'c.json', `g[${i}]`));
    expect(g[0]!.eq(Rational.of(10000000000000001n, 10n ** 16n))).toBe(true);
    expect(g[0]!.eq(Rational.int(1))).toBe(false);
    expect(g[1]!.eq(q('1/10'))).toBe(true);
    expect(g[2]!.eq(q('1/1000'))).toBe(true);
    expect(g[3]!.eq(Rational.int(-2))).toBe(true);
    expect(g[4]!.toString()).toBe('12345678901234567890');
  });
  it('reads strings "a/b", integers and decimals with the same meaning', () => {
    expect(exactRational('-3/6', 's', 'x').eq(q('-1/2'))).toBe(true);
    expect(exactRational('0.25', 's', 'x').eq(q('1/4'))).toBe(true);
    expect(exactRational('7', 's', 'x').eq(Rational.int(7))).toBe(true);
  });
  it('refuses 1/0, junk, huge exponents, non-numbers, naming source and path', () => {
    expect(() => exactRational('1/0', 'c.json', 'gradients[0][1]')).toThrow(/^c\.json: gradients\[0\]\[1\]: .*denominator 0/);
    expect(() => exactRational('abc', 'c.json', 'at[0]')).toThrow(/^c\.json: at\[0\]: expected a number/);
    expect(() => exactRational(new JsonNumber('1e100000'), 'n.json', 'w')).toThrow(/exponent beyond/);
    expect(() => exactRational(null, 'n.json', 'w')).toThrow(UserError);
    expect(() => exactRational(undefined, 'n.json', 'w')).toThrow(/missing/);
  });
  it('integers: exact, range-checked', () => {
    expect(exactInteger(new JsonNumber('3'), 's', 'p', 1)).toBe(3);
    expect(() => exactInteger(new JsonNumber('3.5'), 's', 'p')).toThrow(/expected an integer/);
    expect(() => exactInteger(new JsonNumber('9007199254740993'), 's', 'p')).toThrow(/in \[/);
    expect(() => exactInteger('3', 's', 'p')).toThrow(/expected an integer/);
  });
  it('syntax errors give one line with line and column; duplicate keys are refused', () => {
    expect(() => parseJsonExact('{\n  "a": [1,\n', 'f.json')).toThrow(/^f\.json: not valid JSON \(.*line 3/);
    expect(() => parseJsonExact('{"a":1,"a":2}', 'f.json')).toThrow(/duplicate key "a"/);
    expect(() => parseJsonExact('[NaN]', 'f.json')).toThrow(UserError);
  });
  it('ignores one UTF-8 BOM (as DIMACS does); refuses UTF-16 and NUL bytes clearly', () => {
    expect(toPlainJson(parseJsonExact('\ufeff[1]', 'f'))).toEqual([1]);
    const utf16 = Buffer.from('\ufeff[1]', 'utf16le');
    expect(() => decodeUtf8(utf16, 'f.json')).toThrow(/^f\.json: the file is UTF-16/);
    expect(() => decodeUtf8(Buffer.from('[1]', 'utf16le'), 'f.json')).toThrow(/NUL bytes/);
    expect(() => decodeUtf8(Buffer.from([0x5b, 0xff, 0x5d]), 'f.json')).toThrow(/not valid UTF-8/);
  });
  it('echoes big integers exactly (2^60 is not rounded)', () => {
    const v = parseJsonExact('{"n":1152921504606846976}', 'f');
    expect(JSON.stringify(toPlainJson(v))).toBe('{"n":"1152921504606846976"}');
    expect(JSON.stringify(v)).toBe('{"n":"1152921504606846976"}');
  });
});
