/**
 * Issue 20, audit inputs: a header is a row of column names (a first row `NaN,…` is bad data, not
 * a header), what a bad field holds never breaks the one-line message, text is UTF-8, every line
 * end counts, and `--round-inputs` overflow names the file and line.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsvRows, readInputRows, roundRows } from '../../src/audit/inputs';
import { Rational } from '../../src/exact/rational';

const dir = mkdtempSync(join(tmpdir(), 'nsad-inputs-'));
const file = (name: string, content: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('CSV inputs', () => {
  it('a first row of column names is a header; pandas\' empty index name too', () => {
    expect(parseCsvRows('x1,x2\n1,2\n', 'a.csv', 2).rows).toHaveLength(1);
    expect(parseCsvRows(',a\n0,2.5\n', 'a.csv', 2).rows[0]!.map(String)).toEqual(['0', '5/2']);
  });

  it('a first row NaN,… (or inf, -Infinity, 1e5000) is data with a bad value, not a header', () => {
    expect(() => parseCsvRows('NaN,NaN\n1,2\n', 'a.csv', 2)).toThrow(/^a\.csv:1: column 1: "NaN" is not a number \(integer, decimal or a\/b\)$/);
    expect(() => parseCsvRows('inf,-Infinity\n1,2\n', 'a.csv', 2)).toThrow(/^a\.csv:1: column 1: "inf" is not a number/);
    expect(() => parseCsvRows('1e5000,x\n', 'a.csv', 2)).toThrow(/^a\.csv:1: column 1: "1e5000" is not a number \(exponent beyond ±1000\)$/);
  });

  it('the bytes of a bad field never break the line: control characters are escaped, long fields cut', () => {
    const msg = (() => {
      try {
        parseCsvRows('a,b\n1,\x1b[31mred\u009b\n', 'a.csv', 2);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(msg).toBe('a.csv:2: column 2: "\\u001b[31mred\\u009b" is not a number (integer, decimal or a/b)');
    expect(() => parseCsvRows(`a,b\n1,${'x'.repeat(5000)}\n`, 'a.csv', 2)).toThrow(/column 2: "x{40}…" is not a number/);
  });

  it('CR, LF and CRLF all end a line (the line numbers say so)', () => {
    expect(parseCsvRows('a,b\r1,2\r3,4\r', 'a.csv', 2).where).toEqual(['a.csv:2', 'a.csv:3']);
    expect(() => parseCsvRows('a,b\r\n1,2\r3,x\n', 'a.csv', 2)).toThrow(/^a\.csv:3: column 2/);
  });

  it('UTF-16, NUL bytes and invalid UTF-8 are refused in one line naming the file', () => {
    expect(() => readInputRows(file('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')])), 2)).toThrow(/u16\.csv: the file is UTF-16/);
    expect(() => readInputRows(file('bad.csv', Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xff, 0x41]), Buffer.from('\n')])), 2)).toThrow(/bad\.csv: not valid UTF-8 text/);
  });

  it('--round-inputs: an overflow names the file, the line and the column', () => {
    const inputs = readInputRows(file('big.csv', 'a,b\n1,2\n1e39,0\n'), 2);
    expect(() => roundRows(inputs.rows, 'float32', inputs.where)).toThrow(/big\.csv:3: column 1: "1000000000000000000000000000000000000000" overflows float32 \(--round-inputs\)$/);
    expect(roundRows([[Rational.parse('0.1')!]], 'float32')[0]![0]!.eq(Rational.fromNumber(Math.fround(0.1)))).toBe(true);
  });
});
