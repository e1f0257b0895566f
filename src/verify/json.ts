/**
 * The verifier's exact JSON reading, one rule for every file it checks (networks, certificates,
 * proof lines; docs/formats.md "Numbers"), independent of the rest of nsad (only the npm library
 * `lossless-json`):
 *   - a JSON number token means exactly the decimal it spells: `1.0000000000000001` is not 1,
 *     `1e-400` is not 0. Tokens that are safe integers become JS numbers; every other token is
 *     handed on as its decimal text, which the rational reader (q.ts `num`) reads exactly (or
 *     refuses: exponents beyond ±1000). No value the checker decides on passes through a rounded
 *     double;
 *   - a key repeated in an object is refused;
 *   - arrays and objects nest at most 1000 levels (`MAX_DEPTH`; the toolkit's readers have the same
 *     limit): a deeper text is refused by a linear scan before parsing, not by a stack overflow;
 *   - text is UTF-8; one leading byte-order mark is ignored; UTF-16/32, NUL bytes and invalid
 *     UTF-8 are refused.
 * Proof files have many short lines; a line that is an array whose number tokens are all plain
 * integers of at most 15 digits (no fraction, no exponent) is read by `JSON.parse`, which is exact
 * on such tokens and cannot meet a repeated key. Everything else goes through `lossless-json`.
 */
import { parse } from 'lossless-json';

/** A file that cannot be read as JSON text at all (malformed input). */
export class NotJson extends Error {}

/** UTF-8 text of file bytes; UTF-16/32, NUL bytes and invalid UTF-8 are refused. One BOM is ignored. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)))
    throw new NotJson('the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8');
  if (bytes.includes(0)) throw new NotJson('the file contains NUL bytes (UTF-16/32 or binary data?); expected UTF-8 text');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NotJson('not valid UTF-8 text');
  }
  return stripBom(text);
}

export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

const SAFE_TOKEN = /^-?\d+$/;

/** Deepest nesting of arrays and objects accepted (`[[0]]` is 2 levels). */
export const MAX_DEPTH = 1000;

/** Refuse text that nests arrays and objects deeper than MAX_DEPTH (one scan, strings skipped). */
function refuseDeep(text: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) throw new NotJson(`not valid JSON (arrays and objects nested deeper than ${MAX_DEPTH} levels, at position ${i})`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** Parse JSON text keeping number tokens exact (see the module comment). Throws NotJson. */
export function parseExactJson(text: string): unknown {
  refuseDeep(text);
  try {
    return parse(text, null, {
      parseNumber: (token: string) => (SAFE_TOKEN.test(token) && Number.isSafeInteger(Number(token)) ? Number(token) : token),
      onDuplicateKey: ({ key }) => {
        throw new SyntaxError(`duplicate key ${JSON.stringify(key)}`);
      },
    });
  } catch (e) {
    if (e instanceof SyntaxError) throw new NotJson(`not valid JSON (${e.message})`);
    if (e instanceof RangeError) throw new NotJson('nested too deeply');
    throw e;
  }
}

/**
 * One line of a JSON Lines file, exactly (same meaning as parseExactJson). Array lines whose
 * number tokens are all integers of ≤ 15 digits take the JSON.parse fast path.
 */
export function parseExactLine(line: string): unknown {
  refuseDeep(line);
  if (line.charCodeAt(0) === 0x5b /* [ */) {
    const bare = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    if (!/[.eE]/.test(bare) && !/\d{16}/.test(bare)) {
      try {
        return JSON.parse(line);
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        // fall through: lossless-json gives the position of the error
      }
    }
  }
  return parseExactJson(line);
}
