/**
 * Input rows for the audit: CSV (one input per line, comma-separated exact numbers: integers,
 * decimals such as 0.1 = 1/10, a/b; an optional header line; `#` comments) or NumPy `.npy`
 * (src/formats/npy.ts; float arrays decoded exactly). Errors name the file and line.
 */
import { readFileBytes } from '../io/json-exact';
import { extname } from 'node:path';
import { Rational } from '../exact/rational';
import { UserError } from '../errors';
import { parseNpy, npyRows } from '../formats/npy';
import { roundTo, type FloatDtype } from '../formats/ieee';

export interface InputRows {
  format: 'csv' | 'npy';
  rows: Rational[][];
  /** 1-based line (CSV) or row index (NPY) of each row, for messages. */
  where: string[];
}

export function parseCsvRows(text: string, source: string, dim: number): InputRows {
  const rows: Rational[][] = [];
  const where: string[] = [];
  const lines = text.split(/\r?\n/);
  let sawData = false;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim());
    const parsed = fields.map((f) => Rational.parse(f));
    const badAt = parsed.findIndex((r) => r === null);
    if (badAt >= 0) {
      // A first non-comment line of which no field is a number is a header (column names).
      if (!sawData && parsed.every((r) => r === null)) {
        sawData = true;
        continue;
      }
      throw new UserError(`${source}:${k + 1}: column ${badAt + 1}: "${fields[badAt]}" is not a number (integer, decimal or a/b)`);
    }
    sawData = true;
    if (parsed.length !== dim) throw new UserError(`${source}:${k + 1}: expected ${dim} values (the network's inputDim), got ${parsed.length}`);
    rows.push(parsed as Rational[]);
    where.push(`${source}:${k + 1}`);
  }
  if (rows.length === 0) throw new UserError(`${source}: no input rows`);
  return { format: 'csv', rows, where };
}

export function readInputRows(path: string, dim: number): InputRows {
  const bytes = readFileBytes(path);
  const isNpy = extname(path).toLowerCase() === '.npy' || (bytes.length > 6 && bytes[0] === 0x93 && bytes.subarray(1, 6).toString('latin1') === 'NUMPY');
  if (!isNpy) return parseCsvRows(bytes.toString('utf8'), path, dim);
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
export function roundRows(rows: readonly (readonly Rational[])[], dtype: FloatDtype): Rational[][] {
  return rows.map((r) =>
    r.map((v) => {
      const d = roundTo(v.toNumber(), dtype);
      if (!Number.isFinite(d)) throw new UserError(`input value ${v} overflows ${dtype}`);
      return Rational.fromNumber(d);
    }),
  );
}
