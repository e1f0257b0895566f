/**
 * Exact JSON input: every number keeps the decimal token it was written with, so nothing the
 * toolkit decides on is read through a rounded double (docs/formats.md "Numbers").
 *
 * The rule, one for every JSON file the toolkit reads (networks, certificates, points, bases):
 *   - a JSON number token means exactly the decimal it spells: `3`, `-2`, `0.1` = 1/10,
 *     `1.0000000000000001` = 10000000000000001/10^16 (not 1), `1e-3` = 1/1000;
 *   - a string may hold an integer, a fraction `"a/b"` (b ≠ 0) or a decimal, with the same meaning;
 *   - exponents beyond ±1000 are refused (they are never a weight anyone means, and 10^(10^9)
 *     would not fit in memory).
 *
 * Text rules: UTF-8; one leading UTF-8 byte-order mark is ignored (the same rule as DIMACS input,
 * src/cnf/dimacs.ts); UTF-16/32 text (a UTF-16 BOM or NUL bytes) and invalid UTF-8 are refused
 * with one line; a key repeated with a different value is refused (a repeat with an equal value is
 * harmless and accepted).
 *
 * Errors are UserErrors that start with the source (a file name) and the JSON path of the field.
 * Parsing is done by the npm library `lossless-json`, which hands number tokens over unparsed.
 */
import { readFileSync } from 'node:fs';
import { parse as losslessParse } from 'lossless-json';
import { Rational } from '../exact/rational';
import { UserError } from '../errors';

/** A JSON number exactly as written in the text (the token, e.g. `"-1.5e3"`). */
export class JsonNumber {
  constructor(readonly token: string) {}
  toString(): string {
    return this.token;
  }
  /** Lets an echoed value (meta, messages) print the token rather than `{}`. */
  toJSON(): number | string {
    const n = Number(this.token);
    return Number.isSafeInteger(n) && /^-?\d+$/.test(this.token) ? n : this.token;
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Largest |exponent| accepted in a number token or a decimal string. */
export const MAX_EXPONENT = 1000;
/** Most digits in one digit run (integer part, fraction, numerator or denominator) of a number. */
export const MAX_DIGITS = 1000;
const TOO_LONG = new RegExp(`\\d{${MAX_DIGITS + 1}}`);

function lineCol(text: string, pos: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line}, column ${col}`;
}

/**
 * Parse JSON text, keeping number tokens exact (JsonNumber). A leading U+FEFF is ignored.
 * Errors: UserError `source: not valid JSON (…, line L, column C)`.
 */
export function parseJsonExact(text: string, source: string): JsonValue {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return losslessParse(body, null, {
      parseNumber: (token: string) => new JsonNumber(token),
      onDuplicateKey: ({ key }) => {
        throw new SyntaxError(`duplicate key ${JSON.stringify(key)}`);
      },
    }) as JsonValue;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const m = /^(.*?)(?: at position (\d+))?$/.exec(e.message)!;
    const where = m[2] !== undefined ? `, ${lineCol(body, Number(m[2]))}` : '';
    throw new UserError(`${source}: not valid JSON (${m[1]}${where})`);
  }
}

/**
 * Decode file bytes as UTF-8 text, refusing UTF-16/32 and invalid UTF-8 with one line (instead of
 * echoing raw bytes in a later JSON error).
 */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  refuseWideText(bytes, source);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${source}: not valid UTF-8 text`);
  }
}

/**
 * Refuse UTF-16/32 text (a UTF-16 byte-order mark, or NUL bytes) with one line, for every text
 * input (JSON here, DIMACS in src/cnf/dimacs.ts), instead of echoing its raw bytes in a later error.
 */
export function refuseWideText(bytes: Uint8Array, source: string): void {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)))
    throw new UserError(`${source}: the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8`);
  if (bytes.includes(0))
    throw new UserError(`${source}: the file contains NUL bytes (UTF-16/32 or binary data?); expected UTF-8 text`);
}

/** A file's bytes; a missing or unreadable file is a UserError naming it (one line, exit 2). */
export function readFileBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (e as Error).message})`}`);
  }
}

/** Read a file as UTF-8 text; a missing or unreadable file is a UserError naming it. */
export function readTextFile(path: string): string {
  return decodeUtf8(readFileBytes(path), path);
}

/** Read and parse a JSON file exactly (see parseJsonExact). */
export function readJsonExact(path: string): JsonValue {
  return parseJsonExact(readTextFile(path), path);
}

/** A short description of a value for messages ("an array of length 3", "the string "x""). */
export function describeJson(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (v === null) return 'null';
  if (v instanceof JsonNumber) return `the number ${v.token.length > 40 ? v.token.slice(0, 40) + '…' : v.token}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function fail(source: string, path: string, message: string): never {
  throw new UserError(`${source}: ${path === '' ? '' : `${path}: `}${message}`);
}

/** Exact value of a decimal numeral (sign, digits, optional fraction, optional exponent), or null. */
function decimalValue(text: string): Rational | null | 'range' {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return null;
  const frac = m[3] ?? '';
  const e = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(e) || Math.abs(e) > MAX_EXPONENT) return 'range';
  const digits = BigInt(m[2]! + frac);
  const sign = m[1] === '-' ? -1n : 1n;
  const exp = e - frac.length;
  return exp >= 0 ? Rational.of(sign * digits * 10n ** BigInt(exp)) : Rational.of(sign * digits, 10n ** BigInt(-exp));
}

/**
 * The exact rational a JSON value stands for: a number token (the decimal it spells) or a string
 * holding an integer, `"a/b"` or a decimal. Anything else is a UserError naming source and path.
 */
export function exactRational(value: JsonValue | undefined, source: string, path: string): Rational {
  const text = value instanceof JsonNumber ? value.token : typeof value === 'string' ? value : '';
  if (TOO_LONG.test(text)) fail(source, path, `a number with more than ${MAX_DIGITS} digits (${text.slice(0, 20)}…)`);
  if (value instanceof JsonNumber) {
    const r = decimalValue(value.token);
    if (r === 'range') fail(source, path, `the number ${value.token.slice(0, 40)} has an exponent beyond ±${MAX_EXPONENT}`);
    if (r === null) fail(source, path, `not a number token: ${value.token.slice(0, 40)}`);
    return r;
  }
  if (typeof value === 'string') {
    const s = value.trim();
    const frac = /^([+-]?\d+)\/([+-]?\d+)$/.exec(s);
    if (frac) {
      const d = BigInt(frac[2]!);
      if (d === 0n) fail(source, path, `the fraction ${JSON.stringify(value)} has denominator 0`);
      return Rational.of(BigInt(frac[1]!), d);
    }
    const r = decimalValue(s);
    if (r === 'range') fail(source, path, `the number ${JSON.stringify(value.slice(0, 40))} has an exponent beyond ±${MAX_EXPONENT}`);
    if (r !== null) return r;
  }
  fail(source, path, `expected a number or a string "a/b", got ${describeJson(value)}`);
}

/** An integer in [min, max] given as a JSON number token (`3`, `3.0`, `3e0`), e.g. a dimension. */
export function exactInteger(value: JsonValue | undefined, source: string, path: string, min = -Infinity, max = Infinity): number {
  if (!(value instanceof JsonNumber)) fail(source, path, `expected an integer, got ${describeJson(value)}`);
  const r = exactRational(value, source, path);
  if (!r.isInteger()) fail(source, path, `expected an integer, got ${value.token}`);
  const n = Number(r.toString());
  if (!Number.isSafeInteger(n) || n < min || n > max)
    fail(source, path, `expected an integer in [${min}, ${max}], got ${value.token.slice(0, 40)}`);
  return n;
}

/** A vector of exact rationals: an array of number tokens or rational strings. */
export function exactVector(value: JsonValue | undefined, source: string, path: string, length?: number): Rational[] {
  if (!Array.isArray(value)) fail(source, path, `expected an array of numbers, got ${describeJson(value)}`);
  if (length !== undefined && value.length !== length) fail(source, path, `expected ${length} entries, got ${value.length}`);
  return value.map((v, i) => exactRational(v, source, `${path}[${i}]`));
}

/** The object at a path, or a UserError naming it. */
export function expectObject(value: JsonValue | undefined, source: string, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof JsonNumber)
    fail(source, path, `expected an object, got ${describeJson(value)}`);
  return value;
}

/** An array at a path, or a UserError naming it. */
export function expectArray(value: JsonValue | undefined, source: string, path: string): JsonValue[] {
  if (!Array.isArray(value)) fail(source, path, `expected an array, got ${describeJson(value)}`);
  return value;
}

/** A string at a path, or a UserError naming it. */
export function expectString(value: JsonValue | undefined, source: string, path: string): string {
  if (typeof value !== 'string') fail(source, path, `expected a string, got ${describeJson(value)}`);
  return value;
}

/**
 * A plain JS value for data that is only echoed (e.g. a network's `meta`): numbers that are safe
 * integers become numbers, other number tokens stay their exact token as a string.
 */
export function toPlainJson(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return value.toJSON();
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: toPlainJson(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}
