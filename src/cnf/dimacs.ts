/**
 * DIMACS CNF: reader and writer.
 *
 * The hardness side of the toolkit (docs/theory.md §4) starts from real SAT instances, so the reader is
 * tolerant of what real files contain and strict about what is actually wrong.
 *
 * Tolerated (silently):
 * - comment lines anywhere (first non-blank character `c`), also between clauses;
 * - the SATLIB trailer: a line starting with `%` ends the clause data; what follows may only be
 *   `0` tokens, blank lines and comments (anything else is an error, it would hide clauses);
 * - CRLF / CR line ends, tabs and repeated blanks, also in the `p cnf` header;
 * - clauses spanning several lines and several clauses on one line (a clause ends at `0`);
 * - a leading `+` on a literal; blank lines.
 *
 * Errors (UserError `source:line: …`, the CLI exits 2):
 * - no `p cnf` header, a second header, a header after clause data, clause data before the header,
 *   a malformed header (not exactly `p cnf <vars> <clauses>` with non-negative integers);
 * - a token that is not an integer; a literal with |lit| > declared variable count;
 * - an unterminated last clause (literals after the final `0`).
 *
 * Documented policies:
 * - Clause count: the header's clause count differing from the number of clauses read is a
 *   warning by default (reported through `opts.warn`, which defaults to stderr) and an error
 *   with `strict: true`. The clauses actually read are kept.
 * - Empty clauses: a `0` with no literal before it is an empty clause; it is kept (the formula is
 *   then unsatisfiable) and counts towards the clause count. Under `strict` it is still accepted,
 *   it is a valid (if trivial) CNF.
 * - Duplicate literals inside a clause (`1 1 2 0`) are merged, keeping the first occurrence
 *   (x ∨ x ≡ x); with `strict` a warning is also issued. Tautological clauses (`1 -1 0`) are kept
 *   as written: they are satisfied by every assignment, and dropping them would renumber clauses.
 * - Variables declared but unused are kept (n is the declared count).
 */
import { MAX_TEXT_BYTES, readFileBytes, refuseWideText } from '../io/json-exact';
import { gunzipSync } from 'node:zlib';
import { makeCnf, type Cnf } from './cnf';
import { UserError, deadlineCheck, quoted } from '../errors';

/** How strictly a DIMACS file is read (docs/formats.md) and where warnings go. */
export interface DimacsOptions {
  /** Make a clause-count mismatch an error instead of a warning. */
  strict?: boolean;
  /** Where warnings go; default: one line on stderr. */
  warn?: (msg: string) => void;
  /** A `performance.now()` time after which reading stops with TimeLimitReached (src/errors.ts). */
  deadline?: number;
}

function defaultWarn(msg: string): void {
  process.stderr.write(`nsad: warning: ${msg}\n`);
}

/**
 * Parse DIMACS CNF text.
 * Pre: `source` names the input for messages (a path, or `<stdin>`).
 * Post: a Cnf satisfying `makeCnf`'s invariants, `n` = declared variable count, clauses in file
 * order with duplicate literals merged, comment lines (without `c `) in `comments`.
 * Throws UserError `source:line: message` on malformed input (see the module header).
 */
export function parseDimacs(text: string, source: string, opts: DimacsOptions = {}): Cnf {
  const warn = opts.warn ?? defaultWarn;
  const strict = opts.strict === true;
  const lines = text.split(/\r\n|\n|\r/);
  const comments: string[] = [];
  const clauses: number[][] = [];
  let n = -1;
  let declaredM = -1;
  let headerLine = 0;
  let current: number[] = [];
  let currentStart = 0; // line where the current (unterminated) clause began
  let inTrailer = false;
  let trailerLine = 0;
  const err = (line: number, msg: string): never => {
    throw new UserError(`${source}:${line}: ${msg}`);
  };
  const tick = deadlineCheck(opts.deadline, 'reading the formula', 4096);

  for (let i = 0; i < lines.length; i++) {
    tick();
    const lineNo = i + 1;
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line[0] === 'c') {
      // `c`, `c text`, `c\ttext`: drop the marker and one separating blank.
      comments.push(line.length > 1 && (line[1] === ' ' || line[1] === '\t') ? line.slice(2) : line.slice(1));
      continue;
    }
    if (inTrailer) {
      for (const tok of line.split(/\s+/))
        if (tok !== '0') err(lineNo, `unexpected ${quoted(tok)} after the "%" end marker (line ${trailerLine})`);
      continue;
    }
    if (line[0] === '%') {
      if (n < 0) err(lineNo, 'missing "p cnf" header before the "%" end marker');
      if (current.length > 0) err(currentStart, 'unterminated clause before the "%" end marker (missing final 0)');
      inTrailer = true;
      trailerLine = lineNo;
      const rest = line.slice(1).trim();
      if (rest !== '') for (const tok of rest.split(/\s+/)) if (tok !== '0') err(lineNo, `unexpected ${quoted(tok)} after "%"`);
      continue;
    }
    if (line[0] === 'p') {
      const toks = line.split(/\s+/);
      if (n >= 0) err(lineNo, `duplicate "p" header (first on line ${headerLine})`);
      if (clauses.length > 0 || current.length > 0) err(lineNo, '"p cnf" header after clause data');
      if (toks[0] !== 'p') err(lineNo, `malformed header ${quoted(line, 60)}: expected "p cnf <vars> <clauses>"`);
      if (toks[1] !== 'cnf') err(lineNo, `unsupported format ${quoted(toks[1] ?? '')}: expected "p cnf <vars> <clauses>"`);
      if (toks.length !== 4) err(lineNo, `malformed header ${quoted(line, 60)}: expected "p cnf <vars> <clauses>"`);
      const [nv, nc] = [toks[2]!, toks[3]!];
      if (!/^\d+$/.test(nv) || !Number.isSafeInteger(Number(nv)))
        err(lineNo, `header: variable count ${quoted(nv)} is not a non-negative integer`);
      if (!/^\d+$/.test(nc) || !Number.isSafeInteger(Number(nc)))
        err(lineNo, `header: clause count ${quoted(nc)} is not a non-negative integer`);
      n = Number(nv);
      declaredM = Number(nc);
      headerLine = lineNo;
      continue;
    }
    // Clause data: a hand-written scanner (this is the hot loop on large files).
    const len = line.length;
    let p = 0;
    while (p < len) {
      let c = line.charCodeAt(p);
      if (c === 32 || c === 9 || c === 11 || c === 12) {
        p++;
        continue;
      }
      const start = p;
      let neg = false;
      if (c === 45 || c === 43) {
        neg = c === 45;
        p++;
      }
      let v = 0;
      let digits = 0;
      while (p < len && (c = line.charCodeAt(p)) >= 48 && c <= 57) {
        v = v * 10 + (c - 48);
        digits++;
        p++;
      }
      const endsHere = p >= len || c === 32 || c === 9 || c === 11 || c === 12;
      if (digits === 0 || !endsHere) {
        while (p < len && !/\s/.test(line[p]!)) p++;
        err(lineNo, `${quoted(line.slice(start, p))} is not an integer literal`);
      }
      if (n < 0) err(lineNo, 'missing "p cnf" header before clause data');
      if (v === 0) {
        clauses.push(dedupe(current, source, lineNo, strict, warn));
        current = [];
        continue;
      }
      if (v > n || !Number.isSafeInteger(v))
        err(lineNo, `literal ${line.slice(start, p).slice(0, 40)} is out of range: the header declares ${n} variables`);
      if (current.length === 0) currentStart = lineNo;
      current.push(neg ? -v : v);
    }
  }
  // The last line of the file (a final newline does not start a new line).
  const eofLine = Math.max(1, lines.length - (lines.length > 1 && lines[lines.length - 1] === '' ? 1 : 0));
  if (n < 0) err(eofLine, 'missing "p cnf <vars> <clauses>" header');
  if (current.length > 0) err(currentStart, 'unterminated last clause (missing final 0)');
  if (clauses.length !== declaredM) {
    const msg = `${source}:${headerLine}: header declares ${declaredM} clauses, found ${clauses.length}`;
    if (strict) throw new UserError(`${msg} (--strict)`);
    warn(msg);
  }
  return makeCnf(n, clauses, comments);
}

function dedupe(clause: number[], source: string, line: number, strict: boolean, warn: (m: string) => void): number[] {
  let out = clause;
  if (clause.length <= 16) {
    // Short clauses (the usual case): a quadratic scan beats allocating a Set.
    for (let i = 1; i < clause.length; i++)
      for (let j = 0; j < i; j++)
        if (clause[i] === clause[j]) {
          out = clause.filter((l, k) => clause.indexOf(l) === k);
          i = clause.length;
          break;
        }
  } else if (new Set(clause).size !== clause.length) {
    out = clause.filter((l, k) => clause.indexOf(l) === k);
  }
  if (out.length !== clause.length && strict) warn(`${source}:${line}: duplicate literal merged in clause ${clause.join(' ')} 0`);
  return out;
}

/**
 * Read a `.cnf` or gzipped `.cnf.gz` file (gzip is detected by its magic bytes, whatever the
 * name). A missing or unreadable file is a UserError naming it.
 */
export function readCnfFile(path: string, opts: DimacsOptions = {}): Cnf {
  let bytes = readFileBytes(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_TEXT_BYTES + 1 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new UserError(`${path}: decompresses to more than ${MAX_TEXT_BYTES} bytes, the limit for text input`);
      throw new UserError(`${path}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  refuseWideText(bytes, path); // UTF-16 refused in one line, as for JSON (src/io/json-exact.ts)
  return parseDimacs(bytes.toString('utf8'), path, opts);
}

/**
 * DIMACS text of a CNF: comment lines (`comments` if given, else `cnf.comments`), the header,
 * one clause per line, `\n` line ends, a final newline. `parseDimacs(writeDimacs(f))` gives back
 * f's n, clauses and comments (for clauses without duplicate literals, which parseDimacs merges).
 * A comment containing newlines becomes several comment lines.
 */
export function writeDimacs(cnf: Cnf, comments?: readonly string[]): string {
  const out: string[] = [];
  for (const c of comments ?? cnf.comments ?? [])
    for (const l of c.split(/\r\n|\n|\r/)) out.push(l === '' ? 'c' : `c ${l}`);
  out.push(`p cnf ${cnf.n} ${cnf.clauses.length}`);
  for (const cl of cnf.clauses) out.push(cl.length === 0 ? '0' : `${cl.join(' ')} 0`);
  return out.join('\n') + '\n';
}
