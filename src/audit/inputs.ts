/**
 * Input rows for the audit: CSV (one input per line, comma-separated exact numbers: integers,
 * decimals such as 0.1 = 1/10, a/b; an optional header line; `#` comments) or NumPy `.npy`
 * (src/formats/npy.ts; float arrays decoded exactly). Errors name the file and line.
 */
import { decodeUtf8, readFileBytes } from '../io/json-exact';
import { extname } from 'node:path';
import { Rational, readNumeral } from '../exact/rational';
import { UserError, quoted } from '../errors';
import { parseNpy, npyRows } from '../formats/npy';
import { roundTo, type FloatDtype } from '../formats/ieee';

export interface InputRows {
  format: 'csv' | 'npy';
  rows: Rational[][];
  /** 1-based line (CSV) or row index (NPY) of each row, for messages. */
  where: string[];
}

/**
 * A header field: a column name, i.e. not something that is (or is meant as) a number — not a
 * numeral, nor a float spelling nsad refuses (`NaN`, `inf`, `Infinity`), nor anything starting
 * like a number (a digit, a sign or a point followed by a digit). A first row `NaN,…` is data
 * with a bad value, not a header.
 */
function isColumnName(f: string): boolean {
  return f !== '' && !/^[+-]?(\d|\.\d)/.test(f) && !/^[+-]?(nan|inf|infinity)$/i.test(f);
}

/** A header row: column names, some possibly empty (pandas writes `,a,b` for its index column). */
function isHeader(fields: readonly string[]): boolean {
  return fields.some(isColumnName) && fields.every((f) => f === '' || isColumnName(f));
}

export function parseCsvRows(text: string, source: string, dim: number): InputRows {
  const rows: Rational[][] = [];
  const where: string[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let sawData = false;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim());
    // A first non-comment line of column names is a header.
    if (!sawData && isHeader(fields)) {
      sawData = true;
      continue;
    }
    sawData = true;
    const parsed: Rational[] = [];
    for (let c = 0; c < fields.length; c++) {
      const r = readNumeral(fields[c]!);
      if (!(r instanceof Rational))
        throw new UserError(`${source}:${k + 1}: column ${c + 1}: ${quoted(fields[c]!)} is not a number (${r.reason === 'syntax' ? 'integer, decimal or a/b' : r.message})`);
      parsed.push(r);
    }
    if (parsed.length !== dim) throw new UserError(`${source}:${k + 1}: expected ${dim} values (the network's inputDim), got ${parsed.length}`);
    rows.push(parsed);
    where.push(`${source}:${k + 1}`);
  }
  if (rows.length === 0) throw new UserError(`${source}: no input rows`);
  return { format: 'csv', rows, where };
}

export function readInputRows(path: string, dim: number): InputRows {
  const bytes = readFileBytes(path);
  const isNpy = extname(path).toLowerCase() === '.npy' || (bytes.length > 6 && bytes[0] === 0x93 && bytes.subarray(1, 6).toString('latin1') === 'NUMPY');
  if (!isNpy) return parseCsvRows(decodeUtf8(bytes, path), path, dim);
  const rows = npyRows(parseNpy(bytes, path), path);
  rows.forEach((r, i) => {
    if (r.length !== dim) throw new UserError(`${path}: row ${i}: ${r.length} values per input, the network's inputDim is ${dim}`);
  });
  if (rows.length === 0) throw new UserError(`${path}: no input rows`);
  return { format: 'npy', rows, where: rows.map((_, i) => `${path}[${i}]`) };
}

/**
 * The rows as a framework receives them: each value replaced by the nearest float of `dtype`
 * (a decimal such as 0.1 becomes the float32 13421773/2^27). The audit then analyses those points
 * exactly. Rounding goes through the nearest float64 first (a tie at the format's midpoint could
 * round differently from a direct rounding; decimals with fewer than 17 significant digits are exact
 * enough for that never to matter).
 */
export function roundRows(rows: readonly (readonly Rational[])[], dtype: FloatDtype, where?: readonly string[]): Rational[][] {
  return rows.map((r, i) =>
    r.map((v, j) => {
      const d = roundTo(v.toNumber(), dtype);
      if (!Number.isFinite(d)) throw new UserError(`${where?.[i] ?? `input ${i}`}: column ${j + 1}: ${quoted(v.toString())} overflows ${dtype} (--round-inputs)`);
      return Rational.fromNumber(d);
    }),
  );
}
