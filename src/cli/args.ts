/**
 * Shared option parsing for the CLI: points, integers, seeds. Each parser narrows a raw string to a
 * strict type or throws a UserError naming the option.
 */
import { existsSync } from 'node:fs';
import { Rational, parseVector } from '../exact/rational';
import { UserError, quoted, withSource } from '../errors';
import { exactVector, expectArray, readJsonExact } from '../io/json-exact';

/**
 * A point: comma-separated rationals (`1,-1/2,0`) or a JSON file holding an array of them, read
 * exactly (src/io/json-exact.ts: a JSON number means the decimal it spells).
 */
export function parsePoint(text: string, option = '--at'): Rational[] {
  const v = parseVector(text);
  if (v !== null) return v;
  if (existsSync(text)) return withSource(option, () => exactVector(readJsonExact(text), text, ''));
  throw new UserError(`${option}: expected comma-separated rationals like 1,-1/2,0 or a JSON file, got ${quoted(text)}`);
}

/** A JSON file holding an array of vectors (e.g. a basis), read exactly; errors name file and path. */
export function readMatrixFile(path: string, option: string): Rational[][] {
  return withSource(option, () => {
    const raw = readJsonExact(path);
    return expectArray(raw, path, '').map((row, k) => exactVector(row, path, `[${k}]`));
  });
}

export function parseIntOption(text: string, option: string, min = -Infinity, max = Infinity): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new UserError(`${option}: expected an integer, got ${quoted(text)}`);
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < min || v > max)
    throw new UserError(`${option}: expected an integer ${max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`}, got ${text.trim().slice(0, 40)}`);
  return v;
}

export function parseNumberOption(text: string, option: string, min = -Infinity, max = Infinity): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < min || v > max)
    throw new UserError(`${option}: expected a number ${max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`}, got ${quoted(text)}`);
  return v;
}

/** JSON replacer for exact output: Rationals as integers or "a/b", bigints as strings. */
export function exactJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v));
}
