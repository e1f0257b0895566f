/**
 * Issue 20: hostile model files. safetensors byte ranges must tile the data buffer (no overlap, no
 * hole), keys name each layer once, the header is read by the toolkit's JSON reader (repeated keys,
 * depth) and `__metadata__` is the string map the format allows; ONNX graphs are SSA (each name
 * defined once), MatMul is a layer of a vector only, a Relu or Add on a wide raw input is a sparse
 * identity (not a dense features² matrix), and composing affine maps has a documented budget.
 */
import { describe, expect, it } from 'vitest';
import { importSafetensors } from '../../src/formats/safetensors';
import { MAX_COMPOSE_PRODUCTS, importOnnx } from '../../src/formats/onnx';
import { encodeFloats } from '../../src/formats/ieee';
import { evaluateExact } from '../../src/network/evaluate';
import { serializeNetwork, parseNetwork } from '../../src/network/format';
import { Rational } from '../../src/exact/rational';
import { UserError } from '../../src/errors';
import { node, onnxBytes, safetensors, tensor, intAttr } from './helpers';

const f32 = (v: number[]): Uint8Array => encodeFloats(v, 'float32');
const GOOD = {
  '0.weight': { dtype: 'F32', shape: [2, 2], data: f32([1, -1, 1, 1]) },
  '0.bias': { dtype: 'F32', shape: [2], data: f32([0, 0]) },
  '2.weight': { dtype: 'F32', shape: [1, 2], data: f32([1, -1]) },
};

/** A safetensors file with a hand-written header (offsets as given). */
function raw(header: string, data: Uint8Array): Uint8Array {
  const h = Buffer.from(header, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([len, h, data]);
}
const data = Buffer.concat([f32([1, -1, 1, 1]), f32([0, 0]), f32([1, -1])]);
const entry = (dtype: string, shape: number[], a: number, b: number): string => `{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":[${a},${b}]}`;

describe('safetensors: the header and the data buffer', () => {
  it('a good file still imports', () => {
    expect(importSafetensors(safetensors(GOOD), 'm').widths).toEqual([2]);
  });

  it('overlapping data_offsets (a layer reusing another one\'s bytes) are refused, naming both tensors', () => {
    const h = `{"0.weight":${entry('F32', [2, 2], 0, 16)},"0.bias":${entry('F32', [2], 16, 24)},"2.weight":${entry('F32', [1, 2], 0, 8)}}`;
    expect(() => importSafetensors(raw(h, data.subarray(0, 24)), 'm.safetensors')).toThrow(/^m\.safetensors: tensors "2\.weight" and "0\.weight" overlap in the data buffer \(data_offsets \[0, 8\] and \[0, 16\]\)/);
  });

  it('bytes that belong to no tensor (a hole, or a tail) are refused, as the reference implementation does', () => {
    const hole = `{"0.weight":${entry('F32', [2, 2], 0, 16)},"0.bias":${entry('F32', [2], 20, 28)},"2.weight":${entry('F32', [1, 2], 28, 36)}}`;
    expect(() => importSafetensors(raw(hole, Buffer.concat([data, f32([0])])), 'm')).toThrow(/bytes 16\.\.19 of the data buffer belong to no tensor/);
    expect(() => importSafetensors(raw(`{"0.weight":${entry('F32', [1, 2], 0, 8)}}`, f32([1, 1, 7])), 'm')).toThrow(/bytes 8\.\.11 .*belong to no tensor/);
  });

  it('"0.weight" and "00.weight" (one layer named twice) and a repeated key are refused', () => {
    const twice = { ...GOOD, '00.weight': { dtype: 'F32', shape: [2, 2], data: f32([5, 5, 5, 5]) } };
    expect(() => importSafetensors(safetensors(twice), 'm')).toThrow(/tensor "00\.weight": layer index "00" has a leading zero/);
    const h = `{"0.weight":${entry('F32', [2, 2], 0, 16)},"0.weight":${entry('F32', [1, 4], 0, 16)},"0.bias":${entry('F32', [2], 16, 24)},"2.weight":${entry('F32', [1, 2], 24, 32)}}`;
    expect(() => importSafetensors(raw(h, data), 'm')).toThrow(/^m: safetensors header: not valid JSON \(duplicate key "0\.weight"/);
  });

  it('__metadata__ is a string → string map; nested 6,000 deep it is one line, not a crash of the network writer', () => {
    expect(importSafetensors(safetensors(GOOD, { a: 'b' }), 'm').meta.imported).toMatchObject({ metadata: { a: 'b' } });
    const deep = `{"__metadata__":{"x":${'['.repeat(6000)}"a"${']'.repeat(6000)}},"0.weight":${entry('F32', [1, 2], 0, 8)}}`;
    expect(() => importSafetensors(raw(deep, f32([1, 1])), 'm')).toThrow(/nested deeper than 1000 levels/);
    const num = `{"__metadata__":{"x":3},"0.weight":${entry('F32', [1, 2], 0, 8)}}`;
    expect(() => importSafetensors(raw(num, f32([1, 1])), 'm')).toThrow(/__metadata__\.x: expected a string/);
    // What import accepts, the network writer writes and the reader reads back.
    const net = importSafetensors(safetensors(GOOD, { note: 'x'.repeat(100) }), 'm');
    expect(parseNetwork(serializeNetwork(net), 'n').meta).toEqual(JSON.parse(JSON.stringify(net.meta)));
  });

  it('offsets and shapes are exact integers: 32.5, -4, 1e400 are refused', () => {
    for (const bad of ['32.5', '-4', '1e400'])
      expect(() => importSafetensors(raw(`{"0.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0,${bad}]}}`, f32([1, 1])), 'm'), bad).toThrow(UserError);
  });
});

describe('ONNX: invalid graphs are refused, wide raw inputs stay sparse', () => {
  it('MatMul of a rank-3 input [N,3,1] by [3,1] (a batched matrix product, not a layer) is refused', () => {
    const bytes = onnxBytes({ nodes: [node('MatMul', ['x', 'W'], ['y'])], initializers: [tensor('W', [3, 1], [1, 2, 3])], inputDims: ['N', 3, 1] });
    expect(() => importOnnx(bytes, 'm.onnx')).toThrow(/^m\.onnx: node .*MatMul on a rank-3 tensor/);
  });

  it('a name defined twice (two initializers, or a node output shadowing one) is refused', () => {
    const gemm = (x: string, w: string, b: string, y: string) => node('Gemm', [x, w, b], [y], [intAttr('transB', 1)]);
    const twice = onnxBytes({
      nodes: [gemm('x', 'W', 'b', 'y')],
      initializers: [tensor('W', [1, 2], [1, 1]), tensor('W', [1, 2], [5, 5]), tensor('b', [1], [0])],
      inputDims: ['N', 2],
    });
    expect(() => importOnnx(twice, 'm')).toThrow(/initializer "W": the name is defined twice/);
    const shadow = onnxBytes({
      nodes: [{ opType: 'Constant', input: [], output: ['W'], attribute: [{ name: 't', type: 4, t: tensor('W', [1, 2], [9, 9]) }], name: 'c' }, gemm('x', 'W', 'b', 'y')],
      initializers: [tensor('W', [1, 2], [1, 1]), tensor('b', [1], [0])],
      inputDims: ['N', 2],
    });
    expect(() => importOnnx(shadow, 'm')).toThrow(/"W": the name is defined twice/);
  });

  it('Relu and Add on a 30,000-feature raw input: a sparse identity layer (30,000 weights, not 9·10^8)', () => {
    const wide = 30_000;
    const ones = new Array<number>(wide).fill(1);
    for (const nodes of [
      [node('Relu', ['x'], ['r']), node('MatMul', ['r', 'W'], ['y'])],
      [node('Add', ['x', 'c'], ['a']), node('Relu', ['a'], ['r']), node('MatMul', ['r', 'W'], ['y'])],
    ]) {
      const bytes = onnxBytes({ nodes, initializers: [tensor('W', [wide, 1], ones), tensor('c', [wide], ones.map((_, i) => -(i % 3)))], inputDims: ['N', wide] });
      const net = importOnnx(bytes, 'm');
      expect(net.inputDim).toBe(wide);
      expect(net.layers[0]!.nonzeros).toBe(wide);
      const x = Array.from({ length: wide }, (_, i) => Rational.int(i % 5));
      const sum = x.reduce((s, v, i) => s + Math.max(0, Number(v.n) - (nodes.length === 3 ? i % 3 : 0)), 0);
      expect(evaluateExact(net, x).value.eq(Rational.int(sum))).toBe(true);
    }
  });

  it('consecutive affine maps are composed within a documented budget; beyond it the model is refused up front', () => {
    expect(MAX_COMPOSE_PRODUCTS).toBe(50_000_000);
    const n = 400; // 400 × 400 · 400 × 400: 6.4·10^7 products
    const big = new Array<number>(n * n).fill(0.5);
    const bytes = onnxBytes({
      nodes: [node('MatMul', ['x', 'A'], ['h']), node('MatMul', ['h', 'B'], ['z']), node('MatMul', ['z', 'C'], ['y'])],
      initializers: [tensor('A', [n, n], big), tensor('B', [n, n], big), tensor('C', [n, 1], new Array<number>(n).fill(1))],
      inputDims: ['N', n],
    });
    expect(() => importOnnx(bytes, 'm')).toThrow(/composing 400×400 and 400×400 affine maps .* beyond the limit 50000000/);
  });
});
