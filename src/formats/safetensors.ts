/**
 * safetensors import (and export) of an `nn.Sequential` of `Linear` layers (docs/audit.md).
 *
 * File layout (the safetensors format): an unsigned 64-bit little-endian header length N, N bytes
 * of JSON `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}`, then
 * the data buffer the offsets point into.
 *
 * Keys must be `<prefix><k>.weight` (shape [out, in]) and optionally `<prefix><k>.bias` (shape
 * [out]) with one common prefix and integer indices k; the layer order is the numeric order of k
 * (`0.weight`, `2.weight`, … as `nn.Sequential(Linear, ReLU, Linear, …)` names them). A safetensors
 * file stores tensors only, not the modules between them: import assumes a ReLU between
 * consecutive Linear layers and records that assumption in `meta.imported.ops`. F64, F32, F16 and
 * BF16 tensors are decoded exactly (src/formats/ieee.ts); any other key or dtype is refused.
 */
import { Rational, ZERO } from '../exact/rational';
import { UserError, quoted } from '../errors';
import { decodeUtf8, describeJson, exactInteger, expectObject, parseJsonExact, type JsonValue } from '../io/json-exact';
import { Network, type Layer } from '../network/network';
import { decodeFloats, encodeFloats, exactFloat, type FloatDtype } from './ieee';
import { sha256, type ImportOptions } from './onnx';

const DTYPES: Record<string, FloatDtype> = { F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16' };
const NAMES: Record<FloatDtype, string> = { float64: 'F64', float32: 'F32', float16: 'F16', bfloat16: 'BF16' };
const BYTES: Record<FloatDtype, number> = { float64: 8, float32: 4, float16: 2, bfloat16: 2 };

interface Entry {
  dtype: FloatDtype;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsImportMeta {
  format: 'safetensors';
  file: string;
  sha256: string;
  dtype: string;
  ops: string[];
  keys: string[];
  output: { index: number; of: number };
  metadata?: Record<string, string>;
}

/**
 * The format's layout rule (as the reference implementation checks it): the tensors' byte ranges,
 * in order, tile the data buffer exactly — no two overlap (a layer would silently reuse another's
 * bytes) and no byte is left over.
 */
function refuseOverlapsAndHoles(entries: Map<string, Entry>, dataStart: number, dataLen: number, source: string): void {
  const spans = [...entries].map(([key, e]) => ({ key, begin: e.begin - dataStart, end: e.end - dataStart })).sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let last: (typeof spans)[number] | null = null;
  for (const s of spans) {
    if (s.begin < at && last !== null)
      throw new UserError(`${source}: tensors "${last.key}" and "${s.key}" overlap in the data buffer (data_offsets [${last.begin}, ${last.end}] and [${s.begin}, ${s.end}])`);
    if (s.begin > at) throw new UserError(`${source}: bytes ${at}..${s.begin - 1} of the data buffer belong to no tensor (the format allows no holes)`);
    at = s.end;
    last = s;
  }
  if (at < dataLen) throw new UserError(`${source}: bytes ${at}..${dataLen - 1} of the data buffer belong to no tensor (the format allows no holes)`);
}

/** Import a safetensors file's bytes as an exact network (ReLU between consecutive Linear layers). */
export function importSafetensors(bytes: Uint8Array, source: string, opts: ImportOptions = {}): Network {
  if (bytes.length < 8) throw new UserError(`${source}: too short for a safetensors file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const hlen = view.getBigUint64(0, true);
  if (hlen > BigInt(bytes.length - 8) || hlen > 100_000_000n)
    throw new UserError(`${source}: header length ${hlen} exceeds the file (${bytes.length} bytes): not a safetensors file`);
  const h = Number(hlen);
  // The header is read by the toolkit's one JSON reader: a repeated key is refused (JSON.parse
  // would keep the last one silently), so is nesting deeper than the readers' limit.
  const where = `${source}: safetensors header`;
  const header = expectObject(parseJsonExact(decodeUtf8(bytes.subarray(8, 8 + h), where), where), where, '');
  const dataStart = 8 + h;
  const dataLen = bytes.length - dataStart;
  const entries = new Map<string, Entry>();
  let metadata: Record<string, string> | undefined;
  for (const [key, raw] of Object.entries(header)) {
    if (key === '__metadata__') {
      // The format allows a string → string map only (and the network's meta echoes it).
      const md = expectObject(raw, where, '__metadata__');
      for (const [k, v] of Object.entries(md)) if (typeof v !== 'string') throw new UserError(`${where}: __metadata__.${k}: expected a string (the format allows string values only), got ${describeJson(v)}`);
      metadata = md as Record<string, string>;
      continue;
    }
    const o = expectObject(raw, where, `tensor "${key}"`);
    const dtype = typeof o.dtype === 'string' ? DTYPES[o.dtype] : undefined;
    if (dtype === undefined) throw new UserError(`${source}: tensor "${key}": dtype ${typeof o.dtype === 'string' ? quoted(o.dtype) : describeJson(o.dtype)} is not supported (F64, F32, F16, BF16)`);
    const size = (v: JsonValue | undefined, path: string): number => exactInteger(v, where, `tensor "${key}".${path}`, 0, Number.MAX_SAFE_INTEGER);
    if (!Array.isArray(o.shape)) throw new UserError(`${source}: tensor "${key}": shape ${describeJson(o.shape)} is not a list of sizes`);
    const shape = o.shape.map((d, k) => size(d, `shape[${k}]`));
    if (!Array.isArray(o.data_offsets) || o.data_offsets.length !== 2)
      throw new UserError(`${source}: tensor "${key}": data_offsets ${describeJson(o.data_offsets)}: expected [begin, end]`);
    const [begin, end] = o.data_offsets.map((d, k) => size(d, `data_offsets[${k}]`)) as [number, number];
    if (begin > end || end > dataLen)
      throw new UserError(`${source}: tensor "${key}": data_offsets [${begin}, ${end}] do not lie in the ${dataLen}-byte data buffer`);
    const n = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== n * BYTES[dtype])
      throw new UserError(`${source}: tensor "${key}": ${end - begin} bytes for shape [${shape.join(', ')}] of ${o.dtype}, expected ${n * BYTES[dtype]}`);
    entries.set(key, { dtype, shape, begin: dataStart + begin, end: dataStart + end });
  }
  refuseOverlapsAndHoles(entries, dataStart, dataLen, source);
  // Keys: <prefix><k>.weight / <prefix><k>.bias, one common prefix, k written without leading zeros
  // (so that two keys never name the same layer: "0.weight" and "00.weight" are refused).
  const layersByIndex = new Map<number, { weight?: string; bias?: string }>();
  let prefix: string | null = null;
  for (const key of entries.keys()) {
    const m = /^(.*?)(\d+)\.(weight|bias)$/.exec(key);
    if (!m) throw new UserError(`${source}: tensor "${key}": not a Linear layer's weight or bias (expected keys like "0.weight", "2.bias")`);
    const digits = m[2]!;
    if (digits.length > 1 && digits.startsWith('0'))
      throw new UserError(`${source}: tensor "${key}": layer index "${digits}" has a leading zero (it would name the same layer as "${String(Number(digits))}")`);
    const k = Number(digits);
    if (!Number.isSafeInteger(k) || digits.length > 15) throw new UserError(`${source}: tensor "${key}": layer index ${digits} is too large`);
    if (prefix === null) prefix = m[1]!;
    else if (m[1] !== prefix) throw new UserError(`${source}: tensor "${key}": prefix "${m[1]}" differs from "${prefix}" (one nn.Sequential expected)`);
    const slot = layersByIndex.get(k) ?? {};
    const kind = m[3] as 'weight' | 'bias';
    if (slot[kind] !== undefined) throw new UserError(`${source}: tensor "${key}": layer ${k} already has a ${kind} ("${slot[kind]}")`);
    slot[kind] = key;
    layersByIndex.set(k, slot);
  }
  if (layersByIndex.size === 0) throw new UserError(`${source}: no tensors`);
  const order = [...layersByIndex.keys()].sort((a, b) => a - b);
  const dtypes = new Set<string>();
  const read = (key: string): Rational[] => {
    const e = entries.get(key)!;
    dtypes.add(e.dtype);
    const n = e.shape.reduce((a, b) => a * b, 1);
    const r = decodeFloats(bytes, e.dtype, n, e.begin);
    if ('badIndex' in r) throw new UserError(`${source}: tensor "${key}": element ${r.badIndex} is NaN or infinite`);
    return r.values;
  };
  const layers: Layer[] = [];
  let cols: number | null = null;
  const ops: string[] = [];
  for (const k of order) {
    const slot = layersByIndex.get(k)!;
    if (!slot.weight) throw new UserError(`${source}: tensor "${slot.bias}": a bias without "${prefix}${k}.weight"`);
    const we = entries.get(slot.weight)!;
    if (we.shape.length !== 2 || we.shape[0]! < 1 || we.shape[1]! < 1)
      throw new UserError(`${source}: tensor "${slot.weight}": shape [${we.shape.join(', ')}], expected [out, in] with out, in ≥ 1`);
    const [rows, c] = we.shape as [number, number];
    if (cols !== null && c !== cols)
      throw new UserError(`${source}: tensor "${slot.weight}": takes ${c} inputs, but the previous layer has ${cols} outputs`);
    const w = read(slot.weight);
    const weights = Array.from({ length: rows }, (_, i) => w.slice(i * c, (i + 1) * c));
    let bias = new Array<Rational>(rows).fill(ZERO);
    if (slot.bias) {
      const be = entries.get(slot.bias)!;
      if (be.shape.length !== 1 || be.shape[0] !== rows)
        throw new UserError(`${source}: tensor "${slot.bias}": shape [${be.shape.join(', ')}], expected [${rows}]`);
      bias = read(slot.bias);
    }
    if (layers.length > 0) ops.push('Relu');
    ops.push('Linear');
    layers.push({ weights, bias });
    cols = rows;
  }
  const last = layers[layers.length - 1]!;
  const m = last.weights.length;
  let index = 0;
  if (m > 1) {
    if (opts.output === undefined)
      throw new UserError(`${source}: the model has ${m} outputs; nsad analyses a scalar F: choose one with --output K (0..${m - 1})`);
    if (!Number.isSafeInteger(opts.output) || opts.output < 0 || opts.output >= m) throw new UserError(`${source}: --output ${opts.output} is out of range 0..${m - 1}`);
    index = opts.output;
  } else if (opts.output !== undefined && opts.output !== 0) throw new UserError(`${source}: --output ${opts.output}: the model has a single output`);
  layers[layers.length - 1] = { weights: [last.weights[index]!], bias: [last.bias[index]!] };
  const meta: SafetensorsImportMeta = {
    format: 'safetensors',
    file: opts.file ?? source,
    sha256: sha256(bytes),
    dtype: [...dtypes].sort().join(','),
    ops,
    keys: order.flatMap((k) => [layersByIndex.get(k)!.weight!, ...(layersByIndex.get(k)!.bias ? [layersByIndex.get(k)!.bias!] : [])]),
    output: { index, of: m },
    ...(metadata ? { metadata } : {}),
  };
  return new Network(layers[0]!.weights[0]!.length, layers, { imported: meta });
}

/**
 * safetensors bytes for `net` as `nn.Sequential(Linear, ReLU, Linear, …)` state: keys `0.weight`,
 * `0.bias`, `2.weight`, … Weights must be exactly representable in `dtype` (the first that is not
 * is named in the error).
 */
export function exportSafetensors(net: Network, source: string, dtype: FloatDtype = 'float32'): Uint8Array {
  const header: Record<string, unknown> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const add = (key: string, shape: number[], values: Rational[], path: (k: number) => string): void => {
    const nums = values.map((v, k) => {
      const f = exactFloat(v, dtype);
      if (f === null) throw new UserError(`${source}: ${path(k)} = ${v} is not exactly representable in ${dtype}`);
      return f;
    });
    const data = encodeFloats(nums, dtype);
    header[key] = { dtype: NAMES[dtype], shape, data_offsets: [offset, offset + data.length] };
    chunks.push(data);
    offset += data.length;
  };
  net.layers.forEach((layer, l) => {
    const rows = layer.weights.length;
    const cols = layer.weights[0]!.length;
    add(`${2 * l}.weight`, [rows, cols], layer.weights.flat(), (k) => `layers[${l}].weights[${Math.floor(k / cols)}][${k % cols}]`);
    add(`${2 * l}.bias`, [rows], [...layer.bias], (k) => `layers[${l}].bias[${k}]`);
  });
  return safetensorsBytes(header, chunks);
}

/**
 * The bytes of a safetensors file: the header length (u64, little-endian), the header JSON padded
 * with spaces to a multiple of 8 bytes as the reference writer does, then the data chunks in order
 * (the header's data_offsets must describe them).
 */
export function safetensorsBytes(header: Record<string, unknown>, chunks: readonly Uint8Array[]): Uint8Array {
  let text = JSON.stringify(header);
  while ((8 + Buffer.byteLength(text)) % 8 !== 0) text += ' ';
  const head = new TextEncoder().encode(text);
  const size = chunks.reduce((a, c) => a + c.length, 0);
  const out = new Uint8Array(8 + head.length + size);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let p = 8 + head.length;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}
