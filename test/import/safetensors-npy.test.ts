/** safetensors Sequential-of-Linear import/export, and .npy input arrays. */
import { describe, it, expect } from 'vitest';
import { Rational } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { Network, layerOf } from '../../src/network/network';
import { evaluateExact } from '../../src/network/evaluate';
import { importSafetensors, exportSafetensors } from '../../src/formats/safetensors';
import { exportOnnx, importOnnx } from '../../src/formats/onnx';
import { parseNpy, npyRows, writeNpy } from '../../src/formats/npy';
import { encodeFloats } from '../../src/formats/ieee';
import { UserError } from '../../src/errors';
import { randomF32Network, safetensors } from './helpers';

/** Replace header text byte-for-byte (latin1 keeps every byte). */
function patch(bytes: Uint8Array, from: string, to: string): Uint8Array {
  return new Uint8Array(Buffer.from(Buffer.from(bytes).toString('latin1').replace(from, to), 'latin1'));
}

const f32 = (v: number[]) => encodeFloats(v.map(Math.fround), 'float32');

function refuse(f: () => unknown, re: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toMatch(re);
}

describe('safetensors', () => {
  it('imports an nn.Sequential state dict in numeric key order, with the ReLU assumption recorded', () => {
    // Keys deliberately out of order, indices 0, 2, 10 (10 must sort after 2), a bias-free layer.
    const bytes = safetensors(
      {
        '10.weight': { dtype: 'F32', shape: [1, 2], data: f32([3, -1]) },
        '0.weight': { dtype: 'F32', shape: [3, 2], data: f32([1, 0.5, -1, 2, 0.25, 0]) },
        '0.bias': { dtype: 'F32', shape: [3], data: f32([0, 1, -0.5]) },
        '2.weight': { dtype: 'F16', shape: [2, 3], data: encodeFloats([1, -2, 0.5, 0, 1, 1], 'float16') },
        '2.bias': { dtype: 'BF16', shape: [2], data: encodeFloats([0.5, -1], 'bfloat16') },
      },
      { format: 'pt' },
    );
    const net = importSafetensors(bytes, 'm.safetensors');
    expect(net.inputDim).toBe(2);
    expect(net.widths).toEqual([3, 2]);
    expect(net.layers[2]!.weights[0]!.map(String)).toEqual(['3', '-1']);
    expect(net.layers[2]!.bias[0]!.isZero()).toBe(true);
    const meta = net.meta.imported as { ops: string[]; keys: string[]; dtype: string; metadata: unknown };
    expect(meta.ops).toEqual(['Linear', 'Relu', 'Linear', 'Relu', 'Linear']);
    expect(meta.keys).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '10.weight']);
    expect(meta.dtype).toBe('bfloat16,float16,float32');
    expect(meta.metadata).toEqual({ format: 'pt' });
    // F(1, 2): z0 = (2, 4, 0) → relu (2, 4, 0); z1 = (2 - 8 + 0 + 0.5, 0 + 4 + 0 - 1) = (-5.5, 3) → (0, 3); F = -3
    expect(evaluateExact(net, [Rational.int(1), Rational.int(2)]).value.toString()).toBe('-3');
  });

  it('round trips through export, with a prefix and a chosen output', () => {
    const rng = new Rng(31);
    const net = randomF32Network(rng, [4, 6, 5, 1]);
    const back = importSafetensors(exportSafetensors(net, 'net'), 'net.safetensors');
    back.layers.forEach((l, k) => l.weights.forEach((row, i) => row.forEach((w, j) => expect(w.eq(net.layers[k]!.weights[i]![j]!)).toBe(true))));
    // and via ONNX: the same network
    const viaOnnx = importOnnx(exportOnnx(back, 'b'), 'b.onnx');
    viaOnnx.layers.forEach((l, k) => l.bias.forEach((b, i) => expect(b.eq(net.layers[k]!.bias[i]!)).toBe(true)));
    const multi = safetensors({
      'net.0.weight': { dtype: 'F64', shape: [2, 1], data: encodeFloats([1, -1], 'float64') },
      'net.1.weight': { dtype: 'F64', shape: [3, 2], data: encodeFloats([1, 1, 0.1, 0, -1, 2], 'float64') },
    });
    refuse(() => importSafetensors(multi, 'multi.safetensors'), /3 outputs.*--output/);
    const k1 = importSafetensors(multi, 'multi.safetensors', { output: 1 });
    expect(k1.layers[1]!.weights[0]![0]!.eq(Rational.fromNumber(0.1))).toBe(true);
    expect(() => exportSafetensors(new Network(1, [layerOf([[Rational.parse('1/3')!]]), layerOf([[1]])]), 'third')).toThrow(/layers\[0\]\.weights\[0\]\[0\] = 1\/3/);
  });

  it('refuses other keys, dtypes and shapes, naming the tensor', () => {
    const w = { dtype: 'F32', shape: [2, 2], data: f32([1, 2, 3, 4]) };
    refuse(() => importSafetensors(safetensors({ '0.weight': w, '1.running_mean': { dtype: 'F32', shape: [2], data: f32([0, 0]) } }), 'bn.safetensors'), /bn\.safetensors: tensor "1\.running_mean": not a Linear layer/);
    refuse(() => importSafetensors(safetensors({ '0.weight': { dtype: 'I8', shape: [1, 2], data: new Uint8Array(2) } }), 'q.safetensors'), /tensor "0\.weight": dtype "I8" is not supported/);
    refuse(() => importSafetensors(safetensors({ '0.weight': w, '2.weight': { dtype: 'F32', shape: [1, 3], data: f32([1, 2, 3]) } }), 's.safetensors'), /tensor "2\.weight": takes 3 inputs, but the previous layer has 2 outputs/);
    refuse(() => importSafetensors(safetensors({ '0.weight': w, '0.bias': { dtype: 'F32', shape: [3], data: f32([1, 2, 3]) } }), 's.safetensors'), /tensor "0\.bias": shape \[3\], expected \[2\]/);
    refuse(() => importSafetensors(safetensors({ '0.weight': { dtype: 'F32', shape: [1, 2], data: f32([1, NaN]) } }), 'n.safetensors'), /tensor "0\.weight": element 1 is NaN/);
    refuse(() => importSafetensors(safetensors({ 'a.0.weight': w, 'b.1.weight': w }), 'p.safetensors'), /prefix "b\." differs from "a\."/);
    refuse(() => importSafetensors(new Uint8Array([255, 255, 0, 0, 0, 0, 0, 0, 1]), 'g.safetensors'), /header length .* exceeds the file/);
    const bad = safetensors({ '0.weight': w });
    new DataView(bad.buffer).setUint8(8, 0x20); // break the JSON
    bad[9] = 0x5d;
    refuse(() => importSafetensors(bad, 'j.safetensors'), /safetensors header: not valid JSON/);
  });
});

describe('npy', () => {
  it('reads float32/float64/float16 and integer arrays exactly, C and Fortran order, images flattened per sample', () => {
    const vals = [0.1, -2.5, 3, 1e-3, 7, -0.125].map(Math.fround);
    const a = parseNpy(writeNpy(vals, [2, 3], 'float32'), 'a.npy');
    const rows = npyRows(a, 'a.npy');
    expect(rows.length).toBe(2);
    expect(rows[0]![0]!.eq(Rational.fromNumber(Math.fround(0.1)))).toBe(true);
    expect(rows[1]![2]!.eq(Rational.parse('-1/8')!)).toBe(true);
    const img = npyRows(parseNpy(writeNpy(Array.from({ length: 2 * 2 * 3 }, (_, k) => k), [2, 2, 3], 'float64'), 'img.npy'), 'img.npy');
    expect(img.map((r) => r.map(String))).toEqual([['0', '1', '2', '3', '4', '5'], ['6', '7', '8', '9', '10', '11']]);
    const one = npyRows(parseNpy(writeNpy([0.5, 0.25], [2], 'float16'), 'v.npy'), 'v.npy');
    expect(one.map((r) => r.map(String))).toEqual([['1/2', '1/4']]);
    // Fortran order (2, 3): memory is column-major
    const fo = writeNpy([1, 4, 2, 5, 3, 6], [2, 3], 'float64');
    const patched = patch(fo, "'fortran_order': False", "'fortran_order': True ");
    expect(npyRows(parseNpy(patched, 'f.npy'), 'f.npy').map((r) => r.map(String))).toEqual([['1', '2', '3'], ['4', '5', '6']]);
    // int16 array built by hand
    const hdr = "{'descr': '<i2', 'fortran_order': False, 'shape': (1, 3), }";
    const h = hdr.padEnd(64 - 10 - 1, ' ') + '\n';
    const bytes = new Uint8Array(10 + h.length + 6);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
    new DataView(bytes.buffer).setUint16(8, h.length, true);
    bytes.set(new TextEncoder().encode(h), 10);
    const dv = new DataView(bytes.buffer, 10 + h.length);
    [-3, 0, 300].forEach((v, k) => dv.setInt16(2 * k, v, true));
    expect(npyRows(parseNpy(bytes, 'i.npy'), 'i.npy')[0]!.map(String)).toEqual(['-3', '0', '300']);
  });
  it('refuses what it cannot read exactly', () => {
    refuse(() => parseNpy(new Uint8Array(20), 'z.npy'), /z\.npy: not a \.npy file/);
    const big = patch(writeNpy([1, 2], [2], 'float32'), '<f4', '>f4');
    refuse(() => parseNpy(big, 'b.npy'), /big-endian/);
    const full = writeNpy([1, 2, 3, 4], [4], 'float64');
    const trunc = full.subarray(0, full.length - 24);
    refuse(() => parseNpy(trunc, 't.npy'), /t\.npy: \.npy data has \d+ bytes, expected 32/);
    refuse(() => parseNpy(writeNpy([1, NaN], [2], 'float32'), 'nan.npy'), /element 1 is NaN/);
  });
});
