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
import { UserError } from '../errors';
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

/** Import a safetensors file's bytes as an exact network (ReLU between consecutive Linear layers). */
export function importSafetensors(bytes: Uint8Array, source: string, opts: ImportOptions = {}): Network {
  if (bytes.length < 8) throw new UserError(`${source}: too short for a safetensors file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const hlen = view.getBigUint64(0, true);
  if (hlen > BigInt(bytes.length - 8) || hlen > 100_000_000n)
    throw new UserError(`${source}: header length ${hlen} exceeds the file (${bytes.length} bytes): not a safetensors file`);
  const h = Number(hlen);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + h)));
  } catch (e) {
    throw new UserError(`${source}: the safetensors header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new UserError(`${source}: the safetensors header is not a JSON object`);
  const dataStart = 8 + h;
  const dataLen = bytes.length - dataStart;
  const entries = new Map<string, Entry>();
  let metadata: Record<string, string> | undefined;
  for (const [key, raw] of Object.entries(header as Record<string, unknown>)) {
    if (key === '__metadata__') {
      metadata = raw as Record<string, string>;
      continue;
    }
    const o = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof o !== 'object' || o === null) throw new UserError(`${source}: tensor "${key}": expected an object in the header`);
    const dtype = typeof o.dtype === 'string' ? DTYPES[o.dtype] : undefined;
    if (dtype === undefined) throw new UserError(`${source}: tensor "${key}": dtype ${JSON.stringify(o.dtype)} is not supported (F64, F32, F16, BF16)`);
    if (!Array.isArray(o.shape) || !o.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw new UserError(`${source}: tensor "${key}": shape ${JSON.stringify(o.shape)} is not a list of sizes`);
    const off = o.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && d >= 0) || off[0] > off[1] || off[1] > dataLen)
      throw new UserError(`${source}: tensor "${key}": data_offsets ${JSON.stringify(off)} do not lie in the ${dataLen}-byte data buffer`);
    const shape = o.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    if (off[1] - off[0] !== n * BYTES[dtype])
      throw new UserError(`${source}: tensor "${key}": ${off[1] - off[0]} bytes for shape [${shape.join(', ')}] of ${o.dtype}, expected ${n * BYTES[dtype]}`);
    entries.set(key, { dtype, shape, begin: dataStart + off[0], end: dataStart + off[1] });
  }
  // Keys: <prefix><k>.weight / <prefix><k>.bias, one common prefix.
  const layersByIndex = new Map<number, { weight?: string; bias?: string }>();
  let prefix: string | null = null;
  for (const key of entries.keys()) {
    const m = /^(.*?)(\d+)\.(weight|bias)$/.exec(key);
    if (!m) throw new UserError(`${source}: tensor "${key}": not a Linear layer's weight or bias (expected keys like "0.weight", "2.bias")`);
    if (prefix === null) prefix = m[1]!;
    else if (m[1] !== prefix) throw new UserError(`${source}: tensor "${key}": prefix "${m[1]}" differs from "${prefix}" (one nn.Sequential expected)`);
    const k = Number(m[2]);
    const slot = layersByIndex.get(k) ?? {};
    slot[m[3] as 'weight' | 'bias'] = key;
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
  let text = JSON.stringify(header);
  // Pad the header with spaces to a multiple of 8 bytes, as the reference writer does (alignment).
  while ((8 + Buffer.byteLength(text)) % 8 !== 0) text += ' ';
  const head = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let p = 8 + head.length;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}
