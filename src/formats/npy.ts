/**
 * NumPy `.npy` arrays (format versions 1–3) as rows of exact rationals, for `nsad audit --inputs`.
 *
 * Layout: magic `\x93NUMPY`, major/minor version, header length (u16 for v1, u32 for v2/v3), a
 * Python-literal dict `{'descr': '<f4', 'fortran_order': False, 'shape': (N, p), }`, then the data.
 * Accepted: little-endian (or byte-order-free) floats f2/f4/f8 and integers i1–i8/u1–u8, C or
 * Fortran order; shape (p,) is one row, (N, d1, d2, …) is N rows of d1·d2·… values (an image
 * batch flattened per sample, as `Flatten` does). Floats are decoded exactly (src/formats/ieee.ts).
 */
import { Rational } from '../exact/rational';
import { UserError } from '../errors';
import { decodeFloats, encodeFloats, type FloatDtype } from './ieee';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export interface NpyArray {
  shape: number[];
  descr: string;
  /** Row-major (C order) values. */
  values: Rational[];
}

/** Parse `.npy` bytes; errors name `source` and the header field. */
export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  if (bytes.length < 10 || !MAGIC.every((b, k) => bytes[k] === b)) throw new UserError(`${source}: not a .npy file (bad magic)`);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let hlen: number;
  let start: number;
  if (major === 1) {
    hlen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new UserError(`${source}: truncated .npy header`);
    hlen = view.getUint32(8, true);
    start = 12;
  } else throw new UserError(`${source}: .npy format version ${major} is not supported (1–3)`);
  if (start + hlen > bytes.length) throw new UserError(`${source}: truncated .npy header`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + hlen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortranText = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined) throw new UserError(`${source}: .npy header: no 'descr' field`);
  if (fortranText === undefined) throw new UserError(`${source}: .npy header: no 'fortran_order' field`);
  if (shapeText === undefined) throw new UserError(`${source}: .npy header: no 'shape' field`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      if (!/^\d+L?$/.test(s)) throw new UserError(`${source}: .npy header: shape entry "${s}" is not a size`);
      return Number(s.replace('L', ''));
    });
  const m = /^([<>|=])([fiu])(\d+)$/.exec(descr);
  if (!m) throw new UserError(`${source}: .npy header: descr '${descr}' is not supported (little-endian floats f2/f4/f8 or integers)`);
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  if (order === '>' && size > 1) throw new UserError(`${source}: .npy header: big-endian descr '${descr}' is not supported`);
  const n = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + hlen;
  if (bytes.length - dataStart < n * size)
    throw new UserError(`${source}: .npy data has ${bytes.length - dataStart} bytes, expected ${n * size} for shape (${shape.join(', ')}) of '${descr}'`);
  let values: Rational[];
  if (kind === 'f') {
    const dt: FloatDtype | undefined = size === 2 ? 'float16' : size === 4 ? 'float32' : size === 8 ? 'float64' : undefined;
    if (!dt) throw new UserError(`${source}: .npy header: float size ${size} is not supported (f2, f4, f8)`);
    const r = decodeFloats(bytes, dt, n, dataStart);
    if ('badIndex' in r) throw new UserError(`${source}: element ${r.badIndex} is NaN or infinite`);
    values = r.values;
  } else {
    if (![1, 2, 4, 8].includes(size)) throw new UserError(`${source}: .npy header: integer size ${size} is not supported`);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart, n * size);
    values = new Array<Rational>(n);
    for (let k = 0; k < n; k++) {
      const o = k * size;
      let v: bigint;
      if (size === 1) v = BigInt(kind === 'i' ? dv.getInt8(o) : dv.getUint8(o));
      else if (size === 2) v = BigInt(kind === 'i' ? dv.getInt16(o, true) : dv.getUint16(o, true));
      else if (size === 4) v = BigInt(kind === 'i' ? dv.getInt32(o, true) : dv.getUint32(o, true));
      else v = kind === 'i' ? dv.getBigInt64(o, true) : dv.getBigUint64(o, true);
      values[k] = Rational.int(v);
    }
  }
  if (fortranText === 'True' && shape.length > 1) values = fortranToC(values, shape);
  return { shape, descr, values };
}

/** Reorder a column-major array of `shape` into row-major order. */
function fortranToC(values: Rational[], shape: number[]): Rational[] {
  const n = values.length;
  const out = new Array<Rational>(n);
  const r = shape.length;
  const idx = new Array<number>(r).fill(0);
  for (let c = 0; c < n; c++) {
    // c is the C-order index of idx; compute its Fortran-order position.
    let f = 0;
    let stride = 1;
    for (let k = 0; k < r; k++) {
      f += idx[k]! * stride;
      stride *= shape[k]!;
    }
    out[c] = values[f]!;
    for (let k = r - 1; k >= 0; k--) {
      idx[k]!++;
      if (idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** Rows of an array: (p,) → one row; (N, d1, …) → N rows of d1·…. */
export function npyRows(a: NpyArray, source: string): Rational[][] {
  if (a.shape.length === 0) throw new UserError(`${source}: a 0-dimensional array is not a list of inputs`);
  if (a.shape.length === 1) return [a.values];
  const N = a.shape[0]!;
  const p = a.shape.slice(1).reduce((x, y) => x * y, 1);
  return Array.from({ length: N }, (_, i) => a.values.slice(i * p, (i + 1) * p));
}

/** `.npy` (version 1) bytes of a C-order float array; values must be exact in `dtype`. */
export function writeNpy(values: readonly number[], shape: readonly number[], dtype: 'float16' | 'float32' | 'float64'): Uint8Array {
  const descr = dtype === 'float16' ? '<f2' : dtype === 'float32' ? '<f4' : '<f8';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Total header (magic + version + length + dict + newline) padded to a multiple of 64 bytes.
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const data = encodeFloats(values, dtype);
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}
