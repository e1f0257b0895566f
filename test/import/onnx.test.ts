/**
 * ONNX import/export against onnxruntime-node as the oracle. Every model is written by the test
 * itself (hand-built graphs in the shapes exporters produce, or nsad's own export); ORT runs it on
 * float inputs; nsad's exact value must lie within the float rounding bound of ORT's, and nsad's
 * emulated float pass within twice that bound. Round trips import → export → import are the
 * identity on layers. Refusals name the node or tensor.
 */
import { describe, it, expect } from 'vitest';
import * as ort from 'onnxruntime-node';
import { Rational } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { Network, layerOf } from '../../src/network/network';
import { importOnnx, exportOnnx } from '../../src/formats/onnx';
import { roundTo, type FloatDtype, f16Bits, decodeBits } from '../../src/formats/ieee';
import { DataType } from '../../src/formats/onnx-proto';
import { roundNetwork, floatForward } from '../../src/audit/float-pass';
import { FloatEngine, compileFloat } from '../../src/network/float';
import { UserError } from '../../src/errors';
import { tensor, int64Tensor, node, intAttr, floatAttr, onnxBytes, randomF32Network, randomInputs, f32ErrorBound, f32, intNet } from './helpers';

const U: Record<string, number> = { float32: 2 ** -24, float64: 2 ** -53, float16: 2 ** -11 };

async function runOrt(bytes: Uint8Array, inputs: number[][], inputShape: (n: number) => number[], dtype: FloatDtype = 'float32', inputName = 'x'): Promise<number[][]> {
  const s = await ort.InferenceSession.create(bytes);
  const flat = inputs.flat();
  const t =
    dtype === 'float32'
      ? new ort.Tensor('float32', Float32Array.from(flat), inputShape(inputs.length))
      : dtype === 'float64'
        ? new ort.Tensor('float64', Float64Array.from(flat), inputShape(inputs.length))
        : new ort.Tensor('float16', Uint16Array.from(flat, (v) => f16Bits(v)), inputShape(inputs.length));
  const out = await s.run({ [inputName]: t });
  const o = out[s.outputNames[0]!]!;
  const data = dtype === 'float16' ? Array.from(o.data as Uint16Array, (b) => decodeBits(BigInt(b), 'float16')!.toNumber()) : Array.from(o.data as Float32Array);
  const m = data.length / inputs.length;
  return inputs.map((_, i) => data.slice(i * m, (i + 1) * m));
}

/** nsad's exact value, emulated float pass and float engine agree with ORT's within the rounding bound. */
function expectMatchesOrt(net: Network, inputs: number[][], ortOut: number[], dtype: FloatDtype = 'float32'): void {
  const rn = roundNetwork(net, dtype);
  const engine = dtype === 'float32' || dtype === 'float64' ? new FloatEngine(compileFloat(net, dtype === 'float32' ? 'f32' : 'f64'), 1) : null;
  inputs.forEach((x, i) => {
    const exact = intNet(net).forward(x.map((v) => Rational.fromNumber(v))).value.toNumber();
    const bound = f32ErrorBound(net, x, U[dtype]);
    const ortV = ortOut[i]!;
    expect(Math.abs(ortV - exact), `input ${i}: ORT ${ortV} vs exact ${exact}, bound ${bound}`).toBeLessThanOrEqual(bound);
    const mine = floatForward(rn, x.map((v) => Rational.fromNumber(v))).value;
    expect(Math.abs(mine - exact)).toBeLessThanOrEqual(bound);
    expect(Math.abs(mine - ortV)).toBeLessThanOrEqual(2 * bound);
    // nsad's own float engine (src/network/float.ts: float32 storage, float64 accumulation)
    if (engine) {
      const v = engine.forward(x)[0]!;
      expect(Math.abs(v - exact)).toBeLessThanOrEqual(bound);
      expect(Math.abs(v - ortV)).toBeLessThanOrEqual(2 * bound);
    }
  });
}

function weights(rng: Rng, rows: number, cols: number, dtype: FloatDtype = 'float32'): number[] {
  return Array.from({ length: rows * cols }, () => roundTo(f32(rng), dtype));
}

describe('ONNX import of exporter-shaped graphs, checked by onnxruntime', () => {
  const p = 5;
  it('PyTorch style: Gemm(transB=1) + Relu, opset 17, ir 8', async () => {
    const rng = new Rng(11);
    const W0 = weights(rng, 7, p), b0 = weights(rng, 7, 1), W1 = weights(rng, 4, 7), b1 = weights(rng, 4, 1), W2 = weights(rng, 1, 4), b2 = weights(rng, 1, 1);
    const bytes = onnxBytes({
      opset: 17,
      irVersion: 8,
      inputDims: ['N', p],
      initializers: [tensor('0.weight', [7, p], W0), tensor('0.bias', [7], b0), tensor('2.weight', [4, 7], W1), tensor('2.bias', [4], b1), tensor('4.weight', [1, 4], W2), tensor('4.bias', [1], b2)],
      nodes: [
        node('Gemm', ['x', '0.weight', '0.bias'], ['h0'], [intAttr('transB', 1)], '/0/Gemm'),
        node('Relu', ['h0'], ['a0'], [], '/1/Relu'),
        node('Gemm', ['a0', '2.weight', '2.bias'], ['h1'], [intAttr('transB', 1)], '/2/Gemm'),
        node('Relu', ['h1'], ['a1']),
        node('Gemm', ['a1', '4.weight', '4.bias'], ['y'], [intAttr('transB', 1)]),
      ],
    });
    const net = importOnnx(bytes, 'torch.onnx');
    expect(net.inputDim).toBe(p);
    expect(net.widths).toEqual([7, 4]);
    expect(net.layers[0]!.weights[2]![3]!.eq(Rational.fromNumber(W0[2 * p + 3]!))).toBe(true);
    const meta = net.meta.imported as { ops: string[]; opset: number; dtype: string; sha256: string };
    expect(meta.ops).toEqual(['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm']);
    expect(meta.opset).toBe(17);
    expect(meta.dtype).toBe('float32');
    expect(meta.sha256).toMatch(/^[0-9a-f]{64}$/);
    const xs = randomInputs(rng, 16, p);
    const out = await runOrt(bytes, xs, (n) => [n, p]);
    expectMatchesOrt(net, xs, out.map((r) => r[0]!));
  });

  it('Keras/tf2onnx style: MatMul + Add (bias first), opset 9', async () => {
    const rng = new Rng(12);
    const W0 = weights(rng, p, 6), b0 = weights(rng, 6, 1), W1 = weights(rng, 6, 1), b1 = weights(rng, 1, 1);
    const bytes = onnxBytes({
      opset: 9,
      inputDims: ['N', p],
      initializers: [tensor('k0', [p, 6], W0), tensor('b0', [6], b0), tensor('k1', [6, 1], W1), tensor('b1', [1], b1)],
      nodes: [node('MatMul', ['x', 'k0'], ['m0']), node('Add', ['b0', 'm0'], ['z0']), node('Relu', ['z0'], ['a0']), node('MatMul', ['a0', 'k1'], ['m1']), node('Add', ['m1', 'b1'], ['y'])],
    });
    const net = importOnnx(bytes, 'keras.onnx');
    expect(net.widths).toEqual([6]);
    // MatMul's weight is [in, out]: W[i][j] = k0[j][i]
    expect(net.layers[0]!.weights[4]![1]!.eq(Rational.fromNumber(W0[1 * 6 + 4]!))).toBe(true);
    const xs = randomInputs(rng, 16, p);
    expectMatchesOrt(net, xs, (await runOrt(bytes, xs, (n) => [n, p])).map((r) => r[0]!));
  });

  it('Flatten of [N,1,5], Gemm(transB=0) with alpha/beta and a [1,M] bias, consecutive Gemms composed, opset 11', async () => {
    const rng = new Rng(13);
    const W0 = weights(rng, p, 6), c0 = weights(rng, 6, 1), W1 = weights(rng, 6, 3), W2 = weights(rng, 3, 1), c2 = weights(rng, 1, 1);
    const bytes = onnxBytes({
      opset: 11,
      inputDims: ['N', 1, p],
      initializers: [tensor('W0', [p, 6], W0), tensor('c0', [1, 6], c0), tensor('W1', [6, 3], W1), tensor('W2', [3, 1], W2), tensor('c2', [1], c2)],
      nodes: [
        node('Flatten', ['x'], ['f'], [intAttr('axis', 1)]),
        node('Gemm', ['f', 'W0', 'c0'], ['g0'], [floatAttr('alpha', 0.5), floatAttr('beta', 2)]),
        node('Relu', ['g0'], ['a0']),
        node('Gemm', ['a0', 'W1'], ['g1']), // no bias (optional C from opset 11)
        node('Gemm', ['g1', 'W2', 'c2'], ['y']), // no relu between: composed exactly
      ],
    });
    const net = importOnnx(bytes, 'flatten.onnx');
    expect(net.widths).toEqual([6]);
    expect(net.layers[0]!.bias[0]!.eq(Rational.fromNumber(c0[0]!).mul(Rational.int(2)))).toBe(true);
    const xs = randomInputs(rng, 16, p);
    expectMatchesOrt(net, xs, (await runOrt(bytes, xs, (n) => [n, 1, p])).map((r) => r[0]!));
  });

  it('Reshape by a Constant shape, Identity, Relu on the input, relu output, several outputs with --output, opset 21', async () => {
    const rng = new Rng(14);
    const W0 = weights(rng, 4, p), b0 = weights(rng, 4, 1), W1 = weights(rng, 3, 4), b1 = weights(rng, 3, 1);
    const bytes = onnxBytes({
      opset: 21,
      irVersion: 10,
      inputDims: [1, p],
      outputDims: [1, 3],
      initializers: [tensor('W0', [4, p], W0), tensor('b0', [4], b0), tensor('W1', [3, 4], W1), tensor('b1', [3], b1)],
      nodes: [
        { opType: 'Constant', input: [], output: ['shape'], attribute: [{ name: 'value', type: 4, t: int64Tensor('shape', [-1, p]) }], name: 'c' },
        node('Reshape', ['x', 'shape'], ['r']),
        node('Identity', ['r'], ['i']),
        node('Relu', ['i'], ['ri']),
        node('Gemm', ['ri', 'W0', 'b0'], ['g0'], [intAttr('transB', 1)]),
        node('Relu', ['g0'], ['a0']),
        node('Gemm', ['a0', 'W1', 'b1'], ['g1'], [intAttr('transB', 1)]),
        node('Relu', ['g1'], ['y']),
      ],
    });
    expect(() => importOnnx(bytes, 'm.onnx')).toThrow(/3 outputs.*--output/);
    const xs = randomInputs(rng, 8, p);
    const outs: number[][] = [];
    for (const x of xs) outs.push((await runOrt(bytes, [x], () => [1, p]))[0]!);
    for (const k of [0, 2]) {
      const net = importOnnx(bytes, 'm.onnx', { output: k });
      expect(net.widths).toEqual([p, 4, 3]); // relu(x) layer, hidden, relu(output) layer
      expect((net.meta.imported as { output: unknown }).output).toEqual({ index: k, of: 3 });
      expectMatchesOrt(net, xs, outs.map((o) => o[k]!));
    }
  });

  it('Transpose of a weight initializer (newer exporters) is folded; MatMul + Add, opset 18', async () => {
    const rng = new Rng(17);
    const W0 = weights(rng, 6, p), b0 = weights(rng, 6, 1), W1 = weights(rng, 1, 6), b1 = weights(rng, 1, 1);
    const bytes = onnxBytes({
      opset: 18,
      inputDims: ['s0', p],
      initializers: [tensor('fc1.weight', [6, p], W0), tensor('fc1.bias', [6], b0), tensor('fc2.weight', [1, 6], W1), tensor('fc2.bias', [1], b1)],
      nodes: [
        node('Transpose', ['fc1.weight'], ['t1'], [{ name: 'perm', type: 7, ints: [1, 0] }]),
        node('MatMul', ['x', 't1'], ['m1']),
        node('Add', ['m1', 'fc1.bias'], ['z1']),
        node('Relu', ['z1'], ['a1']),
        node('Transpose', ['fc2.weight'], ['t2']),
        node('MatMul', ['a1', 't2'], ['m2']),
        node('Add', ['m2', 'fc2.bias'], ['y']),
      ],
    });
    const net = importOnnx(bytes, 'dynamo.onnx');
    expect(net.layers[0]!.weights[3]![1]!.eq(Rational.fromNumber(W0[3 * p + 1]!))).toBe(true);
    expect((net.meta.imported as { ops: string[] }).ops).toEqual(['MatMul', 'Add', 'Relu', 'MatMul', 'Add']);
    const xs = randomInputs(rng, 12, p);
    expectMatchesOrt(net, xs, (await runOrt(bytes, xs, (n) => [n, p])).map((r) => r[0]!));
  });

  it('float64 and float16 initializers (raw and typed fields), checked by ORT in that precision', async () => {
    for (const dtype of ['float64', 'float16'] as const) {
      for (const typed of [false, true]) {
        const rng = new Rng(dtype === 'float64' ? 15 : 16);
        const W0 = weights(rng, 6, p, dtype), b0 = weights(rng, 6, 1, dtype), W1 = weights(rng, 1, 6, dtype), b1 = weights(rng, 1, 1, dtype);
        const bytes = onnxBytes({
          elemType: dtype === 'float64' ? DataType.DOUBLE : DataType.FLOAT16,
          inputDims: ['N', p],
          initializers: [tensor('W0', [6, p], W0, dtype, typed), tensor('b0', [6], b0, dtype, typed), tensor('W1', [1, 6], W1, dtype, typed), tensor('b1', [1], b1, dtype, typed)],
          nodes: [node('Gemm', ['x', 'W0', 'b0'], ['g'], [intAttr('transB', 1)]), node('Relu', ['g'], ['a']), node('Gemm', ['a', 'W1', 'b1'], ['y'], [intAttr('transB', 1)])],
        });
        const net = importOnnx(bytes, `${dtype}.onnx`);
        expect((net.meta.imported as { dtype: string }).dtype).toBe(dtype);
        expect(net.layers[0]!.weights[1]![2]!.eq(Rational.fromNumber(W0[p + 2]!))).toBe(true);
        const xs = randomInputs(rng, 8, p).map((r) => r.map((v) => roundTo(v, dtype)));
        expectMatchesOrt(net, xs, (await runOrt(bytes, xs, (n) => [n, p], dtype)).map((r) => r[0]!), dtype);
      }
    }
  });
});

describe('ONNX export → ORT → import round trip', () => {
  it('random float32 networks: ORT evaluates the export as nsad does; import(export(N)) has the layers of N', async () => {
    const rng = new Rng(21);
    for (const dims of [[3, 1], [4, 8, 1], [6, 10, 7, 1], [2, 5, 5, 5, 1]]) {
      const net = randomF32Network(rng, dims);
      const bytes = exportOnnx(net, 'net');
      const back = importOnnx(bytes, 'net.onnx');
      expect(back.inputDim).toBe(net.inputDim);
      expect(back.layers.length).toBe(net.layers.length);
      back.layers.forEach((l, k) => {
        l.weights.forEach((row, i) => row.forEach((w, j) => expect(w.eq(net.layers[k]!.weights[i]![j]!)).toBe(true)));
        l.bias.forEach((b, i) => expect(b.eq(net.layers[k]!.bias[i]!)).toBe(true));
      });
      expect(Buffer.from(exportOnnx(back, 'back')).equals(Buffer.from(bytes))).toBe(true);
      const xs = randomInputs(rng, 12, dims[0]!);
      expectMatchesOrt(net, xs, (await runOrt(bytes, xs, (n) => [n, dims[0]!], 'float32', 'input')).map((r) => r[0]!));
    }
  });

  it('picks float64 when a weight is not a float32, exports float16 on request, refuses non-dyadic weights', async () => {
    const d = new Network(2, [layerOf([[0.1, -0.7], [1, 2]], [0.3, 0]), layerOf([[1, -1]])]);
    const bytes = exportOnnx(d, 'd');
    const back = importOnnx(bytes, 'd.onnx');
    expect((back.meta.imported as { dtype: string }).dtype).toBe('float64');
    expect(back.layers[0]!.weights[0]![0]!.eq(Rational.fromNumber(0.1))).toBe(true);
    const h = new Network(2, [layerOf([[0.5, -0.75], [1, 2]], [0.25, 0]), layerOf([[1, -1]])]);
    const hb = importOnnx(exportOnnx(h, 'h', { dtype: 'float16' }), 'h.onnx');
    expect((hb.meta.imported as { dtype: string }).dtype).toBe('float16');
    expect(hb.layers[0]!.weights[0]![1]!.eq(Rational.parse('-3/4')!)).toBe(true);
    const third = new Network(1, [layerOf([[Rational.parse('1/3')!]]), layerOf([[1]])]);
    expect(() => exportOnnx(third, 'third.json')).toThrow(/third\.json: layers\[0\]\.weights\[0\]\[0\] = 1\/3 is not exactly representable/);
    expect(() => exportOnnx(d, 'd.json', { dtype: 'float32' })).toThrow(/layers\[0\]\.weights\[0\]\[0\].*float32/);
  });
});

describe('ONNX refusals name the node or tensor', () => {
  const base = (nodes: ReturnType<typeof node>[], inits = [tensor('W', [1, 2], [1, -1]), tensor('b', [1], [0.5])], extra: Partial<Parameters<typeof onnxBytes>[0]> = {}) =>
    onnxBytes({ inputDims: ['N', 2], initializers: inits, nodes, ...extra });
  const refuse = (bytes: Uint8Array, re: RegExp) => {
    let err: unknown;
    try {
      importOnnx(bytes, 'bad.onnx');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^bad\.onnx: /);
    expect((err as Error).message).toMatch(re);
    expect((err as Error).message).not.toContain('\n');
  };
  it('unsupported operators', () => {
    refuse(base([node('Conv', ['x', 'W'], ['c'], [], 'conv1'), node('Gemm', ['c', 'W', 'b'], ['y'], [intAttr('transB', 1)])]), /node "conv1" \(Conv\): operator Conv is not supported/);
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['g'], [intAttr('transB', 1)]), node('Softmax', ['g'], ['y'], [], 'sm')]), /node "sm" \(Softmax\)/);
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['y'], [intAttr('transB', 1)])].map((n) => ({ ...n, domain: 'com.microsoft' }))), /domain "com.microsoft"/);
  });
  it('unsupported dtypes, NaN, external data', () => {
    const i8 = { name: 'W', dims: [1, 2], dataType: DataType.INT8, rawData: new Uint8Array([1, 255]) };
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['y'], [intAttr('transB', 1)])], [i8, tensor('b', [1], [0])]), /tensor "W": dtype int8 is not supported/);
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['y'], [intAttr('transB', 1)])], [tensor('W', [1, 2], [1, NaN]), tensor('b', [1], [0])]), /tensor "W": element 1 is NaN/);
    const ext = { name: 'W', dims: [1, 2], dataType: DataType.FLOAT, dataLocation: 1, externalData: [{ key: 'location', value: 'w.bin' }] };
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['y'], [intAttr('transB', 1)])], [ext, tensor('b', [1], [0])]), /tensor "W": data stored in an external file/);
    const short = { name: 'W', dims: [1, 2], dataType: DataType.FLOAT, rawData: new Uint8Array(4) };
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['y'], [intAttr('transB', 1)])], [short, tensor('b', [1], [0])]), /tensor "W": raw_data has 4 bytes, expected 8/);
  });
  it('shape mismatches, opsets, graph structure, garbage', () => {
    refuse(
      base([node('Gemm', ['x', 'W', 'b'], ['g'], [intAttr('transB', 1)]), node('Relu', ['g'], ['a']), node('Gemm', ['a', 'W2'], ['y'], [intAttr('transB', 1)], 'second')], [tensor('W', [3, 2], [1, 2, 3, 4, 5, 6]), tensor('b', [3], [0, 0, 0]), tensor('W2', [1, 4], [1, 1, 1, 1])]),
      /node "second" \(Gemm\): expects 4 input features, but the data path has 3/,
    );
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['y'], [intAttr('transB', 1)])], undefined, { opset: 8 }), /opset 8 is outside the supported range 9–21/);
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['y'], [intAttr('transB', 1)])], undefined, { opset: 22 }), /opset 22/);
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['g'], [intAttr('transB', 1)]), node('Add', ['g', 'g'], ['y'], [], 'selfadd')]), /node "selfadd" \(Add\)/);
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['g'], [intAttr('transB', 1)]), node('Relu', ['x'], ['y'], [], 'offpath')]), /node "offpath" \(Relu\): does not continue the single data path/);
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['y'], [intAttr('transA', 1)], 'ta')]), /node "ta" \(Gemm\): Gemm with transA = 1/);
    refuse(base([node('Gemm', ['x', 'W', 'b'], ['g'], [intAttr('transB', 1)]), node('Gemm', ['g', 'W', 'b'], ['y'], [intAttr('transB', 1)], 'g2')]), /node "g2" \(Gemm\): expects 2 input features, but the data path has 1/);
    refuse(base([node('Transpose', ['x'], ['t'], [], 'tx'), node('Gemm', ['t', 'W', 'b'], ['y'], [intAttr('transB', 1)])]), /node "tx" \(Transpose\): Transpose of the data path is not supported/);
    refuse(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), /not a valid ONNX/);
  });
});

describe.skipIf(!process.env.NSAD_HEAVY)('heavy: an MNIST-sized MLP (784-128-64-10) against onnxruntime', () => {
  it('every logit of 16 sparse "images" within the float32 bound of ORT', async () => {
    const rng = new Rng(71);
    const dims = [784, 128, 64, 10];
    const Ws = dims.slice(1).map((r, l) => Array.from({ length: r * dims[l]! }, () => Math.fround((rng.float() * 2 - 1) * Math.sqrt(6 / dims[l]!))));
    const bs = dims.slice(1).map((r) => Array.from({ length: r }, () => Math.fround((rng.float() * 2 - 1) * 0.1)));
    const bytes = onnxBytes({
      opset: 17,
      inputDims: ['N', 1, 28, 28],
      outputDims: ['N', 10],
      initializers: dims.slice(1).flatMap((r, l) => [tensor(`fc${l}.weight`, [r, dims[l]!], Ws[l]!), tensor(`fc${l}.bias`, [r], bs[l]!)]),
      nodes: [
        node('Flatten', ['x'], ['f'], [intAttr('axis', 1)]),
        node('Gemm', ['f', 'fc0.weight', 'fc0.bias'], ['g0'], [intAttr('transB', 1)]),
        node('Relu', ['g0'], ['a0']),
        node('Gemm', ['a0', 'fc1.weight', 'fc1.bias'], ['g1'], [intAttr('transB', 1)]),
        node('Relu', ['g1'], ['a1']),
        node('Gemm', ['a1', 'fc2.weight', 'fc2.bias'], ['y'], [intAttr('transB', 1)]),
      ],
    });
    const xs = Array.from({ length: 16 }, () => Array.from({ length: 784 }, () => (rng.float() < 0.8 ? 0 : Math.fround(rng.int(1, 255) / 255))));
    const out = await runOrt(bytes, xs, (n) => [n, 1, 28, 28]);
    for (const k of [0, 3, 9]) {
      const net = importOnnx(bytes, 'mnist.onnx', { output: k });
      expect(net.widths).toEqual([128, 64]);
      expectMatchesOrt(net, xs, out.map((o) => o[k]!));
    }
  });
});
