/**
 * Test helpers for import/export: an ONNX graph writer for hand-built graphs (the shapes
 * PyTorch, Keras/tf2onnx and others export), random float32 networks, and the forward error bound
 * used to compare an exact value with a float32 engine's.
 */
import { Rational } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { Network, layerOf } from '../../src/network/network';
import { IntNetwork } from '../../src/audit/exact-int';
import { encodeFloats, type FloatDtype } from '../../src/formats/ieee';
import { safetensorsBytes } from '../../src/formats/safetensors';
import { encodeModel, DataType, AttrType, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxAttribute } from '../../src/formats/onnx-proto';

export const ELEM: Record<string, number> = { float32: DataType.FLOAT, float64: DataType.DOUBLE, float16: DataType.FLOAT16, bfloat16: DataType.BFLOAT16 };

export function tensor(name: string, dims: number[], values: number[], dtype: FloatDtype = 'float32', typed = false): OnnxTensor {
  const dataType = ELEM[dtype]!;
  if (!typed) return { name, dims, dataType, rawData: encodeFloats(values, dtype) };
  if (dtype === 'float32') return { name, dims, dataType, floatData: values };
  if (dtype === 'float64') return { name, dims, dataType, doubleData: values };
  const bytes = encodeFloats(values, dtype);
  const v = new DataView(bytes.buffer);
  return { name, dims, dataType, int32Data: values.map((_, k) => v.getUint16(2 * k, true)) };
}

export function int64Tensor(name: string, values: number[]): OnnxTensor {
  return { name, dims: [values.length], dataType: DataType.INT64, int64Data: values };
}

export const intAttr = (name: string, i: number): OnnxAttribute => ({ name, type: AttrType.INT, i });
export const floatAttr = (name: string, f: number): OnnxAttribute => ({ name, type: AttrType.FLOAT, f });

export function node(opType: string, input: string[], output: string[], attribute: OnnxAttribute[] = [], name?: string): OnnxNode {
  return { opType, input, output, attribute, name: name ?? `${opType.toLowerCase()}_${output[0]}` };
}

export interface GraphSpec {
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputDims: Array<number | string>;
  outputDims?: Array<number | string>;
  inputName?: string;
  outputName?: string;
  elemType?: number;
  opset?: number;
  irVersion?: number;
}

export function onnxBytes(g: GraphSpec): Uint8Array {
  const dim = (d: number | string) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  const elemType = g.elemType ?? DataType.FLOAT;
  const model: OnnxModel = {
    irVersion: g.irVersion ?? 7,
    producerName: 'nsad-test',
    opsetImport: [{ domain: '', version: g.opset ?? 13 }],
    graph: {
      name: 'test',
      node: g.nodes,
      initializer: g.initializers,
      input: [{ name: g.inputName ?? 'x', type: { tensorType: { elemType, shape: { dim: g.inputDims.map(dim) } } } }],
      output: [{ name: g.outputName ?? 'y', type: { tensorType: { elemType, shape: { dim: (g.outputDims ?? ['N', 1]).map(dim) } } } }],
    },
  };
  return encodeModel(model);
}

/** A random float32 value: k/2^s with |k| < 2^12 (plus, with `dense`, full 24-bit mantissas). */
export function f32(rng: Rng, dense = true): number {
  if (dense) return Math.fround((rng.float() * 2 - 1) * 2);
  return rng.int(-4095, 4095) / 2 ** rng.int(0, 12);
}

/** A random network with float32 weights and biases; dims = [p, w1, …, 1]. */
export function randomF32Network(rng: Rng, dims: number[], bias = true): Network {
  const layers = dims.slice(1).map((rows, l) => {
    const cols = dims[l]!;
    const W = Array.from({ length: rows }, () => Array.from({ length: cols }, () => Rational.fromNumber(f32(rng))));
    const b = Array.from({ length: rows }, () => Rational.fromNumber(bias ? f32(rng) : 0));
    return layerOf(W, b);
  });
  return new Network(dims[0]!, layers);
}

export function randomInputs(rng: Rng, n: number, p: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: p }, () => f32(rng)));
}

const INT = new WeakMap<Network, IntNetwork>();
/** The scaled-integer exact engine of a network, compiled once. */
export function intNet(net: Network): IntNetwork {
  let e = INT.get(net);
  if (!e) INT.set(net, (e = new IntNetwork(net)));
  return e;
}

/**
 * A bound on |float32 engine(x) − F(x)| valid for any summation order, blocking or FMA:
 * per layer |ẑ_i − z_i| ≤ Σ_j |w_ij| e_j + γ_{n+1} (Σ_j |w_ij| (|a_j| + e_j) + |b_i|), with
 * γ_k = k u / (1 − k u), u = 2^-24, exact weights (they are float32), relu 1-Lipschitz.
 * Computed in float64 and inflated by 1 % to cover the rounding of the bound itself.
 */
export function f32ErrorBound(net: Network, x: readonly number[], u = 2 ** -24): number {
  const fwd = intNet(net).forward(x.map((v) => Rational.fromNumber(v)), true);
  let a = x.map((v) => Math.abs(v));
  let e = x.map(() => 0);
  for (let l = 0; l < net.layers.length; l++) {
    const { weights: W, bias } = net.layers[l]!;
    const n = W[0]!.length + 1;
    const gamma = (n * u) / (1 - n * u);
    const eNext = W.map((row, i) => {
      let prop = 0;
      let mag = Math.abs(bias[i]!.toNumber());
      row.forEach((w, j) => {
        const aw = Math.abs(w.toNumber());
        prop += aw * e[j]!;
        mag += aw * (a[j]! + e[j]!);
      });
      return (prop + gamma * mag) * 1.01;
    });
    if (l === net.layers.length - 1) return eNext[0]!;
    a = fwd.pre![l]!.map((v) => (v.n > 0n ? v.toNumber() : 0));
    e = eNext;
  }
  throw new Error('unreachable');
}

/** A safetensors file from explicit header entries (tests of the reader's checks). */
export function safetensors(tensors: Record<string, { dtype: string; shape: number[]; data: Uint8Array }>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  let off = 0;
  const chunks: Uint8Array[] = [];
  for (const [k, t] of Object.entries(tensors)) {
    header[k] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + t.data.length] };
    chunks.push(t.data);
    off += t.data.length;
  }
  if (metadata) header.__metadata__ = metadata;
  return safetensorsBytes(header, chunks);
}
