/**
 * ONNX import and export of fully-connected ReLU networks (docs/audit.md).
 *
 * Import accepts the graphs that PyTorch (`torch.onnx.export` of an `nn.Sequential` of `Linear`
 * and `ReLU`), Keras/tf2onnx and similar exporters produce for an MLP: a single data path from the
 * one graph input to the one graph output through `Gemm`, `MatMul` (+ `Add`), `Relu`, `Flatten` /
 * `Reshape` of a vector, and `Identity`, with weights in initializers (or `Constant` nodes, possibly
 * through a `Transpose`, which is folded) of type
 * float32, float64, float16 or bfloat16, opsets 9–21. Each weight becomes the exact dyadic rational
 * its bits encode (src/formats/ieee.ts): nsad then analyses the very function the framework's
 * weights define, F(x) = W_L relu(… relu(W_1 x + b_1) …) + b_L over the rationals (docs/theory.md §1).
 * Consecutive affine maps with no Relu between them are composed exactly. Anything else — another
 * operator, a non-float dtype, external data, a shape that does not chain — is refused with one
 * line naming the node or tensor.
 *
 * Export writes the reverse (Gemm with transB = 1 and Relu per layer) for networks whose weights
 * are all exactly representable in the chosen float format; import(export(N)) has N's layers.
 */
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { Rational, ZERO, ONE } from '../exact/rational';
import { UserError } from '../errors';
import { LIMITS, NetLayer, Network, type Layer } from '../network/network';
import { decodeFloats, decodeBits, encodeFloats, exactFloat, type FloatDtype } from './ieee';
import {
  DataType,
  AttrType,
  dataTypeName,
  decodeModel,
  encodeModel,
  type OnnxAttribute,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
} from './onnx-proto';

/** The default-domain opsets import accepts (Gemm, MatMul, Relu, … keep these semantics there). */
export const OPSET_MIN = 9;
export const OPSET_MAX = 21;
export const SUPPORTED_OPS = ['Gemm', 'MatMul', 'Add', 'Relu', 'Flatten', 'Reshape', 'Identity', 'Constant', 'Transpose'] as const;

export interface ImportOptions {
  /** Which output (logit) of a multi-output model to take as the scalar F. */
  output?: number;
  /** File name recorded in meta (default: the source label). */
  file?: string;
}

const FLOAT_TYPES: Record<number, FloatDtype> = {
  [DataType.FLOAT]: 'float32',
  [DataType.DOUBLE]: 'float64',
  [DataType.FLOAT16]: 'float16',
  [DataType.BFLOAT16]: 'bfloat16',
};

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface FloatTensor {
  dims: number[];
  values: Rational[];
  dtype: FloatDtype;
}

function tensorLabel(t: OnnxTensor): string {
  return `tensor "${t.name ?? '(unnamed)'}"`;
}

function tensorDims(t: OnnxTensor, source: string): number[] {
  const dims = t.dims ?? [];
  dims.forEach((d, k) => {
    if (!Number.isSafeInteger(d) || d < 0) throw new UserError(`${source}: ${tensorLabel(t)}: dims[${k}] = ${d} is not a valid size`);
  });
  return dims;
}

function count(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function refuseExternal(t: OnnxTensor, source: string): void {
  if (t.dataLocation === 1 || (t.externalData && t.externalData.length > 0))
    throw new UserError(`${source}: ${tensorLabel(t)}: data stored in an external file; re-export the model with its weights inside (save_as_external_data=False)`);
}

/** A float tensor's exact values. */
function readFloatTensor(t: OnnxTensor, source: string): FloatTensor {
  refuseExternal(t, source);
  const code = t.dataType ?? 0;
  const dtype = FLOAT_TYPES[code];
  if (dtype === undefined)
    throw new UserError(`${source}: ${tensorLabel(t)}: dtype ${dataTypeName(code)} is not supported (float32, float64, float16, bfloat16)`);
  const dims = tensorDims(t, source);
  const n = count(dims);
  const bad = (k: number): never => {
    throw new UserError(`${source}: ${tensorLabel(t)}: element ${k} is NaN or infinite`);
  };
  let values: Rational[];
  if (t.rawData && t.rawData.length > 0) {
    const w = dtype === 'float64' ? 8 : dtype === 'float32' ? 4 : 2;
    if (t.rawData.length !== n * w)
      throw new UserError(`${source}: ${tensorLabel(t)}: raw_data has ${t.rawData.length} bytes, expected ${n * w} for dims [${dims.join(', ')}] of ${dtype}`);
    const r = decodeFloats(t.rawData, dtype, n);
    if ('badIndex' in r) return bad(r.badIndex);
    values = r.values;
  } else {
    // Typed fields: float_data holds float32 values (decoded to the exactly equal double),
    // double_data float64, int32_data the 16-bit patterns of float16/bfloat16.
    let bitsOf: ((k: number) => bigint) | null = null;
    let len = 0;
    if (dtype === 'float32' || dtype === 'float64') {
      const arr = (dtype === 'float32' ? t.floatData : t.doubleData) ?? [];
      len = arr.length;
      values = new Array<Rational>(len);
      for (let k = 0; k < len; k++) {
        const v = arr[k]!;
        if (!Number.isFinite(v)) bad(k);
        values[k] = Rational.fromNumber(v); // exact: a float32 or float64 is exactly this double
      }
    } else {
      const arr = t.int32Data ?? [];
      len = arr.length;
      bitsOf = (k) => BigInt(arr[k]! & 0xffff);
      values = new Array<Rational>(len);
      for (let k = 0; k < len; k++) {
        const r = decodeBits(bitsOf(k), dtype);
        if (r === null) bad(k);
        values[k] = r!;
      }
    }
    if (len !== n)
      throw new UserError(`${source}: ${tensorLabel(t)}: holds ${len} values, expected ${n} for dims [${dims.join(', ')}]`);
  }
  return { dims, values, dtype };
}

/** An int64/int32 tensor's values (Reshape's shape input). */
function readIntTensor(t: OnnxTensor, source: string): { dims: number[]; values: number[] } {
  refuseExternal(t, source);
  const dims = tensorDims(t, source);
  const n = count(dims);
  const code = t.dataType ?? 0;
  let values: number[];
  if (code === DataType.INT64) {
    if (t.rawData && t.rawData.length > 0) {
      if (t.rawData.length !== 8 * n) throw new UserError(`${source}: ${tensorLabel(t)}: raw_data has ${t.rawData.length} bytes, expected ${8 * n}`);
      const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.length);
      values = Array.from({ length: n }, (_, k) => Number(view.getBigInt64(8 * k, true)));
    } else values = (t.int64Data ?? []).map(Number);
  } else if (code === DataType.INT32) {
    if (t.rawData && t.rawData.length > 0) {
      if (t.rawData.length !== 4 * n) throw new UserError(`${source}: ${tensorLabel(t)}: raw_data has ${t.rawData.length} bytes, expected ${4 * n}`);
      const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.length);
      values = Array.from({ length: n }, (_, k) => view.getInt32(4 * k, true));
    } else values = t.int32Data ?? [];
  } else throw new UserError(`${source}: ${tensorLabel(t)}: expected an int64 shape tensor, got ${dataTypeName(code)}`);
  if (values.length !== n) throw new UserError(`${source}: ${tensorLabel(t)}: holds ${values.length} values, expected ${n}`);
  return { dims, values };
}

/**
 * A pending affine map v ↦ W v + b (rows × cols), not yet followed by a Relu. `W === null` is the
 * identity (rows = cols = b.length): a Relu or an Add on the raw input costs O(features), never a
 * dense features × features matrix.
 */
interface Affine {
  W: Rational[][] | null;
  b: Rational[];
}

/**
 * Most scalar multiply-adds spent composing two consecutive affine maps (Gemm/MatMul with no Relu
 * between them, composed exactly): beyond it the model is refused up front instead of running for
 * hours (docs/formats.md "Model files").
 */
export const MAX_COMPOSE_PRODUCTS = 50_000_000;

function identity(n: number): Affine {
  return { W: null, b: new Array<Rational>(n).fill(ZERO) };
}

/** W·v for the matrix of `a` (identity when null). */
function apply(W: Rational[][] | null, v: readonly Rational[]): Rational[] {
  if (W === null) return v.slice();
  return W.map((row) => {
    let s = ZERO;
    for (let j = 0; j < row.length; j++) if (!row[j]!.isZero() && !v[j]!.isZero()) s = s.add(row[j]!.mul(v[j]!));
    return s;
  });
}

/** outer ∘ inner, exactly: W = W_o W_i, b = W_o b_i + b_o. */
function compose(outer: Affine, inner: Affine, where: () => string): Affine {
  const b = apply(outer.W, inner.b).map((v, i) => v.add(outer.b[i]!));
  if (outer.W === null) return { W: inner.W, b };
  if (inner.W === null) return { W: outer.W, b };
  const rows = outer.W.length;
  const mid = inner.W.length;
  const cols = inner.W[0]!.length;
  if (rows * mid * cols > MAX_COMPOSE_PRODUCTS)
    throw new UserError(`${where()}: composing ${rows}×${mid} and ${mid}×${cols} affine maps (no Relu between them) costs ${rows * mid * cols} products, beyond the limit ${MAX_COMPOSE_PRODUCTS}`);
  const W: Rational[][] = [];
  for (let i = 0; i < rows; i++) {
    const o = outer.W[i]!;
    const row = new Array<Rational>(cols).fill(ZERO);
    for (let k = 0; k < mid; k++) {
      const w = o[k]!;
      if (w.isZero()) continue;
      const inn = inner.W[k]!;
      for (let j = 0; j < cols; j++) if (!inn[j]!.isZero()) row[j] = row[j]!.add(w.mul(inn[j]!));
    }
    W.push(row);
  }
  return { W, b };
}

/** The network layer of an affine map: dense rows, or a sparse identity. */
function layerOfAffine(a: Affine): Layer | NetLayer {
  if (a.W !== null) return { weights: a.W, bias: a.b };
  const n = a.b.length;
  const start = Int32Array.from({ length: n + 1 }, (_, i) => i);
  const col = Int32Array.from({ length: n }, (_, i) => i);
  return NetLayer.fromCsr(n, n, start, col, new Array<Rational>(n).fill(ONE), a.b, 'identity layer');
}

/** Row `i` of an affine map's matrix, dense (the output row of the last layer). */
function affineRow(a: Affine, i: number): Rational[] {
  if (a.W !== null) return a.W[i]!;
  const row = new Array<Rational>(a.b.length).fill(ZERO);
  row[i] = ONE;
  return row;
}

function attr(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function intAttr(node: OnnxNode, name: string, dflt: number): number {
  const a = attr(node, name);
  return a?.i !== undefined ? Number(a.i) : dflt;
}

function floatAttr(node: OnnxNode, name: string, dflt: number): number {
  const a = attr(node, name);
  return a?.f !== undefined ? a.f : dflt;
}

export interface OnnxImportMeta {
  format: 'onnx';
  file: string;
  sha256: string;
  dtype: string;
  opset: number;
  irVersion: number | null;
  producer: string | null;
  ops: string[];
  output: { index: number; of: number };
}

/** Import an ONNX model's bytes as an exact network. `source` names the file in error messages. */
export function importOnnx(bytes: Uint8Array, source: string, opts: ImportOptions = {}): Network {
  const model = decodeModel(bytes, source);
  const g = model.graph;
  if (!g) throw new UserError(`${source}: the ONNX model has no graph`);

  // Opset: the default domain's version decides the operator semantics.
  const opsets = model.opsetImport ?? [];
  const def = opsets.find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!def || def.version === undefined) throw new UserError(`${source}: opset_import has no entry for the default ONNX domain`);
  const opset = Number(def.version);
  if (opset < OPSET_MIN || opset > OPSET_MAX)
    throw new UserError(`${source}: opset ${opset} is outside the supported range ${OPSET_MIN}–${OPSET_MAX}`);

  const consts = new Map<string, OnnxTensor>();
  const transposed = new Map<string, FloatTensor>(); // constants produced by Transpose nodes
  // ONNX graphs are in SSA form: every name is defined once (an initializer, a graph input, or one
  // node output). A repeated definition would make "which tensor is meant" depend on the reader.
  const defined = new Set<string>();
  const define = (name: string, what: string): void => {
    if (defined.has(name)) throw new UserError(`${source}: ${what} "${name}": the name is defined twice (an ONNX graph defines each name once)`);
    defined.add(name);
  };
  for (const t of g.initializer ?? []) {
    if (!t.name) continue;
    define(t.name, 'initializer');
    consts.set(t.name, t);
  }
  for (const v of g.input ?? []) if (v.name && !consts.has(v.name)) define(v.name, 'graph input');
  for (const nd of g.node ?? []) for (const o of nd.output ?? []) if (o !== '') define(o, `output of node ${nodeLabel(nd)}`);
  const dataInputs = (g.input ?? []).filter((v) => v.name && !consts.has(v.name));
  if (dataInputs.length !== 1)
    throw new UserError(`${source}: expected exactly one graph input that is not an initializer, found ${dataInputs.length}${dataInputs.length ? ` (${dataInputs.map((v) => `"${v.name}"`).join(', ')})` : ''}`);
  const input = dataInputs[0]!;
  const tt = input.type?.tensorType;
  if (tt?.elemType !== undefined && FLOAT_TYPES[tt.elemType] === undefined)
    throw new UserError(`${source}: graph input "${input.name}": element type ${dataTypeName(tt.elemType)} is not a float type`);
  const inDims = tt?.shape?.dim ?? null;
  // Feature count of the data path: the product of the input's non-batch dims, when known.
  let features: number | null = null;
  let rank = inDims ? inDims.length : 2;
  if (inDims && inDims.length >= 1) {
    const rest = inDims.length === 1 ? inDims : inDims.slice(1);
    if (rest.every((d) => d.dimValue !== undefined && Number(d.dimValue) > 0)) features = rest.reduce((a, d) => a * Number(d.dimValue), 1);
  }
  if (features !== null && features > LIMITS.maxInputDim)
    throw new UserError(`${source}: graph input "${input.name}" has ${features} features, beyond the limit ${LIMITS.maxInputDim}`);
  const outputs = g.output ?? [];
  if (outputs.length !== 1) throw new UserError(`${source}: expected exactly one graph output, found ${outputs.length}`);

  const dtypes = new Set<string>();
  const ops: string[] = [];
  const layers: Layer[] = [];
  let lastWidth = 0; // rows of the last layer pushed
  const pushLayer = (a: Affine): void => {
    layers.push(layerOfAffine(a));
    lastWidth = a.b.length;
  };
  let pending: Affine | null = null;
  let lastWasRelu = false;
  let cur = input.name!;
  let inputDim: number | null = null;

  const constOf = (node: OnnxNode, name: string, what: string): OnnxTensor => {
    const t = consts.get(name);
    if (!t) throw new UserError(`${source}: node ${nodeLabel(node)}: ${what} "${name}" is not a constant (initializer or Constant node)`);
    return t;
  };
  const floatConst = (node: OnnxNode, name: string, what: string): FloatTensor => {
    const folded = transposed.get(name);
    if (folded) {
      dtypes.add(folded.dtype);
      return folded;
    }
    const ft = readFloatTensor(constOf(node, name, what), source);
    dtypes.add(ft.dtype);
    return ft;
  };
  const setFeatures = (node: OnnxNode, k: number): void => {
    if (features !== null && features !== k)
      throw new UserError(`${source}: node ${nodeLabel(node)}: expects ${k} input features, but the data path has ${features}`);
    if (inputDim === null && layers.length === 0 && pending === null) inputDim = k;
    features = k;
  };
  const pushAffine = (node: OnnxNode, a: Affine): void => {
    pending = pending ? compose(a, pending, () => `${source}: node ${nodeLabel(node)}`) : a;
    features = a.b.length;
    lastWasRelu = false;
  };
  // A broadcastable bias ([], [1], [M], [1, M]) as M values.
  const biasValues = (node: OnnxNode, ft: FloatTensor, M: number, name: string): Rational[] => {
    const d = ft.dims;
    const ok = d.length === 0 || (d.length === 1 && (d[0] === M || d[0] === 1)) || (d.length === 2 && d[0] === 1 && (d[1] === M || d[1] === 1));
    if (!ok) throw new UserError(`${source}: node ${nodeLabel(node)}: ${name} has dims [${d.join(', ')}], expected [${M}] or [1, ${M}]`);
    return ft.values.length === 1 ? new Array<Rational>(M).fill(ft.values[0]!) : ft.values;
  };

  for (const node of g.node ?? []) {
    const op = node.opType ?? '';
    if (node.domain && node.domain !== 'ai.onnx')
      throw new UserError(`${source}: node ${nodeLabel(node)}: operator domain "${node.domain}" is not supported (only the default ONNX domain)`);
    const ins = node.input ?? [];
    const outs = node.output ?? [];
    if (op === 'Constant') {
      const v = attr(node, 'value');
      if (!v?.t || outs.length !== 1)
        throw new UserError(`${source}: node ${nodeLabel(node)}: only Constant nodes with a "value" tensor are supported`);
      consts.set(outs[0]!, { ...v.t, name: v.t.name || outs[0]! });
      continue;
    }
    if (op === 'Transpose' && ins.length === 1 && consts.has(ins[0]!) && outs.length === 1) {
      // A transposed weight (newer exporters may write W and Transpose it in the graph): fold it.
      const t = consts.get(ins[0]!)!;
      const ft = transposed.get(ins[0]!) ?? readFloatTensor(t, source);
      const perm = attr(node, 'perm')?.ints?.map(Number) ?? [1, 0];
      if (ft.dims.length !== 2 || perm.length !== 2 || perm[0] !== 1 || perm[1] !== 0)
        throw new UserError(`${source}: node ${nodeLabel(node)}: only the transpose of a constant matrix is supported`);
      const [r, c] = ft.dims as [number, number];
      const rows: Rational[] = [];
      for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) rows.push(ft.values[i * c + j]!);
      transposed.set(outs[0]!, { dims: [c, r], values: rows, dtype: ft.dtype });
      consts.set(outs[0]!, { name: outs[0]!, dims: [c, r], dataType: t.dataType });
      continue;
    }
    if (!(SUPPORTED_OPS as readonly string[]).includes(op))
      throw new UserError(`${source}: node ${nodeLabel(node)}: operator ${op} is not supported (nsad imports ${SUPPORTED_OPS.join(', ')})`);
    const dataIdx = ins.indexOf(cur);
    if (dataIdx < 0 || outs.length !== 1)
      throw new UserError(`${source}: node ${nodeLabel(node)}: does not continue the single data path (expected an input named "${cur}" and one output)`);
    const out = outs[0]!;
    ops.push(op);
    switch (op) {
      case 'Identity':
        break;
      case 'Transpose':
        throw new UserError(`${source}: node ${nodeLabel(node)}: Transpose of the data path is not supported (only of a constant weight)`);
      case 'Flatten': {
        const axis = intAttr(node, 'axis', 1);
        if (!(axis === 1 || (axis === -1 && rank === 2)))
          throw new UserError(`${source}: node ${nodeLabel(node)}: Flatten with axis ${axis} is not a flattening of one sample (expected axis 1)`);
        rank = 2;
        break;
      }
      case 'Reshape': {
        if (dataIdx !== 0 || ins.length < 2) throw new UserError(`${source}: node ${nodeLabel(node)}: expected Reshape(data, shape)`);
        const shape = readIntTensor(constOf(node, ins[1]!, 'shape'), source).values;
        if (intAttr(node, 'allowzero', 0) === 1 && shape.includes(0))
          throw new UserError(`${source}: node ${nodeLabel(node)}: Reshape with allowzero = 1 and a 0 in the shape is not supported`);
        const f = features;
        const batchLike = (d: number): boolean => d === -1 || d === 0 || d === 1;
        const ok =
          (shape.length === 2 && batchLike(shape[0]!) && (shape[1] === f || (shape[1] === -1 && shape[0] !== -1))) ||
          (shape.length === 1 && (shape[0] === -1 || shape[0] === f));
        if (!ok || f === null)
          throw new UserError(`${source}: node ${nodeLabel(node)}: Reshape to [${shape.join(', ')}] is not a flattening of one sample of ${f ?? 'unknown'} features`);
        rank = shape.length;
        break;
      }
      case 'Relu':
        if (pending) {
          pushLayer(pending);
          pending = null;
        } else if (!lastWasRelu) {
          // relu applied to the raw input (or to a Flatten of it): an identity layer, then relu.
          if (features === null) throw new UserError(`${source}: node ${nodeLabel(node)}: Relu before any layer on an input of unknown size`);
          if (inputDim === null) inputDim = features;
          pushLayer(identity(features));
        } // relu(relu(z)) = relu(z): nothing to add
        lastWasRelu = true;
        break;
      case 'Gemm': {
        if (dataIdx !== 0 || ins.length < 2) throw new UserError(`${source}: node ${nodeLabel(node)}: expected Gemm(data, weight[, bias])`);
        if (intAttr(node, 'transA', 0) !== 0) throw new UserError(`${source}: node ${nodeLabel(node)}: Gemm with transA = 1 is not supported`);
        if (rank !== 2) throw new UserError(`${source}: node ${nodeLabel(node)}: Gemm on a rank-${rank} tensor (flatten it first)`);
        const transB = intAttr(node, 'transB', 0) === 1;
        const alpha = Rational.fromNumber(Math.fround(floatAttr(node, 'alpha', 1)));
        const beta = Rational.fromNumber(Math.fround(floatAttr(node, 'beta', 1)));
        const B = floatConst(node, ins[1]!, 'weight');
        if (B.dims.length !== 2) throw new UserError(`${source}: node ${nodeLabel(node)}: weight "${ins[1]}" has dims [${B.dims.join(', ')}], expected a matrix`);
        const [d0, d1] = B.dims as [number, number];
        const K = transB ? d1 : d0;
        const M = transB ? d0 : d1;
        if (K < 1 || M < 1) throw new UserError(`${source}: node ${nodeLabel(node)}: weight "${ins[1]}" is empty`);
        setFeatures(node, K);
        const W = Array.from({ length: M }, (_, i) =>
          Array.from({ length: K }, (_, j) => {
            const v = transB ? B.values[i * K + j]! : B.values[j * M + i]!;
            return alpha.eq(ONE) ? v : v.mul(alpha);
          }),
        );
        let b = new Array<Rational>(M).fill(ZERO);
        if (ins.length >= 3 && ins[2] !== '') {
          const C = floatConst(node, ins[2]!, 'bias');
          b = biasValues(node, C, M, `bias "${ins[2]}"`).map((v) => (beta.eq(ONE) ? v : v.mul(beta)));
        }
        pushAffine(node, { W, b });
        rank = 2;
        break;
      }
      case 'MatMul': {
        if (dataIdx !== 0 || ins.length !== 2) throw new UserError(`${source}: node ${nodeLabel(node)}: expected MatMul(data, weight) with the weight second`);
        // [N, K]·[K, M] (or [K]·[K, M]) only: on a rank-3 tensor MatMul multiplies matrices per
        // sample ([N, a, b]·[K, M] needs b = K), which is not a layer of a vector.
        if (rank > 2) throw new UserError(`${source}: node ${nodeLabel(node)}: MatMul on a rank-${rank} tensor is a batched matrix product, not a layer (flatten it first)`);
        const B = floatConst(node, ins[1]!, 'weight');
        if (B.dims.length !== 2) throw new UserError(`${source}: node ${nodeLabel(node)}: weight "${ins[1]}" has dims [${B.dims.join(', ')}], expected a matrix`);
        const [K, M] = B.dims as [number, number];
        if (K < 1 || M < 1) throw new UserError(`${source}: node ${nodeLabel(node)}: weight "${ins[1]}" is empty`);
        setFeatures(node, K);
        const W = Array.from({ length: M }, (_, i) => Array.from({ length: K }, (_, j) => B.values[j * M + i]!));
        pushAffine(node, { W, b: new Array<Rational>(M).fill(ZERO) });
        break;
      }
      case 'Add': {
        if (ins.length !== 2) throw new UserError(`${source}: node ${nodeLabel(node)}: expected Add with two inputs`);
        const other = ins[1 - dataIdx]!;
        if (other === cur) throw new UserError(`${source}: node ${nodeLabel(node)}: Add of the data path to itself is not supported`);
        if (features === null) throw new UserError(`${source}: node ${nodeLabel(node)}: Add on a data path of unknown size`);
        const C = floatConst(node, other, 'addend');
        const c = biasValues(node, C, features, `addend "${other}"`);
        if (inputDim === null && layers.length === 0 && pending === null) inputDim = features;
        const base: Affine = pending ?? identity(features);
        pending = { W: base.W, b: base.b.map((v, i) => v.add(c[i]!)) };
        lastWasRelu = false;
        break;
      }
    }
    cur = out;
  }
  if (cur !== outputs[0]!.name)
    throw new UserError(`${source}: the data path ends at "${cur}", but the graph output is "${outputs[0]!.name}" (a node off the supported path?)`);
  let last: Affine;
  if (pending) last = pending;
  else if (lastWasRelu && layers.length > 0) last = identity(lastWidth); // the model's output is relu(z): read it through one identity layer
  else throw new UserError(`${source}: the graph has no Gemm or MatMul layer`);
  const m = last.b.length;
  let index = 0;
  if (m > 1) {
    if (opts.output === undefined)
      throw new UserError(`${source}: the model has ${m} outputs; nsad analyses a scalar F: choose one with --output K (0..${m - 1})`);
    if (!Number.isSafeInteger(opts.output) || opts.output < 0 || opts.output >= m)
      throw new UserError(`${source}: --output ${opts.output} is out of range 0..${m - 1}`);
    index = opts.output;
  } else if (opts.output !== undefined && opts.output !== 0) throw new UserError(`${source}: --output ${opts.output}: the model has a single output`);
  layers.push({ weights: [affineRow(last, index)], bias: [last.b[index]!] });
  const p = inputDim ?? layers[0]!.weights[0]!.length;
  if (features !== null && inDims && inDims.length >= 1) {
    const declared = (inDims.length === 1 ? inDims : inDims.slice(1)).reduce((a, d) => (d.dimValue !== undefined ? a * Number(d.dimValue) : NaN), 1);
    if (Number.isFinite(declared) && declared !== p)
      throw new UserError(`${source}: graph input "${input.name}" has ${declared} features, but the first layer takes ${p}`);
  }
  const meta: OnnxImportMeta = {
    format: 'onnx',
    file: opts.file ?? source,
    sha256: sha256(bytes),
    dtype: [...dtypes].sort().join(',') || 'none',
    opset,
    irVersion: model.irVersion !== undefined ? Number(model.irVersion) : null,
    producer: model.producerName ? `${model.producerName}${model.producerVersion ? ' ' + model.producerVersion : ''}` : null,
    ops,
    output: { index, of: m },
  };
  return new Network(p, layers, { imported: meta });
}

function nodeLabel(node: OnnxNode): string {
  return `"${node.name || (node.output ?? [])[0] || '(unnamed)'}" (${node.opType ?? '?'})`;
}

export interface ExportOptions {
  /** Weight format; default: float32 if every weight is a float32, else float64. */
  dtype?: 'float32' | 'float64' | 'float16';
  opset?: number;
}

/** The float format export would use for `net` (or the first weight that no format holds exactly). */
export function exportDtype(net: Network, wanted?: ExportOptions['dtype']): { dtype: 'float32' | 'float64' | 'float16' } | { bad: string; dtype: string } {
  const candidates: Array<'float32' | 'float64' | 'float16'> = wanted ? [wanted] : ['float32', 'float64'];
  let bad = '';
  for (const dt of candidates) {
    bad = firstNotRepresentable(net, dt) ?? '';
    if (bad === '') return { dtype: dt };
  }
  return { bad, dtype: candidates[candidates.length - 1]! };
}

function firstNotRepresentable(net: Network, dt: FloatDtype): string | null {
  for (let l = 0; l < net.layers.length; l++) {
    const { weights, bias } = net.layers[l]!;
    for (let i = 0; i < weights.length; i++) {
      const row = weights[i]!;
      for (let j = 0; j < row.length; j++) if (exactFloat(row[j]!, dt) === null) return `layers[${l}].weights[${i}][${j}] = ${row[j]}`;
      if (exactFloat(bias[i]!, dt) === null) return `layers[${l}].bias[${i}] = ${bias[i]}`;
    }
  }
  return null;
}

const ELEM: Record<'float32' | 'float64' | 'float16', number> = { float32: DataType.FLOAT, float64: DataType.DOUBLE, float16: DataType.FLOAT16 };

/**
 * ONNX bytes for `net`: input "input" [batch, p], per layer Gemm(transB = 1) and, on hidden layers,
 * Relu; output "output" [batch, 1]. Throws a UserError naming the first weight the format cannot
 * hold exactly (`source` names the network).
 */
export function exportOnnx(net: Network, source: string, opts: ExportOptions = {}): Uint8Array {
  const choice = exportDtype(net, opts.dtype);
  if ('bad' in choice)
    throw new UserError(`${source}: ${choice.bad} is not exactly representable in ${opts.dtype ?? 'float32 or float64'}; ONNX export writes exact weights only`);
  const dtype = choice.dtype;
  const elemType = ELEM[dtype];
  const opset = opts.opset ?? 13;
  const initializer: OnnxTensor[] = [];
  const node: OnnxNode[] = [];
  let cur = 'input';
  net.layers.forEach((layer, l) => {
    const rows = layer.weights.length;
    const cols = layer.weights[0]!.length;
    const w: number[] = [];
    for (const row of layer.weights) for (const v of row) w.push(exactFloat(v, dtype)!);
    const b = layer.bias.map((v) => exactFloat(v, dtype)!);
    initializer.push({ name: `layers.${l}.weight`, dims: [rows, cols], dataType: elemType, rawData: encodeFloats(w, dtype) });
    initializer.push({ name: `layers.${l}.bias`, dims: [rows], dataType: elemType, rawData: encodeFloats(b, dtype) });
    const hidden = l < net.layers.length - 1;
    const gemmOut = hidden ? `layers.${l}.linear` : 'output';
    node.push({
      name: `gemm_${l}`,
      opType: 'Gemm',
      input: [cur, `layers.${l}.weight`, `layers.${l}.bias`],
      output: [gemmOut],
      attribute: [
        { name: 'transB', type: AttrType.INT, i: 1 },
        { name: 'alpha', type: AttrType.FLOAT, f: 1 },
        { name: 'beta', type: AttrType.FLOAT, f: 1 },
      ],
    });
    cur = gemmOut;
    if (hidden) {
      node.push({ name: `relu_${l}`, opType: 'Relu', input: [cur], output: [`layers.${l}.relu`] });
      cur = `layers.${l}.relu`;
    }
  });
  const valueType = (n: number) => ({ tensorType: { elemType, shape: { dim: [{ dimParam: 'batch' }, { dimValue: n }] } } });
  const model: OnnxModel = {
    irVersion: 8,
    producerName: 'nsad',
    producerVersion: '0.1.0',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'nsad_relu_network',
      node,
      initializer,
      input: [{ name: 'input', type: valueType(net.inputDim) }],
      output: [{ name: 'output', type: valueType(1) }],
    },
  };
  return encodeModel(model);
}

/** The file name recorded in meta. */
export function fileLabel(path: string): string {
  return basename(path);
}
