/**
 * The one JSON reader (and writer) of the toolkit: exact numbers, one set of text rules, one depth
 * limit, for every JSON file nsad reads — networks (with their `meta`), `--at`/`--basis` files, the
 * safetensors header, experiment rows and manifests, CNF manifests (docs/formats.md "Numbers").
 * Only src/verify has its own copy (it imports nothing from the toolkit), with the same rules.
 *
 * Numbers (`parseJsonExact`): every number keeps the decimal token it was written with, so nothing
 * the toolkit decides on is read through a rounded double:
 *   - a JSON number token means exactly the decimal it spells: `3`, `-2`, `0.1` = 1/10,
 *     `1.0000000000000001` = 10000000000000001/10^16 (not 1), `1e-3` = 1/1000;
 *   - a string may hold an integer, a fraction `"a/b"` (b ≠ 0) or a decimal, with the same meaning;
 *   - exponents beyond ±1000 are refused (they are never a weight anyone means, and 10^(10^9)
 *     would not fit in memory).
 * `parseJsonPlain` reads numbers as doubles, for data that is measured, never decided on (the rows
 * and manifests of experiments, which the toolkit wrote itself); the text rules are the same.
 *
 * Text rules: UTF-8; one leading UTF-8 byte-order mark is ignored (the same rule as DIMACS input,
 * src/cnf/dimacs.ts); UTF-16/32 text (a UTF-16 BOM or NUL bytes) and invalid UTF-8 are refused
 * with one line; a key repeated in an object is refused (with a different value; an equal repeat is
 * harmless and accepted); arrays and objects nest at most `MAX_JSON_DEPTH` = 1000 levels. The depth
 * limit is checked by a linear scan before parsing, so a 10,000-deep file is one line of error, not
 * a stack overflow in the parser or in whatever walks the value afterwards; the writers
 * (`stringifyJson`) refuse to write what the readers would refuse.
 *
 * Errors are UserErrors that start with the source (a file name) and the JSON path of the field.
 * Parsing is done by the npm library `lossless-json`, which hands number tokens over unparsed.
 */
import { readFileSync } from 'node:fs';
import { parse as losslessParse } from 'lossless-json';
import { NUMERAL_LIMITS, Rational, readNumeral } from '../exact/rational';
import { UserError, quoted } from '../errors';
import { plainJsonIsExact } from './fast-json';

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

/** Largest text file read (bytes): V8's longest string, 2^29 − 24 UTF-16 units. */
export const MAX_TEXT_BYTES = 0x1fffffe8;

/** Deepest nesting of arrays and objects accepted in a JSON text (`[[0]]` is 2 levels). */
export const MAX_JSON_DEPTH = 1000;

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
 * The offset at which `text` nests arrays and objects deeper than `max` levels, or -1. One linear
 * scan that skips strings; it does not validate the JSON (the parser does that afterwards).
 */
export function depthExceededAt(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: skip to its closing quote (escapes skip one character)
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function refuseDeep(body: string, source: string): void {
  const at = depthExceededAt(body);
  if (at >= 0) throw new UserError(`${source}: not valid JSON (arrays and objects nested deeper than ${MAX_JSON_DEPTH} levels, ${lineCol(body, at)})`);
}

function parseLossless(body: string, source: string, parseNumber: (token: string) => unknown): unknown {
  refuseDeep(body, source);
  try {
    return losslessParse(body, null, {
      parseNumber,
      onDuplicateKey: ({ key }) => {
        throw new SyntaxError(`duplicate key ${JSON.stringify(key)}`);
      },
    });
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const m = /^(.*?)(?: at position (\d+))?$/.exec(e.message)!;
    const where = m[2] !== undefined ? `, ${lineCol(body, Number(m[2]))}` : '';
    throw new UserError(`${source}: not valid JSON (${m[1]}${where})`);
  }
}

/**
 * Parse JSON text, keeping number tokens exact (JsonNumber). A leading U+FEFF is ignored.
 * Errors: UserError `source: not valid JSON (…, line L, column C)`.
 */
export function parseJsonExact(text: string, source: string): JsonValue {
  return parseLossless(stripBom(text), source, (token) => new JsonNumber(token)) as JsonValue;
}

/**
 * `parseJsonExact` for large files (networks): when every number token is an integer of at most
 * 15 digits and no object repeats a key (src/io/fast-json.ts decides that in one scan), the
 * built-in `JSON.parse` is exact and about ten times faster, and numbers come back as JS numbers;
 * otherwise as `parseJsonExact` (JsonNumber tokens). Consumers accept both (src/network/format.ts).
 */
export function parseJsonExactFast(text: string, source: string): unknown {
  const body = stripBom(text);
  if (plainJsonIsExact(body, MAX_JSON_DEPTH)) {
    try {
      return JSON.parse(body);
    } catch {
      // malformed: the exact reader words the error
    }
  }
  return parseJsonExact(body, source);
}

/**
 * Parse JSON text with numbers as doubles, for data that is measured and echoed, never decided on
 * (experiment rows and manifests, CNF manifests): the same text rules as `parseJsonExact`.
 */
export function parseJsonPlain(text: string, source: string): unknown {
  return parseLossless(stripBom(text), source, (token) => Number(token));
}

/** Read and parse a JSON file with numbers as doubles (see parseJsonPlain). */
export function readJsonPlain(path: string): unknown {
  return parseJsonPlain(readTextFile(path), path);
}

/**
 * How deeply `value` nests arrays and objects, counted up to `max + 1` (iteratively: a value too
 * deep for the recursive `JSON.stringify` is measured, not overflowed). `toJSON` is not followed.
 */
export function valueDepth(value: unknown, max = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object' || v instanceof JsonNumber) continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > max) return deepest;
    for (const c of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) stack.push([c, depth]);
  }
  return deepest;
}

/** Options of `stringifyJson`: as `JSON.stringify`'s, and how many levels the value sits under. */
export interface StringifyOptions {
  space?: number;
  replacer?: (this: any, key: string, value: any) => any;
  /** Levels of arrays/objects the value will be written inside (e.g. 1 for a network's `meta`). */
  under?: number;
}

/**
 * JSON text of `value` (as `JSON.stringify`), refused with a UserError naming `what` when it (at
 * `under` levels down) nests deeper than the readers accept: nothing is written that nsad would
 * refuse to read, and a deep value is one line of error, not a stack overflow.
 */
export function stringifyJson(value: unknown, what: string, opts: StringifyOptions = {}): string {
  const room = MAX_JSON_DEPTH - (opts.under ?? 0);
  if (valueDepth(value, room) > room) throw new UserError(`${what}: nested deeper than ${MAX_JSON_DEPTH} levels in all; not written (the JSON readers refuse it)`);
  return JSON.stringify(value, opts.replacer, opts.space);
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
 * input (JSON here, DIMACS in src/cnf/dimacs.ts), instead of echoing its raw bytes in a later error;
 * and text beyond MAX_TEXT_BYTES, which no JavaScript string can hold.
 */
export function refuseWideText(bytes: Uint8Array, source: string): void {
  if (bytes.length > MAX_TEXT_BYTES) throw new UserError(`${source}: ${bytes.length} bytes, beyond the limit for text input (${MAX_TEXT_BYTES} bytes, the longest string JavaScript holds)`);
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

/**
 * The exact rational a JSON value stands for: a number token (the decimal it spells) or a string
 * holding an integer, `"a/b"` or a decimal — the one number rule of src/exact/rational.ts
 * `readNumeral`. Anything else is a UserError naming source and path.
 */
export function exactRational(value: JsonValue | undefined, source: string, path: string): Rational {
  const text = value instanceof JsonNumber ? value.token : typeof value === 'string' ? value : null;
  if (text !== null) {
    const r = readNumeral(text);
    if (r instanceof Rational) return r;
    const shown = value instanceof JsonNumber ? text.slice(0, 40) : quoted(text);
    if (r.reason === 'digits') fail(source, path, `a number with more than ${NUMERAL_LIMITS.maxDigits} digits in a row (${text.trim().slice(0, 20)}…)`);
    if (r.reason === 'exponent') fail(source, path, `the number ${shown} has an exponent beyond ±${NUMERAL_LIMITS.maxExponent}`);
    if (r.reason === 'zero-denominator') fail(source, path, `the fraction ${shown} has denominator 0`);
    if (value instanceof JsonNumber) fail(source, path, `not a number token: ${shown}`);
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
