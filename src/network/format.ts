/**
 * The `nsad-network` JSON format, version 1 (docs/formats.md, "Networks: nsad-network, version 1"):
 *
 *     {"format":"nsad-network","version":1,"inputDim":p,
 *      "layers":[{"weights":[[…],…],"bias":[…]},…], "meta":{…}}
 *
 * Numbers are JSON numbers or strings "a/b" (also "-3", "1.5"), read exactly: a number token means
 * the decimal it spells (`0.1` is 1/10; src/io/json-exact.ts). `bias` is optional (absent = 0).
 * Sparse layer form, for large networks (a file may mix both forms, layer by layer):
 *     {"rows":r,"cols":c,"entries":[[i,j,w],…],"bias":[…]}
 * with 0-based (i, j) in any order; unlisted entries are 0; a repeated (i, j) is an error.
 *
 * Both forms are read straight into compressed sparse rows (src/network/network.ts), so reading
 * costs O(file size) and memory O(nonzeros) whatever the dense size. Writing: `sparse: true` writes
 * every layer sparse, `false` every layer dense; by default (`'auto'`) a layer is written sparse
 * when it is large and sparse (see `writesSparse`), so small hand-written networks stay readable.
 *
 * Errors name the JSON path of the offending field and what was expected vs what was found.
 */
import { Rational } from '../exact/rational';
import { UserError } from '../errors';
import { Network, NetLayer, LIMITS } from './network';
import { writeFileAtomic } from '../io/atomic';
import { JsonNumber, exactRational, parseJsonExactFast, readTextFile, stringifyJson, toPlainJson, type JsonValue } from '../io/json-exact';

export const NETWORK_FORMAT = 'nsad-network';
export const NETWORK_VERSION = 1;

/** `true`: every layer sparse; `false`: every layer dense; `'auto'` (default): see `writesSparse`. */
export type LayoutOption = boolean | 'auto';

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (v === null) return 'null';
  if (v instanceof JsonNumber) return `number ${v.token.length > 40 ? v.token.slice(0, 40) + '…' : v.token}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Shared instances for the tokens of ternary networks (no BigInt parse per weight). */
const SMALL_INTS: Rational[] = Array.from({ length: 129 }, (_, k) => Rational.int(k - 64));
const SMALL_TOKENS = new Map<string, Rational>(SMALL_INTS.map((r) => [r.toString(), r]));

/**
 * An exact weight, bias or point coordinate. Files are parsed with src/io/json-exact.ts, so a
 * number token arrives as the decimal it spells (`0.1` = 1/10, `1.0000000000000001` ≠ 1) — never
 * through a double. Plain JS numbers (a value built in memory, e.g. by `networkToJson`) are
 * accepted when they are safe integers; a non-integer double is refused, since which decimal it
 * was meant to be is lost.
 */
function num(v: unknown, path: string, source: string): Rational {
  if (v instanceof JsonNumber) {
    const hit = SMALL_TOKENS.get(v.token);
    return hit ?? exactRational(v, source, path);
  }
  if (typeof v === 'string') return exactRational(v, source, path);
  if (typeof v === 'number' && Number.isInteger(v) && v >= -64 && v <= 64) return Rational.int(v);
  if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v))
    throw new UserError(`${path}: expected an integer or a string "a/b", got the non-integer number ${v} (write it as a string, e.g. "${v}")`);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return Rational.int(v);
  if (typeof v === 'number' && Number.isInteger(v))
    throw new UserError(`${path}: integer ${v} is beyond 2^53 and not exact in a double; write it as a string`);
  throw new UserError(`${path}: expected a number or a string "a/b", got ${describe(v)}`);
}

/** A JSON integer (token or JS number) as a JS number, or null when it is not a safe integer. */
function intOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : null;
  if (v instanceof JsonNumber) {
    const t = v.token;
    if (t.length <= 15 && /^-?\d+$/.test(t)) return Number(t);
    let r: Rational;
    try {
      r = exactRational(v, '', '');
    } catch {
      return null;
    }
    if (!r.isInteger()) return null;
    const n = Number(r.n);
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}

function index(v: unknown, n: number, path: string, what: string): number {
  const k = intOf(v);
  if (k === null || k < 0 || k >= n) throw new UserError(`${path}: expected a ${what} index in 0..${n - 1}, got ${describe(v)}`);
  return k;
}

/** One layer of the file, read into CSR. `cols` is the previous layer's width (inputDim first). */
function parseLayer(raw: unknown, l: number, cols: number, budget: number, source: string): NetLayer {
  const path = `layers[${l}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof JsonNumber)
    throw new UserError(`${path}: expected an object, got ${describe(raw)}`);
  const o = raw as Record<string, unknown>;
  let rows: number;
  let start: Int32Array;
  let colIdx: Int32Array;
  let vals: Rational[];
  if (o.weights !== undefined) {
    if (!Array.isArray(o.weights)) throw new UserError(`${path}.weights: expected an array of rows, got ${describe(o.weights)}`);
    rows = o.weights.length;
    if (rows === 0) throw new UserError(`${path}.weights: expected at least one row, got none`);
    if (rows > LIMITS.maxWidth) throw new UserError(`${path}.weights: ${rows} rows exceed the limit ${LIMITS.maxWidth}`);
    start = new Int32Array(rows + 1);
    const cs: number[] = [];
    vals = [];
    for (let i = 0; i < rows; i++) {
      const row = o.weights[i];
      if (!Array.isArray(row)) throw new UserError(`${path}.weights[${i}]: expected an array, got ${describe(row)}`);
      if (row.length !== cols) throw new UserError(`${path}.weights[${i}]: expected ${cols} entries, got ${row.length}`);
      start[i] = cs.length;
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        // Fast path for the small integers of ternary networks (plain-parsed files).
        const w = typeof v === 'number' && v >= -64 && v <= 64 && Number.isInteger(v) ? SMALL_INTS[v + 64]! : num(v, `${path}.weights[${i}][${j}]`, source);
        if (w.n === 0n) continue;
        cs.push(j);
        vals.push(w);
      }
      if (cs.length > budget) throw new UserError(`layers: more than ${LIMITS.maxWeights} nonzero weights (the documented limit)`);
    }
    start[rows] = cs.length;
    colIdx = Int32Array.from(cs);
  } else if (o.entries !== undefined) {
    const r = intOf(o.rows);
    if (r === null || r < 1) throw new UserError(`${path}.rows: expected a positive integer, got ${describe(o.rows)}`);
    if (r > LIMITS.maxWidth) throw new UserError(`${path}.rows: ${r} exceeds the limit ${LIMITS.maxWidth}`);
    rows = r;
    if (intOf(o.cols) !== cols) throw new UserError(`${path}.cols: expected ${cols}, got ${describe(o.cols)}`);
    if (!Array.isArray(o.entries)) throw new UserError(`${path}.entries: expected an array of [i,j,w], got ${describe(o.entries)}`);
    if (o.entries.length > budget) throw new UserError(`layers: more than ${LIMITS.maxWeights} nonzero weights (the documented limit)`);
    const entries = o.entries;
    const n = entries.length;
    const I = new Int32Array(n);
    const J = new Int32Array(n);
    const V = new Array<Rational>(n);
    const count = new Int32Array(rows + 1);
    for (let k = 0; k < n; k++) {
      const e = entries[k];
      if (!Array.isArray(e) || e.length !== 3) throw new UserError(`${path}.entries[${k}]: expected [i, j, w], got ${describe(e)}`);
      const [a, b, v] = e as unknown[];
      // Fast path: plain integer indices in range and a small integer weight.
      if (typeof a === 'number' && Number.isInteger(a) && a >= 0 && a < rows) I[k] = a;
      else I[k] = index(a, rows, `${path}.entries[${k}][0]`, 'row');
      if (typeof b === 'number' && Number.isInteger(b) && b >= 0 && b < cols) J[k] = b;
      else J[k] = index(b, cols, `${path}.entries[${k}][1]`, 'column');
      V[k] = typeof v === 'number' && v >= -64 && v <= 64 && Number.isInteger(v) ? SMALL_INTS[v + 64]! : num(v, `${path}.entries[${k}][2]`, source);
      count[I[k]! + 1]!++;
    }
    // Bucket by row (stable: file order kept), then sort each row by column; a repeated (i, j) is
    // then adjacent. The error names the entry where the first repeat occurs in file order.
    for (let i = 0; i < rows; i++) count[i + 1]! += count[i]!;
    const order = new Int32Array(n);
    const fill = count.slice(0, rows);
    for (let k = 0; k < n; k++) order[fill[I[k]!]!++] = k;
    let repeat = -1;
    for (let i = 0; i < rows; i++) {
      const a = count[i]!;
      const b = count[i + 1]!;
      let sorted = true;
      for (let t = a + 1; t < b; t++) if (J[order[t]!]! <= J[order[t - 1]!]!) sorted = false;
      if (!sorted) order.subarray(a, b).sort((x, y) => J[x]! - J[y]! || x - y);
      for (let t = a + 1; t < b; t++) {
        const k = order[t]!;
        if (J[k] === J[order[t - 1]!] && (repeat < 0 || k < repeat)) repeat = k;
      }
    }
    if (repeat >= 0) throw new UserError(`${path}.entries[${repeat}]: entry (${I[repeat]}, ${J[repeat]}) is repeated`);
    start = count;
    colIdx = new Int32Array(n);
    vals = new Array<Rational>(n);
    for (let t = 0; t < n; t++) {
      colIdx[t] = J[order[t]!]!;
      vals[t] = V[order[t]!]!;
    }
  } else {
    throw new UserError(`${path}: expected a "weights" matrix (or "rows","cols","entries"), found neither`);
  }
  let bias: Rational[] | undefined;
  if (o.bias !== undefined) {
    if (!Array.isArray(o.bias)) throw new UserError(`${path}.bias: expected an array, got ${describe(o.bias)}`);
    if (o.bias.length !== rows)
      throw new UserError(`${path}.bias: expected ${rows} entries (one per row), got ${o.bias.length}`);
    bias = o.bias.map((b, i) => num(b, `${path}.bias[${i}]`, source));
  }
  // fromCsr checks the arrays and drops explicit zeros of the sparse form.
  return NetLayer.fromCsr(rows, cols, start, colIdx, vals, bias, path);
}

/**
 * Validate a parsed JSON value into a Network: the output of `parseJsonExact` (number tokens
 * exact) or a plain JS value. Errors name the JSON path; `source` (a file name) prefixes the
 * messages of malformed numbers only — `parseNetwork` prefixes the others.
 */
export function networkFromJson(raw: unknown, source = 'network'): Network {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof JsonNumber)
    throw new UserError(`expected a JSON object, got ${describe(raw)}`);
  const o = raw as Record<string, unknown>;
  if (o.format !== NETWORK_FORMAT) throw new UserError(`format: expected "${NETWORK_FORMAT}", got ${describe(o.format)}`);
  if (intOf(o.version) !== NETWORK_VERSION) throw new UserError(`version: expected ${NETWORK_VERSION}, got ${describe(o.version)}`);
  const p = intOf(o.inputDim);
  if (p === null || p < 1) throw new UserError(`inputDim: expected a positive integer, got ${describe(o.inputDim)}`);
  if (p > LIMITS.maxInputDim) throw new UserError(`inputDim: ${p} exceeds the limit ${LIMITS.maxInputDim}`);
  if (!Array.isArray(o.layers)) throw new UserError(`layers: expected an array, got ${describe(o.layers)}`);
  if (o.layers.length === 0) throw new UserError('layers: expected at least one layer, got none');
  if (o.layers.length > LIMITS.maxLayers) throw new UserError(`layers: ${o.layers.length} layers exceed the limit ${LIMITS.maxLayers}`);
  const layers: NetLayer[] = [];
  let cols = p;
  let total = 0;
  for (let l = 0; l < o.layers.length; l++) {
    const layer = parseLayer(o.layers[l], l, cols, LIMITS.maxWeights - total, source);
    total += layer.nonzeros;
    layers.push(layer);
    cols = layer.rows;
  }
  if (o.meta !== undefined && (typeof o.meta !== 'object' || o.meta === null || Array.isArray(o.meta) || o.meta instanceof JsonNumber))
    throw new UserError(`meta: expected an object, got ${describe(o.meta)}`);
  // meta is only echoed: plain values (safe integers as numbers, other tokens as exact strings).
  const meta = o.meta === undefined ? {} : (toPlainJson(o.meta as JsonValue) as Record<string, unknown>);
  return new Network(p, layers, meta);
}

/**
 * Parse network JSON text exactly (src/io/json-exact.ts `parseJsonExactFast`: large files whose
 * number tokens are all short integers take the built-in parser, which is exact for them). Errors:
 * one line, `source: path: …`.
 */
export function parseNetwork(text: string, source = 'network'): Network {
  const raw = parseJsonExactFast(text, source);
  try {
    return networkFromJson(raw, source);
  } catch (e) {
    if (e instanceof UserError && !e.message.startsWith(`${source}: `)) throw new UserError(`${source}: ${e.message}`);
    throw e;
  }
}

/** Read a network file (UTF-8; see src/io/json-exact.ts for the text rules). */
export function readNetworkFile(path: string): Network {
  return parseNetwork(readTextFile(path), path);
}

/**
 * The `'auto'` layout rule: a layer is written sparse when it has more than 4096 dense entries and
 * at most one in eight is nonzero. A sparse entry `[i,j,w]` costs about six times the two
 * characters `0,` of a dense zero, so below that density the sparse form is the smaller file;
 * small layers stay dense for reading by eye.
 */
export function writesSparse(layer: NetLayer, layout: LayoutOption = 'auto'): boolean {
  if (layout !== 'auto') return layout;
  const dense = layer.rows * layer.cols;
  return dense > 4096 && 8 * layer.nonzeros <= dense;
}

function layerJson(l: NetLayer, sparse: boolean, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (sparse) {
    out.rows = l.rows;
    out.cols = l.cols;
    const entries: unknown[] = new Array(l.nonzeros);
    for (let i = 0; i < l.rows; i++)
      for (let k = l.start[i]!; k < l.start[i + 1]!; k++) entries[k] = [i, l.col[k]!, l.w[k]!.toJSON()];
    out.entries = entries;
  } else {
    if (l.rows * l.cols > LIMITS.maxDenseWeights)
      throw new UserError(`${path}: a ${l.rows}×${l.cols} layer is too large for the dense form (limit ${LIMITS.maxDenseWeights} entries); write it sparse`);
    const rows: unknown[] = new Array(l.rows);
    for (let i = 0; i < l.rows; i++) rows[i] = l.denseRow(i).map((w) => w.toJSON());
    out.weights = rows;
  }
  if (!l.biasFree) out.bias = l.bias.map((b) => b.toJSON());
  return out;
}

/** The JSON value of a network, layer by layer dense or sparse (`sparse`, default 'auto'). Bias is omitted when all zero. */
export function networkToJson(net: Network, opts: { sparse?: LayoutOption } = {}): Record<string, unknown> {
  const layout = opts.sparse ?? 'auto';
  const layers = net.layers.map((l, k) => layerJson(l, writesSparse(l, layout), `layers[${k}]`));
  const o: Record<string, unknown> = { format: NETWORK_FORMAT, version: NETWORK_VERSION, inputDim: net.inputDim, layers };
  if (Object.keys(net.meta).length > 0) o.meta = net.meta;
  return o;
}

/**
 * Text of a network file. Dense rows go on one line each, a sparse layer's entries on one line, so
 * large files stay readable and diffable without the blow-up of fully indented JSON.
 */
export function serializeNetwork(net: Network, opts: { sparse?: LayoutOption } = {}): string {
  const layout = opts.sparse ?? 'auto';
  const parts: string[] = [`{"format": "${NETWORK_FORMAT}", "version": ${NETWORK_VERSION}, "inputDim": ${net.inputDim},\n  "layers": [\n`];
  net.layers.forEach((l, k) => {
    const sparse = writesSparse(l, layout);
    if (k > 0) parts.push(',\n');
    if (sparse) {
      parts.push(`    {"rows": ${l.rows}, "cols": ${l.cols}, "entries": [`);
      // One string per entry, joined once: no array of triples, no long chain of concatenations.
      const items = new Array<string>(l.nonzeros);
      for (let i = 0; i < l.rows; i++) {
        const head = `[${i},`;
        for (let q = l.start[i]!; q < l.start[i + 1]!; q++) {
          const u = l.unit[q]!;
          const wj = u === 1 ? '1]' : u === -1 ? '-1]' : `${JSON.stringify(l.w[q]!.toJSON())}]`;
          items[q] = head + l.col[q]! + ',' + wj;
        }
      }
      parts.push(items.join(','), ']');
    } else {
      const j = layerJson(l, false, `layers[${k}]`);
      parts.push(`    {"weights": [\n${(j.weights as unknown[][]).map((r) => '      ' + JSON.stringify(r)).join(',\n')}\n    ]`);
    }
    if (!l.biasFree) parts.push(`, "bias": ${JSON.stringify(l.bias.map((b) => b.toJSON()))}`);
    parts.push('}');
  });
  parts.push('\n  ]');
  if (Object.keys(net.meta).length > 0) parts.push(`,\n  "meta": ${stringifyJson(net.meta, 'meta', { under: 1 })}`);
  parts.push('\n}\n');
  return parts.join('');
}

export function writeNetworkFile(path: string, net: Network, opts: { sparse?: LayoutOption } = {}): void {
  writeFileAtomic(path, serializeNetwork(net, opts));
}
