/**
 * Shared option parsing for the CLI: points, integers, seeds. Each parser narrows a raw string to a
 * strict type or throws a UserError naming the option.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Rational, parseVector } from '../exact/rational';
import { UserError } from '../errors';

/** A point: comma-separated rationals (`1,-1/2,0`) or a JSON file holding an array of them. */
export function parsePoint(text: string, option = '--at'): Rational[] {
  const v = parseVector(text);
  if (v !== null) return v;
  if (existsSync(text)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(text, 'utf8'));
    } catch (e) {
      throw new UserError(`${option} ${text}: not valid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(raw)) throw new UserError(`${option} ${text}: expected a JSON array of numbers`);
    return raw.map((r, i) => {
      const q = Rational.fromJson(r);
      if (q === null) throw new UserError(`${option} ${text}: [${i}]: expected an integer or a string "a/b", got ${JSON.stringify(r)}`);
      return q;
    });
  }
  throw new UserError(`${option}: expected comma-separated rationals like 1,-1/2,0 or a JSON file, got "${text}"`);
}

export function parseIntOption(text: string, option: string, min = -Infinity, max = Infinity): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new UserError(`${option}: expected an integer, got "${text}"`);
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < min || v > max)
    throw new UserError(`${option}: expected an integer in [${min}, ${max}], got ${text}`);
  return v;
}

export function parseNumberOption(text: string, option: string, min = -Infinity, max = Infinity): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < min || v > max)
    throw new UserError(`${option}: expected a number in [${min}, ${max}], got "${text}"`);
  return v;
}

/** JSON replacer for exact output: Rationals as integers or "a/b", bigints as strings. */
export function exactJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v));
}
