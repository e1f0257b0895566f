/**
 * A fast path for exact JSON reading of large network files.
 *
 * The exact reader (src/io/json-exact.ts, lossless-json) keeps every number token as written; it
 * is about ten times slower than the built-in `JSON.parse` (measured: ~6 s against ~0.3 s on a
 * 10 MB dense network file). `JSON.parse` is exact whenever every number token is an integer of at
 * most 15 digits (|n| < 10^15 < 2^53: the double is the integer itself), and it agrees with the
 * exact reader on everything else when no object repeats a key (the exact reader refuses a key
 * repeated with a different value; `JSON.parse` keeps the last).
 *
 * `plainJsonIsExact(text, maxDepth)` is one linear scan that answers "yes" only in that case:
 * outside strings, every number token is `-?digits` with ≤ 15 digits, no object repeats a key (keys
 * with escapes are not compared: they answer "no"), and arrays and objects nest at most `maxDepth`
 * levels (deeper text answers "no", and the exact reader refuses it). Anything unusual (a fraction, an exponent, a
 * long integer, a stray character) answers "no", and the caller uses the exact reader, which also
 * produces the error messages for malformed text. "Yes" on malformed text is harmless: the caller
 * parses with `JSON.parse` and falls back to the exact reader on any syntax error.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const MAX_DIGITS = 15;

interface Frame {
  keys: Set<string> | null; // null: an array
  expectKey: boolean;
}

export function plainJsonIsExact(text: string, maxDepth: number): boolean {
  const n = text.length;
  const stack: Frame[] = [];
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const from = i + 1;
      let escaped = false;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) {
          escaped = true;
          i += 2;
          continue;
        }
        if (d === QUOTE) break;
        i++;
      }
      if (i >= n) return false;
      const top = stack[stack.length - 1];
      if (top !== undefined && top.keys !== null && top.expectKey) {
        if (escaped) return false;
        const key = text.slice(from, i);
        if (top.keys.has(key)) return false;
        top.keys.add(key);
        top.expectKey = false;
      }
      i++;
      continue;
    }
    if (c === MINUS || (c >= ZERO && c <= NINE)) {
      if (c === MINUS) i++;
      const from = i;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d < ZERO || d > NINE) break;
        i++;
      }
      if (i === from || i - from > MAX_DIGITS) return false;
      // A fraction or an exponent follows the digits directly in a number token.
      const d = text.charCodeAt(i);
      if (d === 0x2e || d === 0x65 || d === 0x45) return false;
      continue;
    }
    switch (c) {
      case 0x7b: // {
        stack.push({ keys: new Set(), expectKey: true });
        if (stack.length > maxDepth) return false;
        break;
      case 0x5b: // [
        stack.push({ keys: null, expectKey: false });
        if (stack.length > maxDepth) return false;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        if (stack.pop() === undefined) return false;
        break;
      case 0x2c: {
        // ,
        const top = stack[stack.length - 1];
        if (top !== undefined && top.keys !== null) top.expectKey = true;
        break;
      }
      case 0x3a: // :
      case 0x20:
      case 0x09:
      case 0x0a:
      case 0x0d:
        break;
      case 0x74: // true
      case 0x66: // false
      case 0x6e: // null
        while (i + 1 < n && text.charCodeAt(i + 1) >= 0x61 && text.charCodeAt(i + 1) <= 0x7a) i++;
        break;
      default:
        return false;
    }
    i++;
  }
  return stack.length === 0;
}
