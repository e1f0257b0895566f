/**
 * The `nsad-network` JSON format, version 1 (README "File formats"):
 *
 *     {"format":"nsad-network","version":1,"inputDim":p,
 *      "layers":[{"weights":[[…],…],"bias":[…]},…], "meta":{…}}
 *
 * Numbers are JSON integers or strings "a/b" (also "-3", "1.5"). `bias` is optional (absent = 0).
 * Sparse variant, for large networks: a layer may instead be
 *     {"rows":r,"cols":c,"entries":[[i,j,w],…],"bias":[…]}
 * with 0-based (i, j); unlisted entries are 0; a repeated (i, j) is an error. The dense form is
 * always read and written by default.
 *
 * Errors name the JSON path of the offending field and what was expected vs what was found.
 */
import { readFileSync } from 'node:fs';
import { Rational, ZERO } from '../exact/rational';
import { UserError } from '../errors';
import { Network, LIMITS, type Layer } from './network';
import { writeFileAtomic } from '../io/atomic';

export const NETWORK_FORMAT = 'nsad-network';
export const NETWORK_VERSION = 1;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function num(v: unknown, path: string): Rational {
  if (typeof v === 'number' && Number.isInteger(v) && v >= -64 && v <= 64) return Rational.int(v);
  // The format allows JSON integers and strings only: a JSON fraction like 0.1 is not the decimal
  // it looks like once parsed to a double, so it is refused rather than silently rounded.
  if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v))
    throw new UserError(`${path}: expected an integer or a string "a/b", got the non-integer number ${v} (write it as a string, e.g. "${v}")`);
  const r = Rational.fromJson(v);
  if (r === null) {
    if (typeof v === 'number' && Number.isInteger(v))
      throw new UserError(`${path}: integer ${v} is beyond 2^53 and not exact in JSON; write it as a string`);
    throw new UserError(`${path}: expected an integer or a string "a/b", got ${describe(v)}`);
  }
  return r;
}

function parseLayer(raw: unknown, l: number, cols: number): Layer {
  const path = `layers[${l}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UserError(`${path}: expected an object, got ${describe(raw)}`);
  const o = raw as Record<string, unknown>;
  let weights: Rational[][];
  if (o.weights !== undefined) {
    if (!Array.isArray(o.weights)) throw new UserError(`${path}.weights: expected an array of rows, got ${describe(o.weights)}`);
    if (o.weights.length === 0) throw new UserError(`${path}.weights: expected at least one row, got none`);
    if (o.weights.length > LIMITS.maxWidth)
      throw new UserError(`${path}.weights: ${o.weights.length} rows exceed the limit ${LIMITS.maxWidth}`);
    weights = o.weights.map((row, i) => {
      if (!Array.isArray(row)) throw new UserError(`${path}.weights[${i}]: expected an array, got ${describe(row)}`);
      if (row.length !== cols)
        throw new UserError(`${path}.weights[${i}]: expected ${cols} entries, got ${row.length}`);
      const out = new Array<Rational>(row.length);
      for (let j = 0; j < row.length; j++) out[j] = num(row[j], `${path}.weights[${i}][${j}]`);
      return out;
    });
  } else if (o.entries !== undefined) {
    const rows = o.rows;
    if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 1)
      throw new UserError(`${path}.rows: expected a positive integer, got ${describe(rows)}`);
    if (rows > LIMITS.maxWidth) throw new UserError(`${path}.rows: ${rows} exceeds the limit ${LIMITS.maxWidth}`);
    if (o.cols !== cols) throw new UserError(`${path}.cols: expected ${cols}, got ${describe(o.cols)}`);
    if (rows * cols > LIMITS.maxWeights) throw new UserError(`${path}: ${rows}×${cols} exceeds the limit of ${LIMITS.maxWeights} weights`);
    if (!Array.isArray(o.entries)) throw new UserError(`${path}.entries: expected an array of [i,j,w], got ${describe(o.entries)}`);
    weights = Array.from({ length: rows }, () => new Array<Rational>(cols).fill(ZERO));
    const seen = new Set<number>();
    o.entries.forEach((e, k) => {
      const ep = `${path}.entries[${k}]`;
      if (!Array.isArray(e) || e.length !== 3) throw new UserError(`${ep}: expected [i, j, w], got ${describe(e)}`);
      const [i, j, w] = e as unknown[];
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= rows)
        throw new UserError(`${ep}[0]: expected a row index in 0..${rows - 1}, got ${describe(i)}`);
      if (typeof j !== 'number' || !Number.isInteger(j) || j < 0 || j >= cols)
        throw new UserError(`${ep}[1]: expected a column index in 0..${cols - 1}, got ${describe(j)}`);
      const key = i * cols + j;
      if (seen.has(key)) throw new UserError(`${ep}: entry (${i}, ${j}) is repeated`);
      seen.add(key);
      weights[i]![j] = num(w, `${ep}[2]`);
    });
  } else {
    throw new UserError(`${path}: expected a "weights" matrix (or "rows","cols","entries"), found neither`);
  }
  let bias: Rational[];
  if (o.bias === undefined) bias = weights.map(() => ZERO);
  else {
    if (!Array.isArray(o.bias)) throw new UserError(`${path}.bias: expected an array, got ${describe(o.bias)}`);
    if (o.bias.length !== weights.length)
      throw new UserError(`${path}.bias: expected ${weights.length} entries (one per row), got ${o.bias.length}`);
    bias = o.bias.map((b, i) => num(b, `${path}.bias[${i}]`));
  }
  return { weights, bias };
}

/** Validate a parsed JSON value into a Network. Errors name the JSON path. */
export function networkFromJson(raw: unknown): Network {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UserError(`expected a JSON object, got ${describe(raw)}`);
  const o = raw as Record<string, unknown>;
  if (o.format !== NETWORK_FORMAT) throw new UserError(`format: expected "${NETWORK_FORMAT}", got ${describe(o.format)}`);
  if (o.version !== NETWORK_VERSION) throw new UserError(`version: expected ${NETWORK_VERSION}, got ${describe(o.version)}`);
  const p = o.inputDim;
  if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < 1)
    throw new UserError(`inputDim: expected a positive integer, got ${describe(p)}`);
  if (p > LIMITS.maxInputDim) throw new UserError(`inputDim: ${p} exceeds the limit ${LIMITS.maxInputDim}`);
  if (!Array.isArray(o.layers)) throw new UserError(`layers: expected an array, got ${describe(o.layers)}`);
  if (o.layers.length === 0) throw new UserError('layers: expected at least one layer, got none');
  if (o.layers.length > LIMITS.maxLayers) throw new UserError(`layers: ${o.layers.length} layers exceed the limit ${LIMITS.maxLayers}`);
  const layers: Layer[] = [];
  let cols = p;
  let total = 0;
  for (let l = 0; l < o.layers.length; l++) {
    const layer = parseLayer(o.layers[l], l, cols);
    total += layer.weights.length * cols;
    if (total > LIMITS.maxWeights) throw new UserError(`layers: more than ${LIMITS.maxWeights} weights (the documented limit)`);
    layers.push(layer);
    cols = layer.weights.length;
  }
  if (o.meta !== undefined && (typeof o.meta !== 'object' || o.meta === null || Array.isArray(o.meta)))
    throw new UserError(`meta: expected an object, got ${describe(o.meta)}`);
  return new Network(p, layers, (o.meta as Record<string, unknown>) ?? {});
}

export function parseNetwork(text: string, source = 'network'): Network {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  try {
    return networkFromJson(raw);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${source}: ${e.message}`);
    throw e;
  }
}

export function readNetworkFile(path: string): Network {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseNetwork(text, path);
}

/** The JSON value of a network, dense or sparse. Bias is omitted when all zero. */
export function networkToJson(net: Network, opts: { sparse?: boolean } = {}): Record<string, unknown> {
  const layers = net.layers.map((l) => {
    const biasFree = l.bias.every((b) => b.isZero());
    const out: Record<string, unknown> = {};
    if (opts.sparse) {
      out.rows = l.weights.length;
      out.cols = l.weights[0]!.length;
      const entries: unknown[] = [];
      l.weights.forEach((row, i) => row.forEach((w, j) => {
        if (!w.isZero()) entries.push([i, j, w.toJSON()]);
      }));
      out.entries = entries;
    } else {
      out.weights = l.weights.map((row) => row.map((w) => w.toJSON()));
    }
    if (!biasFree) out.bias = l.bias.map((b) => b.toJSON());
    return out;
  });
  const o: Record<string, unknown> = { format: NETWORK_FORMAT, version: NETWORK_VERSION, inputDim: net.inputDim, layers };
  if (Object.keys(net.meta).length > 0) o.meta = net.meta;
  return o;
}

/**
 * Text of a network file. Dense rows go on one line each, so large files stay readable and
 * diffable without the blow-up of fully indented JSON.
 */
export function serializeNetwork(net: Network, opts: { sparse?: boolean } = {}): string {
  const j = networkToJson(net, opts);
  const layers = (j.layers as Record<string, unknown>[]).map((l) => {
    const parts: string[] = [];
    if (l.weights) parts.push(`"weights": [\n${(l.weights as unknown[][]).map((r) => '      ' + JSON.stringify(r)).join(',\n')}\n    ]`);
    if (l.rows !== undefined) parts.push(`"rows": ${l.rows}, "cols": ${l.cols}`, `"entries": ${JSON.stringify(l.entries)}`);
    if (l.bias) parts.push(`"bias": ${JSON.stringify(l.bias)}`);
    return `    {${parts.join(', ')}}`;
  });
  const head = `{"format": "${NETWORK_FORMAT}", "version": ${NETWORK_VERSION}, "inputDim": ${net.inputDim},\n`;
  const meta = j.meta !== undefined ? `,\n  "meta": ${JSON.stringify(j.meta)}` : '';
  return `${head}  "layers": [\n${layers.join(',\n')}\n  ]${meta}\n}\n`;
}

export function writeNetworkFile(path: string, net: Network, opts: { sparse?: boolean } = {}): void {
  writeFileAtomic(path, serializeNetwork(net, opts));
}
